package sentiment

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// Options configures Train. Zero fields take the defaults noted.
type Options struct {
	// Sample, when positive, trains on a random subset of at most this
	// many rows per language (fixed seed), for quick runs and tests.
	Sample int
	// Epochs of SGD; default 8.
	Epochs int
	// ZhBits and EnBits are the log2 of the number of hash buckets;
	// defaults 20 and 18.
	ZhBits, EnBits int
	// ZhLambda and EnLambda are the L2 penalties; defaults 2e-5 and 1e-4.
	ZhLambda, EnLambda float64
	// ZhPow and EnPow are the length exponents: the n-gram sum of a text
	// with n features is divided by n^pow; defaults 0.3 and 0.5.
	ZhPow, EnPow float64
	// HeldOutOnly skips the final fit on all data: the returned model is
	// the one trained on the training split.
	HeldOutOnly bool
	// Baseline also trains naive Bayes on each split for comparison.
	Baseline bool
	// Progress receives a line per phase and epoch; nil discards them.
	Progress io.Writer

	// foldDir, when set, is where CrossDomain saves each fold's model
	// (experiments in this package's tests).
	foldDir string
}

func (o Options) withDefaults() Options {
	if o.Epochs <= 0 {
		o.Epochs = 8
	}
	if o.ZhBits <= 0 {
		o.ZhBits = 20
	}
	if o.EnBits <= 0 {
		o.EnBits = 18
	}
	if o.ZhLambda <= 0 {
		o.ZhLambda = 2e-5
	}
	if o.EnLambda <= 0 {
		o.EnLambda = 1e-4
	}
	if o.ZhPow <= 0 {
		o.ZhPow = 0.3
	}
	if o.EnPow <= 0 {
		o.EnPow = 0.5
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return o
}

func (o Options) config(l lang) trainConfig {
	if l == langZh {
		return trainConfig{bits: uint8(o.ZhBits), epochs: o.Epochs, lambda: o.ZhLambda, lr0: 0.5, seed: 1, pow: float32(o.ZhPow)}
	}
	return trainConfig{bits: uint8(o.EnBits), epochs: o.Epochs, lambda: o.EnLambda, lr0: 0.5, seed: 1, pow: float32(o.EnPow)}
}

// Score is the accuracy of a model trained on one set of examples and
// tested on another.
type Score struct {
	Train    string  `json:"train"`
	Test     string  `json:"test"`
	N        int     `json:"n"`                     // test examples
	Accuracy float64 `json:"accuracy"`              // this package's model
	Adapted  float64 `json:"adapted,omitempty"`     // the model with batch adaptation, when measured
	Baseline float64 `json:"naive_bayes,omitempty"` // naive Bayes on the same split, when asked for
}

// String formats the score as one aligned report line.
func (s Score) String() string {
	out := fmt.Sprintf("%-28s → %-10s n=%-6d accuracy %.4f", s.Train, s.Test, s.N, s.Accuracy)
	if s.Adapted > 0 {
		out += fmt.Sprintf("   adapted %.4f", s.Adapted)
	}
	if s.Baseline > 0 {
		out += fmt.Sprintf("   naive Bayes %.4f", s.Baseline)
	}
	return out
}

// Report holds the figures of a training run.
type Report struct {
	// HeldOut scores the model trained on the training split (row index
	// % 5 ≠ 0) of all data sets of a language on each set's test split.
	HeldOut []Score `json:"held_out"`
	// InSample scores the final model on all its training data: a sanity
	// check, not an estimate of accuracy.
	InSample []Score `json:"in_sample,omitempty"`
}

// Train trains the Chinese model on the shopping and waimai sets and the
// English one on the amazon and imdb sets found in dataDir. It first fits
// on the training split to measure held-out accuracy and to calibrate the
// score (Platt scaling of the held-out margins, slope only), then refits on all rows
// unless opts.HeldOutOnly.
func Train(ctx context.Context, dataDir string, opts Options) (*Model, Report, error) {
	opts = opts.withDefaults()
	var rep Report
	m := newModel()
	for _, l := range []lang{langZh, langEn} {
		var exs []Example
		var err error
		if l == langZh {
			exs, err = LoadChinese(dataDir)
		} else {
			exs, err = LoadEnglish(dataDir)
		}
		if err != nil {
			return nil, rep, err
		}
		exs = sample(exs, opts.Sample)
		lm, held, ins, err := trainLang(ctx, m.lx, l, exs, opts)
		if err != nil {
			return nil, rep, err
		}
		*m.lang(l) = lm
		rep.HeldOut = append(rep.HeldOut, held...)
		rep.InSample = append(rep.InSample, ins...)
	}
	return m, rep, nil
}

func langName(l lang) string {
	if l == langZh {
		return "zh"
	}
	return "en"
}

// sample returns a random subset of at most n examples (all when n ≤ 0),
// in their original order.
func sample(exs []Example, n int) []Example {
	if n <= 0 || n >= len(exs) {
		return exs
	}
	rng := rand.New(rand.NewPCG(42, 7))
	keep := make([]bool, len(exs))
	for _, i := range rng.Perm(len(exs))[:n] {
		keep[i] = true
	}
	out := make([]Example, 0, n)
	for i, ex := range exs {
		if keep[i] {
			out = append(out, ex)
		}
	}
	return out
}

func split(exs []Example) (train, test []Example) {
	for _, ex := range exs {
		if ex.IsTest() {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	return train, test
}

func bySet(exs []Example) ([]string, map[string][]Example) {
	var names []string
	m := map[string][]Example{}
	for _, ex := range exs {
		if _, ok := m[ex.Set]; !ok {
			names = append(names, ex.Set)
		}
		m[ex.Set] = append(m[ex.Set], ex)
	}
	return names, m
}

// fit featurises exs and trains a linear model on them.
func fit(ctx context.Context, lx *lexicons, l lang, exs []Example, opts Options, phase string) (*linear, error) {
	lin, _, err := fitRates(ctx, lx, l, exs, opts, phase)
	return lin, err
}

// fitRates is fit that also measures the lexicon rates of exs.
func fitRates(ctx context.Context, lx *lexicons, l lang, exs []Example, opts Options, phase string) (*linear, lexRates, error) {
	cfg := opts.config(l)
	start := time.Now()
	ds := featurize(lx, l, exs, uint32(1)<<cfg.bits-1)
	fmt.Fprintf(opts.Progress, "%s %s: featurised %d texts (%d features) in %v\n",
		langName(l), phase, ds.len(), len(ds.feats), time.Since(start).Round(time.Millisecond))
	lin, err := trainLinear(ctx, ds, cfg, func(epoch int, loss float64) {
		fmt.Fprintf(opts.Progress, "%s %s: epoch %d/%d log loss %.4f\n", langName(l), phase, epoch, cfg.epochs, loss)
	})
	return lin, measureRates(ds), err
}

// accuracy scores lin on exs and returns the accuracy and the margins.
func accuracy(lx *lexicons, l lang, lin *linear, exs []Example) (float64, []float64) {
	ds := featurize(lx, l, exs, uint32(1)<<lin.bits-1)
	z := make([]float64, ds.len())
	ok := 0
	for i := range z {
		z[i] = lin.margin(ds, i)
		if (z[i] >= 0) == (ds.y[i] > 0.5) {
			ok++
		}
	}
	return float64(ok) / float64(max(1, len(z))), z
}

func trainLang(ctx context.Context, lx *lexicons, l lang, exs []Example, opts Options) (langModel, []Score, []Score, error) {
	train, test := split(exs)
	lin, err := fit(ctx, lx, l, train, opts, "train split")
	if err != nil {
		return langModel{}, nil, nil, err
	}
	var held []Score
	names, sets := bySet(test)
	var nb *naiveBayes
	if opts.Baseline {
		nb = trainNB(l, train)
	}
	heldModel := foldModel(l, lin, measureRates(featurize(lx, l, train, lin.mask())))
	for _, name := range names {
		acc, _ := accuracy(lx, l, lin, sets[name])
		s := Score{Train: langName(l) + " train split", Test: name, N: len(sets[name]), Accuracy: acc}
		_, s.Adapted = batchAccuracy(heldModel, sets[name])
		if nb != nil {
			s.Baseline = nb.accuracy(sets[name])
		}
		fmt.Fprintln(opts.Progress, s)
		held = append(held, s)
	}
	_, z := accuracy(lx, l, lin, test)
	y := make([]float64, len(test))
	for i, ex := range test {
		y[i] = float64(ex.Label)
	}
	a, b := fitPlattSlope(z, y), 0.0
	fmt.Fprintf(opts.Progress, "%s: Platt scaling slope a=%.3f (intercept held at 0)\n", langName(l), a)
	rates := heldModel.lang(l).rates
	if !opts.HeldOutOnly {
		if lin, rates, err = fitRates(ctx, lx, l, exs, opts, "all data"); err != nil {
			return langModel{}, nil, nil, err
		}
	}
	lm := quantize(lin.bits, lin.pow, lin.w, lin.dense, lin.bias)
	lm.a, lm.b, lm.rates = float32(a), float32(b), rates
	fmt.Fprintf(opts.Progress, "%s: lexicon rates %+v\n", langName(l), rates)
	var ins []Score
	if !opts.HeldOutOnly {
		names, sets := bySet(exs)
		var sc scratch
		for _, name := range names {
			ok := 0
			for _, ex := range sets[name] {
				d := sc.extract(lx, l, ex.Text, lm.mask())
				if (lm.margin(sc.feats, d) >= 0) == (ex.Label == 1) {
					ok++
				}
			}
			s := Score{Train: langName(l) + " all data", Test: name, N: len(sets[name]), Accuracy: float64(ok) / float64(len(sets[name]))}
			fmt.Fprintln(opts.Progress, s, "(in-sample)")
			ins = append(ins, s)
		}
	}
	return lm, held, ins, nil
}
