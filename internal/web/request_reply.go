package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// requestReply posts a public reply or internal note, with an optional
// attachment. On any error the page comes back with the text as typed,
// and nothing is stored: the file is kept aside until the reply is saved
// with it in one transaction.
func (s *server) requestReply(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	number := r.PathValue("number")
	form, files, fe, ok := s.readReply(w, r, *p, number)
	if !ok {
		return
	}
	if fe.Any() {
		discard(files)
		s.rerenderRequest(w, r, http.StatusUnprocessableEntity, nil, func(pg *requestPage) { pg.Reply, pg.ReplyErrors = form, fe })
		return
	}
	m, err := s.d.Requests.Reply(r.Context(), *p, number, form.input(files))
	if err != nil {
		if model.ErrorCode(err) == model.ENOTFOUND || model.ErrorCode(err) == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) {
			pg.Reply, pg.ReplyErrors = form, s.errorsFrom(r, err, "body", "visibility", "file", "macro_id")
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

// input is the reply as the request service takes it, from the web.
func (f replyForm) input(files []*request.Staged) request.ReplyInput {
	vis := model.VisibilityPublic
	if f.Internal {
		vis = model.VisibilityInternal
	}
	return request.ReplyInput{Body: f.Body, Visibility: vis, Via: model.ChannelWeb, Files: files, MacroID: f.MacroID}
}

func discard(files []*request.Staged) {
	for _, f := range files {
		f.Discard()
	}
}

// readReply reads a reply form and receives its file. The multipart body
// is streamed: text fields are read first (browsers send them in page
// order, before the file), the reply is checked, and only then is the
// file received, into a temporary file the request service stores with
// the reply or discards; so an over-large upload still brings the page
// back with the text as typed, and a reply that fails leaves nothing
// behind. ok is false when a response was already written (and the files
// discarded); fe holds input errors to show (the caller discards files).
func (s *server) readReply(w http.ResponseWriter, r *http.Request, p model.Principal, number string) (form replyForm, files []*request.Staged, fe FieldErrors, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReplyBody)
	values := url.Values{}
	fail := func(err error) (replyForm, []*request.Staged, FieldErrors, bool) {
		discard(files)
		if err == nil {
			http.Error(w, "bad form", http.StatusBadRequest)
		} else {
			s.fail(w, r, err)
		}
		return form, nil, fe, false
	}
	mr, err := r.MultipartReader()
	switch {
	case errors.Is(err, http.ErrNotMultipart):
		if err := r.ParseForm(); err != nil {
			return fail(nil)
		}
		values = r.PostForm
	case err != nil:
		return fail(nil)
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
				return fail(nil)
			}
			name := part.FormName()
			if name != "file" {
				b, err := io.ReadAll(io.LimitReader(part, maxFormBody+1))
				if err != nil || len(b) > maxFormBody {
					if isTooLarge(err) {
						fe = fieldError("file", s.tr(r, "reply.file_too_large"))
						break
					}
					return fail(nil)
				}
				values.Add(name, string(b))
				continue
			}
			if part.FileName() == "" || fe.Any() {
				continue // no file chosen, or the reply fails anyway
			}
			// When the text came first (as browsers send it), check the
			// reply before receiving the file: one that will fail does not
			// get its file read. A file sent before the text is received
			// into a temporary file all the same; Reply stores it or
			// removes it.
			if _, seen := values["body"]; seen {
				f := replyForm{Body: values.Get("body"), Internal: p.IsStaff() && values.Get("visibility") == string(model.VisibilityInternal)}
				if err := s.d.Requests.CheckReply(r.Context(), p, number, f.input(nil)); err != nil {
					if code := model.ErrorCode(err); code == model.ENOTFOUND || code == model.EINTERNAL {
						return fail(err)
					}
					continue // the reply fails with this error below; the file is not received
				}
			}
			if err := s.d.Requests.CheckUpload(r.Context(), p, number); err != nil {
				if code := model.ErrorCode(err); code == model.ENOTFOUND || code == model.EINTERNAL {
					return fail(err)
				}
				fe = fieldError("file", s.errText(r, err))
				continue
			}
			staged, err := s.d.Requests.Stage(part.FileName(), part)
			switch {
			case err == nil:
				files = append(files, staged)
			case isTooLarge(err):
				fe = fieldError("file", s.tr(r, "reply.file_too_large"))
			case model.ErrorCode(err) == model.EINVALID:
				fe = fieldError("file", s.errText(r, err))
			default:
				return fail(err)
			}
		}
	}
	form = replyForm{Body: values.Get("body"), Internal: p.IsStaff() && values.Get("visibility") == string(model.VisibilityInternal)}
	form.MacroID, _ = strconv.ParseInt(values.Get("macro_id"), 10, 64)
	if strings.TrimSpace(form.Body) == "" && form.MacroID == 0 {
		return form, files, fieldError("body", s.tr(r, "form.required")), true
	}
	return form, files, fe, true
}

// isTooLarge reports whether err says the upload was over a size limit:
// the service's own (20 MiB) or the request body's.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe) || model.ErrorCode(err) == model.ETOOLARGE
}
