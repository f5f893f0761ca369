package web

import (
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/analytics"
)

// faultsTable lists each product model's fault codes of the period, those
// with a spike first: the repairs that recorded the code, and its most
// unusual interval (the smallest Poisson tail) with the count, the
// model's own baseline and the limit.
func (s *server) faultsTable(r *http.Request, f analytics.FaultSpikes) aTable {
	t := aTable{ID: "faults", Head: []string{s.tr(r, "analytics.faults.product"), s.tr(r, "analytics.faults.code"),
		s.tr(r, "analytics.faults.fault"), s.tr(r, "analytics.faults.total"), s.tr(r, "analytics.faults.repairs"),
		s.tr(r, "analytics.faults.peak"), s.tr(r, "analytics.faults.count"), s.tr(r, "analytics.faults.expected"),
		s.tr(r, "analytics.col.ucl"), "p", s.tr(r, "analytics.faults.spikes")}}
	for _, fs := range f.Series {
		peak := peakPoint(fs)
		t.Rows = append(t.Rows, aRow{Cells: []aCell{textCell(fs.Product), textCell(fs.Code), textCell(fs.Name), intCell(fs.Total),
			intCell(fs.Repairs), textCell(peak.Key), intCell(peak.Count), numCell(peak.Expected, 2), intCell(peak.UCL),
			{Text: strconv.FormatFloat(peak.PValue, 'g', 3, 64), Value: peak.PValue}, intCell(fs.Spikes)}})
	}
	return t
}

// peakPoint is a series' most unusual interval: the smallest Poisson
// tail, the earliest on a tie.
func peakPoint(fs analytics.FaultSeries) analytics.FaultPoint {
	var best analytics.FaultPoint
	for i, p := range fs.Points {
		if i == 0 || p.PValue < best.PValue {
			best = p
		}
	}
	return best
}

// faultSpikeList names the spikes: model, code and interval.
func faultSpikeList(f analytics.FaultSpikes) []string {
	var out []string
	for _, fs := range f.Series {
		for _, p := range fs.Points {
			if p.Spike {
				out = append(out, fs.Product+" · "+fs.Code+" · "+p.Key)
			}
		}
	}
	return out
}

type faultLine struct {
	Name     string    `json:"name"`
	Count    []int     `json:"count"`
	Expected []float64 `json:"expected"`
	UCL      []int     `json:"ucl"`
	Spike    []bool    `json:"spike"`
}

type faultsChartData struct {
	Kind  string      `json:"kind"`
	Keys  []string    `json:"keys"`
	Lines []faultLine `json:"lines"`
	Names []string    `json:"names"` // count, expected, UCL (tooltip)
}

// maxFaultLines bounds the chart to the series a reader can follow.
const maxFaultLines = 4

// faultsChart draws the counts of the series with a spike (else the
// most frequent ones) by interval, spikes marked.
func (s *server) faultsChart(r *http.Request, f analytics.FaultSpikes) string {
	c := faultsChartData{Kind: "faults", Keys: []string{}, Lines: []faultLine{}, Names: []string{s.tr(r, "analytics.faults.count"), s.tr(r, "analytics.faults.expected"),
		s.tr(r, "analytics.col.ucl")}}
	for i, fs := range f.Series {
		if i == maxFaultLines || (i > 0 && fs.Spikes == 0 && f.Series[0].Spikes > 0) {
			break
		}
		l := faultLine{Name: fs.Product + " · " + fs.Name}
		for _, p := range fs.Points {
			if i == 0 {
				c.Keys = append(c.Keys, p.Key)
			}
			l.Count, l.Expected, l.UCL, l.Spike = append(l.Count, p.Count), append(l.Expected, p.Expected), append(l.UCL, p.UCL), append(l.Spike, p.Spike)
		}
		c.Lines = append(c.Lines, l)
	}
	return chartJSON(c)
}
