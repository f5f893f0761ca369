package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// customerTierPanel is the customer's tier on the request page: its name
// for every staff member, and for those who may set it (model.PermCustomerTier)
// a select of the tiers and an error.
type customerTierPanel struct {
	Name    string
	CanSet  bool
	Options []Option
	Error   string
}

// loadCustomerTierPanel reads the customer's tier and, for those who may
// change it, the tiers to choose from with selected (the stored tier
// unless a form is being shown again) preselected.
func (s *server) loadCustomerTierPanel(r *http.Request, customerID int64, selected *string) (*customerTierPanel, error) {
	if s.d.SLA == nil {
		return nil, nil
	}
	ctx := r.Context()
	key, err := s.d.Store.CustomerTier(ctx, nil, customerID)
	if err != nil {
		return nil, err
	}
	tiers, err := s.d.SLA.Tiers(ctx)
	if err != nil {
		return nil, err
	}
	lang := langOf(r)
	p := principalOf(r)
	panel := &customerTierPanel{CanSet: p.Can(model.PermCustomerTier)}
	sel := key
	if selected != nil {
		sel = *selected
	}
	if panel.CanSet {
		panel.Options = []Option{{Value: "", Label: s.tr(r, "tier.none"), Selected: sel == ""}}
	}
	for _, t := range tiers {
		if t.Key == key {
			panel.Name = tierLabel(lang, t)
		}
		if panel.CanSet {
			panel.Options = append(panel.Options, Option{Value: t.Key, Label: tierLabel(lang, t), Selected: t.Key == sel})
		}
	}
	if key != "" && panel.Name == "" {
		panel.Name = key
	}
	return panel, nil
}

// requestCustomerTier sets the tier of the request's customer (admins and
// managers); it selects the SLA policy of the customer's new requests. An
// unknown tier brings the page back with the error beside the select and
// the reply kept.
func (s *server) requestCustomerTier(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	number := strings.ToUpper(r.PathValue("number"))
	draft := draftOf(f)
	tier := strings.TrimSpace(f.Get("tier"))
	view, err := s.d.Requests.Get(r.Context(), *p, number)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.d.SLA.SetCustomerTier(r.Context(), *p, view.Request.CustomerID, tier); err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) {
			pg.Reply = draft
			if pg.Tier != nil {
				pg.Tier.Error = s.errText(r, err)
				for i := range pg.Tier.Options {
					pg.Tier.Options[i].Selected = pg.Tier.Options[i].Value == tier
				}
			}
		})
		return
	}
	s.keepDraft(r, number, draft)
	s.flash(r, "flash.saved")
	http.Redirect(w, r, requestURL(number), http.StatusSeeOther)
}
