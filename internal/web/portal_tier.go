package web

import (
	"net/http"
)

// tierPanel is the customer's service level on the portal: the tier's
// name and what it promises, in the reader's language.
type tierPanel struct {
	Name         string
	Response     string
	Resolution   string
	Compensation string
}

// portalTier returns the signed-in customer's tier panel, or nil when the
// customer has no tier (or it cannot be read: the list still shows).
func (s *server) portalTier(r *http.Request) *tierPanel {
	p := principalOf(r)
	if s.d.SLA == nil || p == nil || !p.IsCustomer() {
		return nil
	}
	key, err := s.d.Store.CustomerTier(r.Context(), nil, p.ID)
	if err != nil || key == "" {
		if err != nil {
			s.log.Warn("portal tier", "err", err)
		}
		return nil
	}
	t, err := s.d.Store.TierByKey(r.Context(), key)
	if err != nil {
		s.log.Warn("portal tier", "err", err)
		return nil
	}
	lang := langOf(r)
	panel := &tierPanel{Name: tierLabel(lang, *t), Compensation: t.Compensation}
	if lang == "zh-CN" && t.CompensationZH != "" {
		panel.Compensation = t.CompensationZH
	}
	if t.ResponseMinutes != nil {
		panel.Response = s.minutesText(r, float64(*t.ResponseMinutes))
	}
	if t.ResolutionMinutes != nil {
		panel.Resolution = s.minutesText(r, float64(*t.ResolutionMinutes))
	}
	return panel
}
