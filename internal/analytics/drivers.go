package analytics

import (
	"context"

	"github.com/aftercare/aftercare/internal/evaluate"
	"github.com/aftercare/aftercare/internal/model"
)

// DriverTarget is the overall rating the drivers explain, named as its
// column in the responses export.
const DriverTarget = "csat"

// DriverNames are the predictors, the five dimension ratings, named as
// their columns in the responses export.
func DriverNames() []string {
	ks := model.DimensionKeys()
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// Drivers is the JSON of "aftercare analyze drivers --target csat
// --predictors technical,efficiency,convenience,process,price" run on the
// period's responses export.
type Drivers struct {
	N              int               `json:"n"`
	Dropped        int               `json:"dropped"`
	Target         string            `json:"target"`
	R2             float64           `json:"r2"`
	PerformanceCut float64           `json:"performance_cut"`
	ImportanceCut  float64           `json:"importance_cut"`
	Predictors     []evaluate.Driver `json:"predictors"`
}

// Drivers analyses which dimension drives overall CSAT among the
// responses of period that rated every dimension (complete cases, as
// the analyze command takes them; the others are Dropped), with
// evaluate.Drivers: r, β, relative weights, LMG and IPA quadrants.
// Too few complete answers is EINVALID naming the period.
func (s *Service) Drivers(ctx context.Context, p model.Principal, period model.Period) (Drivers, error) {
	rs, err := s.load(ctx, p, period)
	if err != nil {
		return Drivers{}, err
	}
	keys := model.DimensionKeys()
	var y []float64
	x := make([][]float64, len(keys))
	dropped := 0
rows:
	for i := range rs {
		for _, k := range keys {
			if rs[i].Rating(k) == nil {
				dropped++
				continue rows
			}
		}
		y = append(y, float64(rs[i].CSAT))
		for j, k := range keys {
			x[j] = append(x[j], float64(*rs[i].Rating(k)))
		}
	}
	names := DriverNames()
	if len(y) < len(keys)+2 {
		return Drivers{}, model.FieldError("from", "the period has %d responses rating every dimension; driver analysis needs at least %d: choose a longer period",
			len(y), len(keys)+2)
	}
	res, err := evaluate.Drivers(y, x, names)
	if err != nil {
		return Drivers{}, model.FieldError("from", "driver analysis of this period is not possible: %v", err)
	}
	return Drivers{N: res.N, Dropped: dropped, Target: DriverTarget, R2: res.R2, PerformanceCut: res.PerformanceCut,
		ImportanceCut: res.ImportanceCut, Predictors: res.Predictors}, nil
}

// FixFirst returns the predictors in quadrant I (concentrate here), the
// most important first: the "concentrate here" list.
func (d Drivers) FixFirst() []evaluate.Driver {
	var out []evaluate.Driver
	for _, p := range d.Predictors {
		if p.Quadrant == evaluate.QuadrantConcentrate {
			out = append(out, p)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].RelativeWeightShare > out[j-1].RelativeWeightShare; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
