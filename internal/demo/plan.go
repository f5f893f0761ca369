package demo

import (
	"math"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// spec is a request decided before its timeline is played: what, whose,
// when. Specs are sorted by creation time before numbering.
type spec struct {
	sc       *scenario
	cust     int // customers index
	unit     int // units index, -1 for none
	created  time.Time
	force    model.Status // play the timeline only until this status ("" plays until now)
	noCancel bool
}

// flowOf says how a scenario's requests are worked.
func flowOf(s *scenario) flow {
	switch s.typ {
	case model.TypeRepair:
		if slices.Contains(s.cats, catAppliance) {
			return flowOnSite
		}
		return flowMailIn
	case model.TypeInstallation, model.TypeMaintenance:
		return flowOnSite
	case model.TypeReturn, model.TypeExchange, model.TypeRefund:
		if s.cat == "missing" || s.cat == "pricedrop" || s.cat == "refundstatus" {
			return flowCheck
		}
		return flowReturn
	case model.TypeComplaint:
		return flowComplain
	default:
		return flowAnswer
	}
}

// purchaseWindow is how long after the purchase a scenario's request
// comes, for the scenarios tied to a recent purchase (returns within 7
// days, exchanges within 15 …); zero for the others.
func purchaseWindow(s *scenario) (lo, hi int) {
	switch {
	case s.cat == "noreason":
		return 1, 7
	case s.cat == "defect" || s.cat == "missing":
		return 1, 15
	case s.cat == "pricedrop":
		return 3, 30
	case s.cat == "refundstatus":
		return 8, 25
	case s.cat == "install":
		return 0, 5
	}
	return 0, 0
}

// allScenarios lists every scenario with cumulative weights for picking.
func allScenarios() ([]*scenario, []int) {
	var out []*scenario
	var cum []int
	total := 0
	for _, list := range [][]scenario{repairScenarios, otherScenarios} {
		for i := range list {
			total += list[i].weight
			out = append(out, &list[i])
			cum = append(cum, total)
		}
	}
	return out, cum
}

// requestDay returns a day offset (0 = today) over the last year: volume
// grows over the year, with peaks after the 618 and Double 11 sales and in
// the summer for appliances.
func (g *gen) requestDay(appliance bool) int {
	for {
		day := g.rnd.IntN(365)
		t := g.now.AddDate(0, 0, -day)
		yd := float64(t.YearDay())
		w := 1 + (1 - float64(day)/365)
		w += 0.8*math.Exp(-math.Pow((yd-322)/7, 2)) + 0.6*math.Exp(-math.Pow((yd-173)/6, 2))
		if appliance {
			w += 0.7 * math.Exp(-math.Pow((yd-200)/25, 2))
		}
		if g.rnd.Float64()*3.5 < w {
			return day
		}
	}
}

// hourWeights is when customers write, by local hour.
var hourWeights = []int{1, 0, 0, 0, 0, 0, 1, 2, 4, 7, 9, 9, 7, 7, 8, 8, 7, 6, 6, 7, 9, 9, 6, 3}

// atLocalHour returns the instant on the local day of t at a random
// minute of a customer-ish hour.
func (g *gen) atLocalHour(t time.Time) time.Time {
	total := 0
	for _, w := range hourWeights {
		total += w
	}
	x, h := g.rnd.IntN(total), 0
	for h = range hourWeights {
		if x < hourWeights[h] {
			break
		}
		x -= hourWeights[h]
	}
	l := t.In(g.loc)
	d := time.Date(l.Year(), l.Month(), l.Day(), h, 0, 0, 0, g.loc)
	return d.Add(time.Duration(g.rnd.IntN(3600)) * time.Second).UTC()
}

// pickProduct returns a product of one of cats, weighted by fault rate
// when faulty.
func (g *gen) pickProduct(cats []string, faulty bool) int {
	total := 0
	for i, p := range productSpecs {
		if slices.Contains(cats, p.category) && len(g.unitsByProduct[i]) > 0 {
			total += g.productWeight(i, faulty)
		}
	}
	if total == 0 {
		return -1
	}
	x := g.rnd.IntN(total)
	for i, p := range productSpecs {
		if slices.Contains(cats, p.category) && len(g.unitsByProduct[i]) > 0 {
			if x < g.productWeight(i, faulty) {
				return i
			}
			x -= g.productWeight(i, faulty)
		}
	}
	return -1
}

func (g *gen) productWeight(i int, faulty bool) int {
	if faulty {
		return productSpecs[i].fault
	}
	return 1
}

// planRequests decides n requests and sorts them by creation time.
func (g *gen) planRequests(n int) []spec {
	scs, cum := allScenarios()
	used := map[int]bool{} // units already returned, exchanged or installed
	specs := make([]spec, 0, n)
	for len(specs) < n {
		x := g.rnd.IntN(cum[len(cum)-1])
		si, _ := slices.BinarySearch(cum, x+1)
		sc := scs[si]
		sp, ok := g.planOne(sc, used)
		if ok {
			specs = append(specs, sp)
		}
	}
	g.addDemoCustomerSpecs(specs, scs)
	slices.SortStableFunc(specs, func(a, b spec) int { return a.created.Compare(b.created) })
	g.forceStatuses(specs)
	return specs
}

func (g *gen) planOne(sc *scenario, used map[int]bool) (spec, bool) {
	sp := spec{sc: sc, unit: -1}
	if sc.cats == nil {
		sp.created = g.atLocalHour(g.now.AddDate(0, 0, -g.requestDay(false)))
		for range 20 {
			sp.cust = g.rnd.IntN(len(g.customers))
			if g.customers[sp.cust].CreatedAt.Before(sp.created) {
				return sp, sp.created.Before(g.now)
			}
		}
		return sp, false
	}
	faulty := sc.typ == model.TypeRepair || sc.typ == model.TypeSupport || sc.typ == model.TypeComplaint
	prod := g.pickProduct(sc.cats, faulty)
	if prod < 0 {
		return sp, false
	}
	units := g.unitsByProduct[prod]
	if lo, hi := purchaseWindow(sc); hi > 0 {
		for range 10 {
			ui := units[g.rnd.IntN(len(units))]
			u := &g.units[ui]
			created := g.atLocalHour(u.PurchasedAt.AddDate(0, 0, lo+g.rnd.IntN(hi-lo+1)))
			if used[ui] || !created.After(u.CreatedAt) || !created.Before(g.now) || g.now.Sub(created) > 365*24*time.Hour {
				continue
			}
			used[ui] = true
			sp.unit, sp.cust, sp.created = ui, g.custIndex(u.CustomerID), created
			return sp, true
		}
		return sp, false
	}
	sp.created = g.atLocalHour(g.now.AddDate(0, 0, -g.requestDay(productSpecs[prod].category == catAppliance)))
	if !sp.created.Before(g.now) {
		return sp, false
	}
	for range 20 {
		ui := units[g.rnd.IntN(len(units))]
		if g.units[ui].CreatedAt.Before(sp.created.Add(-48 * time.Hour)) {
			sp.unit, sp.cust = ui, g.custIndex(g.units[ui].CustomerID)
			return sp, true
		}
	}
	return sp, false
}

// custIndex maps a customer id to its index (ids are index+1).
func (g *gen) custIndex(id int64) int { return int(id - 1) }

// addDemoCustomerSpecs gives the demo customer requests a visitor can
// follow in the portal: a camera repair waiting on them, a phone repair
// waiting for parts and a washing-machine leak fixed months ago. They
// replace the first three planned requests, so the count stays.
func (g *gen) addDemoCustomerSpecs(specs []spec, scs []*scenario) {
	demo := g.unitsByCustomer[0]
	if len(specs) < 3 || len(demo) < 3 {
		return
	}
	find := func(typ model.RequestType, cat, category string) *scenario {
		for _, s := range scs {
			if s.typ == typ && s.cat == cat && slices.Contains(s.cats, category) {
				return s
			}
		}
		return scs[0]
	}
	at := func(daysAgo int) time.Time { return g.atLocalHour(g.now.AddDate(0, 0, -daysAgo)) }
	specs[0] = spec{sc: find(model.TypeRepair, "focus", catCamera), cust: 0, unit: demo[0], created: at(3), force: model.StatusPending, noCancel: true}
	specs[1] = spec{sc: find(model.TypeRepair, "display", catPhone), cust: 0, unit: demo[1], created: at(12), force: model.StatusOnHold, noCancel: true}
	specs[2] = spec{sc: find(model.TypeRepair, "leak", catAppliance), cust: 0, unit: demo[2], created: at(120), noCancel: true}
}

// forceStatuses makes sure the newest requests show every open status,
// whatever the random timelines gave: the three newest stay new, and
// recent ones are stopped at open, pending and on hold.
func (g *gen) forceStatuses(specs []spec) {
	n := len(specs)
	for i := max(0, n-3); i < n; i++ {
		specs[i].force = model.StatusNew
	}
	want := []struct {
		status     model.Status
		minAge     time.Duration
		needsVisit bool
	}{
		{model.StatusOpen, 8 * time.Hour, false},
		{model.StatusOpen, 20 * time.Hour, false},
		{model.StatusPending, 3 * 24 * time.Hour, false},
		{model.StatusOnHold, 8 * 24 * time.Hour, true},
	}
	for _, w := range want {
		for i := n - 4; i >= 0; i-- {
			sp := &specs[i]
			f := flowOf(sp.sc)
			if sp.force != "" || g.now.Sub(sp.created) < w.minAge || (w.needsVisit && f != flowMailIn && f != flowOnSite) {
				continue
			}
			sp.force, sp.noCancel = w.status, true
			break
		}
	}
}
