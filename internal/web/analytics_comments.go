package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/analytics"
)

// commentAspects are the aspects the sentiment model finds, for the
// filter (in the model's order).
func commentAspects() []string {
	return []string{"price", "attitude", "speed", "quality", "convenience", "process", "delivery", "packaging", "loyalty"}
}

// commentsFilter reads ?aspect=&polarity= (unknown values mean any).
func commentsFilter(r *http.Request) analytics.CommentFilter {
	q := r.URL.Query()
	f := analytics.CommentFilter{Limit: 20}
	for _, a := range commentAspects() {
		if q.Get("aspect") == a {
			f.Aspect = a
		}
	}
	switch q.Get("polarity") {
	case "positive":
		f.Polarity = 1
	case "negative":
		f.Polarity = -1
	}
	return f
}

// aspectTable counts each aspect's mentions by polarity.
func (s *server) aspectTable(r *http.Request, c analytics.Comments) aTable {
	t := aTable{ID: "aspects", Head: []string{s.tr(r, "analytics.col.aspect"), s.tr(r, "analytics.col.dimension"),
		s.tr(r, "sentiment.positive"), s.tr(r, "sentiment.negative")}}
	for _, a := range c.Aspects {
		t.Rows = append(t.Rows, aRow{Cells: []aCell{textCell(s.tr(r, "aspect."+a.Name)), textCell(s.tr(r, "dimension."+string(a.Dimension))),
			intCell(a.Positive), intCell(a.Negative)}})
	}
	return t
}

// evidenceTable sets the comments' evidence per dimension beside the
// number of ratings.
func (s *server) evidenceTable(r *http.Request, c analytics.Comments) aTable {
	t := aTable{ID: "evidence", Head: []string{s.tr(r, "analytics.col.dimension"), s.tr(r, "analytics.col.rated"),
		s.tr(r, "analytics.col.mentions_pos"), s.tr(r, "analytics.col.mentions_neg")}}
	for _, d := range c.Dimensions {
		t.Rows = append(t.Rows, aRow{Cells: []aCell{textCell(s.tr(r, "dimension."+string(d.Dimension))), intCell(d.Rated),
			intCell(d.Positive), intCell(d.Negative)}})
	}
	return t
}

type aspectChartData struct {
	Kind     string   `json:"kind"`
	Labels   []string `json:"labels"`
	Positive []int    `json:"positive"`
	Negative []int    `json:"negative"`
	Names    []string `json:"names"`
}

// aspectChart stacks each aspect's positive and negative mentions.
func (s *server) aspectChart(r *http.Request, c analytics.Comments) string {
	d := aspectChartData{Kind: "aspects", Names: []string{s.tr(r, "sentiment.positive"), s.tr(r, "sentiment.negative")}}
	for _, a := range c.Aspects {
		d.Labels = append(d.Labels, s.tr(r, "aspect."+a.Name))
		d.Positive = append(d.Positive, a.Positive)
		d.Negative = append(d.Negative, a.Negative)
	}
	return chartJSON(d)
}
