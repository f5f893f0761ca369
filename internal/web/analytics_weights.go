package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
)

// weightsForm fills the page's expert-weights form: the stored matrix
// (or what the admin typed), and the link to entropy weights.
func (s *server) weightsForm(r *http.Request, page *analyticsPage, a analyticsParams, stored *analytics.ExpertWeights, typed string) {
	page.Stored = stored
	page.CanStoreWeights = principalOf(r).Can(model.PermIndexWeights)
	page.WeightsMatrix = typed
	if typed == "" {
		page.WeightsMatrix = page.AHPDefault
		if stored != nil {
			page.WeightsMatrix = stored.Matrix
		}
	}
	v := a.query()
	v.Del("ahp")
	v.Set("weights", "entropy")
	page.EntropyURL = "/analytics?" + v.Encode() + "#index"
}

// analyticsParamsOf is the dashboard's query carried by a form post in
// hidden fields.
func analyticsParamsOf(f url.Values) string {
	v := url.Values{}
	for _, k := range []string{"from", "to", "group_by", "level", "interval"} {
		if x := f.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

// analyticsWeightsSave stores the index's expert weights (admins): back
// to the dashboard's index, or the dashboard again with the message and
// the matrix as typed.
func (s *server) analyticsWeightsSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, model.FieldError("matrix", "the form could not be read"))
		return
	}
	matrix := strings.TrimSpace(r.PostForm.Get("matrix"))
	query := analyticsParamsOf(r.PostForm)
	if _, err := s.d.Analytics.SaveWeights(r.Context(), *principalOf(r), matrix); err != nil {
		if model.ErrorCode(err) != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		r.URL.RawQuery = query
		s.renderAnalytics(w, r, matrix, err)
		return
	}
	http.Redirect(w, r, "/analytics?"+query+"#index", http.StatusSeeOther)
}

// analyticsWeightsClear removes the stored expert weights (admins).
func (s *server) analyticsWeightsClear(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, model.FieldError("matrix", "the form could not be read"))
		return
	}
	if err := s.d.Analytics.ClearWeights(r.Context(), *principalOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/analytics?"+analyticsParamsOf(r.PostForm)+"#index", http.StatusSeeOther)
}
