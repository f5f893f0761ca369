package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// requestReply posts a public reply or internal note, with an optional
// attachment. On any error the page comes back with the text as typed.
func (s *server) requestReply(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	number := r.PathValue("number")
	form, ids, fe, ok := s.readReply(w, r, *p, number)
	if !ok {
		return
	}
	if fe.Any() {
		s.rerenderRequest(w, r, http.StatusUnprocessableEntity, nil, func(pg *requestPage) { pg.Reply, pg.ReplyErrors = form, fe })
		return
	}
	vis := model.VisibilityPublic
	if form.Internal {
		vis = model.VisibilityInternal
	}
	m, err := s.d.Requests.Reply(r.Context(), *p, number, form.Body, vis, model.ChannelWeb, ids)
	if err != nil {
		if model.ErrorCode(err) == model.ENOTFOUND || model.ErrorCode(err) == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) {
			pg.Reply, pg.ReplyErrors = form, s.errorsFrom(r, err, "body", "visibility")
		})
		return
	}
	if form.Internal {
		s.flash(r, "flash.note_added")
	} else {
		s.flash(r, "flash.reply_sent")
	}
	http.Redirect(w, r, requestURL(strings.ToUpper(number))+"#m"+itoa(m.ID), http.StatusSeeOther)
}

// readReply parses a reply form (multipart with an optional file, or
// url-encoded) and uploads the file. ok is false when a response was
// already written; fe holds input errors to show.
func (s *server) readReply(w http.ResponseWriter, r *http.Request, p model.Principal, number string) (form replyForm, ids []int64, fe FieldErrors, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReplyBody)
	err := r.ParseMultipartForm(4 << 20)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart):
	case errors.As(err, &tooBig):
		return form, nil, fieldError("file", s.tr(r, "reply.file_too_large")), true
	default:
		http.Error(w, "bad form", http.StatusBadRequest)
		return form, nil, fe, false
	}
	form = replyForm{Body: r.PostForm.Get("body"), Internal: r.PostForm.Get("visibility") == string(model.VisibilityInternal)}
	if strings.TrimSpace(form.Body) == "" {
		return form, nil, fieldError("body", s.tr(r, "form.required")), true
	}
	if r.MultipartForm == nil {
		return form, nil, fe, true
	}
	f, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return form, nil, fe, true
	}
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return form, nil, fe, false
	}
	defer f.Close()
	if hdr.Size == 0 && hdr.Filename == "" {
		return form, nil, fe, true // an empty file input
	}
	a, err := s.d.Requests.Upload(r.Context(), p, number, hdr.Filename, f, model.ChannelWeb)
	if err != nil {
		switch model.ErrorCode(err) {
		case model.EINVALID, model.ETOOLARGE:
			return form, nil, fieldError("file", s.errText(r, err)), true
		}
		s.fail(w, r, err)
		return form, nil, fe, false
	}
	return form, []int64{a.ID}, fe, true
}
