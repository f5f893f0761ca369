package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
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

// readReply reads a reply form and uploads its file. The multipart body
// is streamed: text fields are read first (browsers send them in page
// order, before the file) and the file goes straight to the request
// service, so an over-large upload still brings the page back with the
// text as typed. ok is false when a response was already written; fe
// holds input errors to show.
func (s *server) readReply(w http.ResponseWriter, r *http.Request, p model.Principal, number string) (form replyForm, ids []int64, fe FieldErrors, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReplyBody)
	values := url.Values{}
	mr, err := r.MultipartReader()
	switch {
	case errors.Is(err, http.ErrNotMultipart):
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return form, nil, fe, false
		}
		values = r.PostForm
	case err != nil:
		http.Error(w, "bad form", http.StatusBadRequest)
		return form, nil, fe, false
	default:
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if isTooLarge(err) {
					fe = fieldError("file", s.tr(r, "reply.file_too_large"))
					break
				}
				http.Error(w, "bad form", http.StatusBadRequest)
				return form, nil, fe, false
			}
			name := part.FormName()
			if name != "file" {
				b, err := io.ReadAll(io.LimitReader(part, maxFormBody+1))
				if err != nil || len(b) > maxFormBody {
					if isTooLarge(err) {
						fe = fieldError("file", s.tr(r, "reply.file_too_large"))
						break
					}
					http.Error(w, "bad form", http.StatusBadRequest)
					return form, nil, fe, false
				}
				values.Add(name, string(b))
				continue
			}
			_, seenBody := values["body"]
			if part.FileName() == "" || fe.Any() || (seenBody && strings.TrimSpace(values.Get("body")) == "") {
				continue // no file chosen, or the reply fails anyway
			}
			a, err := s.d.Requests.Upload(r.Context(), p, number, part.FileName(), part, model.ChannelWeb)
			switch {
			case err == nil:
				ids = append(ids, a.ID)
			case isTooLarge(err):
				fe = fieldError("file", s.tr(r, "reply.file_too_large"))
			case model.ErrorCode(err) == model.EINVALID:
				fe = fieldError("file", s.errText(r, err))
			default:
				s.fail(w, r, err)
				return form, nil, fe, false
			}
		}
	}
	form = replyForm{Body: values.Get("body"), Internal: values.Get("visibility") == string(model.VisibilityInternal)}
	if strings.TrimSpace(form.Body) == "" {
		return form, nil, fieldError("body", s.tr(r, "form.required")), true
	}
	return form, ids, fe, true
}

// isTooLarge reports whether err says the upload was over a size limit:
// the service's own (20 MiB) or the request body's.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe) || model.ErrorCode(err) == model.ETOOLARGE
}
