package evaluate

import (
	"math"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

func unit(name string, v ...float64) UnitValues {
	u := UnitValues{Unit: name, Values: map[model.Dimension]float64{}}
	for j, d := range model.Dimensions {
		u.Values[d] = v[j]
	}
	return u
}

func TestCompositeIndexGivenWeights(t *testing.T) {
	units := []UnitValues{
		unit("north", 0.9, 2, 10, 0.8, 100, 0.9),
		unit("south", 0.7, 6, 30, 0.6, 300, 0.7),
		unit("east", 0.8, 4, 20, 0.7, 200, 0.8),
	}
	cost := map[model.Dimension]bool{model.DimEfficiency: true, model.DimPrice: true}
	weights := map[model.Dimension]float64{}
	for _, d := range model.Dimensions {
		weights[d] = 2 // rescaled to 1/6 each
	}
	got, err := CompositeIndex(units, weights, cost)
	if err != nil {
		t.Fatal(err)
	}
	if got.WeightSource != "given" {
		t.Errorf("got weight source %q, want given", got.WeightSource)
	}
	// north is best on the benefit dimensions and on both costs except
	// network (a benefit where it is lowest).
	near(t, "north", got.Units[0].Score, 100*5.0/6, 1e-12)
	near(t, "south", got.Units[1].Score, 100*1.0/6, 1e-12)
	near(t, "east", got.Units[2].Score, 50, 1e-12)
	near(t, "Σw", sum(got.Weights), 1, 1e-12)
}

func TestCompositeIndexEntropy(t *testing.T) {
	units := []UnitValues{
		unit("Jan", 0.90, 3.1, 12, 0.80, 150, 4.5),
		unit("Feb", 0.85, 2.5, 14, 0.82, 140, 4.4),
		unit("Mar", 0.88, 4.0, 11, 0.70, 155, 4.1),
		unit("Apr", 0.95, 2.0, 13, 0.90, 160, 4.7),
	}
	got, err := CompositeIndex(units, nil, map[model.Dimension]bool{model.DimEfficiency: true, model.DimPrice: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.WeightSource != "entropy" || len(got.Weights) != 6 {
		t.Fatalf("got %q with %d weights, want entropy with 6", got.WeightSource, len(got.Weights))
	}
	near(t, "Σw", sum(got.Weights), 1, 1e-12)
	for _, u := range got.Units {
		if u.Score < 0 || u.Score > 100 || math.IsNaN(u.Score) {
			t.Errorf("%s: got score %v, want 0–100", u.Unit, u.Score)
		}
	}
	if got.Units[3].Score <= got.Units[2].Score {
		t.Errorf("got Apr %v ≤ Mar %v, want Apr (best on most dimensions) higher", got.Units[3].Score, got.Units[2].Score)
	}
}

func TestCompositeIndexErrors(t *testing.T) {
	a := unit("a", 1, 2, 3, 4, 5, 6)
	b := unit("b", 2, 3, 4, 5, 6, 7)
	flat := unit("flat", 1, 3, 4, 5, 6, 7)
	flat.Values[model.DimTechnical] = 1
	missing := unit("m", 2, 3, 4, 5, 6, 7)
	delete(missing.Values, model.DimPrice)
	nan := unit("n", 2, 3, 4, 5, 6, math.NaN())
	tests := []struct {
		name    string
		units   []UnitValues
		weights map[model.Dimension]float64
		want    string
	}{
		{"one unit", []UnitValues{a}, nil, "1 units, need at least 2"},
		{"missing", []UnitValues{a, missing}, nil, `unit "m" (row 1) has no value for dimension "price"`},
		{"NaN", []UnitValues{a, nan}, nil, `non-finite value NaN for dimension "loyalty"`},
		{"constant", []UnitValues{a, flat}, nil, `dimension "technical" has the same value 1`},
		{"missing weight", []UnitValues{a, b}, map[model.Dimension]float64{model.DimTechnical: 1}, `no weight for dimension "efficiency"`},
		{"negative weight", []UnitValues{a, b}, map[model.Dimension]float64{"technical": -1, "efficiency": 1, "network": 1, "process": 1, "price": 1, "loyalty": 1}, `weight of dimension "technical" is -1`},
		{"zero weights", []UnitValues{a, b}, map[model.Dimension]float64{"technical": 0, "efficiency": 0, "network": 0, "process": 0, "price": 0, "loyalty": 0}, "weights sum to 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompositeIndex(tt.units, tt.weights, nil)
			wantErr(t, err, tt.want)
		})
	}
}
