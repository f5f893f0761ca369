package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// The status buttons and the classification form of a request page
// belong to the reply form (HTML form="…" and formaction), so whatever
// action is taken, the reply being written travels with it: after an
// error it is shown again, and after a successful status change or
// update it is kept as a draft in the session, so nothing typed is lost.

// readActionForm reads the fields of a status or update post, which may
// be the reply form's multipart body (any chosen file is skipped).
func (s *server) readActionForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReplyBody)
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return nil, false
		}
		return r.PostForm, true
	}
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	values := url.Values{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return values, true
		}
		if err != nil {
			if isTooLarge(err) && values.Has("body") {
				return values, true // a huge file after the fields: they are all here
			}
			http.Error(w, "bad form", http.StatusBadRequest)
			return nil, false
		}
		if part.FileName() != "" || part.FormName() == "file" {
			continue // NextPart drains it
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormBody+1))
		if err != nil || len(b) > maxFormBody {
			http.Error(w, "bad form", http.StatusBadRequest)
			return nil, false
		}
		values.Add(part.FormName(), string(b))
	}
}

// draftOf is the reply being written that came along with an action.
func draftOf(v url.Values) replyForm {
	return replyForm{Body: v.Get("body"), Internal: v.Get("visibility") == string(model.VisibilityInternal)}
}

// draftKey is the session key of the reply draft of a request.
func draftKey(number string) string { return "draft:" + number }

// keepDraft stores a non-empty reply draft for the next view of the page.
func (s *server) keepDraft(r *http.Request, number string, d replyForm) {
	if d.Body == "" {
		return
	}
	vis := string(model.VisibilityPublic)
	if d.Internal {
		vis = string(model.VisibilityInternal)
	}
	s.sessions.Put(r.Context(), draftKey(number), vis+"\n"+d.Body)
}

// takeDraft returns and forgets the reply draft of a request.
func (s *server) takeDraft(r *http.Request, number string) replyForm {
	v := s.sessions.PopString(r.Context(), draftKey(number))
	if v == "" {
		return replyForm{}
	}
	vis, body, _ := strings.Cut(v, "\n")
	return replyForm{Body: body, Internal: vis == string(model.VisibilityInternal)}
}
