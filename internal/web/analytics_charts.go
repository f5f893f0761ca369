package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/analytics"
)

// The charts' data, read by static/analytics.js. Every label is already
// in the reader's language, so the script holds no text of its own.

type satChartData struct {
	Kind   string     `json:"kind"`
	Title  string     `json:"title"`
	Labels []string   `json:"labels"`
	Value  []*float64 `json:"value"` // CSAT in percent
	Low    []*float64 `json:"low"`
	High   []*float64 `json:"high"`
	N      []int      `json:"n"`
	Muted  []bool     `json:"muted"`
	NText  string     `json:"n_text"`
}

func pct(v *float64) *float64 {
	if v == nil {
		return nil
	}
	x := 100 * *v
	return &x
}

// satChart is CSAT by group with its Wilson interval and n.
func (s *server) satChart(r *http.Request, sat analytics.Satisfaction) string {
	c := satChartData{Kind: "satisfaction", Title: s.tr(r, "analytics.chart.csat"), NText: "n"}
	for _, g := range sat.Groups {
		label := g.Label
		if sat.GroupBy == analytics.ByChannel {
			label = s.tr(r, "channel."+g.Key)
		}
		c.Labels = append(c.Labels, label)
		c.Value = append(c.Value, pct(g.CSAT.Value))
		c.Low = append(c.Low, pct(g.CSAT.CILow))
		c.High = append(c.High, pct(g.CSAT.CIHigh))
		c.N = append(c.N, g.N)
		c.Muted = append(c.Muted, g.CSAT.Unreliable)
	}
	return chartJSON(c)
}

type ipaPoint struct {
	Name     string  `json:"name"`
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	Quadrant string  `json:"quadrant"`
}

type ipaChartData struct {
	Kind      string            `json:"kind"`
	XName     string            `json:"x_name"`
	YName     string            `json:"y_name"`
	XCut      float64           `json:"x_cut"`
	YCut      float64           `json:"y_cut"`
	Points    []ipaPoint        `json:"points"`
	Quadrants map[string]string `json:"quadrants"`
}

// ipaChart is the importance–performance chart: performance (mean
// rating) across, importance (relative-weight share, %) up.
func (s *server) ipaChart(r *http.Request, d analytics.Drivers) string {
	c := ipaChartData{Kind: "ipa", XName: s.tr(r, "analytics.ipa.performance"), YName: s.tr(r, "analytics.ipa.importance"),
		XCut: d.PerformanceCut, YCut: 100 * d.ImportanceCut, Quadrants: map[string]string{}}
	for _, q := range []string{"concentrate", "keep_up", "low_priority", "overkill"} {
		c.Quadrants[q] = s.tr(r, "analytics.quadrant."+q)
	}
	for _, p := range d.Predictors {
		c.Points = append(c.Points, ipaPoint{Name: s.dimensionLabel(r, p.Name), X: p.Mean, Y: 100 * p.RelativeWeightShare,
			Quadrant: string(p.Quadrant)})
	}
	return chartJSON(c)
}

type indexChartData struct {
	Kind   string    `json:"kind"`
	Title  string    `json:"title"`
	Labels []string  `json:"labels"`
	Scores []float64 `json:"scores"`
}

// indexChart ranks the units by composite score, best on top.
func (s *server) indexChart(r *http.Request, idx analytics.Index) string {
	c := indexChartData{Kind: "index", Title: s.tr(r, "analytics.col.score")}
	for _, row := range idx.Rows {
		c.Labels = append(c.Labels, row.Label)
		c.Scores = append(c.Scores, row.Score)
	}
	return chartJSON(c)
}

type trendChartData struct {
	Kind  string    `json:"kind"`
	Keys  []string  `json:"keys"`
	P     []float64 `json:"p"`
	LCL   []float64 `json:"lcl"`
	UCL   []float64 `json:"ucl"`
	N     []int     `json:"n"`
	Alert []bool    `json:"alert"`
	CL    float64   `json:"cl"`
	Names []string  `json:"names"` // p, CL, UCL, LCL
}

// trendChart is the p-chart of the CSAT share with its 3σ limits.
func (s *server) trendChart(r *http.Request, t analytics.Trend) string {
	c := trendChartData{Kind: "trend", CL: 100 * t.CL, Names: []string{s.tr(r, "analytics.trend.p"), s.tr(r, "analytics.trend.cl"),
		s.tr(r, "analytics.col.ucl"), s.tr(r, "analytics.col.lcl")}}
	for _, p := range t.Points {
		c.Keys = append(c.Keys, p.Key)
		c.P = append(c.P, 100*p.P)
		c.LCL = append(c.LCL, 100*p.LCL)
		c.UCL = append(c.UCL, 100*p.UCL)
		c.N = append(c.N, p.N)
		c.Alert = append(c.Alert, p.Alert != "")
	}
	return chartJSON(c)
}
