package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// customerHistory is what the desk sees of a customer beyond the contact
// data: units with their warranty, requests, open repairs and
// satisfaction history. The customer page shows it in full, the request
// page's customer panel the newest few of each.
type customerHistory struct {
	Units    []customerUnit
	Requests []model.Request
	// RequestCount is how many requests the customer has made (up to
	// requestCountUpTo; RequestCountMore: more than that).
	RequestCount     int
	RequestCountMore bool
	// MoreRequests says there are more requests than Requests holds.
	MoreRequests bool
	Repairs      []store.CustomerRepair
	Ratings      []store.CustomerRating
	CanRepairs   bool
}

// customerUnit is a unit with its product's name, its warranty today and
// the proofs of purchase the customer gave when registering it.
type customerUnit struct {
	model.OwnedUnit
	Proofs []model.UnitProof
}

// requestCountUpTo bounds the count of a customer's requests.
const requestCountUpTo = 1000

// loadCustomerHistory loads customer id's units, newest requests (at most
// requests of them), open repairs (for those who may read repairs) and
// survey answers.
func (s *server) loadCustomerHistory(r *http.Request, id int64, requests int) (*customerHistory, error) {
	ctx := r.Context()
	p := principalOf(r)
	h := &customerHistory{CanRepairs: p.Can(model.PermRepairRead)}
	units, err := s.d.Catalog.CustomerUnits(ctx, *p, id)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		h.Units = append(h.Units, customerUnit{OwnedUnit: u})
	}
	reqs, err := s.d.Requests.List(ctx, *p, model.RequestFilter{CustomerID: id, Limit: requests, CountUpTo: requestCountUpTo})
	if err != nil {
		return nil, err
	}
	h.Requests, h.MoreRequests = reqs.Items, reqs.NextCursor != ""
	h.RequestCount, h.RequestCountMore = reqs.Count, reqs.CountMore
	if h.CanRepairs {
		if h.Repairs, err = s.d.Store.OpenRepairsOfCustomer(ctx, id); err != nil {
			return nil, err
		}
	}
	if h.Ratings, err = s.d.Store.RatingsOfCustomer(ctx, id); err != nil {
		return nil, err
	}
	return h, nil
}

// customerPanel is the request page's customer card: contact data and
// the newest few of the customer's units, other requests, open repairs
// and ratings, with a link to the customer page for the rest.
type customerPanel struct {
	*customerHistory
	// Others are the customer's newest requests other than this one.
	Others []model.Request
	// How many of each the customer has (the panel shows panelItems).
	UnitCount, RepairCount, RatingCount int
}

// panelItems is how many of each list the customer panel shows.
const panelItems = 3

// loadCustomerPanel loads the customer panel of request req, or nil when
// the viewer may not read customer records (the customer page's rule).
func (s *server) loadCustomerPanel(r *http.Request, req *model.Request) (*customerPanel, error) {
	p := principalOf(r)
	if p.IsCustomer() || !p.Can(model.PermCustomerRead) {
		return nil, nil
	}
	h, err := s.loadCustomerHistory(r, req.CustomerID, panelItems+1)
	if err != nil {
		return nil, err
	}
	panel := &customerPanel{customerHistory: h}
	for _, o := range h.Requests {
		if o.ID != req.ID && len(panel.Others) < panelItems {
			panel.Others = append(panel.Others, o)
		}
	}
	panel.UnitCount, panel.RepairCount, panel.RatingCount = len(h.Units), len(h.Repairs), len(h.Ratings)
	h.Units, h.Repairs, h.Ratings = panelHead(h.Units), panelHead(h.Repairs), panelHead(h.Ratings)
	return panel, nil
}

// panelHead keeps the first panelItems of a list.
func panelHead[T any](list []T) []T {
	return list[:min(len(list), panelItems)]
}
