package evaluate

import (
	"math"
	"testing"
)

var (
	fuzzyA = []float64{0.4, 0.3, 0.2, 0.1}
	fuzzyR = [][]float64{
		{0.5, 0.3, 0.2, 0},
		{0.2, 0.4, 0.3, 0.1},
		{0.1, 0.3, 0.5, 0.1},
		{0, 0.2, 0.4, 0.4},
	}
)

func TestFuzzyOperators(t *testing.T) {
	tests := []struct {
		op    FuzzyOperator
		b     []float64
		grade int
	}{
		{FuzzyWeighted, []float64{0.28, 0.32, 0.31, 0.09}, 2},
		{"", []float64{0.28, 0.32, 0.31, 0.09}, 2},
		{FuzzyMaxMin, []float64{0.4, 0.3, 0.3, 0.1}, 1},
		{FuzzyProductMax, []float64{0.20, 0.12, 0.10, 0.04}, 1},
		{FuzzyBoundedSum, []float64{0.7, 0.9, 0.8, 0.3}, 2},
	}
	for _, tt := range tests {
		t.Run(string(tt.op), func(t *testing.T) {
			got, err := Fuzzy(fuzzyA, fuzzyR, tt.op, nil)
			if err != nil {
				t.Fatal(err)
			}
			nearSlice(t, "B", got.B, tt.b, tol)
			if got.GradeIndex != tt.grade {
				t.Errorf("got grade %d, want %d", got.GradeIndex, tt.grade)
			}
			if got.Score != nil {
				t.Errorf("got score %v for four grades without scores, want nil", *got.Score)
			}
		})
	}
}

func TestFuzzyScore(t *testing.T) {
	got, err := Fuzzy(fuzzyA, fuzzyR, FuzzyWeighted, []float64{95, 85, 75, 60})
	if err != nil {
		t.Fatal(err)
	}
	if got.Score == nil {
		t.Fatal("got no score, want 82.45")
	}
	near(t, "S", *got.Score, 82.45, tol)

	// Five grades get the default 100/80/60/40/20.
	five := [][]float64{{0.5, 0.5, 0, 0, 0}, {0, 0, 0, 0.5, 0.5}}
	got, err = Fuzzy([]float64{0.5, 0.5}, five, FuzzyWeighted, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Score == nil {
		t.Fatal("got no score for five grades, want the default scores")
	}
	near(t, "S five", *got.Score, 60, tol)
}

func TestFuzzyTwoLevel(t *testing.T) {
	groups := []FuzzyGroup{
		{Weights: fuzzyA, R: fuzzyR},
		{Weights: []float64{1}, R: [][]float64{{0, 0, 0.5, 0.5}}},
	}
	got, err := FuzzyTwoLevel([]float64{0.5, 0.5}, groups, FuzzyWeighted, []float64{95, 85, 75, 60})
	if err != nil {
		t.Fatal(err)
	}
	nearSlice(t, "group 1 B", got.Groups[0].B, []float64{0.28, 0.32, 0.31, 0.09}, tol)
	nearSlice(t, "B", got.Overall.B, []float64{0.14, 0.16, 0.405, 0.295}, tol)
	if got.Overall.GradeIndex != 3 {
		t.Errorf("got grade %d, want 3", got.Overall.GradeIndex)
	}
	near(t, "S", *got.Overall.Score, (82.45+67.5)/2, tol)

	_, err = FuzzyTwoLevel([]float64{1}, groups, FuzzyWeighted, nil)
	wantErr(t, err, "1 upper-level weights for 2 groups")
	bad := []FuzzyGroup{groups[0], {Weights: []float64{1}, R: [][]float64{{0.5, 0.5}}}}
	_, err = FuzzyTwoLevel([]float64{0.5, 0.5}, bad, FuzzyWeighted, nil)
	wantErr(t, err, "group 2 has 2 grades, group 1 has 4")
	bad[1] = FuzzyGroup{Weights: []float64{-1}, R: [][]float64{{0.5, 0.5, 0, 0}}}
	_, err = FuzzyTwoLevel([]float64{0.5, 0.5}, bad, FuzzyWeighted, nil)
	wantErr(t, err, "weight 1 is -1, want a non-negative finite number (group 2)")
}

func TestFuzzyErrors(t *testing.T) {
	tests := []struct {
		name   string
		a      []float64
		r      [][]float64
		op     FuzzyOperator
		grades []float64
		want   string
	}{
		{"no factors", nil, nil, FuzzyWeighted, nil, "fuzzy: no factors"},
		{"rows", fuzzyA, fuzzyR[:3], FuzzyWeighted, nil, "4 weights for 3 rows of R"},
		{"negative weight", []float64{0.5, -0.1, 0.3, 0.3}, fuzzyR, FuzzyWeighted, nil, "weight 2 is -0.1"},
		{"zero weights", []float64{0, 0, 0, 0}, fuzzyR, FuzzyWeighted, nil, "weights sum to 0"},
		{"NaN weight", []float64{math.NaN(), 0, 0, 0}, fuzzyR, FuzzyWeighted, nil, "weight 1 is NaN"},
		{"ragged", []float64{1, 1}, [][]float64{{0.5, 0.5}, {1}}, FuzzyWeighted, nil, "row 2 of R has 1 grades"},
		{"membership", []float64{1}, [][]float64{{0.5, 1.5}}, FuzzyWeighted, nil, "R[1][2] = 1.5"},
		{"grades", fuzzyA, fuzzyR, FuzzyWeighted, []float64{1, 2, 3}, "3 grade scores for 4 grades"},
		{"grade NaN", fuzzyA, fuzzyR, FuzzyWeighted, []float64{1, 2, 3, math.NaN()}, "grade score 4 is NaN"},
		{"operator", fuzzyA, fuzzyR, "sum", nil, `unknown operator "sum"`},
		{"all zero", []float64{1}, [][]float64{{0, 0}}, FuzzyWeighted, nil, "every membership of B is 0"},
		{"no grades", []float64{1}, [][]float64{{}}, FuzzyWeighted, nil, "R has no grades"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fuzzy(tt.a, tt.r, tt.op, tt.grades)
			wantErr(t, err, tt.want)
		})
	}
}
