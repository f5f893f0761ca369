package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/evaluate"
)

// aTable is one analytics table, rendered on the page under its chart and
// downloaded as CSV or XLSX from the same rows, so the file holds what
// the page shows.
type aTable struct {
	ID   string
	Head []string
	Rows []aRow
	// ExportCSV and ExportXLSX download the table (empty on exports
	// themselves).
	ExportCSV, ExportXLSX string
}

// aRow is a table row; Muted rows are greyed out, Note says why.
type aRow struct {
	Cells []aCell
	Muted bool
	Note  string
}

// aCell shows Text; exports write Value (a number where there is one).
type aCell struct {
	Text  string
	Value any
}

func textCell(s string) aCell { return aCell{Text: s, Value: s} }

func intCell(n int) aCell { return aCell{Text: strconv.Itoa(n), Value: n} }

// numCell shows v with prec decimals and exports it unrounded.
func numCell(v float64, prec int) aCell {
	return aCell{Text: strconv.FormatFloat(v, 'f', prec, 64), Value: v}
}

// optCell is numCell of a value that may be absent ("—", empty).
func optCell(v *float64, prec int) aCell {
	if v == nil {
		return aCell{Text: "—", Value: ""}
	}
	return numCell(*v, prec)
}

// pctCell shows a fraction as a percentage, exporting the fraction.
func pctCell(v *float64) aCell {
	if v == nil {
		return aCell{Text: "—", Value: ""}
	}
	return aCell{Text: strconv.FormatFloat(100**v, 'f', 1, 64) + "%", Value: *v}
}

// ciCell shows an interval, in percent when pct is set; it exports
// "low–high" with full precision.
func ciCell(s analytics.Score, pct bool) aCell {
	if s.CILow == nil {
		return aCell{Text: "—", Value: ""}
	}
	lo, hi, prec := *s.CILow, *s.CIHigh, 1
	if pct {
		lo, hi = 100*lo, 100*hi
	} else if s.Agree != nil {
		prec = 2
	}
	return aCell{Text: fmt.Sprintf("%.*f – %.*f", prec, lo, prec, hi), Value: fmt.Sprintf("%g – %g", *s.CILow, *s.CIHigh)}
}

// dimensionLabel names a dimension (a survey question key) in the
// reader's language.
func (s *server) dimensionLabel(r *http.Request, key string) string {
	return s.tr(r, "survey.question."+key)
}

// reliabilityNote says why a score is greyed out ("" when it is not).
func (s *server) reliabilityNote(r *http.Request, sc analytics.Score) string {
	switch {
	case sc.SmallSample:
		return s.tr(r, "analytics.note.small", analytics.MinReliableN)
	case sc.Wide:
		return s.tr(r, "analytics.note.wide")
	}
	return ""
}

// satisfactionTable is the satisfaction of the overall row and each group.
func (s *server) satisfactionTable(r *http.Request, id, groupHead string, sat analytics.Satisfaction, withOverall bool) aTable {
	t := aTable{ID: id, Head: []string{groupHead, "n", "CSAT", s.tr(r, "analytics.col.ci"), "NPS", s.tr(r, "analytics.col.ci"),
		"CES", s.tr(r, "analytics.col.ces_agree")}}
	for _, k := range analytics.DriverNames() {
		t.Head = append(t.Head, s.dimensionLabel(r, k))
	}
	row := func(label string, sum analytics.Summary) aRow {
		cells := []aCell{textCell(label), intCell(sum.N), pctCell(sum.CSAT.Value), ciCell(sum.CSAT, true),
			optCell(sum.NPS.Value, 1), ciCell(sum.NPS, false), optCell(sum.CES.Value, 2), pctCell(sum.CES.Agree)}
		for _, k := range analytics.DriverNames() {
			cells = append(cells, optCell(sum.Dimensions[k].Mean, 2))
		}
		return aRow{Cells: cells, Muted: sum.CSAT.Unreliable, Note: s.reliabilityNote(r, sum.CSAT)}
	}
	if withOverall {
		t.Rows = append(t.Rows, row(s.tr(r, "analytics.overall"), sat.Overall))
	}
	for _, g := range sat.Groups {
		label := g.Label
		if sat.GroupBy == analytics.ByChannel {
			label = s.tr(r, "channel."+g.Key)
		}
		t.Rows = append(t.Rows, row(label, g.Summary))
	}
	return t
}

func (s *server) quadrantLabel(r *http.Request, q evaluate.Quadrant) string {
	return s.tr(r, "analytics.quadrant."+string(q))
}

// driversTable lists the drivers with their IPA quadrant.
func (s *server) driversTable(r *http.Request, d analytics.Drivers) aTable {
	t := aTable{ID: "drivers", Head: []string{s.tr(r, "analytics.col.dimension"), s.tr(r, "analytics.col.mean"), "r", "β",
		s.tr(r, "analytics.col.relweight"), s.tr(r, "analytics.col.share"), "LMG", s.tr(r, "analytics.col.quadrant")}}
	for _, p := range d.Predictors {
		t.Rows = append(t.Rows, aRow{Cells: []aCell{textCell(s.dimensionLabel(r, p.Name)), numCell(p.Mean, 2), numCell(p.R, 3),
			numCell(p.Beta, 3), numCell(p.RelativeWeight, 4), pctCell(&p.RelativeWeightShare), numCell(p.LMG, 4),
			textCell(s.quadrantLabel(r, p.Quadrant))}})
	}
	return t
}

// indexTable lists the ranked units with their indicators, score and
// fuzzy grade, then the weights.
func (s *server) indexTable(r *http.Request, idx analytics.Index, unitHead string) aTable {
	t := aTable{ID: "index", Head: []string{s.tr(r, "analytics.col.rank"), unitHead, "n"}}
	for _, k := range idx.Indicators {
		t.Head = append(t.Head, s.indicatorLabel(r, k))
	}
	t.Head = append(t.Head, s.tr(r, "analytics.col.score"), s.tr(r, "analytics.col.fuzzy_grade"), s.tr(r, "analytics.col.fuzzy_score"))
	for _, row := range idx.Rows {
		cells := []aCell{intCell(row.Rank), textCell(row.Label), intCell(row.N)}
		for j, v := range row.Values {
			if idx.Indicators[j] == "csat" {
				cells = append(cells, pctCell(&v))
			} else {
				cells = append(cells, numCell(v, 2))
			}
		}
		cells = append(cells, numCell(row.Score, 1))
		if row.Fuzzy != nil {
			cells = append(cells, textCell(s.tr(r, fmt.Sprintf("analytics.grade.%d", analytics.FuzzyGrades()[row.Fuzzy.GradeIndex-1]))),
				optCell(row.Fuzzy.Score, 1))
		} else {
			cells = append(cells, textCell("—"), textCell("—"))
		}
		t.Rows = append(t.Rows, aRow{Cells: cells})
	}
	w := []aCell{textCell(""), textCell(s.tr(r, "analytics.weights."+idx.WeightSource)), textCell("")}
	for _, v := range idx.Weights {
		w = append(w, numCell(v, 3))
	}
	t.Rows = append(t.Rows, aRow{Cells: append(w, textCell(""), textCell(""), textCell("")), Muted: true})
	return t
}

func (s *server) indicatorLabel(r *http.Request, k string) string {
	if k == "csat" {
		return "CSAT"
	}
	return s.dimensionLabel(r, k)
}

// trendTable lists the p-chart's points.
func (s *server) trendTable(r *http.Request, tr analytics.Trend) aTable {
	t := aTable{ID: "trend", Head: []string{s.tr(r, "analytics.col."+tr.Interval), "n", s.tr(r, "analytics.col.satisfied"), "p",
		s.tr(r, "analytics.col.lcl"), s.tr(r, "analytics.col.ucl"), s.tr(r, "analytics.col.alert")}}
	for _, p := range tr.Points {
		alert := ""
		if p.Alert != "" {
			alert = s.tr(r, "analytics.alert."+p.Alert)
		}
		t.Rows = append(t.Rows, aRow{Cells: []aCell{textCell(p.Key), intCell(p.N), intCell(p.Satisfied), pctCell(&p.P),
			pctCell(&p.LCL), pctCell(&p.UCL), textCell(alert)}})
	}
	return t
}
