package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// requestStatus moves a request through the workflow (one button per
// allowed target status).
func (s *server) requestStatus(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := principalOf(r)
	number := r.PathValue("number")
	to := model.Status(r.PostForm.Get("status"))
	if _, err := s.d.Requests.ChangeStatus(r.Context(), *p, number, to, model.ChannelWeb); err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) { pg.StatusError = s.errText(r, err) })
		return
	}
	s.flash(r, "flash.status_changed")
	http.Redirect(w, r, requestURL(strings.ToUpper(number)), http.StatusSeeOther)
}
