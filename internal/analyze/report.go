package analyze

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/evaluate"
)

// reportConfig is the JSON configuration of "analyze report"; every
// section is optional. docs/analyze.md documents it.
type reportConfig struct {
	Title   string `json:"title"`
	Lang    string `json:"lang"`
	Drivers *struct {
		Target     string   `json:"target"`
		Predictors []string `json:"predictors"`
	} `json:"drivers"`
	Scores []struct {
		Kind   string `json:"kind"`
		Column string `json:"column"`
	} `json:"scores"`
	Entropy *struct {
		Columns   []string `json:"columns"`
		Cost      []string `json:"cost"`
		Normalize string   `json:"normalize"`
		Label     string   `json:"label"`
	} `json:"entropy"`
	Distributions []string `json:"distributions"`
	Kano          bool     `json:"kano"`
}

const reportAbout = `
Writes a self-contained HTML report (tables plus inline SVG charts, no
scripts, nothing loaded from the network; print-friendly) for the data file
--csv, as described by the JSON file --config:

  {
    "title": "Service survey Q3",          report title (optional)
    "lang": "en",                          "en" (default) or "zh-CN"
    "scores": [{"kind": "csat", "column": "q1"},
               {"kind": "nps", "column": "nps"},
               {"kind": "ces", "column": "effort"}],
    "drivers": {"target": "q1", "predictors": ["q2", "q3", "q4"]},
    "entropy": {"columns": ["speed", "price"], "cost": ["price"],
                "normalize": "minmax", "label": "centre"},
    "distributions": ["q1", "q2"],
    "kano": true
  }

Every section is optional. scores: CSAT/NPS/CES with 95 % intervals and n,
greyed out when wider than ±10 points or from fewer than 30 answers. drivers: key-driver table, IPA
quadrant chart and relative-weight bars. entropy: indicator weights and
composite scores of the rows ("label" names the row-label column; default
a non-numeric first column; "normalize" none or minmax, default none).
distributions: a histogram per column. kano: Kano table from the
<attribute>_functional / <attribute>_dysfunctional columns. Empty and NA
cells are missing; each analysis uses the complete cases of its columns.
On any error nothing is written.`

func runReport(c *cmdIO, args []string) error {
	fs := c.newFlags("report", "--csv FILE --config CONFIG.json [--out FILE]", reportAbout)
	var in inputFlags
	in.register(fs, "csv")
	config := fs.String("config", "", "report configuration `file` (JSON)")
	out := fs.String("out", "", "output `file` (default stdout); written only when the report is complete")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "csv", "config"); err != nil {
		return err
	}
	cfg, err := loadReportConfig(*config)
	if err != nil {
		return err
	}
	d, err := in.load(c, cfg.columns())
	if err != nil {
		return err
	}
	page, err := buildReport(d, cfg, time.Now())
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	if err := reportTemplate().Execute(&buf, page); err != nil {
		return fmt.Errorf("report: render: %w", err)
	}
	if *out == "" {
		if _, err := c.stdout.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("report: write: %w", err)
		}
		return nil
	}
	return writeFileAtomic(*out, buf.Bytes())
}

// columns selects what the configured analyses read (nil: everything,
// when an entropy section takes every column).
func (cfg *reportConfig) columns() columnSelector {
	return func(header []string) ([]string, error) {
		var out []string
		for _, s := range cfg.Scores {
			out = append(out, s.Column)
		}
		if dr := cfg.Drivers; dr != nil {
			out = append(append(out, dr.Target), dr.Predictors...)
		}
		if e := cfg.Entropy; e != nil {
			sel := entropyColumns(e.Columns, e.Label)
			if sel == nil {
				return header, nil
			}
			more, _ := sel(header)
			out = append(out, more...)
		}
		out = append(out, cfg.Distributions...)
		if cfg.Kano {
			more, _ := kanoColumns(header)
			out = append(out, more...)
		}
		return out, nil
	}
}

// loadReportConfig reads and checks the configuration file.
func loadReportConfig(path string) (*reportConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var cfg reportConfig
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("report config %s: %w", path, err)
	}
	for i, s := range cfg.Scores {
		switch s.Kind {
		case "csat", "nps", "ces":
		default:
			return nil, fmt.Errorf("report config %s: scores[%d]: kind must be csat, nps or ces, not %q", path, i, s.Kind)
		}
		if s.Column == "" {
			return nil, fmt.Errorf("report config %s: scores[%d]: column is required", path, i)
		}
	}
	if dr := cfg.Drivers; dr != nil && (dr.Target == "" || len(dr.Predictors) == 0) {
		return nil, fmt.Errorf("report config %s: drivers needs target and predictors", path)
	}
	if e := cfg.Entropy; e != nil {
		switch e.Normalize {
		case "":
			e.Normalize = string(evaluate.NormalizeNone)
		case string(evaluate.NormalizeNone), string(evaluate.NormalizeMinMax):
		default:
			return nil, fmt.Errorf("report config %s: entropy.normalize must be none or minmax, not %q", path, e.Normalize)
		}
	}
	return &cfg, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so that a failed run leaves no partial report.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("report: write %s: %w", path, werr)
	}
	return nil
}

// reportPage is what the report template renders.
type reportPage struct {
	T             reportText
	Title         string
	Generated     string
	Source        string
	Rows          int
	Scores        []scoreView
	Drivers       *driversView
	Entropy       *entropyView
	Distributions []distView
	Kano          *kanoOutput
}

// scoreView is one score of the report.
type scoreView struct {
	*scoreOutput
	Name, ValueText, CIText, Detail string
	Chart                           template.HTML
}

// driversView is the driver-analysis section.
type driversView struct {
	*driversOutput
	IPA, Shares template.HTML
	Fix         []evaluate.Driver
	CrossHairs  string
}

// maxRankedRows caps the alternatives a report lists and charts.
const maxRankedRows = 30

// entropyView is the entropy-weight section.
type entropyView struct {
	*entropyOutput
	Types                   []string
	Ranked                  []rankedRow // best first, at most maxRankedRows
	WeightChart, ScoreChart template.HTML
}

// rankedRow is one alternative of the composite-score ranking.
type rankedRow struct {
	Rank  int
	Name  string
	Score float64
}

// distView is one column's rating distribution.
type distView struct {
	Column  string
	N       int
	Missing int
	Mean    float64
	Chart   template.HTML
}

// buildReport runs every configured analysis on d.
func buildReport(d *dataset, cfg *reportConfig, now time.Time) (*reportPage, error) {
	t := reportTexts(cfg.Lang)
	p := &reportPage{T: t, Title: cfg.Title, Generated: now.Format("2006-01-02 15:04"), Source: filepath.Base(d.name), Rows: d.n}
	if p.Title == "" {
		p.Title = t.DefaultTitle
	}
	for _, sc := range cfg.Scores {
		v, err := scoreSection(d, t, sc.Kind, sc.Column)
		if err != nil {
			return nil, err
		}
		p.Scores = append(p.Scores, v)
	}
	if dr := cfg.Drivers; dr != nil {
		out, err := computeDrivers(d, dr.Target, dr.Predictors)
		if err != nil {
			return nil, err
		}
		p.Drivers = driversSection(t, out)
	}
	if e := cfg.Entropy; e != nil {
		out, err := computeEntropy(d, e.Columns, e.Label, e.Cost, e.Normalize)
		if err != nil {
			return nil, err
		}
		p.Entropy = entropySection(t, out)
	}
	for _, col := range cfg.Distributions {
		v, err := distSection(d, t, col)
		if err != nil {
			return nil, err
		}
		p.Distributions = append(p.Distributions, v)
	}
	if cfg.Kano {
		k, err := computeKano(d)
		if err != nil {
			return nil, err
		}
		p.Kano = k
	}
	return p, nil
}

func scoreSection(d *dataset, t reportText, kind, column string) (scoreView, error) {
	s, err := computeScore(d, kind, column)
	if err != nil {
		return scoreView{}, err
	}
	v := scoreView{scoreOutput: s, Name: t.scoreName(kind)}
	switch kind {
	case "csat":
		pct := func(x float64) string { return fmt.Sprintf("%.1f %%", 100*x) }
		v.ValueText, v.CIText = pct(s.Value), "["+pct(s.CILow)+", "+pct(s.CIHigh)+"]"
		v.Detail = fmt.Sprintf("%s: %d", t.Satisfied, *s.Satisfied)
		v.Chart = intervalChart(v.Name+" "+column, s.Value, s.CILow, s.CIHigh, 0, 1, s.Unreliable, pct)
	case "nps":
		pts := func(x float64) string { return fmt.Sprintf("%.1f", x) }
		v.ValueText, v.CIText = pts(s.Value), "["+pts(s.CILow)+", "+pts(s.CIHigh)+"]"
		v.Detail = fmt.Sprintf("%s %d, %s %d", t.Promoters, *s.Promoters, t.Detractors, *s.Detractors)
		v.Chart = intervalChart(v.Name+" "+column, s.Value, s.CILow, s.CIHigh, -100, 100, s.Unreliable, pts)
	case "ces":
		pct := func(x float64) string { return fmt.Sprintf("%.1f %%", 100*x) }
		v.ValueText, v.CIText = fmt.Sprintf("%.2f", s.Value), fmt.Sprintf("[%.2f, %.2f]", s.CILow, s.CIHigh)
		v.Detail = fmt.Sprintf("%s %s [%s, %s]; %s %.2f", t.Agree, pct(*s.Agree), pct(*s.AgreeCILow), pct(*s.AgreeCIHigh), t.SD, *s.SD)
		v.Chart = intervalChart(v.Name+" "+column, s.Value, s.CILow, s.CIHigh, 1, 7, s.Unreliable, func(x float64) string { return fmt.Sprintf("%.2f", x) })
	}
	return v, nil
}

func driversSection(t reportText, out *driversOutput) *driversView {
	pts := make([]ipaPoint, len(out.Predictors))
	names := make([]string, len(out.Predictors))
	shares := make([]float64, len(out.Predictors))
	for i, p := range out.Predictors {
		pts[i] = ipaPoint{Label: p.Name, Performance: p.Mean, Importance: p.RelativeWeightShare,
			Highlight: p.Quadrant == evaluate.QuadrantConcentrate}
		names[i], shares[i] = p.Name, p.RelativeWeightShare
	}
	lb := ipaLabels{Title: t.IPAChart, X: t.IPAX, Y: t.IPAY, Q1: t.Q1, Q2: t.Q2, Q3: t.Q3, Q4: t.Q4}
	return &driversView{
		driversOutput: out,
		IPA:           ipaChart(pts, out.PerformanceCut, out.ImportanceCut, lb),
		Shares:        barChart(t.ShareChart, names, shares, func(x float64) string { return fmt.Sprintf("%.1f %%", 100*x) }),
		Fix:           fixFirst(out.Predictors),
		CrossHairs:    t.crossHairs(out.PerformanceCut, out.ImportanceCut),
	}
}

func entropySection(t reportText, out *entropyOutput) *entropyView {
	v := &entropyView{entropyOutput: out, Types: make([]string, len(out.Indicators))}
	for j, name := range out.Indicators {
		v.Types[j] = t.Benefit
		for _, c := range out.Cost {
			if strings.EqualFold(c, name) {
				v.Types[j] = t.Cost
			}
		}
	}
	v.WeightChart = barChart(t.WeightChart, out.Indicators, out.Weights, f4)
	order := make([]int, len(out.Rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return out.Scores[order[a]] > out.Scores[order[b]] })
	if len(order) > maxRankedRows {
		order = order[:maxRankedRows]
	}
	names := make([]string, len(order))
	scores := make([]float64, len(order))
	for k, i := range order {
		v.Ranked = append(v.Ranked, rankedRow{Rank: k + 1, Name: out.Rows[i], Score: out.Scores[i]})
		names[k], scores[k] = out.Rows[i], out.Scores[i]
	}
	v.ScoreChart = barChart(t.ScoreChart, names, scores, f4)
	return v
}

// distSection counts the answers of one column. Whole-number answers
// spanning at most 21 values get one bar each; anything else ten bins.
func distSection(d *dataset, t reportText, column string) (distView, error) {
	cc, err := d.numeric([]string{column})
	if err != nil {
		return distView{}, err
	}
	xs := cc.cols[0]
	v := distView{Column: column, N: len(xs), Missing: cc.dropped}
	if len(xs) == 0 {
		v.Chart = histogram(t.RatingOf+" "+column, nil, column)
		return v, nil
	}
	lo, hi, sum, whole := xs[0], xs[0], 0.0, true
	for _, x := range xs {
		lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
		whole = whole && x == math.Trunc(x)
	}
	v.Mean = sum / float64(len(xs))
	var bins []histBin
	if whole && hi-lo <= 20 {
		counts := map[float64]int{}
		for _, x := range xs {
			counts[x]++
		}
		for x := lo; x <= hi; x++ {
			bins = append(bins, histBin{Label: strconv.FormatFloat(x, 'f', -1, 64), Count: counts[x]})
		}
	} else {
		const k = 10
		width := (hi - lo) / k
		if width == 0 {
			width = 1
		}
		counts := make([]int, k)
		for _, x := range xs {
			counts[min(int((x-lo)/width), k-1)]++
		}
		for i, c := range counts {
			bins = append(bins, histBin{Label: tickLabel(lo + float64(i)*width), Count: c})
		}
	}
	v.Chart = histogram(t.RatingOf+" "+column, bins, column)
	return v, nil
}
