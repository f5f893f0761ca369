package analyze

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

const entropyExample = `2 1 4 7 6 6 7 3000
4 1 5 6 7 7 6 3500
3 2 6 6 5 6 8 4000
5 1 5 7 6 7 7 3000
4 2 5 6 7 7 6 3000
3 2 6 6 6 6 6 3500`

var entropyWeights = []float64{0.29967360959745, 0.44136733892355, 0.07009088719660, 0.02123823711207,
	0.04902292894601, 0.02308037885066, 0.04776330968683, 0.04776330968683}

// entropyCSV renders the worked example with an optional label column.
func entropyCSV(labels bool) string {
	var b strings.Builder
	if labels {
		b.WriteString("centre,")
	}
	b.WriteString("x1,x2,x3,x4,x5,x6,x7,x8\n")
	for i, line := range strings.Split(entropyExample, "\n") {
		if labels {
			b.WriteString([]string{"北京", "上海", "广州", "深圳", "成都", "武汉"}[i] + ",")
		}
		b.WriteString(strings.Join(strings.Fields(line), ",") + "\n")
	}
	return b.String()
}

func TestEntropy(t *testing.T) {
	plain := writeFixture(t, "e.csv", entropyCSV(false))
	labelled := writeFixture(t, "l.csv", entropyCSV(true))
	tests := []struct {
		name     string
		args     []string
		wantRows []string
	}{
		{"numbered rows", []string{"--csv", plain}, []string{"1", "2", "3", "4", "5", "6"}},
		{"label column", []string{"--csv", labelled, "--normalize", "none"}, []string{"北京", "上海", "广州", "深圳", "成都", "武汉"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got entropyOutput
			runJSON(t, &got, append([]string{"entropy"}, tt.args...)...)
			checkFloats(t, "weights", got.Weights, entropyWeights, 1e-12)
			if strings.Join(got.Rows, ",") != strings.Join(tt.wantRows, ",") {
				t.Errorf("got rows %v, want %v", got.Rows, tt.wantRows)
			}
			if strings.Join(got.Indicators, ",") != "x1,x2,x3,x4,x5,x6,x7,x8" {
				t.Errorf("got indicators %v, want x1…x8", got.Indicators)
			}
			if len(got.Entropy) != 8 || len(got.Scores) != 6 {
				t.Errorf("got %d entropies and %d scores, want 8 and 6", len(got.Entropy), len(got.Scores))
			}
			for j := range got.Entropy {
				if !near(1-got.Entropy[j], 0, 1) {
					t.Errorf("entropy[%d] = %v out of [0, 1]", j, got.Entropy[j])
				}
			}
		})
	}
	t.Run("minmax cost", func(t *testing.T) {
		var got entropyOutput
		runJSON(t, &got, "entropy", "--csv", labelled, "--normalize", "minmax", "--cost", "x8")
		if len(got.Weights) != 8 || len(got.Cost) != 1 || got.Cost[0] != "x8" {
			t.Fatalf("got %+v, want 8 weights and cost [x8]", got)
		}
		sum := 0.0
		for _, w := range got.Weights {
			sum += w
		}
		if !near(sum, 1, 1e-9) {
			t.Errorf("got weight sum %v, want 1", sum)
		}
	})
	t.Run("missing values", func(t *testing.T) {
		holes := writeFixture(t, "h.csv", entropyCSV(true)+"重庆,NA,1,2,3,4,5,6,7\n西安,1,,2,3,4,5,6,7\n")
		var got entropyOutput
		runJSON(t, &got, "entropy", "--csv", holes)
		if got.Dropped != 2 || len(got.Rows) != 6 {
			t.Errorf("got dropped %d and %d rows, want 2 and 6", got.Dropped, len(got.Rows))
		}
		checkFloats(t, "weights", got.Weights, entropyWeights, 1e-12)
	})
	t.Run("errors", func(t *testing.T) {
		if _, _, err := runCmd(t, "entropy", "--csv", labelled, "--cost", "x8"); err == nil {
			t.Errorf("cost indicator under none: got no error, want one")
		}
		_, _, err := runCmd(t, "entropy", "--csv", labelled, "--normalize", "minmax", "--cost", "nope")
		if err == nil || !strings.Contains(err.Error(), `"nope"`) {
			t.Errorf("unknown cost indicator: got %v, want an error naming it", err)
		}
		// Errors about a cell or a column name the CSV's data row, file
		// line and column, not matrix indices.
		neg := writeFixture(t, "neg.csv", "centre,speed,price\nA,5,3\nB,NA,1\nC,4,-2\n")
		_, _, err = runCmd(t, "entropy", "--csv", neg)
		if err == nil || !strings.Contains(err.Error(), `data row 3 (file line 4), column "price": value -2 is negative`) {
			t.Errorf("negative value: got %v, want data row 3 (file line 4), column \"price\"", err)
		}
		flat := writeFixture(t, "flat.csv", "centre,speed,price\nA,5,3\nB,5,1\n")
		_, _, err = runCmd(t, "entropy", "--csv", flat, "--normalize", "minmax")
		if err == nil || !strings.Contains(err.Error(), `column "speed" is constant`) {
			t.Errorf("constant column: got %v, want it named", err)
		}
	})
}

func TestAHP(t *testing.T) {
	const m = "1,1/3,1/5;3,1,1/4;5,4,1"
	tests := []struct {
		method         string
		weights        []float64
		lambda, ci, cr float64
	}{
		{"eigen", []float64{0.100654, 0.225535, 0.673811}, 3.085767, 0.042883, 0.073937},
		{"arithmetic", []float64{0.103847, 0.231082, 0.665070}, 3.086949, -1, 0.074956},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			var got struct {
				Weights    []float64 `json:"weights"`
				LambdaMax  float64   `json:"lambda_max"`
				CI         float64   `json:"ci"`
				CR         float64   `json:"cr"`
				Consistent *bool     `json:"consistent"`
			}
			runJSON(t, &got, "ahp", "--matrix", m, "--method", tt.method)
			checkFloats(t, "weights", got.Weights, tt.weights, 1e-6)
			checkFloats(t, "lambda_max, cr", []float64{got.LambdaMax, got.CR}, []float64{tt.lambda, tt.cr}, 1e-6)
			if tt.ci >= 0 && !near(got.CI, tt.ci, 1e-6) {
				t.Errorf("got ci %.6f, want %.6f", got.CI, tt.ci)
			}
			if got.Consistent == nil || !*got.Consistent {
				t.Errorf("got consistent %v, want true", got.Consistent)
			}
		})
	}
	t.Run("ri override", func(t *testing.T) {
		var got struct {
			CR float64 `json:"cr"`
		}
		runJSON(t, &got, "ahp", "--matrix", m, "--ri", "0,0,0.52")
		if !near(got.CR, 0.042883/0.52, 1e-5) {
			t.Errorf("got cr %.6f with RI 0.52, want %.6f", got.CR, 0.042883/0.52)
		}
	})
	t.Run("bad matrix", func(t *testing.T) {
		if _, _, err := runCmd(t, "ahp", "--matrix", "1,x;2,1"); err == nil || errors.Is(err, ErrUsage) {
			t.Errorf("got %v, want a matrix error", err)
		}
	})
}

func TestFuzzy(t *testing.T) {
	const r = "0.5,0.3,0.2,0;0.2,0.4,0.3,0.1;0.1,0.3,0.5,0.1;0,0.2,0.4,0.4"
	tests := []struct {
		op    string
		b     []float64
		grade int
	}{
		{"weighted", []float64{0.28, 0.32, 0.31, 0.09}, 2},
		{"maxmin", []float64{0.4, 0.3, 0.3, 0.1}, 1},
		{"product_max", []float64{0.20, 0.12, 0.10, 0.04}, 1},
		{"bounded_sum", []float64{0.7, 0.9, 0.8, 0.3}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			out, stderr, err := runCmd(t, "fuzzy", "--weights", "0.4,0.3,0.2,0.1", "--matrix", r, "--operator", tt.op, "--json")
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if !strings.Contains(out, `"score": null`) {
				t.Errorf("got %s, want \"score\": null for four grades without --grades", out)
			}
			var got struct {
				B          []float64 `json:"b"`
				GradeIndex int       `json:"grade_index"`
			}
			runJSON(t, &got, "fuzzy", "--weights", "0.4,0.3,0.2,0.1", "--matrix", r, "--operator", tt.op)
			checkFloats(t, "b", got.B, tt.b, 1e-6)
			if got.GradeIndex != tt.grade {
				t.Errorf("got grade_index %d, want %d", got.GradeIndex, tt.grade)
			}
		})
	}
	t.Run("grades", func(t *testing.T) {
		var got struct {
			Score *float64 `json:"score"`
		}
		runJSON(t, &got, "fuzzy", "--weights", "0.4,0.3,0.2,0.1", "--matrix", r, "--grades", "95,85,75,60")
		if got.Score == nil || !near(*got.Score, 82.45, 1e-6) {
			t.Errorf("got score %v, want 82.45", got.Score)
		}
	})
	// A membership matrix is factors × grades, not square: 5 factors × 3
	// grades and 2 factors × 5 grades (weighted M(·,⊕), hand-computed).
	t.Run("rectangular", func(t *testing.T) {
		for _, tt := range []struct {
			weights, matrix string
			b               []float64
			grade           int
		}{
			{"0.3,0.2,0.2,0.2,0.1", "0.5,0.3,0.2;0.4,0.4,0.2;0.3,0.5,0.2;0.6,0.3,0.1;0.2,0.5,0.3", []float64{0.43, 0.38, 0.19}, 1},
			{"0.6,0.4", "0.1,0.2,0.4,0.2,0.1;0.3,0.3,0.2,0.1,0.1", []float64{0.18, 0.24, 0.32, 0.16, 0.10}, 3},
		} {
			var got struct {
				B          []float64 `json:"b"`
				GradeIndex int       `json:"grade_index"`
			}
			runJSON(t, &got, "fuzzy", "--weights", tt.weights, "--matrix", tt.matrix)
			checkFloats(t, "b", got.B, tt.b, 1e-9)
			if got.GradeIndex != tt.grade {
				t.Errorf("%s: got grade_index %d, want %d", tt.matrix, got.GradeIndex, tt.grade)
			}
		}
		if _, stderr, err := runCmd(t, "fuzzy", "--weights", "0.6,0.4", "--matrix", "0.1,0.2;0.3"); err == nil || !strings.Contains(stderr+err.Error(), "row 2 has 1 cells, row 1 has 2") {
			t.Errorf("ragged matrix: got %v %s", err, stderr)
		}
		if _, stderr, err := runCmd(t, "fuzzy", "--weights", "0.6,0.4,0.1", "--matrix", "0.1,0.9;0.3,0.7"); err == nil || !strings.Contains(stderr+err.Error(), "3 weights for 2 rows") {
			t.Errorf("weights and rows: got %v %s", err, stderr)
		}
	})
}

// kanoFixture gives attribute "speed" the worked example's answers
// (A45 O30 M15 I8 R1 Q1) and "price" a must-be profile; the columns of the
// two attributes are interleaved so that order of first appearance counts.
func kanoFixture() string {
	var b strings.Builder
	b.WriteString("id,speed_functional,price_functional,price_dysfunctional,speed_dysfunctional\n")
	pairs := []struct {
		f, d string
		n    int
	}{{"1", "2", 45}, {"1", "5", 30}, {"2", "5", 15}, {"3", "3", 8}, {"5", "1", 1}, {"1", "1", 1}}
	row := 0
	for _, p := range pairs {
		for range p.n {
			row++
			b.WriteString(strings.Join([]string{strconv.Itoa(row), p.f, "3", "5", p.d}, ",") + "\n")
		}
	}
	b.WriteString("101,NA,3,5,\n")
	return b.String()
}

func TestKano(t *testing.T) {
	p := writeFixture(t, "kano.csv", kanoFixture())
	var got kanoOutput
	runJSON(t, &got, "kano", "--csv", p)
	if got.N != 101 || len(got.Attributes) != 2 {
		t.Fatalf("got n %d and %d attributes, want 101 and 2", got.N, len(got.Attributes))
	}
	speed, price := got.Attributes[0], got.Attributes[1]
	if speed.Name != "speed" || price.Name != "price" {
		t.Errorf("got attributes %q, %q, want speed, price", speed.Name, price.Name)
	}
	if want := (kanoCounts{A: 45, O: 30, M: 15, I: 8, R: 1, Q: 1}); speed.Counts != want {
		t.Errorf("speed: got counts %+v, want %+v", speed.Counts, want)
	}
	if speed.Category != "A" || speed.Better == nil || !near(*speed.Better, 0.765306, 1e-6) || !near(*speed.Worse, -0.459184, 1e-6) {
		t.Errorf("speed: got %s better %v worse %v, want A 0.765306 -0.459184", speed.Category, speed.Better, speed.Worse)
	}
	if speed.Dropped != 1 || price.Dropped != 0 || price.Category != "M" {
		t.Errorf("got speed dropped %d, price dropped %d category %s; want 1, 0, M", speed.Dropped, price.Dropped, price.Category)
	}
	// An attribute whose answers are all reverse or questionable, or all
	// missing, is reported as not classifiable; the others are classified
	// as usual and the run does not fail.
	t.Run("not classifiable", func(t *testing.T) {
		p := writeFixture(t, "mixed.csv", "speed_functional,speed_dysfunctional,odd_functional,odd_dysfunctional,gone_functional,gone_dysfunctional\n"+
			"1,2,5,1,NA,\n1,3,1,1,,NA\n2,5,5,5,NA,NA\n")
		var got kanoOutput
		runJSON(t, &got, "kano", "--csv", p)
		if len(got.Attributes) != 3 {
			t.Fatalf("got %d attributes, want 3", len(got.Attributes))
		}
		speed, odd, gone := got.Attributes[0], got.Attributes[1], got.Attributes[2]
		if speed.Category != "A" || speed.Better == nil {
			t.Errorf("speed: got %+v, want classified (A)", speed)
		}
		if odd.Category != "" || odd.Better != nil || odd.Worse != nil || odd.Counts.R != 1 || odd.Counts.Q != 2 || !strings.Contains(odd.Reason, "reverse or questionable") {
			t.Errorf("odd: got %+v, want not classifiable with R 1 Q 2", odd)
		}
		if gone.Category != "" || gone.N != 0 || gone.Dropped != 3 || gone.Reason != "no complete answer pair" {
			t.Errorf("gone: got %+v, want not classifiable, 3 dropped", gone)
		}
		out, _, err := runCmd(t, "kano", "--csv", p)
		if err != nil || !strings.Contains(out, "odd: not classifiable") || !strings.Contains(out, "A attractive") {
			t.Errorf("table: %v\n%s", err, out)
		}
		raw, _, _ := runCmd(t, "kano", "--csv", p, "--json")
		if !strings.Contains(raw, `"better": null`) {
			t.Errorf("JSON: want better null for the unclassifiable attribute:\n%s", raw)
		}
	})
	t.Run("bad answer", func(t *testing.T) {
		bad := writeFixture(t, "bad.csv", "a_functional,a_dysfunctional\n1,2\n6,2\n")
		_, _, err := runCmd(t, "kano", "--csv", bad)
		if err == nil || !strings.Contains(err.Error(), "data row 2") || !strings.Contains(err.Error(), "a_functional") {
			t.Errorf("got %v, want an error naming data row 2 and column a_functional", err)
		}
	})
	t.Run("unpaired", func(t *testing.T) {
		bad := writeFixture(t, "bad.csv", "a_functional,b_dysfunctional\n1,2\n")
		if _, _, err := runCmd(t, "kano", "--csv", bad); err == nil || !strings.Contains(err.Error(), "a_dysfunctional") {
			t.Errorf("got %v, want an error naming the missing a_dysfunctional", err)
		}
	})
}
