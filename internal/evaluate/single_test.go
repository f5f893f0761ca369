package evaluate

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

const tol = 1e-6

func near(tb testing.TB, what string, got, want, eps float64) {
	tb.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > eps {
		tb.Errorf("%s: got %.10g, want %.10g (±%g)", what, got, want, eps)
	}
}

func nearSlice(tb testing.TB, what string, got, want []float64, eps float64) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		near(tb, fmt.Sprintf("%s[%d]", what, i), got[i], want[i], eps)
	}
}

func wantErr(tb testing.TB, err error, contains string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want one containing %q", contains)
	}
	if !strings.Contains(err.Error(), contains) {
		tb.Errorf("got error %q, want it to contain %q", err, contains)
	}
}

// answers expands counts into a list: counts[i] answers of value lo+i.
func answers(lo int, counts ...int) []float64 {
	var out []float64
	for i, c := range counts {
		for range c {
			out = append(out, float64(lo+i))
		}
	}
	return out
}

func TestWilson(t *testing.T) {
	tests := []struct {
		k, n      int
		low, high float64
	}{
		{0, 10, 0, 0.277533},
		{10, 10, 0.722467, 1},
		{81, 263, 0.255289, 0.366210},
		{150, 200, 0.685659, 0.804918},
	}
	for _, tt := range tests {
		got, err := Wilson(tt.k, tt.n, Z95)
		if err != nil {
			t.Fatalf("Wilson(%d, %d): %v", tt.k, tt.n, err)
		}
		near(t, "low", got.Low, tt.low, tol)
		near(t, "high", got.High, tt.high, tol)
	}
}

func TestWilsonErrors(t *testing.T) {
	_, err := Wilson(1, 0, Z95)
	wantErr(t, err, "n is 0")
	_, err = Wilson(11, 10, Z95)
	wantErr(t, err, "k is 11")
	_, err = Wilson(1, 10, math.NaN())
	wantErr(t, err, "z is NaN")
}

func TestCSAT(t *testing.T) {
	got, err := CSAT(answers(1, 10, 14, 26, 70, 80))
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 200 || got.Satisfied != 150 {
		t.Errorf("got n %d satisfied %d, want 200 and 150", got.N, got.Satisfied)
	}
	near(t, "csat", got.Value, 0.75, tol)
	near(t, "low", got.CI.Low, 0.685659, tol)
	near(t, "high", got.CI.High, 0.804918, tol)
	if got.TooWide {
		t.Errorf("got too_wide true for ±6 points, want false")
	}
	small, err := CSAT([]float64{5, 4, 1, 2, 5})
	if err != nil {
		t.Fatal(err)
	}
	if !small.TooWide {
		t.Errorf("got too_wide false for n 5, want true")
	}
}

func TestNPS(t *testing.T) {
	// 120 promoters, 70 passives, 60 detractors spread over the scale.
	var s []float64
	s = append(s, answers(9, 70, 50)...)
	s = append(s, answers(7, 30, 40)...)
	s = append(s, answers(0, 5, 5, 5, 5, 10, 10, 20)...)
	got, err := NPS(s)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 250 || got.Promoters != 120 || got.Passives != 70 || got.Detractors != 60 {
		t.Errorf("got %+v, want n 250, 120/70/60", got)
	}
	near(t, "nps", got.Value, 24, tol)
	near(t, "se", got.SE, 5.147427, tol)
	near(t, "low", got.CI.Low, 13.911229, tol)
	near(t, "high", got.CI.High, 34.088771, tol)
	if !got.TooWide {
		t.Errorf("got too_wide false for ±10.09 points, want true")
	}
	near(t, "diff se", NPSDiffSE(got, got), math.Sqrt2*5.147427, tol)
}

func TestCES(t *testing.T) {
	got, err := CES(answers(1, 3, 5, 12, 20, 35, 15, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 100 {
		t.Errorf("got n %d, want 100", got.N)
	}
	near(t, "mean", got.Mean, 4.64, tol)
	near(t, "value", got.Value, 4.64, tol)
	near(t, "sd", got.SD, 1.432100, tol)
	near(t, "low", got.CI.Low, 4.359314, tol)
	near(t, "high", got.CI.High, 4.920686, tol)
	near(t, "agree", got.Agree, 0.60, tol)
	near(t, "agree low", got.AgreeCI.Low, 0.502003, tol)
	near(t, "agree high", got.AgreeCI.High, 0.690599, tol)
}

func TestScaleErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"csat empty", func() error { _, err := CSAT(nil); return err }, "csat: no answers"},
		{"csat non-integer", func() error { _, err := CSAT([]float64{5, 4, 3.5}); return err }, "index 2 is not an integer"},
		{"csat out of scale", func() error { _, err := CSAT([]float64{5, 0}); return err }, "answer 0 at index 1 is outside the scale 1–5"},
		{"csat NaN", func() error { _, err := CSAT([]float64{math.NaN()}); return err }, "index 0 is not an integer"},
		{"nps 11", func() error { _, err := NPS([]float64{10, 11}); return err }, "answer 11 at index 1"},
		{"nps inf", func() error { _, err := NPS([]float64{math.Inf(1)}); return err }, "index 0 is not an integer"},
		{"ces 8", func() error { _, err := CES([]float64{1, 2, 8}); return err }, "answer 8 at index 2"},
		{"ces single", func() error { _, err := CES([]float64{4}); return err }, "need at least 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr(t, tt.run(), tt.want) })
	}
}

func TestSampleSize(t *testing.T) {
	for _, tt := range []struct {
		margin float64
		want   int
	}{{0.10, 97}, {0.05, 385}, {0.03, 1068}} {
		got, err := SampleSizeProportion(tt.margin, Z95)
		if err != nil || got != tt.want {
			t.Errorf("SampleSizeProportion(%v): got %d, %v, want %d", tt.margin, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		points float64
		want   int
	}{{10, 385}, {5, 1537}} {
		got, err := SampleSizeNPS(tt.points, Z95)
		if err != nil || got != tt.want {
			t.Errorf("SampleSizeNPS(%v): got %d, %v, want %d", tt.points, got, err, tt.want)
		}
	}
	_, err := SampleSizeProportion(0, Z95)
	wantErr(t, err, "margin 0")
	_, err = SampleSizeNPS(-1, Z95)
	wantErr(t, err, "NPS margin -1")
}

func TestTooWide(t *testing.T) {
	tests := []struct {
		ci    Interval
		scale float64
		want  bool
	}{
		{Interval{0.5, 0.7}, 100, false},
		{Interval{0.5, 0.71}, 100, true},
		{Interval{10, 30}, 1, false},
		{Interval{10, 30.5}, 1, true},
	}
	for _, tt := range tests {
		if got := TooWide(tt.ci, tt.scale); got != tt.want {
			t.Errorf("TooWide(%v, %v): got %v, want %v", tt.ci, tt.scale, got, tt.want)
		}
	}
}
