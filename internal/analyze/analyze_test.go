package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/testenv"
)

// writeFixture writes content to a file in a fresh temp dir.
func writeFixture(tb testing.TB, name, content string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// runCmd runs "analyze args…" in-process.
func runCmd(tb testing.TB, args ...string) (string, string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// runJSON runs a method with --json and decodes its output into v.
func runJSON(tb testing.TB, v any, args ...string) {
	tb.Helper()
	out, stderr, err := runCmd(tb, append(args, "--json")...)
	if err != nil {
		tb.Fatalf("analyze %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		tb.Fatalf("decode JSON: %v\n%s", err, out)
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func checkFloats(tb testing.TB, what string, got, want []float64, tol float64) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s: got %d values %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range want {
		if !near(got[i], want[i], tol) {
			tb.Errorf("%s[%d]: got %.12f, want %.12f", what, i, got[i], want[i])
		}
	}
}

// answers builds a one-column CSV with count answers of each value.
func answers(column string, counts map[int]int) string {
	var b strings.Builder
	b.WriteString(column + "\n")
	for v := 0; v <= 10; v++ {
		for range counts[v] {
			fmt.Fprintf(&b, "%d\n", v)
		}
	}
	return b.String()
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want error
	}{
		{"no method", nil, ErrUsage},
		{"unknown method", []string{"bogus"}, ErrUsage},
		{"help", []string{"--help"}, flag.ErrHelp},
		{"method help", []string{"drivers", "--help"}, flag.ErrHelp},
		{"missing flag", []string{"csat", "--column", "q1"}, ErrUsage},
		{"bad flag", []string{"ahp", "--nope"}, ErrUsage},
		{"bad method flag", []string{"ahp", "--matrix", "1", "--method", "median"}, ErrUsage},
		{"stray argument", []string{"ahp", "--matrix", "1", "extra"}, ErrUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runCmd(t, tt.args...)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			if !strings.Contains(stderr, "Usage: aftercare analyze") {
				t.Errorf("got stderr %q, want a usage message", stderr)
			}
		})
	}
	_, stderr, _ := runCmd(t)
	for _, m := range methods() {
		if !strings.Contains(stderr, m.name) {
			t.Errorf("usage does not list method %q", m.name)
		}
	}
}

func TestScores(t *testing.T) {
	csat := writeFixture(t, "csat.csv", answers("q1", map[int]int{1: 10, 2: 14, 3: 26, 4: 70, 5: 80}))
	nps := writeFixture(t, "nps.csv", answers("nps", map[int]int{10: 120, 7: 70, 3: 60}))
	ces := writeFixture(t, "ces.csv", answers("effort", map[int]int{1: 3, 2: 5, 3: 12, 4: 20, 5: 35, 6: 15, 7: 10}))
	small := writeFixture(t, "small.csv", "q1\n5\n4\n\nNA\n2\n1\n")
	tests := []struct {
		kind, file, column string
		n, dropped         int
		value, low, high   float64
		wide               bool
		agree, aLow, aHigh float64
	}{
		{"csat", csat, "q1", 200, 0, 0.75, 0.685659, 0.804918, false, 0, 0, 0},
		{"nps", nps, "nps", 250, 0, 24, 13.911229, 34.088771, true, 0, 0, 0}, // ±10.09 points
		{"ces", ces, "effort", 100, 0, 4.64, 4.359314, 4.920686, false, 0.60, 0.502003, 0.690599},
		{"csat", small, "q1", 4, 2, 0.5, 0.150039, 0.849961, true, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"_"+filepath.Base(tt.file), func(t *testing.T) {
			var got scoreOutput
			runJSON(t, &got, tt.kind, "--csv", tt.file, "--column", tt.column)
			if got.N != tt.n || got.Dropped != tt.dropped {
				t.Errorf("got n %d dropped %d, want n %d dropped %d", got.N, got.Dropped, tt.n, tt.dropped)
			}
			checkFloats(t, "value, ci_low, ci_high", []float64{got.Value, got.CILow, got.CIHigh}, []float64{tt.value, tt.low, tt.high}, 1e-6)
			if got.Wide != tt.wide {
				t.Errorf("got wide %v, want %v", got.Wide, tt.wide)
			}
			if tt.kind == "ces" {
				if got.Agree == nil || got.AgreeCILow == nil || got.AgreeCIHigh == nil {
					t.Fatalf("got no agree fields in %+v", got)
				}
				checkFloats(t, "agree", []float64{*got.Agree, *got.AgreeCILow, *got.AgreeCIHigh}, []float64{tt.agree, tt.aLow, tt.aHigh}, 1e-6)
			}
			out, _, err := runCmd(t, tt.kind, "--csv", tt.file, "--column", tt.column)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, fmt.Sprintf("n = %d", tt.n)) {
				t.Errorf("table output %q does not show n = %d", out, tt.n)
			}
			if got, want := strings.Contains(out, "unreliable"), tt.wide || tt.n < 30; got != want {
				t.Errorf("table output says unreliable: got %v, want %v\n%s", got, want, out)
			}
		})
	}
	// Five identical NPS answers: an interval of zero width, yet no
	// precision at all. Fewer than 30 answers is unreliable by itself;
	// 30 are not.
	t.Run("small sample", func(t *testing.T) {
		for _, c := range []struct {
			n     int
			small bool
		}{{5, true}, {29, true}, {30, false}} {
			f := writeFixture(t, "tiny.csv", answers("nps", map[int]int{10: c.n}))
			var got scoreOutput
			runJSON(t, &got, "nps", "--csv", f, "--column", "nps")
			if got.CIHigh-got.CILow != 0 || got.Wide {
				t.Fatalf("n %d: got interval [%v, %v], want zero width and not wide", c.n, got.CILow, got.CIHigh)
			}
			if got.SmallSample != c.small || got.Unreliable != c.small {
				t.Errorf("n %d: got small_sample %v unreliable %v, want %v", c.n, got.SmallSample, got.Unreliable, c.small)
			}
			out, _, _ := runCmd(t, "nps", "--csv", f, "--column", "nps")
			if strings.Contains(out, "fewer than 30 answers") != c.small {
				t.Errorf("n %d: text output:\n%s", c.n, out)
			}
		}
	})
}

func TestDriversData(t *testing.T) {
	tests := []struct {
		file, target, predictors string
		n                        int
		r2                       float64
		eps, lmg                 []float64
		quadrants                string
	}{
		{"customerSat.csv", "q1", "q2,q3,q4,q5,q6,q7,q8,q9,q10", 1811, 0.716729,
			[]float64{0.09142, 0.07418, 0.14890, 0.07883, 0.15231, 0.06483, 0.05107, 0.02539, 0.02980},
			[]float64{0.08710, 0.07039, 0.16143, 0.07872, 0.15223, 0.06276, 0.05032, 0.02570, 0.02808},
			"concentrate low_priority concentrate low_priority concentrate overkill overkill overkill overkill"},
		{"satisfaction.csv", "sat1", "qual1,qual2,qual3,qual4,qual5", 250, 0.435344,
			[]float64{0.10038, 0.11168, 0.07182, 0.08466, 0.06680},
			[]float64{0.09835, 0.11739, 0.06900, 0.08434, 0.06627}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := testenv.DataFile(t, tt.file)
			var got driversOutput
			runJSON(t, &got, "drivers", "--csv", path, "--target", tt.target, "--predictors", tt.predictors)
			if got.N != tt.n || got.Dropped != 0 {
				t.Errorf("got n %d dropped %d, want %d and 0", got.N, got.Dropped, tt.n)
			}
			if !near(got.R2, tt.r2, 1e-4) {
				t.Errorf("got r2 %.6f, want %.6f", got.R2, tt.r2)
			}
			var eps, lmg []float64
			var quadrants []string
			for _, p := range got.Predictors {
				eps, lmg, quadrants = append(eps, p.RelativeWeight), append(lmg, p.LMG), append(quadrants, string(p.Quadrant))
			}
			checkFloats(t, "relative_weight", eps, tt.eps, 1e-4)
			checkFloats(t, "lmg", lmg, tt.lmg, 1e-4)
			if tt.quadrants != "" && strings.Join(quadrants, " ") != tt.quadrants {
				t.Errorf("got quadrants %v, want %s", quadrants, tt.quadrants)
			}
		})
	}
	t.Run("fix this first", func(t *testing.T) {
		path := testenv.DataFile(t, "customerSat.csv")
		out, _, err := runCmd(t, "drivers", "--csv", path, "--target", "q1", "--predictors", "q2,q3,q4,q5,q6,q7,q8,q9,q10")
		if err != nil {
			t.Fatal(err)
		}
		fix := out[strings.Index(out, "Fix this first"):]
		if i6, i4, i2 := strings.Index(fix, "q6"), strings.Index(fix, "q4"), strings.Index(fix, "q2"); !(i6 > 0 && i6 < i4 && i4 < i2) {
			t.Errorf("fix-this-first list not q6, q4, q2:\n%s", fix)
		}
		if !strings.Contains(out, "dropped 0") {
			t.Errorf("table output lacks the dropped line:\n%s", out)
		}
	})
}

// driversFixture is a small data set where y depends on a and b.
func driversFixture(extra string) string {
	var b strings.Builder
	b.WriteString("y,a,b,c\n")
	rows := [][4]int{{1, 1, 2, 5}, {2, 2, 1, 3}, {3, 2, 3, 4}, {4, 4, 3, 1}, {5, 4, 5, 2}, {6, 5, 6, 6}, {7, 7, 6, 2}, {8, 8, 7, 5}, {9, 8, 9, 1}, {10, 9, 9, 3}}
	for _, r := range rows {
		fmt.Fprintf(&b, "%d,%d,%d,%d\n", r[0], r[1], r[2], r[3])
	}
	b.WriteString(extra)
	return b.String()
}

func TestDriversMissing(t *testing.T) {
	base := writeFixture(t, "base.csv", driversFixture(""))
	holes := writeFixture(t, "holes.csv", driversFixture("3,NA,2,2\n4,,3,3\n5,3,4,\n"))
	var want, got driversOutput
	runJSON(t, &want, "drivers", "--csv", base, "--target", "y", "--predictors", "a,b,c")
	runJSON(t, &got, "drivers", "--csv", holes, "--target", "y", "--predictors", "a,b,c")
	if got.Dropped != 3 || got.N != 10 {
		t.Errorf("got n %d dropped %d, want n 10 dropped 3", got.N, got.Dropped)
	}
	if !near(got.R2, want.R2, 1e-12) {
		t.Errorf("got r2 %v with incomplete rows, want %v (complete cases)", got.R2, want.R2)
	}
	// Without c the row that lacks only c is complete again.
	runJSON(t, &got, "drivers", "--csv", holes, "--target", "y", "--predictors", "a,b")
	if got.Dropped != 2 {
		t.Errorf("got dropped %d for predictors a,b, want 2", got.Dropped)
	}
	out, _, err := runCmd(t, "drivers", "--csv", holes, "--target", "y", "--predictors", "a,b,c")
	if err != nil || !strings.Contains(out, "dropped 3") {
		t.Errorf("table output lacks the dropped line (err %v):\n%s", err, out)
	}
}

func TestDriversErrors(t *testing.T) {
	tests := []struct {
		name, csv, target, preds string
		want                     []string
	}{
		{"bad cell", "y,a,b\n1,2,3\n2,x3,4\n", "y", "a,b", []string{"data row 2", "file line 3", `column "a"`, `"x3"`}},
		{"missing column", "y,a,b\n1,2,3\n", "y", "a,zz", []string{`no column "zz"`, `"y", "a", "b"`}},
		{"too few rows", "y,a,b\n1,2,3\n2,3,1\n", "y", "a,b", []string{"drivers:"}},
		{"singular", "y,a,b\n1,1,2\n2,2,4\n3,3,6\n4,4,8\n5,6,12\n", "y", "a,b", []string{"drivers:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFixture(t, "d.csv", tt.csv)
			out, _, err := runCmd(t, "drivers", "--csv", p, "--target", tt.target, "--predictors", tt.preds, "--json")
			if err == nil || errors.Is(err, ErrUsage) {
				t.Fatalf("got error %v, want a failure", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
			if out != "" {
				t.Errorf("got output %q on failure, want none", out)
			}
		})
	}
}
