package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aftercare/aftercare/internal/loadgen"
)

func runLoadgen(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "loadgen", "loadgen --token T [--url U] [--op create|list|get|filter|search] [--count N] [--concurrency C] [--timeout D]\n\n"+
		"Drives a running Aftercare server through the JSON API and prints one JSON line:\n"+
		`{"op":…,"count":…,"errors":…,"rps":…,"p50_ms":…,"p90_ms":…,"p99_ms":…}`+"\n"+
		"Only loopback targets (127.0.0.0/8, ::1, localhost) are accepted. Before the timed phase it creates,\n"+
		"through the API, the customer, product and unit it needs (and, for get, requests to open if there are\n"+
		"few), so it works against an empty store. Non-2xx answers count as errors; the first one is printed\n"+
		"to stderr. The token needs a staff user that may create customers and products (admin or manager).\n"+
		"Like every command it accepts the configuration flags; without --url it targets http://<--listen>.")
	cfg := configFlags(fs, env)
	url := fs.String("url", "", "base URL of the running server, loopback only (default http://<--listen>, i.e. http://127.0.0.1:8080)")
	token := fs.String("token", env.Getenv("AFTERCARE_TOKEN"), "API token (AFTERCARE_TOKEN); see \"aftercare token create\"")
	op := fs.String("op", "list", "operation: create (POST /api/v1/requests), list (first queue page), filter (first page of\n"+
		"filtered queue views in turn), search (a word in Chinese or English, in turn) or get (one request)")
	count := fs.Int("count", 1000, "operations in the timed phase")
	conc := fs.Int("concurrency", 8, "concurrent workers")
	timeout := fs.Duration("timeout", loadgen.DefaultTimeout, "stop after this long, set-up included")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *url == "" {
		*url = "http://" + cfg.Listen
	}
	if *count > 10_000_000 || *conc > 10_000 {
		return fmt.Errorf("loadgen: --count at most 10000000 and --concurrency at most 10000")
	}
	res, err := loadgen.Run(ctx, loadgen.Options{URL: *url, Token: *token, Op: *op, Count: *count,
		Concurrency: *conc, Timeout: *timeout, Stderr: env.Stderr})
	if res != nil {
		line, merr := json.Marshal(res)
		if merr != nil {
			return merr
		}
		fmt.Fprintf(env.Stdout, "%s\n", line)
	}
	return err
}
