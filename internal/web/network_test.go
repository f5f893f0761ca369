package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/parts"
)

// netFixture is a service network on a fixture: centres RC (Shanghai
// time, open every day 08:00–20:00) and RC2, a part P-1 in stock at RC, a
// plan EXT and a unit of Alice's.
type netFixture struct {
	f      *fixture
	centre *model.ServiceCentre
	serial string
	admin  model.Principal
}

func newNetwork(t *testing.T, f *fixture) *netFixture {
	t.Helper()
	ctx := context.Background()
	admin := &model.User{Email: "netadmin@example.com", Name: "Net Admin", Role: model.RoleAdmin, Active: true}
	if err := f.m.Store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	n := &netFixture{f: f, serial: "SN-ALICE-CAM", admin: model.Principal{Kind: model.KindStaff, ID: admin.ID, Name: admin.Name, Role: model.RoleAdmin}}
	lat, lng := 31.23, 121.47
	var err error
	n.centre, err = f.m.Network.CreateCentre(ctx, n.admin, network.CentreInput{Code: "RC", Name: "Shanghai Xuhui", Lat: &lat, Lng: &lng,
		TimeZone: "Asia/Shanghai", Hours: "08:00-20:00", Categories: []string{"camera"}, DailyCapacity: 50})
	if err != nil {
		t.Fatal(err)
	}
	lat2 := 39.9
	if _, err := f.m.Network.CreateCentre(ctx, n.admin, network.CentreInput{Code: "RC2", Name: "Beijing Chaoyang", Lat: &lat2, Lng: &lng,
		Categories: []string{"camera"}, DailyCapacity: 50}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Parts.CreatePart(ctx, n.admin, parts.PartInput{PartNo: "P-1", Name: "Lens motor", CompatibleSKUs: []string{"CAM-1"},
		Cost: 12000, Price: 25000}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.m.Parts.Move(ctx, n.admin, "RC", parts.MoveInput{PartNo: "P-1", Quantity: 5, Kind: model.MoveReceive, Note: "opening stock"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Catalog.CreatePlan(ctx, n.admin, catalog.PlanInput{Code: "EXT", Name: "Care+ 1 year", Months: 12, Price: 39900,
		Covers: model.Coverage{Parts: true, Labour: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Catalog.CreateProduct(ctx, n.admin, catalog.ProductInput{SKU: "CAM-1", Name: "Camera", Category: "camera", WarrantyMonths: 12}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Catalog.CreateUnit(ctx, n.admin, catalog.UnitInput{Serial: n.serial, SKU: "CAM-1", CustomerID: f.alice.ID,
		PurchasedAt: time.Now().AddDate(0, -1, 0).Format(time.DateOnly)}); err != nil {
		t.Fatal(err)
	}
	return n
}

// appointment books an in-store slot at RC a week ahead for request
// number.
func (n *netFixture) appointment(t *testing.T, number string) *model.Appointment {
	t.Helper()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	d := time.Now().In(sh).AddDate(0, 0, 7)
	from := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, sh)
	a, err := n.f.m.Network.Book(context.Background(), n.admin, network.BookInput{Centre: "RC", StartsAt: from,
		EndsAt: from.Add(time.Hour), RequestNumber: number, Kind: model.AppointmentInStore})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
