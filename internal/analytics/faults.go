package analytics

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// SpikeP is the spike rule's tail probability: the one-sided 3σ of a
// normal distribution (Shewhart's limit), applied to the exact Poisson
// tail so that rare codes are judged as fairly as common ones.
const SpikeP = 0.00134989803163

// MinSpikeCount is the fewest repairs with one code in one interval that
// can be a spike: a code new to a model is not a spike on its first or
// second repair.
const MinSpikeCount = 3

// FaultPoint is one interval of a model's fault code: Count repair orders
// opened in it recorded the code; Others is how many repair orders of the
// other models were opened in it (the yardstick of the workload);
// Expected is the model's own baseline for it (see FaultSpikes); UCL the
// smallest count the rule flags; PValue P(X ≥ Count) for X ~
// Poisson(Expected).
type FaultPoint struct {
	Key      string  `json:"key"`
	Others   int     `json:"others" doc:"Repair orders of the other models opened in the interval."`
	Count    int     `json:"count"`
	Expected float64 `json:"expected"`
	UCL      int     `json:"ucl"`
	PValue   float64 `json:"p_value"`
	Spike    bool    `json:"spike"`
}

// FaultSeries is one fault code of one product model over the period.
type FaultSeries struct {
	ProductID int64        `json:"product_id"`
	Product   string       `json:"product"`
	SKU       string       `json:"sku"`
	Code      string       `json:"code"`
	Name      string       `json:"name" doc:"The fault code's name in the caller's language."`
	Total     int          `json:"total" doc:"Repair orders of the model with this code in the period."`
	Repairs   int          `json:"repairs" doc:"Repair orders of the model in the period."`
	Spikes    int          `json:"spikes"`
	Points    []FaultPoint `json:"points"`
}

// FaultSpikes are the fault-code rates of the product models over a
// period, by week or month, with their spikes.
type FaultSpikes struct {
	Interval string  `json:"interval" enum:"week,month"`
	SpikeP   float64 `json:"spike_p"`
	MinCount int     `json:"min_count"`
	Repairs  int     `json:"repairs" doc:"Repair orders opened in the period with a product model."`
	// Series: those with a spike first (most spikes, then the smallest
	// tail probability), then the others by total.
	Series []FaultSeries `json:"series"`
	Spikes int           `json:"spikes"`
}

// FaultSpikes finds the fault codes whose rate on a product model jumped
// in a week or month of period (repair orders by the day they were
// opened, in the store's time zone). For model m, code c and interval i,
// the count x_i of m's repair orders with c is compared with the model's
// own baseline: its rate per repair order of the other models, e_j, over
// the period's other intervals (leave one out, so that a spike does not
// raise its own limit), times the other models' repair orders in i:
//
//	λ_i = e_i · (Σ_{j≠i} x_j + ½) / Σ_{j≠i} e_j
//
// (the half count is Jeffreys' prior for a Poisson rate: a code the model
// never had before has a small expectation rather than none, so three
// chance repairs do not make a spike).
// The rest of the workload is the yardstick, so that a code keeping pace
// with a busier week (or with repair orders that only began mid-period)
// is no spike, while a surge of the model's own repairs — a faulty batch
// — is not hidden in its own exposure. x_i is a spike when x_i ≥
// MinSpikeCount and P(X ≥ x_i) < SpikeP for X ~ Poisson(λ_i): the exact
// tail of a c-chart's 3σ limit with exposure (Montgomery, Introduction to
// Statistical Quality Control, §7.3: the u-chart). Without other repair
// orders to compare with (Σ_{j≠i} e_j = 0) a point cannot be judged and
// is no spike. Codes no repair of the model recorded in the period are
// left out.
func (s *Service) FaultSpikes(ctx context.Context, p model.Principal, period model.Period, interval, lang string) (FaultSpikes, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return FaultSpikes{}, forbidden()
	}
	if interval == "" {
		interval = DefaultInterval(period)
	}
	if interval != "week" && interval != "month" {
		return FaultSpikes{}, model.FieldError("interval", "must be week or month")
	}
	from, to := period.Bounds()
	repairs, err := s.store.RepairFaults(ctx, from, to)
	if err != nil {
		return FaultSpikes{}, err
	}
	codes, err := s.store.FaultCodes(ctx, "")
	if err != nil {
		return FaultSpikes{}, err
	}
	type codeKey struct{ category, code string }
	names := map[codeKey]string{}
	for _, c := range codes {
		name := c.NameZh
		if lang == i18n.En && c.NameEn != "" {
			name = c.NameEn
		}
		names[codeKey{c.Category, c.Code}] = name
	}
	loc := s.Location()
	sp := periodKeys(period, interval, loc)
	at := map[string]int{}
	for i, k := range sp {
		at[k] = i
	}
	type seriesKey struct {
		product int64
		code    string
	}
	out := FaultSpikes{Interval: interval, SpikeP: SpikeP, MinCount: MinSpikeCount, Repairs: len(repairs), Series: []FaultSeries{}}
	byModel := map[int64]int{}
	perModel := map[int64][]int{} // repair orders by model and interval
	all := make([]int, len(sp))   // repair orders by interval
	counts := map[seriesKey][]int{}
	series := map[seriesKey]*FaultSeries{}
	for _, r := range repairs {
		byModel[r.ProductID]++
		i, ok := at[intervalKey(r.OpenedAt, interval, loc)]
		if !ok {
			continue
		}
		if perModel[r.ProductID] == nil {
			perModel[r.ProductID] = make([]int, len(sp))
		}
		perModel[r.ProductID][i]++
		all[i]++
		for _, c := range r.Codes {
			k := seriesKey{r.ProductID, c}
			if series[k] == nil {
				name := names[codeKey{r.Category, c}]
				if name == "" {
					name = c
				}
				series[k] = &FaultSeries{ProductID: r.ProductID, Product: r.Product, SKU: r.SKU, Code: c, Name: name}
				counts[k] = make([]int, len(sp))
			}
			counts[k][i]++
			series[k].Total++
		}
	}
	for k, fs := range series {
		fs.Repairs = byModel[k.product]
		fs.Points = make([]FaultPoint, len(sp))
		others := make([]int, len(sp))
		sumOthers := 0
		for i := range sp {
			others[i] = all[i] - perModel[k.product][i]
			sumOthers += others[i]
		}
		for i, key := range sp {
			n := counts[k][i]
			pt := FaultPoint{Key: key, Others: others[i], Count: n, PValue: 1}
			if rest := sumOthers - others[i]; rest > 0 {
				pt.Expected = float64(others[i]) * (float64(fs.Total-n) + 0.5) / float64(rest)
				pt.UCL, pt.PValue = poissonLimit(pt.Expected), poissonTail(n, pt.Expected)
				pt.Spike = n >= pt.UCL
			}
			if pt.Spike {
				fs.Spikes++
			}
			fs.Points[i] = pt
		}
		out.Spikes += fs.Spikes
		out.Series = append(out.Series, *fs)
	}
	slices.SortFunc(out.Series, func(a, b FaultSeries) int {
		return cmp.Or(cmp.Compare(b.Spikes, a.Spikes), cmp.Compare(minP(a), minP(b)), cmp.Compare(b.Total, a.Total),
			cmp.Compare(a.Product, b.Product), cmp.Compare(a.ProductID, b.ProductID), cmp.Compare(a.Code, b.Code))
	})
	return out, nil
}

// minP is the smallest tail probability of a series with a spike (1
// without one), so the clearest spikes come first.
func minP(fs FaultSeries) float64 {
	p := 1.0
	for _, pt := range fs.Points {
		if pt.Spike {
			p = min(p, pt.PValue)
		}
	}
	return p
}

// poissonTail is P(X ≥ k) for X ~ Poisson(lambda).
func poissonTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	// 1 − P(X ≤ k−1), summing the terms e^−λ λ^i / i! (a repair count
	// never makes λ large enough for e^−λ to underflow).
	term, cdf := math.Exp(-lambda), 0.0
	for i := 0; i < k; i++ {
		if i > 0 {
			term *= lambda / float64(i)
		}
		cdf += term
	}
	return max(0, 1-cdf)
}

// poissonLimit is the smallest count that is a spike at baseline lambda:
// at least MinSpikeCount, with P(X ≥ k) < SpikeP.
func poissonLimit(lambda float64) int {
	k := MinSpikeCount
	for poissonTail(k, lambda) >= SpikeP {
		k++
	}
	return k
}
