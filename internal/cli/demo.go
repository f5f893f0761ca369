package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/demo"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	return demoCommand(ctx, env, "demo", args)
}

// runSeed is "demo --no-serve": it fills the store and exits.
func runSeed(ctx context.Context, env Env, args []string) error {
	return demoCommand(ctx, env, "seed", args)
}

// maxSeedRequests bounds --requests (a million is the measured size).
const maxSeedRequests = 10_000_000

func demoCommand(ctx context.Context, env Env, name string, args []string) error {
	synopsis := "demo [flags]\n\n" +
		"Serves Aftercare like serve (embedded SQLite in --data-dir unless --database-url is set) and fills an\n" +
		"empty store with demo data: 6 service centres and their staff, 40 product models, 3,000 customers,\n" +
		"4,000 units and 12,000 service requests over the last year, and three paused webhooks with a week of\n" +
		"deliveries. /healthz answers 503 until the data is in. With --no-serve it exits once the data is in.\n" +
		"A store that already has data is not seeded again. Every demo account's password is " + demo.Password + "."
	if name == "seed" {
		synopsis = "seed --requests N [flags]\n\n" +
			"Fills an empty store (embedded SQLite in --data-dir unless --database-url is set) with the demo data\n" +
			"scaled to N service requests (about 5 messages and 12 events each, with their customers, units,\n" +
			"repairs and survey answers), printing progress, and exits: demo --no-serve --requests N.\n" +
			"On PostgreSQL the rows go in with COPY. A store that already has data is not seeded again."
	}
	fs := newFlagSet(env, name, synopsis)
	cfg := configFlags(fs, env)
	scale := fs.Float64("scale", 1, "multiply the numbers of customers, units and requests (e.g. 0.1 for a quick look)")
	requests := fs.Int("requests", 0, "seed this many service requests (customers and units in proportion); overrides --scale")
	noServe := fs.Bool("no-serve", name == "seed", "exit once the data is in instead of serving")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *requests != 0 {
		if *requests < 1 || *requests > maxSeedRequests {
			return fmt.Errorf("--requests %d: want a number in [1, %d]", *requests, maxSeedRequests)
		}
		*scale = float64(*requests) / demo.Requests
	} else if *scale <= 0 || *scale > 10 {
		return fmt.Errorf("--scale %v: want a number in (0, 10]", *scale)
	}
	if *noServe {
		cfg.Listen = "127.0.0.1:0" // nothing is served: take no one's port
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	m := app.New(*cfg, newLogger(env, cfg))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	if *noServe {
		// A seed that only seeds is a batch job whose retained data grows
		// with every batch: at the default GOGC a million-request seed spent
		// most of its CPU in the collector (110–145 requests/s at 90,000
		// requests, against 260/s with 400 under a similar load). It may
		// take the memory instead, unless GOGC says otherwise.
		if env.Getenv("GOGC") == "" {
			defer debug.SetGCPercent(debug.SetGCPercent(400))
		}
		errc <- nil
		fmt.Fprintf(env.Stderr, "Seeding the demo data (store: %s).\n", m.Store.Dialect())
	} else {
		go func() { errc <- m.Run(ctx) }()
		fmt.Fprintf(env.Stderr, "Aftercare is starting at %s (store: %s); /healthz answers once the demo data is in.\n",
			m.URL(), m.Store.Dialect())
	}

	var bar *progressbar.ProgressBar
	res, err := demo.Seed(ctx, m.Store, demo.Options{Scale: *scale, EventData: api.EventJSON, Mail: m.Inbound, Progress: func(done, total int) {
		if bar == nil {
			bar = newBar(env.Stderr, total)
		}
		_ = bar.Set(done)
		if env.seedProgress != nil {
			env.seedProgress(done, total)
		}
	}})
	if bar != nil {
		if err == nil {
			_ = bar.Finish()
		}
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		cancel()
		runErr := ignoreCanceled(<-errc)
		if parent.Err() != nil {
			fmt.Fprintln(env.Stderr, "demo: interrupted while seeding. The store now holds part of the demo data and "+
				"will not be seeded again; remove the data directory (or drop the PostgreSQL database) to start afresh.")
			return runErr
		}
		return errors.Join(fmt.Errorf("demo: %w", err), runErr)
	}
	m.SetReady(true)
	debug.FreeOSMemory() // the seed's working set is garbage now
	if res.Seeded {
		c := res.Counts
		fmt.Fprintf(env.Stdout, "Demo data seeded in %v: %d teams, %d staff, %d products, %d customers, %d units, %d requests (%d messages, %d events).\n",
			res.Duration.Round(10*time.Millisecond), c.Teams, c.Users, c.Products, c.Customers, c.Units, c.Requests, c.Messages, c.Events)
		fmt.Fprintf(env.Stdout, "Service network: %d centres, %d parts, %d stock movements, %d appointments, %d extended-warranty plans sold.\n",
			c.Centres, c.Parts, c.StockMoves, c.Appointments, c.PlanSales)
		fmt.Fprintf(env.Stdout, "Repairs and returns: %d repair orders, %d returns and exchanges.\n", c.Repairs, c.Returns)
		fmt.Fprintf(env.Stdout, "Feedback: %d survey invitations, %d responses, %d follow-up calls, %d complaints, %d compensations.\n",
			c.Invitations, c.Responses, c.Followups, c.Complaints, c.Compensations)
		fmt.Fprintf(env.Stdout, "Service levels: %d customer tiers, %d SLA policies, clocks on %d requests.\n",
			c.Tiers, c.SLAPolicies, c.SLAClocks)
		fmt.Fprintf(env.Stdout, "Automation: %d rules, skills for %d staff, %d device events (%d proactive repair request).\n",
			c.Rules, c.SkilledStaff, c.DeviceEvents, c.ProactiveRequests)
		fmt.Fprintf(env.Stdout, "Knowledge base: %d articles (zh-CN and en), %d logged searches, %d visits to the new-request form that opened an article.\n",
			c.Articles, c.Searches, c.Visits)
		if len(res.Produced) > 0 {
			p := res.Produced[0]
			fmt.Fprintf(env.Stdout, "Product registration: %d serial numbers are produced but registered to nobody; try %s (%s) at /portal/products/register.\n",
				c.ProducedSerials, p.Serial, p.Name)
		}
	} else {
		fmt.Fprintln(env.Stdout, "The store already has data; it was not seeded again. If it was seeded by demo, these logins work:")
	}
	if *noServe {
		printDemoLogins(env.Stdout, m, false)
		return nil
	}
	printDemoLogins(env.Stdout, m, true)
	return ignoreCanceled(<-errc)
}

// newBar returns the seeding progress bar on w (stderr).
func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("demo data"),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionShowIts(),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(false),
	)
}

func printDemoLogins(w io.Writer, m *app.Main, serving bool) {
	if serving {
		fmt.Fprintf(w, "\nAftercare demo is running at %s (store: %s). Press Ctrl-C to stop.\n\n", m.URL(), m.Store.Dialect())
	} else {
		fmt.Fprintf(w, "\nRun \"aftercare serve\" with the same store flags to use it.\n\n")
	}
	fmt.Fprintf(w, "Sign in with password %q:\n", demo.Password)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	for _, l := range demo.Logins() {
		where := m.URL() + "/login"
		if l.Where == "portal" {
			where = m.URL() + "/portal/login"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Role, l.Email, where, l.Name)
	}
	tw.Flush()
}

// ignoreCanceled maps the end of a run by Ctrl-C to success.
func ignoreCanceled(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
