package network_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// world is a store with a centre in Shanghai time, two technicians
// there, an agent, a customer and a repair request of theirs.
type world struct {
	st           *store.Store
	svc          *network.Service
	agent        model.Principal
	customer     model.Principal
	tech1, tech2 int64
	// other works at another centre; roaming at none.
	other, roaming int64
	number         string
	now            time.Time
}

func newWorld(t *testing.T, st *store.Store, capacity int) *world {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC)
	w := &world{st: st, svc: network.NewService(st, func() time.Time { return now }), now: now}
	c := &model.ServiceCentre{Code: "SH", Name: "Shanghai", Lat: 31.23, Lng: 121.47, TimeZone: "Asia/Shanghai", DailyCapacity: capacity}
	if err := st.CreateCentre(ctx, c); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, role := range []model.Role{model.RoleAgent, model.RoleTechnician, model.RoleTechnician} {
		u := &model.User{Email: fmt.Sprintf("u%d@example.com", i), Name: fmt.Sprintf("U%d", i), Role: role, Active: true}
		if role == model.RoleTechnician {
			u.CentreID = &c.ID
		}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	w.agent = model.Principal{Kind: model.KindStaff, ID: ids[0], Name: "U0", Role: model.RoleAgent}
	elsewhere := &model.ServiceCentre{Code: "BJ", Name: "Beijing", Lat: 39.9, Lng: 116.4, TimeZone: "Asia/Shanghai", DailyCapacity: 5}
	if err := st.CreateCentre(ctx, elsewhere); err != nil {
		t.Fatal(err)
	}
	for i, centre := range []*int64{&elsewhere.ID, nil} {
		u := &model.User{Email: fmt.Sprintf("t%d@example.com", i), Name: "T", Role: model.RoleTechnician, CentreID: centre, Active: true}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.other = u.ID
		} else {
			w.roaming = u.ID
		}
	}
	w.tech1, w.tech2 = ids[1], ids[2]
	cust := &model.Customer{Name: "Li Lei", Email: "li@example.com", Address: "88 Jianguo Rd", City: "Shanghai"}
	if err := st.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	w.customer = model.Principal{Kind: model.KindCustomer, ID: cust.ID, Name: cust.Name}
	r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
		Channel: model.ChannelWeb, Subject: "Lens stuck", CustomerID: cust.ID}, store.Actor{Kind: model.AuthorCustomer, Name: "Li Lei", Channel: model.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	w.number = r.Number
	return w
}

func at(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}

// TestNoDoubleBooking: ten bookings of one technician for overlapping
// windows, sent at once, yield exactly one appointment; the others are
// conflicts. Each round books another day, so that a lost race in any
// of them shows.
func TestNoDoubleBooking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st, 100)
		const rounds, n = 8, 10
		for round := range rounds {
			day := at("2026-05-06T10:00:00+08:00").AddDate(0, 0, round)
			start := make(chan struct{})
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					// 10:00–11:00, 10:05–11:05 … all overlap each other.
					from := day.Add(time.Duration(i) * 5 * time.Minute)
					_, errs[i] = w.svc.Book(ctx, w.agent, network.BookInput{Centre: "SH", TechnicianID: &w.tech1,
						StartsAt: from, EndsAt: from.Add(time.Hour), RequestNumber: w.number, Kind: model.AppointmentOnSite})
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for i, err := range errs {
				switch model.ErrorCode(err) {
				case "":
					ok++
				case model.ECONFLICT:
				default:
					t.Errorf("round %d, booking %d: got %v, want success or a conflict", round, i, err)
				}
			}
			if ok != 1 {
				t.Errorf("round %d: got %d bookings, want exactly 1", round, ok)
			}
			as, err := w.svc.List(ctx, w.agent, network.DayQuery{TechnicianID: w.tech1, Date: day.Format(time.DateOnly)})
			if err != nil {
				t.Fatal(err)
			}
			if len(as) != 1 {
				t.Errorf("round %d: the technician's day has %d appointments, want 1", round, len(as))
			}
		}
	})
}

func TestBookingRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st, 2)
		book := func(p model.Principal, tech *int64, from, to string) (*model.Appointment, error) {
			return w.svc.Book(ctx, p, network.BookInput{Centre: "SH", TechnicianID: tech, StartsAt: at(from), EndsAt: at(to),
				RequestNumber: w.number, Kind: model.AppointmentInStore})
		}
		// 23:30 UTC on the 5th is 07:30 on the 6th in Shanghai: it counts
		// against the 6th.
		first, err := book(w.agent, &w.tech1, "2026-05-05T23:30:00Z", "2026-05-06T00:30:00Z")
		if err != nil {
			t.Fatal(err)
		}
		if got := first.LocalDay.Format(time.DateOnly); got != "2026-05-06" {
			t.Errorf("day of 23:30 UTC in Shanghai: got %s, want 2026-05-06", got)
		}
		// Back to back with the first is no overlap.
		if _, err := book(w.agent, &w.tech1, "2026-05-06T08:30:00+08:00", "2026-05-06T09:30:00+08:00"); err != nil {
			t.Fatalf("back-to-back booking: %v", err)
		}
		// The 6th is full (capacity 2), whatever the technician.
		_, err = book(w.agent, &w.tech2, "2026-05-06T15:00:00+08:00", "2026-05-06T16:00:00+08:00")
		if model.ErrorCode(err) != model.ECONFLICT {
			t.Fatalf("third booking on a day of capacity 2: got %v, want a conflict", err)
		}
		// 16:30 UTC on the 6th is already the 7th in Shanghai: free.
		if _, err := book(w.agent, &w.tech2, "2026-05-06T16:30:00Z", "2026-05-06T17:00:00Z"); err != nil {
			t.Errorf("booking on the next Shanghai day: %v", err)
		}
		// Cancelling frees the capacity.
		if _, err := w.svc.Cancel(ctx, w.customer, first.ID, "cannot come"); err != nil {
			t.Fatalf("the customer cancels their appointment: %v", err)
		}
		if _, err := w.svc.Cancel(ctx, w.agent, first.ID, ""); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("cancelling twice: got %v, want a conflict", err)
		}
		if _, err := book(w.agent, &w.tech2, "2026-05-06T15:00:00+08:00", "2026-05-06T16:00:00+08:00"); err != nil {
			t.Errorf("booking after a cancellation freed the day: %v", err)
		}
		for _, c := range []struct {
			name     string
			p        model.Principal
			tech     *int64
			from, to string
			code     string
		}{
			{"ends before it starts", w.agent, nil, "2026-05-08T10:00:00+08:00", "2026-05-08T09:00:00+08:00", model.EINVALID},
			{"a customer choosing a technician", w.customer, &w.tech1, "2026-05-08T10:00:00+08:00", "2026-05-08T11:00:00+08:00", model.EINVALID},
			{"a customer booking in the past", w.customer, nil, "2026-04-08T10:00:00+08:00", "2026-04-08T11:00:00+08:00", model.EINVALID},
			{"a customer booking their own request", w.customer, nil, "2026-05-08T10:00:00+08:00", "2026-05-08T11:00:00+08:00", ""},
			{"not a technician", w.agent, &w.agent.ID, "2026-05-09T10:00:00+08:00", "2026-05-09T11:00:00+08:00", model.EINVALID},
			{"a technician of another centre", w.agent, &w.other, "2026-05-09T10:00:00+08:00", "2026-05-09T11:00:00+08:00", model.EINVALID},
			{"a technician of no centre", w.agent, &w.roaming, "2026-05-09T10:00:00+08:00", "2026-05-09T11:00:00+08:00", ""},
		} {
			_, err := book(c.p, c.tech, c.from, c.to)
			if got := model.ErrorCode(err); got != c.code {
				t.Errorf("%s: got %v, want code %q", c.name, err, c.code)
			}
		}
		evs, err := st.Events(ctx, first.RequestID, true)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, e := range evs {
			kinds[e.Kind]++
		}
		if kinds["appointment"] != 6 || kinds["appointment_cancelled"] != 1 {
			t.Errorf("timeline: got %v, want 6 bookings and 1 cancellation", kinds)
		}
	})
}

func TestOpeningHoursAndOtherCustomers(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	w := newWorld(t, st, 10)
	cm := model.Principal{Kind: model.KindStaff, ID: 999, Role: model.RoleCentreManager}
	if _, err := w.svc.UpdateCentre(ctx, cm, "SH", network.CentreUpdate{Hours: "mon-fri 09:00-18:00"}); model.ErrorCode(err) != model.EFORBIDDEN {
		t.Errorf("a centre manager of no centre changing SH: got %v, want forbidden", err)
	}
	admin := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAdmin}
	if _, err := w.svc.UpdateCentre(ctx, admin, "SH", network.CentreUpdate{Hours: "mon-fri 09:00-18:00"}); err != nil {
		t.Fatal(err)
	}
	in := network.BookInput{Centre: "SH", StartsAt: at("2026-05-09T10:00:00+08:00"), EndsAt: at("2026-05-09T11:00:00+08:00"),
		RequestNumber: w.number, Kind: model.AppointmentInStore}
	if _, err := w.svc.Book(ctx, w.agent, in); model.ErrorCode(err) != model.EINVALID {
		t.Errorf("in store on a Saturday when the centre opens Monday to Friday: got %v, want invalid", err)
	}
	in.Kind = model.AppointmentOnSite
	a, err := w.svc.Book(ctx, w.agent, in)
	if err != nil {
		t.Fatalf("an on-site visit on a Saturday: %v", err)
	}
	if a.Address != "Shanghai 88 Jianguo Rd" {
		t.Errorf("on-site address: got %q, want the customer's", a.Address)
	}
	other := model.Principal{Kind: model.KindCustomer, ID: w.customer.ID + 100}
	if _, err := w.svc.Appointment(ctx, other, a.ID); !model.IsNotFound(err) {
		t.Errorf("another customer reading it: got %v, want not found", err)
	}
	if _, err := w.svc.Cancel(ctx, other, a.ID, ""); !model.IsNotFound(err) {
		t.Errorf("another customer cancelling it: got %v, want not found", err)
	}
	in.Kind, in.StartsAt, in.EndsAt = model.AppointmentInStore, at("2026-05-11T10:00:00+08:00"), at("2026-05-11T11:00:00+08:00")
	if _, err := w.svc.Book(ctx, other, in); model.ErrorCode(err) != model.EINVALID {
		t.Errorf("another customer booking on this request: got %v, want invalid (no such request)", err)
	}
}
