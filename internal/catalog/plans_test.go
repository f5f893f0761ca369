package catalog_test

import (
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// TestPlanDates: a plan starts the day after the cover before it ends,
// or on its sale date if that is later, and runs for its months; month
// ends clamp as in AddMonths.
func TestPlanDates(t *testing.T) {
	for _, c := range []struct {
		name               string
		coverEnd, soldAt   string
		months             int
		wantStart, wantEnd string
	}{
		{"after the base warranty", "2027-02-28", "2026-06-01", 24, "2027-03-01", "2029-02-28"},
		{"sold after expiry starts on the sale", "2025-01-09", "2025-06-15", 12, "2025-06-15", "2026-06-14"},
		{"sold the day after expiry", "2025-01-09", "2025-01-10", 12, "2025-01-10", "2026-01-09"},
		{"sold on the last covered day", "2025-01-09", "2025-01-09", 12, "2025-01-10", "2026-01-09"},
		{"month end clamps", "2026-08-30", "2026-03-01", 6, "2026-08-31", "2027-02-27"},
		{"starts on the 28th after a clamped base", "2026-02-27", "2026-01-31", 1, "2026-02-28", "2026-03-27"},
		{"leap day", "2028-02-28", "2027-05-01", 12, "2028-02-29", "2029-02-27"},
	} {
		start, end := catalog.PlanDates(date(c.coverEnd), date(c.soldAt), c.months)
		if got := start.Format(time.DateOnly) + " " + end.Format(time.DateOnly); got != c.wantStart+" "+c.wantEnd {
			t.Errorf("%s: got %s, want %s %s", c.name, got, c.wantStart, c.wantEnd)
		}
	}
}

// TestEntitleWithPlans checks what covers a unit on a given day: the base
// warranty, then a plan; covered_until; nothing in a gap.
func TestEntitleWithPlans(t *testing.T) {
	pol := func(months int) *model.WarrantyPolicy {
		return &model.WarrantyPolicy{Months: months, CoversParts: true, CoversLabour: true, CoversShipping: true}
	}
	plan := func(code, start, end string) model.UnitPlan {
		return model.UnitPlan{PlanCode: code, StartsOn: date(start), EndsOn: date(end), Covers: model.Coverage{Parts: true, Labour: true}}
	}
	for _, c := range []struct {
		name        string
		bought      string
		policy      *model.WarrantyPolicy
		plans       []model.UnitPlan
		today       string
		wantIn      bool
		wantSource  string
		wantUntil   string
		wantCovers  model.Coverage
		wantActives []bool
	}{
		{"base still covers", "2026-03-01", pol(12), []model.UnitPlan{plan("EXT", "2027-03-01", "2029-02-28")}, "2026-09-01",
			true, model.SourceBase, "2029-02-28", model.Coverage{Parts: true, Labour: true, Shipping: true}, []bool{false}},
		{"the plan takes over", "2026-03-01", pol(12), []model.UnitPlan{plan("EXT", "2027-03-01", "2029-02-28")}, "2027-03-01",
			true, model.SourcePlan, "2029-02-28", model.Coverage{Parts: true, Labour: true}, []bool{true}},
		{"plan's last day", "2026-03-01", pol(12), []model.UnitPlan{plan("EXT", "2027-03-01", "2029-02-28")}, "2029-02-28",
			true, model.SourcePlan, "2029-02-28", model.Coverage{Parts: true, Labour: true}, []bool{true}},
		{"all over", "2026-03-01", pol(12), []model.UnitPlan{plan("EXT", "2027-03-01", "2029-02-28")}, "2029-03-01",
			false, model.SourceNone, "2029-02-28", model.Coverage{}, []bool{false}},
		{"gap between base and a plan sold after expiry", "2024-01-10", pol(12), []model.UnitPlan{plan("EXT", "2025-06-15", "2026-06-14")}, "2025-03-01",
			false, model.SourceNone, "2026-06-14", model.Coverage{}, []bool{false}},
		{"covered only by a plan", "2026-01-15", pol(0), []model.UnitPlan{plan("CARE", "2026-01-15", "2027-01-14")}, "2026-01-15",
			true, model.SourcePlan, "2027-01-14", model.Coverage{Parts: true, Labour: true}, []bool{true}},
		{"second plan follows the first", "2024-01-10", pol(12), []model.UnitPlan{plan("A", "2025-01-10", "2026-01-09"), plan("B", "2026-01-10", "2027-01-09")}, "2026-01-10",
			true, model.SourcePlan, "2027-01-09", model.Coverage{Parts: true, Labour: true}, []bool{false, true}},
		{"no plans", "2026-03-01", pol(12), nil, "2027-03-01", false, model.SourceNone, "2027-02-28", model.Coverage{}, nil},
	} {
		e := catalog.EntitleWithPlans(&model.Unit{Serial: "S", PurchasedAt: date(c.bought)}, c.policy, c.plans, date(c.today))
		if e.InWarranty != c.wantIn || e.Source != c.wantSource || e.CoveredUntil.Format(time.DateOnly) != c.wantUntil || e.Covers != c.wantCovers {
			t.Errorf("%s: got in %v source %s until %s covers %+v, want %v %s %s %+v", c.name, e.InWarranty, e.Source,
				e.CoveredUntil.Format(time.DateOnly), e.Covers, c.wantIn, c.wantSource, c.wantUntil, c.wantCovers)
		}
		for i, p := range e.Plans {
			if p.Active != c.wantActives[i] {
				t.Errorf("%s: plan %s active %v, want %v", c.name, p.Code, p.Active, c.wantActives[i])
			}
		}
	}
}
