// Package analyze is the command-line analysis toolkit behind
// "aftercare analyze <method>": it reads survey exports (CSV or TSV, UTF-8
// or GBK), hands complete cases to the evaluate and sentiment packages and
// prints a table, JSON or a self-contained HTML report. The methods and
// their worked examples are in shared/evaluation.md; docs/analyze.md
// documents the commands.
package analyze

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// ErrUsage is returned after a usage message has been printed, so that the
// caller can exit with status 2 instead of reporting an error.
var ErrUsage = errors.New("analyze: usage")

// cmdIO is what one method run sees of the process.
type cmdIO struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// method is one analysis method.
type method struct {
	name    string
	summary string
	run     func(c *cmdIO, args []string) error
}

func methods() []method {
	return []method{
		{"drivers", "key-driver analysis: r, β, relative weights, Shapley/LMG, IPA quadrants", runDrivers},
		{"entropy", "entropy weights (熵权法) and composite scores of alternatives", runEntropy},
		{"ahp", "AHP (层次分析法) weights and consistency of a pairwise matrix", runAHP},
		{"fuzzy", "fuzzy comprehensive evaluation (模糊综合评价)", runFuzzy},
		{"kano", "Kano categories, Better and Worse per attribute", runKano},
		{"csat", "CSAT (share of 4–5 on 1–5) with a Wilson interval", runCSAT},
		{"nps", "Net Promoter Score (0–10) with an interval", runNPS},
		{"ces", "Customer Effort Score (1–7): mean and % agree with intervals", runCES},
		{"sentiment", "sentiment and aspects of comments, one prediction per text", runSentiment},
		{"report", "self-contained HTML report (tables and SVG charts) from a JSON config", runReport},
	}
}

// Run runs "aftercare analyze <method> [flags]"; args start with the
// method name. It returns flag.ErrHelp after --help, ErrUsage after a
// usage message, and any other error for the caller to print.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := &cmdIO{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return ErrUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stderr)
		return flag.ErrHelp
	}
	for _, m := range methods() {
		if m.name == args[0] {
			return m.run(c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "aftercare analyze: unknown method %q\n\n", args[0])
	usage(stderr)
	return ErrUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: aftercare analyze <method> [flags]\n\nMethods:\n")
	for _, m := range methods() {
		fmt.Fprintf(&b, "  %-9s %s\n", m.name, m.summary)
	}
	b.WriteString("\nRun \"aftercare analyze <method> --help\" for the flags of a method.\n")
	io.WriteString(w, b.String())
}

// newFlags returns a flag set whose usage shows synopsis and about.
func (c *cmdIO) newFlags(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("analyze "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: aftercare analyze %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(about))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, mapping misuse to ErrUsage; positional arguments are
// misuse too.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return ErrUsage
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// usageError prints a message and the usage of fs and returns ErrUsage.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "aftercare %s: %s\n\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return ErrUsage
}

// require returns a usage error naming the first empty required flag.
func require(fs *flag.FlagSet, flags ...string) error {
	for _, name := range flags {
		if f := fs.Lookup(name); f != nil && strings.TrimSpace(f.Value.String()) == "" {
			return usageError(fs, "--%s is required", name)
		}
	}
	return nil
}

// inputFlags are the flags shared by the methods that read a data file.
type inputFlags struct {
	path     string
	encoding string
	json     bool
}

func (in *inputFlags) register(fs *flag.FlagSet, fileFlag string) {
	fs.StringVar(&in.path, fileFlag, "", "input `file`: CSV, or TSV when the header line contains a tab; UTF-8 with or without BOM; \"-\" reads stdin")
	fs.StringVar(&in.encoding, "encoding", "utf-8", "input encoding: utf-8 or gbk")
	fs.BoolVar(&in.json, "json", false, "print JSON instead of a table")
}

// load reads the input file, keeping the columns keep selects (nil:
// all).
func (in *inputFlags) load(c *cmdIO, keep columnSelector) (*dataset, error) {
	return loadDataset(in.path, in.encoding, c.stdin, keep)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// prefixed wraps err from the evaluate package with the method name
// unless its message already starts with it.
func prefixed(method string, err error) error {
	if strings.HasPrefix(err.Error(), method+":") {
		return err
	}
	return fmt.Errorf("%s: %w", method, err)
}

// droppedLine is the table output's note on incomplete rows.
func droppedLine(n, dropped int) string {
	return fmt.Sprintf("n = %d complete rows (dropped %d with missing values)", n, dropped)
}
