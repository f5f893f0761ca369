package sentiment

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// Summary condenses the leave-one-domain-out scores of one language.
type Summary struct {
	Lang        string  `json:"lang"`
	Folds       int     `json:"folds"`
	Mean        float64 `json:"mean"`         // mean accuracy of the model over the folds
	Worst       float64 `json:"worst"`        // lowest accuracy of the model
	WorstDomain string  `json:"worst_domain"` // the held-out domain of that fold
	// AdaptedMean, AdaptedWorst and AdaptedWorstDom are the same with
	// each held-out domain scored as one adapted batch.
	AdaptedMean     float64 `json:"adapted_mean"`
	AdaptedWorst    float64 `json:"adapted_worst"`
	AdaptedWorstDom string  `json:"adapted_worst_domain"`
	MeanNB          float64 `json:"naive_bayes_mean,omitempty"`
	WorstNB         float64 `json:"naive_bayes_worst,omitempty"`
	WorstNBDom      string  `json:"naive_bayes_worst_domain,omitempty"`
}

// String formats the summary as one report line.
func (s Summary) String() string {
	out := fmt.Sprintf("%s: %d domains left out, mean %.4f, worst %.4f (%s); adapted mean %.4f, worst %.4f (%s)",
		s.Lang, s.Folds, s.Mean, s.Worst, s.WorstDomain, s.AdaptedMean, s.AdaptedWorst, s.AdaptedWorstDom)
	if s.MeanNB > 0 {
		out += fmt.Sprintf("   naive Bayes mean %.4f, worst %.4f (%s)", s.MeanNB, s.WorstNB, s.WorstNBDom)
	}
	return out
}

// CrossReport holds the leave-one-domain-out figures.
type CrossReport struct {
	Folds   []Score   `json:"folds"`
	Summary []Summary `json:"summary"`
}

// CrossDomain measures how the model carries over to review domains it
// was not trained on, which is what matters for comments on after-sales
// service: leave one whole domain out, train on the rest of the
// language's data, test on the domain left out. The Chinese domains are
// the nine shopping categories and waimai; the English ones amazon and
// imdb (each trained on the other). Naive Bayes is scored on the same
// folds when opts.Baseline is set.
func CrossDomain(ctx context.Context, dataDir string, opts Options) (CrossReport, error) {
	opts = opts.withDefaults()
	var rep CrossReport
	zh, err := LoadChinese(dataDir)
	if err != nil {
		return rep, err
	}
	en, err := LoadEnglish(dataDir)
	if err != nil {
		return rep, err
	}
	zh, en = sample(zh, opts.Sample), sample(en, opts.Sample)
	lx := newLexicons()
	for _, c := range []struct {
		l   lang
		exs []Example
	}{{langZh, zh}, {langEn, en}} {
		var folds []Score
		for _, dom := range domains(c.exs) {
			var train, test []Example
			for _, ex := range c.exs {
				if ex.Domain == dom {
					test = append(test, ex)
				} else {
					train = append(train, ex)
				}
			}
			if len(train) == 0 || len(test) == 0 {
				continue
			}
			lin, rates, err := fitRates(ctx, lx, c.l, train, opts, "all but "+dom)
			if err != nil {
				return rep, err
			}
			m := foldModel(c.l, lin, rates)
			if opts.foldDir != "" {
				if err := saveFold(opts.foldDir, c.l, dom, m); err != nil {
					return rep, err
				}
			}
			s := Score{Train: langName(c.l) + " all but " + dom, Test: dom, N: len(test)}
			s.Accuracy, s.Adapted = batchAccuracy(m, test)
			if opts.Baseline {
				s.Baseline = trainNB(c.l, train).accuracy(test)
			}
			fmt.Fprintln(opts.Progress, s)
			folds = append(folds, s)
		}
		rep.Folds = append(rep.Folds, folds...)
		if len(folds) > 0 {
			rep.Summary = append(rep.Summary, summarize(langName(c.l), folds))
		}
	}
	return rep, nil
}

// domains lists the domains of exs in order of first appearance.
func domains(exs []Example) []string {
	var out []string
	seen := map[string]bool{}
	for _, ex := range exs {
		if !seen[ex.Domain] {
			seen[ex.Domain] = true
			out = append(out, ex.Domain)
		}
	}
	return out
}

func summarize(lang string, folds []Score) Summary {
	s := Summary{Lang: lang, Folds: len(folds), Worst: math.Inf(1), WorstNB: math.Inf(1), AdaptedWorst: math.Inf(1)}
	for _, f := range folds {
		s.Mean += f.Accuracy / float64(len(folds))
		s.AdaptedMean += f.Adapted / float64(len(folds))
		if f.Adapted < s.AdaptedWorst {
			s.AdaptedWorst, s.AdaptedWorstDom = f.Adapted, f.Test
		}
		s.MeanNB += f.Baseline / float64(len(folds))
		if f.Accuracy < s.Worst {
			s.Worst, s.WorstDomain = f.Accuracy, f.Test
		}
		if f.Baseline < s.WorstNB {
			s.WorstNB, s.WorstNBDom = f.Baseline, f.Test
		}
	}
	if s.MeanNB == 0 {
		s.WorstNB, s.WorstNBDom = 0, ""
	}
	return s
}

// foldModel is the model of one fold as it would ship: quantised weights
// and lexicon rates; the other language gets an empty model.
func foldModel(l lang, lin *linear, rates lexRates) *Model {
	m := newModel()
	*m.lang(l) = quantize(lin.bits, lin.pow, lin.w, lin.dense, lin.bias)
	m.lang(l).rates = rates
	other := langEn
	if l == langEn {
		other = langZh
	}
	*m.lang(other) = langModel{bits: 8, pow: 0.5, w: make([]int16, 256), a: 1, scale: 1}
	return m
}

// batchAccuracy scores exs as one batch, unadapted and adapted.
func batchAccuracy(m *Model, exs []Example) (plain, adapted float64) {
	texts := make([]string, len(exs))
	for i, ex := range exs {
		texts[i] = ex.Text
	}
	for k, adapt := range []bool{false, true} {
		b := m.ScoreBatch(texts, adapt)
		ok := 0
		for i, ex := range exs {
			if (b.Score(i) >= 0.5) == (ex.Label == 1) {
				ok++
			}
		}
		acc := float64(ok) / float64(max(1, len(exs)))
		if k == 0 {
			plain = acc
		} else {
			adapted = acc
		}
	}
	return plain, adapted
}

// saveFold writes the model of one fold to dir, for experiments that
// reuse the fold models without retraining them.
func saveFold(dir string, l lang, dom string, m *Model) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, langName(l)+"-"+dom+".bin"))
	if err != nil {
		return err
	}
	if _, err := m.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
