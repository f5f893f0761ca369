package web

import (
	"fmt"
	"net/http"

	"github.com/aftercare/aftercare/internal/analytics"
)

// workTable lists the work indicators by unit, the overall row first.
func (s *server) workTable(r *http.Request, w analytics.WorkIndicators, unitHead string) aTable {
	t := aTable{ID: "work", Head: []string{unitHead}}
	for _, d := range w.Indicators {
		t.Head = append(t.Head, s.tr(r, "indicator."+d.Key))
	}
	row := func(label string, ir analytics.IndicatorRow) aRow {
		cells := []aCell{textCell(label)}
		for _, d := range w.Indicators {
			v, ok := ir.Values[d.Key]
			switch {
			case !ok:
				cells = append(cells, aCell{Text: "—", Value: ""})
			case d.Unit == "rate":
				cells = append(cells, aCell{Text: fmt.Sprintf("%.1f%% (n %d)", 100*v.Value, v.N), Value: v.Value})
			case d.Unit == "hours":
				cells = append(cells, aCell{Text: fmt.Sprintf("%.1f h · P90 %.1f h", v.Value, *v.P90), Value: v.Value})
			default:
				cells = append(cells, intCell(int(v.Value)))
			}
		}
		return aRow{Cells: cells}
	}
	t.Rows = append(t.Rows, row(s.tr(r, "analytics.overall"), w.Overall))
	for _, ir := range w.Rows {
		t.Rows = append(t.Rows, row(ir.Label, ir))
	}
	return t
}

// absentIndicators names the indicators not measured yet, and why.
func (s *server) absentIndicators(r *http.Request, w analytics.WorkIndicators) []string {
	var out []string
	for _, d := range w.Absent {
		out = append(out, s.tr(r, "indicator."+d.Key))
	}
	return out
}

// scorecardIndicators are the work indicators a staff scorecard shows.
func scorecardIndicators() []string {
	return []string{"requests", "first_contact_resolution", "reopen_rate", "resolution_hours"}
}

// scorecardTable is one row per agent: the satisfaction of the responses
// to their requests and, from the same period, the work indicators of
// the requests they resolved, each with its own n.
func (s *server) scorecardTable(r *http.Request, sat analytics.Satisfaction, work analytics.WorkIndicators) aTable {
	t := s.satisfactionTable(r, "scorecards", s.tr(r, "analytics.by.agent"), sat, false)
	byKey := map[string]analytics.IndicatorRow{}
	for _, row := range work.Rows {
		byKey[row.Key] = row
	}
	defs := map[string]analytics.IndicatorDef{}
	for _, d := range work.Indicators {
		defs[d.Key] = d
	}
	var keys []string
	for _, k := range scorecardIndicators() {
		if _, ok := defs[k]; ok {
			keys = append(keys, k)
			t.Head = append(t.Head, s.tr(r, "indicator."+k))
		}
	}
	var shown []analytics.IndicatorDef
	for _, k := range keys {
		shown = append(shown, defs[k])
	}
	for i, g := range sat.Groups {
		// The agent's work row, as the work table writes it (its first
		// cell is the label).
		row := s.workTable(r, analytics.WorkIndicators{Indicators: shown, Overall: byKey[g.Key]}, "").Rows[0]
		t.Rows[i].Cells = append(t.Rows[i].Cells, row.Cells[1:]...)
	}
	return t
}
