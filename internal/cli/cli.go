// Package cli parses aftercare's subcommands and runs them. Each
// subcommand lives in its own file; this file holds the table and the
// dispatch.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Env is the process environment a command runs in, passed explicitly so
// that tests can run commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string

	// seedProgress, if set, is called by demo after each seeding step,
	// on the seeding goroutine, while seeding is still under way: a test
	// hook for what the server answers meanwhile.
	seedProgress func(done, total int)
}

// command is one subcommand. run receives the arguments after the
// subcommand's name (and after the sub-subcommand's name, if any).
type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

// errUsage signals that usage was already printed; exit status 2.
var errUsage = errors.New("usage")

func commands() map[string]command {
	return map[string]command{
		"serve":    {"run the web UI, API and background jobs", runServe},
		"demo":     {"serve with demo data on an embedded SQLite store", runDemo},
		"migrate":  {"apply database migrations and exit", runMigrate},
		"seed":     {"fill an empty store with N demo requests and exit", runSeed},
		"user":     {"manage staff users (user add)", runUser},
		"token":    {"manage API tokens (token create|list|revoke)", runToken},
		"customer": {"customer accounts (customer reset-link)", runCustomer},
		"roles":    {"print who may do what (the role matrix)", runRoles},
		"backup":   {"write a consistent copy of a SQLite store", runBackup},
		"blobs":    {"copy files from the data directory into PostgreSQL (blobs import)", runBlobs},
		"loadgen":  {"drive a running server over HTTP and print latency figures", runLoadgen},
		"analyze":  {"satisfaction and service-quality analysis of CSV data", runAnalyze},
		"train":    {"train models from data sets (train sentiment)", runTrain},
		"version":  {"print the version", runVersion},
	}
}

// Main runs the subcommand named by args[0] and returns the exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := cmds[args[1]]; ok {
				return exitCode(env, c.run(ctx, env, []string{"--help"}))
			}
		}
		usage(env.Stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "aftercare: unknown command %q\n\n", args[0])
		usage(env.Stderr, cmds)
		return 2
	}
	return exitCode(env, c.run(ctx, env, args[1:]))
}

func exitCode(env Env, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(env.Stderr, "aftercare: %v\n", err)
		return 1
	}
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Aftercare — after-sales service platform\n\nUsage: aftercare <command> [flags]\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun \"aftercare <command> --help\" for the flags of a command.\n")
	io.WriteString(w, b.String())
}

// newFlagSet returns a FlagSet that writes its usage to env.Stderr and
// returns errors instead of exiting.
func newFlagSet(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: aftercare %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping a parse error to errUsage (the flag
// package has already printed what was wrong).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
