package e2e

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/analyze"
)

// airlineSurvey writes a survey of the 14 service items of an airline
// passenger questionnaire (1–5) and an overall score driven mostly by a
// few of them, as a driver analysis meets it in practice: the items end
// up crowded on the IPA chart.
func airlineSurvey(t *testing.T) string {
	t.Helper()
	items := []string{"Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
		"Gate location", "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment",
		"On-board service", "Leg room service", "Baggage handling", "Checkin service", "Inflight service", "Cleanliness"}
	weights := []float64{0.25, 0.02, 0.1, 0.01, 0.05, 0.3, 0.12, 0.1, 0.06, 0.05, 0.03, 0.04, 0.03, 0.06}
	r := rand.New(rand.NewPCG(7, 14))
	var b strings.Builder
	b.WriteString("overall")
	for _, it := range items {
		b.WriteString(`,"` + it + `"`)
	}
	b.WriteString("\n")
	for range 600 {
		vals := make([]int, len(items))
		var s float64
		for j := range items {
			vals[j] = 2 + r.IntN(3) + r.IntN(2) - r.IntN(2)
			vals[j] = min(5, max(1, vals[j]))
			s += weights[j] * float64(vals[j])
		}
		overall := min(5, max(1, int(s/sum(weights)+r.NormFloat64()*0.4+0.5)))
		fmt.Fprintf(&b, "%d", overall)
		for _, v := range vals {
			fmt.Fprintf(&b, ",%d", v)
		}
		b.WriteString("\n")
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "airline.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var preds []string
	for _, it := range items {
		preds = append(preds, fmt.Sprintf("%q", it))
	}
	cfg := filepath.Join(dir, "report.json")
	conf := `{"title": "Airline", "drivers": {"target": "overall", "predictors": [` + strings.Join(preds, ",") + `]}}`
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report.html")
	if err := analyze.Run(context.Background(), []string{"report", "--csv", csv, "--config", cfg, "--out", out},
		strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatalf("analyze report: %v", err)
	}
	return out
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// TestReportChartsReadable opens a report of the 14-item airline survey
// in Chromium and measures the rendered text: no two labels of the IPA
// chart overlap, none leaves its chart, and the bar chart's item names
// are not cut off at the left edge.
func TestReportChartsReadable(t *testing.T) {
	bin := chromium(t)
	page := airlineSurvey(t)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(bin), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitReady(chromedp.CSS("svg.chart"))); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	// For every chart: its label boxes in SVG units, and the chart's size.
	type rect struct{ X, Y, W, H float64 }
	type chart struct {
		W, H   float64
		Labels []rect
		Texts  []string
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chart](`[...document.querySelectorAll("svg.chart")].map(svg => ({
		W: svg.viewBox.baseVal.width, H: svg.viewBox.baseVal.height,
		Labels: [...svg.querySelectorAll("text.lbl")].map(t => { const b = t.getBBox(); return {X: b.x, Y: b.y, W: b.width, H: b.height}; }),
		Texts: [...svg.querySelectorAll("text.lbl")].map(t => t.textContent)
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) < 2 {
		t.Fatalf("got %d charts, want the IPA chart and the weight bars", len(charts))
	}
	ipa := charts[0]
	if len(ipa.Labels) != 14 {
		t.Fatalf("IPA chart: %d labels, want 14", len(ipa.Labels))
	}
	const slack = 0.5 // anti-aliasing
	for i, a := range ipa.Labels {
		if a.X < -slack || a.Y < -slack || a.X+a.W > ipa.W+slack || a.Y+a.H > ipa.H+slack {
			t.Errorf("IPA label %q leaves the chart: %+v", ipa.Texts[i], a)
		}
		for j := i + 1; j < len(ipa.Labels); j++ {
			b := ipa.Labels[j]
			if a.X+slack < b.X+b.W && b.X+slack < a.X+a.W && a.Y+slack < b.Y+b.H && b.Y+slack < a.Y+a.H {
				t.Errorf("IPA labels %q and %q overlap: %+v %+v", ipa.Texts[i], ipa.Texts[j], a, b)
			}
		}
	}
	for _, c := range charts[1:] {
		for i, l := range c.Labels {
			if l.X < -slack {
				t.Errorf("bar label %q is cut at the left edge (x = %.1f)", c.Texts[i], l.X)
			}
		}
	}
}
