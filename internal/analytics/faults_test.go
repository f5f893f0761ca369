package analytics_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestFaultSpikes: a product model whose repairs record one fault code
// once a week, while another model's repairs come in four a week, and
// six times in one week, has that week flagged against its own baseline
// (its rate per repair of the other model in the other weeks), with the
// exact Poisson tail; two repairs with a code new to the other model are
// not a spike (fewer than three); a repair without a unit has no model.
func TestFaultSpikes(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seed(t, s, 0)
		centre := &model.ServiceCentre{Code: "RC", Name: "Repair centre", Lat: 31.2, Lng: 121.5, TimeZone: "UTC", DailyCapacity: 5}
		if err := s.CreateCentre(ctx, centre); err != nil {
			t.Fatal(err)
		}
		var units []model.Unit
		for i, p := range f.products {
			u := model.Unit{Serial: fmt.Sprintf("SN-%d", i), ProductID: p.ID, SKU: p.SKU, CustomerID: f.reqs[0].CustomerID,
				PurchasedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
			if err := s.CreateUnit(ctx, &u); err != nil {
				t.Fatal(err)
			}
			units = append(units, u)
		}
		week0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // a Monday
		var seedRows store.RepairSeed
		seedRows.FaultCodes = []model.FaultCode{{Category: "camera", Code: "CAM-LENS", NameZh: "镜头伸缩故障", NameEn: "Lens barrel error"},
			{Category: "camera", Code: "CAM-PWR", NameZh: "无法开机", NameEn: "Does not power on"},
			{Category: "camera", Code: "CAM-SENS", NameZh: "传感器坏点", NameEn: "Sensor defect"}}
		add := func(unit *model.Unit, at time.Time, codes ...string) {
			r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal, Channel: model.ChannelWeb,
				Subject: "x", CustomerID: f.reqs[0].CustomerID}, store.Actor{Kind: model.AuthorStaff, Name: "agent", Channel: model.ChannelWeb})
			if err != nil {
				t.Fatal(err)
			}
			rp := model.Repair{RequestID: r.ID, CentreID: centre.ID, Mode: model.ModeInStore, Stage: model.StageDiagnosing,
				FaultCodes: codes, Currency: "CNY", CreatedAt: at, UpdatedAt: at}
			if unit != nil {
				rp.UnitID = &unit.ID
			}
			seedRows.Repairs = append(seedRows.Repairs, store.SeedRepair{Repair: rp})
		}
		// Model 1, CAM-LENS: one repair a week for weeks 0–11, six in week 7.
		for w := range 12 {
			n := 1
			if w == 7 {
				n = 6
			}
			for i := range n {
				add(&units[0], week0.AddDate(0, 0, 7*w+i%5))
			}
		}
		for w := range 12 { // model 2: four a week, another code
			for i := range 4 {
				add(&units[1], week0.AddDate(0, 0, 7*w+i), "CAM-SENS")
			}
		}
		add(&units[1], week0.AddDate(0, 0, 15), "CAM-PWR") // model 2: twice in week 2, never before
		add(&units[1], week0.AddDate(0, 0, 16), "CAM-PWR", "CAM-LENS")
		add(nil, week0.AddDate(0, 0, 49), "CAM-LENS") // no unit: no model
		for i := range seedRows.Repairs {
			if len(seedRows.Repairs[i].Repair.FaultCodes) == 0 {
				seedRows.Repairs[i].Repair.FaultCodes = []string{"CAM-LENS"}
			}
		}
		if err := s.SeedRepairs(ctx, seedRows); err != nil {
			t.Fatal(err)
		}

		period, err := model.ParsePeriod("2026-03-02", "2026-05-31", s.Location(), now) // 13 weeks
		if err != nil {
			t.Fatal(err)
		}
		got, err := analytics.New(s).FaultSpikes(ctx, manager, period, "week", "en")
		if err != nil {
			t.Fatal(err)
		}
		if got.Repairs != 67 || got.Spikes != 1 || len(got.Series) != 4 {
			t.Fatalf("repairs %d, spikes %d, series %d: want 67, 1, 4", got.Repairs, got.Spikes, len(got.Series))
		}
		lens := got.Series[0]
		if lens.ProductID != f.products[0].ID || lens.Code != "CAM-LENS" || lens.Name != "Lens barrel error" || lens.Total != 17 ||
			lens.Repairs != 17 || lens.Spikes != 1 || len(lens.Points) != 13 {
			t.Fatalf("first series: %+v", lens)
		}
		for i, p := range lens.Points {
			if p.Spike != (i == 7) {
				t.Errorf("week %s: spike %v (count %d, expected %.3f, UCL %d)", p.Key, p.Spike, p.Count, p.Expected, p.UCL)
			}
		}
		spike := lens.Points[7]
		// λ = 4 other repairs × (11 codes + ½) / 46 other repairs in the
		// other weeks = 1; P(X ≥ 6) = 0.000594…, P(X ≥ 5) = 0.0037 (no spike).
		if spike.Key != "2026-04-20" || spike.Count != 6 || spike.Others != 4 || math.Abs(spike.Expected-1) > 1e-12 ||
			spike.UCL != 6 || math.Abs(spike.PValue-0.0005941848175816666) > 1e-12 {
			t.Errorf("the spike: %+v, want week 2026-04-20, 6 against λ 1, UCL 6, p 0.000594", spike)
		}
		for _, fs := range got.Series[1:] {
			if fs.ProductID != f.products[1].ID || fs.Spikes != 0 {
				t.Errorf("model 2: %+v, want no spike", fs)
			}
			// λ = 1 × ½ / 16: never seen before, yet two are no spike.
			if fs.Code == "CAM-PWR" && (fs.Points[2].Count != 2 || math.Abs(fs.Points[2].Expected-0.5/16) > 1e-12 || fs.Points[2].UCL != 3) {
				t.Errorf("model 2 CAM-PWR week 2: %+v, want 2 against λ 1/32 and the minimum count 3", fs.Points[2])
			}
		}
		if _, err := analytics.New(s).FaultSpikes(ctx, agentP, period, "week", "en"); model.ErrorCode(err) != model.EFORBIDDEN {
			t.Errorf("agent: %v, want forbidden", err)
		}
		if _, err := analytics.New(s).FaultSpikes(ctx, manager, period, "day", "en"); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("interval day: %v, want invalid", err)
		}
	})
}
