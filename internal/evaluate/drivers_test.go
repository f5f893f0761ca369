package evaluate

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/aftercare/aftercare/internal/testenv"
)

var exampleCorrelation = [][]float64{
	{1.0, 0.2, 0.3, 0.4, -0.4},
	{0.2, 1.0, 0.5, 0.1, 0.1},
	{0.3, 0.5, 1.0, 0.2, -0.3},
	{0.4, 0.1, 0.2, 1.0, 0.4},
	{-0.4, 0.1, -0.3, 0.4, 1.0},
}

func TestDriversFromCorrelation(t *testing.T) {
	got, err := DriversFromCorrelation(exampleCorrelation, nil)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "R²", got.R2, 0.69860449, 1e-8)
	nearSlice(t, "ε", got.RelativeWeights, []float64{0.24066119, 0.05492664, 0.12143476, 0.28158189}, 1e-8)
	nearSlice(t, "β", got.Beta, []float64{-0.622682, 0.374845, -0.440558, 0.699700}, tol)
	nearSlice(t, "LMG", got.LMG, []float64{0.23807039, 0.05610320, 0.11800387, 0.28642702}, 1e-8)
	nearSlice(t, "r", got.R, []float64{-0.4, 0.1, -0.3, 0.4}, 0)
	near(t, "Σε", sum(got.RelativeWeights), got.R2, 1e-12)
	near(t, "ΣLMG", sum(got.LMG), got.R2, 1e-12)
}

func TestDriversFromCorrelationErrors(t *testing.T) {
	singular := [][]float64{
		{1, 1, 0.3},
		{1, 1, 0.3},
		{0.3, 0.3, 1},
	}
	_, err := DriversFromCorrelation(singular, []string{"speed", "fast"})
	wantErr(t, err, `predictor "fast" is a linear combination`)
	_, err = DriversFromCorrelation([][]float64{{1}}, nil)
	wantErr(t, err, "need at least one predictor")
	_, err = DriversFromCorrelation([][]float64{{1, 0.2}, {0.3, 1}}, nil)
	wantErr(t, err, "[1][0] = 0.3")
	_, err = DriversFromCorrelation([][]float64{{2, 0.2}, {0.2, 1}}, nil)
	wantErr(t, err, "diagonal [0][0] is 2")
	_, err = DriversFromCorrelation([][]float64{{1, 0.2}, {0.2}}, nil)
	wantErr(t, err, "row 1 has 1 values")
	big := make([][]float64, 17)
	for i := range big {
		big[i] = make([]float64, 17)
		big[i][i] = 1
	}
	_, err = DriversFromCorrelation(big, nil)
	wantErr(t, err, "16 predictors, exact Shapley/LMG allows at most 15")
	// Two uncorrelated predictors each correlated 0.8 with the outcome:
	// every entry is a valid correlation, but the matrix is not positive
	// semi-definite (eigenvalue 1 − 0.8·√2 < 0) and would give R² = 1.28.
	notPSD := [][]float64{
		{1, 0, 0.8},
		{0, 1, 0.8},
		{0.8, 0.8, 1},
	}
	_, err = DriversFromCorrelation(notPSD, nil)
	wantErr(t, err, "not a valid correlation matrix (not positive semi-definite)")
	wantErr(t, err, "R² = 1.280000 > 1")
	// The boundary case, a perfect fit (R² = 1, singular but PSD), is valid.
	perfect := [][]float64{
		{1, 0, 0.6},
		{0, 1, 0.8},
		{0.6, 0.8, 1},
	}
	got, err := DriversFromCorrelation(perfect, nil)
	if err != nil || math.Abs(got.R2-1) > 1e-12 {
		t.Errorf("perfect fit: got R² %v, %v; want 1", got.R2, err)
	}
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

// readColumns reads the named numeric columns of a CSV file with a header.
func readColumns(tb testing.TB, path string, names ...string) [][]float64 {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	at := map[string]int{}
	for i, h := range rows[0] {
		at[h] = i
	}
	cols := make([][]float64, len(names))
	for j, name := range names {
		c, ok := at[name]
		if !ok {
			tb.Fatalf("%s: no column %q", path, name)
		}
		for _, row := range rows[1:] {
			v, err := strconv.ParseFloat(row[c], 64)
			if err != nil {
				tb.Fatalf("%s: column %q: %v", path, name, err)
			}
			cols[j] = append(cols[j], v)
		}
	}
	return cols
}

func TestDriversCustomerSat(t *testing.T) {
	names := []string{"q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"}
	cols := readColumns(t, testenv.DataFile(t, "customerSat.csv"), append([]string{"q1"}, names...)...)
	got, err := Drivers(cols[0], cols[1:], names)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 1811 {
		t.Errorf("got n %d, want 1811", got.N)
	}
	near(t, "R²", got.R2, 0.716729, 1e-6)
	near(t, "performance cut", got.PerformanceCut, 6.6978, 1e-4)
	near(t, "importance cut", got.ImportanceCut, 1.0/9, 1e-12)
	want := []struct {
		mean, r, beta, eps, lmg float64
		q                       Quadrant
	}{
		{5.8824, 0.6494, 0.1157, 0.09142, 0.08710, QuadrantConcentrate},
		{6.2744, 0.6138, 0.0500, 0.07418, 0.07039, QuadrantLowPriority},
		{5.5599, 0.7750, 0.3344, 0.14890, 0.16143, QuadrantConcentrate},
		{6.1391, 0.6523, 0.0412, 0.07883, 0.07872, QuadrantLowPriority},
		{6.0558, 0.7418, 0.3296, 0.15231, 0.15223, QuadrantConcentrate},
		{7.2490, 0.5899, 0.1061, 0.06483, 0.06276, QuadrantOverkill},
		{7.4561, 0.5641, 0.0303, 0.05107, 0.05032, QuadrantOverkill},
		{7.8896, 0.4436, -0.0342, 0.02539, 0.02570, QuadrantOverkill},
		{7.7736, 0.4523, 0.0349, 0.02980, 0.02808, QuadrantOverkill},
	}
	for j, w := range want {
		d := got.Predictors[j]
		if d.Name != names[j] {
			t.Errorf("predictor %d: got name %q, want %q", j, d.Name, names[j])
		}
		near(t, d.Name+" mean", d.Mean, w.mean, 1e-4)
		near(t, d.Name+" r", d.R, w.r, 1e-4)
		near(t, d.Name+" β", d.Beta, w.beta, 1e-4)
		near(t, d.Name+" ε", d.RelativeWeight, w.eps, 1e-4)
		near(t, d.Name+" LMG", d.LMG, w.lmg, 1e-4)
		near(t, d.Name+" share", d.RelativeWeightShare, d.RelativeWeight/got.R2, 1e-12)
		if d.Quadrant != w.q {
			t.Errorf("%s: got quadrant %s, want %s", d.Name, d.Quadrant, w.q)
		}
	}
}

func TestDriversSatisfaction(t *testing.T) {
	names := []string{"qual1", "qual2", "qual3", "qual4", "qual5"}
	cols := readColumns(t, testenv.DataFile(t, "satisfaction.csv"), append([]string{"sat1"}, names...)...)
	got, err := Drivers(cols[0], cols[1:], names)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 250 {
		t.Errorf("got n %d, want 250", got.N)
	}
	near(t, "R²", got.R2, 0.435344, 1e-6)
	eps := []float64{0.10038, 0.11168, 0.07182, 0.08466, 0.06680}
	lmgs := []float64{0.09835, 0.11739, 0.06900, 0.08434, 0.06627}
	for j, d := range got.Predictors {
		near(t, d.Name+" ε", d.RelativeWeight, eps[j], 1e-4)
		near(t, d.Name+" LMG", d.LMG, lmgs[j], 1e-4)
	}
}

// correlated returns n rows of p predictors sharing a common factor and an
// outcome depending on them, from a fixed seed.
func correlated(n, p int, seed uint64) (y []float64, x [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	x = make([][]float64, p)
	for j := range x {
		x[j] = make([]float64, n)
	}
	y = make([]float64, n)
	for i := range n {
		f := rng.NormFloat64()
		var s float64
		for j := range p {
			v := 0.6*f + rng.NormFloat64()*(0.5+0.1*float64(j))
			x[j][i] = 5 + v
			s += float64(j+1) * v / float64(p)
		}
		y[i] = s + rng.NormFloat64()
	}
	return y, x
}

func TestDriversProperties(t *testing.T) {
	y, x := correlated(500, 6, 1)
	base, err := Drivers(y, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sumEps, sumLMG, sumShare float64
	for _, d := range base.Predictors {
		sumEps += d.RelativeWeight
		sumLMG += d.LMG
		sumShare += d.RelativeWeightShare
	}
	near(t, "Σε", sumEps, base.R2, 1e-12)
	near(t, "ΣLMG", sumLMG, base.R2, 1e-12)
	near(t, "Σ shares", sumShare, 1, 1e-12)

	// Rescaling a predictor (×7 + 3) changes its mean but no weight.
	scaled := make([][]float64, len(x))
	copy(scaled, x)
	scaled[2] = make([]float64, len(x[2]))
	for i, v := range x[2] {
		scaled[2][i] = 7*v + 3
	}
	got, err := Drivers(y, scaled, nil)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "rescaled R²", got.R2, base.R2, 1e-10)
	for j, d := range got.Predictors {
		b := base.Predictors[j]
		near(t, d.Name+" rescaled ε", d.RelativeWeight, b.RelativeWeight, 1e-10)
		near(t, d.Name+" rescaled LMG", d.LMG, b.LMG, 1e-10)
		near(t, d.Name+" rescaled β", d.Beta, b.Beta, 1e-10)
	}
}

func TestDriversLMGFifteen(t *testing.T) {
	y, x := correlated(300, 15, 3)
	got, err := Drivers(y, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	var s float64
	for _, d := range got.Predictors {
		s += d.LMG
	}
	near(t, "ΣLMG", s, got.R2, 1e-10)
}

func TestDriversErrors(t *testing.T) {
	y, x := correlated(20, 3, 2)
	constant := [][]float64{x[0], make([]float64, 20), x[2]}
	dup := [][]float64{x[0], x[1], x[0]}
	nan := [][]float64{x[0], append([]float64(nil), x[1]...), x[2]}
	nan[1][7] = math.NaN()
	sixteen := make([][]float64, 16)
	tests := []struct {
		name string
		y    []float64
		x    [][]float64
		want string
	}{
		{"no predictors", y, nil, "drivers: no predictors"},
		{"too many", y, sixteen, "16 predictors"},
		{"short column", y, [][]float64{x[0][:10]}, `predictor "x1" has 10 values, y has 20`},
		{"too few rows", y[:4], [][]float64{x[0][:4], x[1][:4], x[2][:4]}, "4 rows for 3 predictors, need at least 5"},
		{"constant predictor", y, constant, `drivers: predictor "x2" is constant`},
		{"constant y", make([]float64, 20), x, "outcome y is constant"},
		{"collinear", y, dup, `predictor "x3" is a linear combination`},
		{"NaN", y, nan, `predictor "x2" has non-finite value NaN at row 7`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Drivers(tt.y, tt.x, nil)
			wantErr(t, err, tt.want)
		})
	}
}

func BenchmarkDrivers1M9(b *testing.B) {
	y, x := correlated(1_000_000, 9, 7)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Drivers(y, x, nil); err != nil {
			b.Fatal(err)
		}
	}
}
