package evaluate

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAHPWorkedExample(t *testing.T) {
	a, err := ParseMatrix("1,1/3,1/5;3,1,1/4;5,4,1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method         AHPMethod
		w              []float64
		lambda, ci, cr float64
	}{
		{AHPEigen, []float64{0.100654, 0.225535, 0.673811}, 3.085767, 0.042883, 0.073937},
		{"", []float64{0.100654, 0.225535, 0.673811}, 3.085767, 0.042883, 0.073937},
		{AHPArithmetic, []float64{0.103847, 0.231082, 0.665070}, 3.086949, 0.0434745, 0.074956},
	}
	for _, tt := range tests {
		t.Run(string(tt.method), func(t *testing.T) {
			got, err := AHP(a, tt.method, nil)
			if err != nil {
				t.Fatal(err)
			}
			nearSlice(t, "w", got.Weights, tt.w, tol)
			near(t, "λmax", got.LambdaMax, tt.lambda, tol)
			near(t, "CI", got.CI, tt.ci, tol)
			near(t, "CR", got.CR, tt.cr, tol)
			if !got.Consistent {
				t.Errorf("got consistent false, want true")
			}
		})
	}
	geo, err := AHP(a, AHPGeometric, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Geometric means of the rows: (1/15)^⅓, (3/4)^⅓, 20^⅓, normalised.
	near(t, "geometric Σw", sum(geo.Weights), 1, 1e-12)
	near(t, "geometric w₃/w₁", geo.Weights[2]/geo.Weights[0], math.Cbrt(300), 1e-12)
}

func TestAHPConsistentMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 1))
	for n := 1; n <= 10; n++ {
		w := make([]float64, n)
		for i := range w {
			w[i] = 0.1 + rng.Float64()
		}
		normalise(w)
		a := make([][]float64, n)
		for i := range a {
			a[i] = make([]float64, n)
			for j := range a[i] {
				a[i][j] = w[i] / w[j]
			}
		}
		for _, m := range []AHPMethod{AHPEigen, AHPGeometric, AHPArithmetic} {
			got, err := AHP(a, m, nil)
			if err != nil {
				t.Fatalf("n %d %s: %v", n, m, err)
			}
			nearSlice(t, string(m)+" w", got.Weights, w, 1e-12)
			near(t, string(m)+" Σw", sum(got.Weights), 1, 1e-12)
			near(t, string(m)+" CR", got.CR, 0, 1e-12)
			near(t, string(m)+" λmax", got.LambdaMax, float64(n), 1e-12)
			if !got.Consistent {
				t.Errorf("n %d %s: got consistent false, want true", n, m)
			}
		}
	}
}

func TestAHPInconsistent(t *testing.T) {
	// a prefers 1 to 2, 2 to 3 and 3 to 1, strongly.
	a, err := ParseMatrix("1,9,1/9;1/9,1,9;9,1/9,1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := AHP(a, AHPEigen, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Consistent || got.CR < 0.1 {
		t.Errorf("got CR %v consistent %v, want CR ≥ 0.1 and inconsistent", got.CR, got.Consistent)
	}
}

func TestAHPSmall(t *testing.T) {
	got, err := AHP([][]float64{{1, 3}, {1.0 / 3, 1}}, AHPEigen, nil)
	if err != nil {
		t.Fatal(err)
	}
	nearSlice(t, "w", got.Weights, []float64{0.75, 0.25}, 1e-12)
	if got.CR != 0 || got.CI != 0 || !got.Consistent {
		t.Errorf("got CI %v CR %v consistent %v, want 0, 0, true", got.CI, got.CR, got.Consistent)
	}
	one, err := AHP([][]float64{{1}}, AHPEigen, nil)
	if err != nil || one.Weights[0] != 1 || one.CR != 0 {
		t.Errorf("got %+v, %v, want weight 1 and CR 0", one, err)
	}
}

func TestAHPErrors(t *testing.T) {
	eleven := make([][]float64, 11)
	for i := range eleven {
		eleven[i] = make([]float64, 11)
		for j := range eleven[i] {
			eleven[i][j] = 1
		}
	}
	tests := []struct {
		name   string
		a      [][]float64
		method AHPMethod
		ri     []float64
		want   string
	}{
		{"empty", nil, AHPEigen, nil, "ahp: empty matrix"},
		{"not square", [][]float64{{1, 2}, {0.5}}, AHPEigen, nil, "row 2 has 1 values, want 2"},
		{"negative", [][]float64{{1, -2}, {-0.5, 1}}, AHPEigen, nil, "a[1][2] = -2"},
		{"zero", [][]float64{{1, 0}, {2, 1}}, AHPEigen, nil, "a[1][2] = 0"},
		{"diagonal", [][]float64{{2, 2}, {0.5, 1}}, AHPEigen, nil, "diagonal a[1][1] = 2"},
		{"not reciprocal", [][]float64{{1, 2, 3}, {0.5, 1, 4}, {1.0 / 3, 0.2, 1}}, AHPEigen, nil, "a[2][3] = 4 but a[3][2] = 0.2"},
		{"beyond RI", eleven, AHPEigen, nil, "RI table stops at n = 10"},
		{"zero RI", [][]float64{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, AHPEigen, []float64{0, 0, 0}, "RI for n = 3 is 0"},
		{"method", [][]float64{{1}}, "lsq", nil, `unknown method "lsq"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AHP(tt.a, tt.method, tt.ri)
			wantErr(t, err, tt.want)
		})
	}
	// A longer table lifts the limit.
	ri := append(SaatyRI(), 1.51)
	got, err := AHP(eleven, AHPEigen, ri)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "n 11 CR", got.CR, 0, 1e-12)
}

func TestParseMatrix(t *testing.T) {
	got, err := ParseMatrix(" 1, 1/3 ;3 ,1 ; ")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0][1] != 1.0/3 || got[1][0] != 3 {
		t.Errorf("got %v, want [[1 1/3] [3 1]]", got)
	}
	for _, tt := range []struct{ in, want string }{
		{"", "matrix: empty"},
		{"1,2;1/2", "row 2 has 1 cells, want 2"},
		{"1,x;1,1", `row 1, column 2: "x" is not a number`},
		{"1,1/0;1,1", `row 1, column 2: "1/0" divides by zero`},
		{"1,1/;1,1", `"1/" is not a number`},
	} {
		_, err := ParseMatrix(tt.in)
		wantErr(t, err, tt.want)
	}
}

func TestAHPHierarchy(t *testing.T) {
	crit := [][]float64{{1, 3}, {1.0 / 3, 1}}
	sub := [][][]float64{{{1, 1}, {1, 1}}, nil}
	got, err := AHPHierarchy(crit, sub, AHPEigen, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []GlobalWeight{
		{Criterion: 0, Sub: 0, Local: 0.5, Global: 0.375},
		{Criterion: 0, Sub: 1, Local: 0.5, Global: 0.375},
		{Criterion: 1, Sub: 0, Local: 1, Global: 0.25},
	}
	if len(got.Global) != len(want) {
		t.Fatalf("got %d global weights, want %d", len(got.Global), len(want))
	}
	var s float64
	for i, w := range want {
		g := got.Global[i]
		if g.Criterion != w.Criterion || g.Sub != w.Sub {
			t.Errorf("leaf %d: got (%d, %d), want (%d, %d)", i, g.Criterion, g.Sub, w.Criterion, w.Sub)
		}
		near(t, "local", g.Local, w.Local, 1e-12)
		near(t, "global", g.Global, w.Global, 1e-12)
		s += g.Global
	}
	near(t, "Σ global", s, 1, 1e-12)
	if !got.Consistent {
		t.Errorf("got consistent false, want true")
	}

	_, err = AHPHierarchy(crit, sub[:1], AHPEigen, nil)
	wantErr(t, err, "1 sub-criteria matrices for 2 criteria")
	_, err = AHPHierarchy(crit, [][][]float64{{{1, 2}, {1, 1}}, nil}, AHPEigen, nil)
	wantErr(t, err, "(sub-criteria of criterion 1)")
	_, err = Synthesize([]float64{0.5, 0.6}, [][]float64{nil, nil})
	wantErr(t, err, "criteria weights sum to 1.1")
	_, err = Synthesize([]float64{0.5, 0.5}, [][]float64{{0.2, 0.7}, nil})
	wantErr(t, err, "criterion 1 weights sum to 0.9")
	_, err = Synthesize([]float64{1.5, -0.5}, [][]float64{nil, nil})
	wantErr(t, err, "criteria weight 2 is -0.5")
}
