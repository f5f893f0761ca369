// Package demo fills an empty store with believable, reproducible demo
// data: six service centres with their staff on China's statutory
// calendar, an overseas team on a US calendar, a catalogue of 40 product
// models, 3,000 customers with 4,000 registered units, and 12,000 service
// requests over the last year with conversations in Chinese and English
// and consistent timelines. The service network (network.go) adds ten
// centres at real addresses in Chinese cities with their coordinates,
// hours and managers, spare parts for every model with stock ledgers and
// reorder alerts, upcoming appointments, and extended-warranty plans sold
// on about one unit in twelve; the year's feedback (feedback.go) adds
// surveys, their answers, follow-up calls, complaints and compensation;
// macros.go adds canned replies, shared and the demo agent's own.
// A visitor judges the product by it, so the
// requests read like real ones and their states are what a live queue
// would show: most closed, the recent ones new, open, pending or on hold.
//
// Everything random comes from one seeded generator, so two seeds with
// the same options and clock produce the same data; rows are written with
// the store's bulk inserts, in a few large transactions.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
)

// Full-scale volumes (Options.Scale multiplies them).
const (
	Customers = 3000  // customers, the first of them the demo customer
	Units     = 4000  // serial-numbered units, at least one per customer
	Requests  = 12000 // service requests over the last twelve months
)

// DefaultSeed is the random seed used when Options.Seed is zero.
const DefaultSeed = 20261123

// requestsPerTx is how many requests (with their messages and events) go
// into one transaction: large enough to be fast, small enough that the
// server's background jobs get the single SQLite writer in between.
const requestsPerTx = 1500

// Options tune a seed.
type Options struct {
	// Scale multiplies the numbers of customers, units and requests
	// (0 means 1). Tests under the race detector use 0.1.
	Scale float64
	// Seed is the random seed (0 means DefaultSeed).
	Seed uint64
	// PasswordHash is the hash given to every demo account; empty means
	// hash Password once.
	PasswordHash string
	// Progress, if set, is called after each step with the work done so
	// far and the total, in rows of customers, units and requests.
	Progress func(done, total int)
	// EventData renders the data of webhook payloads (api.EventJSON); when
	// set, the demo has webhooks with a history of deliveries.
	EventData func(model.DomainEvent) (json.RawMessage, error)
	// Mail, if set, receives the demo's inbound mail (the e-mail channel),
	// so that the inbound mail log shows each outcome.
	Mail MailReceiver
}

// Counts are the rows a seed wrote.
type Counts struct {
	Calendars, Teams, Users, Customers, Products, Categories, Units, Requests, Messages, Events int
	Webhooks, Deliveries                                                                        int
	OutboundMail                                                                                int
	Centres, Parts, StockMoves, Appointments, PlanSales, Repairs, Returns                       int
	// Feedback: survey invitations, responses (web, API and phone),
	// follow-up calls, complaints and compensation.
	Invitations, Responses, Followups, Complaints, Compensations int
	// Service levels: customer tiers, SLA policies, and the requests whose
	// clocks were rebuilt from their timelines.
	Tiers, SLAPolicies, SLAClocks int
	// Knowledge base: articles (both languages), logged searches and
	// new-request visits that opened a suggested article.
	Articles, Searches, Visits int
	// Automation: rules, staff with skills, device events and the
	// proactive requests they opened.
	Rules, SkilledStaff, DeviceEvents, ProactiveRequests int
	// Macros are the canned replies, shared and the demo agent's own.
	Macros int
	// ProducedSerials are the serial numbers produced but not yet
	// registered by anyone (Result.Produced).
	ProducedSerials int
}

// Result says what Seed did.
type Result struct {
	// Seeded is false when the store already had data and was left alone.
	Seeded   bool
	Counts   Counts
	Duration time.Duration
	// Batch is the faulty batch the repairs tell of (zero when there
	// were too few repairs for one).
	Batch FaultBatch
	// Produced are serial numbers the maker produced that nobody has
	// registered: a demo customer can register one in the portal.
	Produced []ProducedSerial
}

// FaultBatch is the demo's faulty batch: the repairs of one product
// model opened in one week (from Monday, in the store's time zone) all
// record one fault code, which the model's other repairs never do.
type FaultBatch struct {
	SKU, Code string
	Week      string // YYYY-MM-DD, the Monday
}

// gen holds the data being generated.
type gen struct {
	rnd *rand.Rand
	now time.Time
	loc *time.Location
	// batchProduct is the model of the faulty batch (faultBatch), batch
	// the batch as the result tells it.
	batchProduct int64
	batch        FaultBatch

	staff           staff
	customers       []model.Customer
	custCity        []int
	products        []model.Product
	policies        []model.WarrantyPolicy
	categories      []model.Category
	catID           map[string]int64
	units           []model.Unit
	unitsByProduct  [][]int
	unitsByCustomer [][]int

	nextMsgID, nextEventID int64
	counters               map[int]int64

	// The service network (network.go), drawn from netRnd so that the
	// requests stay as they were before it existed.
	netRnd         *rand.Rand
	centres        []model.ServiceCentre
	centreManagers []int // users index per centre
	parts          []model.Part
	partCategory   []string // per part
	stock          []model.StockLevel
	moves          []model.StockMovement
	plans          []model.WarrantyPlan
	sales          []model.UnitPlan
	appts          []model.Appointment
	booked         map[string]int           // appointments per centre and day
	techBusy       map[int64][][2]time.Time // each technician's booked windows
	// played keeps what the feedback of each request needs (feedback.go).
	played []fbRequest
}

// Seed fills st with demo data if it holds none (see store.HasData);
// otherwise it returns a Result with Seeded false and changes nothing.
func Seed(ctx context.Context, st *store.Store, opts Options) (*Result, error) {
	start := time.Now()
	has, err := st.HasData(ctx)
	if err != nil {
		return nil, err
	}
	if has {
		return &Result{}, nil
	}
	hash := opts.PasswordHash
	if hash == "" {
		if hash, err = auth.HashPassword(Password); err != nil {
			return nil, err
		}
	}
	scale := opts.Scale
	if scale <= 0 {
		scale = 1
	}
	seed := opts.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	nCust, nUnits, nReq := scaled(Customers, scale), scaled(Units, scale), scaled(Requests, scale)
	g := &gen{rnd: newRand(seed), now: st.Now().Truncate(time.Second),
		loc: st.Location(), nextMsgID: 1, nextEventID: 1, counters: map[int]int64{},
		netRnd: newRand(seed ^ 0x6e6574776f726b), booked: map[string]int{}, techBusy: map[int64][][2]time.Time{}}
	g.makeStaff(hash)
	g.addOverseasTeam()
	g.makeProducts()
	g.makeCategories()
	g.makeCustomers(nCust, hash)
	g.makeUnits(nUnits)
	g.makeCentres()
	g.attachCentreStaff(hash)
	g.makeParts(g.netRnd)
	g.makeStock(g.netRnd)
	g.makePlans(g.netRnd)

	total, done := nCust+nUnits+nReq, 0
	progress := func(n int) {
		done += n
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	progress(0)
	res := &Result{Seeded: true}
	c := &res.Counts
	var cn, us int64
	steps := []func() error{
		func() error {
			var err error
			cn, us, err = makeCalendars(ctx, st, g.now)
			c.Calendars = 2
			g.setTeamCalendars(cn, us)
			return err
		},
		func() error { c.Teams = len(g.staff.teams); return st.InsertTeams(ctx, g.staff.teams) },
		func() error { c.Centres = len(g.centres); return st.InsertCentres(ctx, g.centres) },
		func() error { c.Users = len(g.staff.users); return st.InsertUsers(ctx, g.staff.users) },
		func() error { c.Products = len(g.products); return st.InsertProducts(ctx, g.products, g.policies) },
		func() error { c.Categories = len(g.categories); return st.InsertCategories(ctx, g.categories) },
		func() error { c.Customers = len(g.customers); return st.InsertCustomers(ctx, g.customers) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	progress(nCust)
	if err := st.InsertUnits(ctx, g.units); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c.Units = len(g.units)
	if res.Produced, err = g.seedProduced(ctx, st); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c.ProducedSerials = len(res.Produced)
	progress(nUnits)

	if err := st.BeginBulkLoad(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	specs := g.planRequests(nReq)
	var recent []recentRequest
	var repairReqs, returnReqs []model.Request
	for from := 0; from < len(specs); from += requestsPerTx {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		to := min(from+requestsPerTx, len(specs))
		reqs, msgs, evs := g.playRange(specs, from, to)
		if err := st.InsertRequests(ctx, reqs, msgs, evs); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		g.collectFeedback(specs[from:to], reqs, evs)
		c.Requests += len(reqs)
		c.Messages += len(msgs)
		c.Events += len(evs)
		for _, r := range reqs {
			switch {
			case r.UnitID == nil || r.Status == model.StatusCancelled:
			case r.Type == model.TypeRepair:
				repairReqs = append(repairReqs, r)
			case r.Type == model.TypeReturn || r.Type == model.TypeExchange:
				returnReqs = append(returnReqs, r)
			}
			if g.now.Sub(r.CreatedAt) < 7*24*time.Hour {
				recent = append(recent, recentRequest{number: r.Number, status: r.Status, created: r.CreatedAt, updated: r.UpdatedAt})
			}
		}
		progress(to - from)
	}
	if err := st.SetRequestCounters(ctx, g.counters); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if opts.EventData != nil {
		hooks, history := g.webhookHistory(recent)
		if err := st.SeedWebhooks(ctx, hooks, history, opts.EventData); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		c.Webhooks, c.Deliveries = len(hooks), len(history)
	}
	if opts.Mail != nil {
		if c.OutboundMail, err = seedMail(ctx, st, opts.Mail); err != nil {
			return nil, err
		}
	}
	network := []func() error{
		func() error { c.Parts = len(g.parts); return st.InsertParts(ctx, g.parts) },
		func() error { c.StockMoves = len(g.moves); return st.InsertStock(ctx, g.stock, g.moves) },
		func() error { c.PlanSales = len(g.sales); return st.InsertUnitPlans(ctx, g.plans, g.sales) },
		func() error { c.Appointments = len(g.appts); return st.InsertAppointments(ctx, g.appts) },
		func() error {
			// The last year's repair requests (at most 600) get repair orders.
			var recentRepairs []model.Request
			for _, r := range repairReqs {
				if g.now.Sub(r.CreatedAt) < 365*24*time.Hour {
					recentRepairs = append(recentRepairs, r)
				}
			}
			recentRepairs = recentRepairs[max(0, len(recentRepairs)-600):]
			rs := g.makeRepairs(newRand(seed^0x726570616972), recentRepairs, returnReqs)
			c.Repairs, c.Returns = len(rs.Repairs), len(rs.Returns)
			return st.SeedRepairs(ctx, rs)
		},
	}
	for _, step := range network {
		if err := step(); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if err := st.EnsureSurveyTemplate(ctx, survey.DefaultTemplate()); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	fb := g.makeFeedback(seed)
	if err := st.InsertFeedback(ctx, fb); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c.Invitations, c.Responses, c.Followups = len(fb.Invitations), len(fb.Responses), len(fb.Followups)
	c.Complaints, c.Compensations = len(fb.Complaints), len(fb.Compensations)
	var overseas int64
	for _, t := range g.staff.teams {
		if t.Name == overseasTeam {
			overseas = t.ID
		}
	}
	// A larger seed rebuilds the clocks of a proportionally shorter
	// history (about the default's number of recent requests, plus the
	// open ones): rebuilding is one request at a time.
	slaDays := slaHistoryDays
	if scale > 1 {
		slaDays = max(1, int(slaHistoryDays/scale))
		// The rebuild reads each request back: plan it on the filled tables.
		if err := st.RefreshStatistics(ctx); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if c.Tiers, c.SLAPolicies, c.SLAClocks, err = seedSLA(ctx, st, cn, us, overseas, slaDays); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c.Calendars++ // the premium hotline's
	ids, err := SeedArticles(ctx, st)
	if err != nil {
		return nil, err
	}
	c.Articles = 2 * len(ids)
	if c.Searches, c.Visits, err = g.seedKBActivity(ctx, st, ids); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if c.Macros, err = g.seedMacros(ctx, st); err != nil {
		return nil, err
	}
	// Last, so that no rule touches the seeded history.
	if c.Rules, c.SkilledStaff, c.DeviceEvents, c.ProactiveRequests, err = g.seedAutomation(ctx, st, seed); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := st.EndBulkLoad(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	res.Duration, res.Batch = time.Since(start), g.batch
	return res, nil
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

func scaled(n int, scale float64) int { return max(1, int(float64(n)*scale+0.5)) }
