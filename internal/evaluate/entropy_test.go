package evaluate

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestEntropyWorkedExample(t *testing.T) {
	x := [][]float64{
		{2, 1, 4, 7, 6, 6, 7, 3000},
		{4, 1, 5, 6, 7, 7, 6, 3500},
		{3, 2, 6, 6, 5, 6, 8, 4000},
		{5, 1, 5, 7, 6, 7, 7, 3000},
		{4, 2, 5, 6, 7, 7, 6, 3000},
		{3, 2, 6, 6, 6, 6, 6, 3500},
	}
	want := []float64{0.29967360959745, 0.44136733892355, 0.07009088719660, 0.02123823711207,
		0.04902292894601, 0.02308037885066, 0.04776330968683, 0.04776330968683}
	for _, norm := range []Normalization{NormalizeNone, ""} {
		got, err := Entropy(x, norm, nil)
		if err != nil {
			t.Fatal(err)
		}
		nearSlice(t, "w", got.Weights, want, 1e-12)
		near(t, "Σw", sum(got.Weights), 1, 1e-12)
		if len(got.Scores) != 6 || len(got.Entropy) != 8 {
			t.Fatalf("got %d scores and %d entropies, want 6 and 8", len(got.Scores), len(got.Entropy))
		}
		var s0 float64
		for j, v := range x[0] {
			s0 += want[j] * v
		}
		near(t, "s₀", got.Scores[0], s0, 1e-9)
	}
}

func TestEntropyMinMax(t *testing.T) {
	x := [][]float64{
		{0.9, 30, 2},
		{0.7, 10, 5},
		{0.8, 20, 3},
		{0.6, 50, 1},
	}
	cost := []bool{false, true, false}
	got, err := Entropy(x, NormalizeMinMax, cost)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Σw", sum(got.Weights), 1, 1e-12)
	// Hand computation of column 1 (cost): x′ = (50−x)/40 = 0.5, 1, 0.75, 0.
	p := []float64{0.5 / 2.25, 1 / 2.25, 0.75 / 2.25}
	var e float64
	for _, v := range p {
		e -= v * math.Log(v)
	}
	e /= math.Log(4)
	near(t, "e₁", got.Entropy[1], e, 1e-12)
	for i, s := range got.Scores {
		if s < 0 || s > 1 {
			t.Errorf("score %d: got %v, want within [0, 1]", i, s)
		}
	}
}

func TestEntropyZeroAccepted(t *testing.T) {
	got, err := Entropy([][]float64{{0, 1}, {2, 1}, {1, 2}}, NormalizeNone, nil)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Σw", sum(got.Weights), 1, 1e-12)
}

func TestEntropyErrors(t *testing.T) {
	tests := []struct {
		name string
		x    [][]float64
		norm Normalization
		cost []bool
		want string
	}{
		{"one alternative", [][]float64{{1, 2}}, NormalizeNone, nil, "1 alternatives, need at least 2"},
		{"no indicators", [][]float64{{}, {}}, NormalizeNone, nil, "no indicators"},
		{"ragged", [][]float64{{1, 2}, {1}}, NormalizeNone, nil, "row 1 has 1 values"},
		{"NaN", [][]float64{{1, 2}, {1, math.NaN()}}, NormalizeNone, nil, "row 1, column 1: value NaN is not finite"},
		{"negative", [][]float64{{1, 2}, {1, -2}}, NormalizeNone, nil, "row 1, column 1: value -2 is negative"},
		{"cost under none", [][]float64{{1, 2}, {1, 3}}, NormalizeNone, []bool{false, true}, "column 1 is a cost indicator"},
		{"zero column", [][]float64{{0, 2}, {0, 3}}, NormalizeNone, nil, "column 0 sums to 0"},
		{"constant minmax", [][]float64{{4, 2}, {4, 3}}, NormalizeMinMax, nil, "column 0 is constant"},
		{"cost length", [][]float64{{4, 2}, {5, 3}}, NormalizeMinMax, []bool{true}, "1 cost flags for 2 indicators"},
		{"no information", [][]float64{{4, 2}, {4, 2}}, NormalizeNone, nil, "Σ d = 0"},
		{"unknown", [][]float64{{4, 2}, {5, 3}}, "zscore", nil, `unknown normalisation "zscore"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Entropy(tt.x, tt.norm, tt.cost)
			wantErr(t, err, tt.want)
		})
	}
}

func randomMatrix(m, n int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 11))
	x := make([][]float64, m)
	for i := range x {
		x[i] = make([]float64, n)
		for j := range x[i] {
			x[i][j] = 1 + float64(j+1)*rng.Float64()
		}
	}
	return x
}

func TestEntropyWeightsSumToOne(t *testing.T) {
	for seed := range uint64(5) {
		x := randomMatrix(30, 7, seed)
		for _, norm := range []Normalization{NormalizeNone, NormalizeMinMax} {
			got, err := Entropy(x, norm, nil)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "Σw "+string(norm), sum(got.Weights), 1, 1e-12)
		}
	}
}

func BenchmarkEntropy10000x20(b *testing.B) {
	x := randomMatrix(10000, 20, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Entropy(x, NormalizeMinMax, nil); err != nil {
			b.Fatal(err)
		}
	}
}
