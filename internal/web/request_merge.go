package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// requestMerge merges the request into the one typed in the merge form
// and opens that one; a refusal brings the page back with the number as
// typed, the reason, and the reply being written kept.
func (s *server) requestMerge(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	into := form.Get("into")
	draft := draftOf(form)
	target, err := s.d.Requests.Merge(r.Context(), *principalOf(r), number, into, model.ChannelWeb)
	if err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) {
			pg.MergeError, pg.MergeInto, pg.Reply = s.errText(r, err), into, draft
		})
		return
	}
	s.keepDraft(r, number, draft)
	s.flash(r, "flash.merged")
	http.Redirect(w, r, requestURL(target.Number), http.StatusSeeOther)
}
