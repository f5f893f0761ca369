package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestCreateRepairRequestIsOneTransaction: the request, its repair and
// its appointment are written together; a centre whose day is full
// refuses the booking and leaves neither request nor repair behind.
func TestCreateRepairRequestIsOneTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cust := &model.Customer{Name: "Chen", Email: "chen@example.com"}
		if err := s.CreateCustomer(ctx, cust); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateProduct(ctx, &model.Product{SKU: "CAM-1", Name: "Camera", Category: "camera"},
			&model.WarrantyPolicy{Months: 12}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUnit(ctx, &model.Unit{Serial: "SN-1", SKU: "CAM-1", CustomerID: cust.ID,
			PurchasedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		c := &model.ServiceCentre{Code: "SH", Name: "Shanghai", Lat: 31.2, Lng: 121.4, TimeZone: "Asia/Shanghai",
			Categories: []string{"camera"}, DailyCapacity: 1, Active: true}
		if err := s.CreateCentre(ctx, c); err != nil {
			t.Fatal(err)
		}
		id := cust.ID
		p := model.Principal{Kind: model.KindCustomer, ID: cust.ID, Name: cust.Name}
		by := store.Actor{Kind: model.AuthorCustomer, ID: &id, Name: cust.Name, Channel: model.ChannelWeb}
		day := time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC)
		open := func(subject string) (*model.Request, error) {
			start := time.Date(2030, 5, 6, 2, 0, 0, 0, time.UTC)
			a := &model.Appointment{CentreID: c.ID, Kind: model.AppointmentInStore, StartsAt: start, EndsAt: start.Add(time.Hour),
				LocalDay: day, BookedByKind: model.KindCustomer, BookedBy: cust.Name, BookedByID: &id}
			rp := &model.Repair{CentreID: c.ID, CentreCode: c.Code, Mode: model.ModeInStore, Currency: "CNY"}
			return s.CreateRepairRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
				Channel: model.ChannelWeb, Subject: subject, CustomerID: cust.ID, Serial: "SN-1"}, by, rp, p, a)
		}
		r, err := open("first")
		if err != nil {
			t.Fatal(err)
		}
		rp, err := s.RepairByRequest(ctx, r.ID)
		if err != nil || rp.Stage != model.StageAwaitingDevice || rp.UnitID == nil {
			t.Fatalf("the repair: %+v, %v", rp, err)
		}
		if _, err := open("second"); model.ErrorCode(err) != model.ECONFLICT {
			t.Fatalf("a full day: got %v, want a conflict", err)
		}
		page, err := s.ListRequests(ctx, model.RequestFilter{CustomerID: cust.ID, Limit: 10})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("requests after the refused booking: %d (%v), want 1", len(page.Items), err)
		}
		repairs, err := s.ListRepairs(ctx, store.RepairFilter{})
		if err != nil || len(repairs) != 1 {
			t.Errorf("repairs after the refused booking: %d (%v), want 1", len(repairs), err)
		}
	})
}
