package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// defaultSentimentModel is where "train sentiment" writes the model,
// relative to the working directory: run from the module root, it
// replaces the file the binary embeds.
const defaultSentimentModel = "internal/text/sentiment/model.bin"

const trainUsage = `Usage: aftercare train <model> [flags]

Models:
  sentiment   comment sentiment (Chinese and English) from the public data sets

Run "aftercare train sentiment --help" for its flags.
`

// runTrain runs "aftercare train sentiment --data DIR".
func runTrain(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stderr, trainUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "sentiment":
		return runTrainSentiment(ctx, env, args[1:])
	default:
		fmt.Fprintf(env.Stderr, "aftercare train: unknown model %q\n\n%s", args[0], trainUsage)
		return errUsage
	}
}

// runTrainSentiment trains the sentiment model, prints its held-out
// accuracy and writes the model file.
func runTrainSentiment(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "train sentiment", "train sentiment --data DIR [--out FILE] [--sample N] [--cross-domain]")
	data := fs.String("data", "", "directory holding the data sets (online_shopping_9_cats.csv.gz, waimai_10k.csv, amazon_cells_labelled.txt, imdb_labelled.txt)")
	out := fs.String("out", defaultSentimentModel, "model file to write (relative to the working directory)")
	sampleN := fs.Int("sample", 0, "train on a random sample of at most N rows per language (0: all)")
	epochs := fs.Int("epochs", 0, "SGD epochs (0: default)")
	cross := fs.Bool("cross-domain", false, "instead of training the shipped model, measure leave-one-domain-out accuracy (each shopping category and waimai; amazon and imdb) with mean and worst domain, against naive Bayes; writes no model")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		fmt.Fprintln(env.Stderr, "aftercare train sentiment: --data is required")
		fs.Usage()
		return errUsage
	}
	opts := sentiment.Options{Sample: *sampleN, Epochs: *epochs, Baseline: true, Progress: env.Stderr}
	if *cross {
		rep, err := sentiment.CrossDomain(ctx, *data, opts)
		if err != nil {
			return fmt.Errorf("train sentiment: %w", err)
		}
		fmt.Fprintln(env.Stdout, "Leave-one-domain-out accuracy (train on all other domains of the language, test on the whole domain left out; model vs naive Bayes):")
		for _, s := range rep.Folds {
			fmt.Fprintln(env.Stdout, " ", s)
		}
		fmt.Fprintln(env.Stdout, "Summary:")
		for _, s := range rep.Summary {
			fmt.Fprintln(env.Stdout, " ", s)
		}
		return nil
	}
	start := time.Now()
	m, rep, err := sentiment.Train(ctx, *data, opts)
	if err != nil {
		return fmt.Errorf("train sentiment: %w", err)
	}
	fmt.Fprintln(env.Stdout, "Held-out accuracy (test split: row index % 5 == 0; model vs naive Bayes):")
	for _, s := range rep.HeldOut {
		fmt.Fprintln(env.Stdout, " ", s)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("train sentiment: %w", err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("train sentiment: %w", err)
	}
	n, err := m.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("train sentiment: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Wrote %s (%d bytes) in %v.\n", *out, n, time.Since(start).Round(time.Second))
	return nil
}
