package web

import (
	"net/http"
	"net/url"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// portalListPage is the customer's list of their requests.
type portalListPage struct {
	Base
	// Surveys are the customer's surveys waiting for an answer (banner).
	Surveys []survey.Pending
	// Tier is the customer's service level and its commitments.
	Tier     *tierPanel
	Items    []model.Request
	NextURL  string
	FirstURL string
}

// portalList shows the customer's own requests, newest first, a page at
// a time (keyset pagination).
func (s *server) portalList(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	cursor := r.URL.Query().Get("cursor")
	res, err := s.d.Requests.List(r.Context(), *p, model.RequestFilter{Sort: "created", Cursor: cursor, Limit: 20})
	if model.ErrorCode(err) == model.EINVALID && cursor != "" {
		http.Redirect(w, r, "/portal", http.StatusSeeOther) // a stale or edited cursor
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := portalListPage{Base: s.base(r, "portal"), Items: res.Items, Surveys: s.pendingSurveys(r), Tier: s.portalTier(r)}
	if res.NextCursor != "" {
		page.NextURL = "/portal?cursor=" + url.QueryEscape(res.NextCursor)
	}
	if cursor != "" {
		page.FirstURL = "/portal"
	}
	s.render(w, r, http.StatusOK, "portal_list", page)
}
