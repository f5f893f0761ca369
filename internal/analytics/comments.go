package analytics

import (
	"cmp"
	"context"
	"slices"

	"github.com/aftercare/aftercare/internal/model"
)

// AspectCount counts the comments that mention an aspect (price,
// attitude, speed …) positively and negatively; Dimension is the
// service-quality dimension the aspect maps onto.
type AspectCount struct {
	Name      string          `json:"name"`
	Dimension model.Dimension `json:"dimension"`
	Positive  int             `json:"positive"`
	Negative  int             `json:"negative"`
}

// DimensionEvidence is what the comments say about one dimension: the
// mentions of its aspects by polarity, beside how many rated it — a
// dimension has evidence even when nobody rated it.
type DimensionEvidence struct {
	Dimension model.Dimension `json:"dimension"`
	Positive  int             `json:"positive"`
	Negative  int             `json:"negative"`
	Rated     int             `json:"rated"`
}

// CommentItem is one commented response.
type CommentItem struct {
	RequestNumber string                `json:"request_number"`
	AnsweredAt    string                `json:"answered_at"`
	Channel       model.Channel         `json:"channel"`
	Team          string                `json:"team"`
	CSAT          int                   `json:"csat"`
	Comment       string                `json:"comment"`
	Label         int                   `json:"label" doc:"1 positive, 0 negative."`
	Score         float64               `json:"score" doc:"Probability that the comment is positive."`
	Aspects       []model.CommentAspect `json:"aspects"`
}

// Comments is the comment analysis of a period.
type Comments struct {
	Commented  int                 `json:"commented"`
	Positive   int                 `json:"positive"`
	Negative   int                 `json:"negative"`
	Aspects    []AspectCount       `json:"aspects"`
	Dimensions []DimensionEvidence `json:"dimensions"`
	// Matching counts the comments the filter selects; Items holds the
	// newest of them (at most the limit asked for).
	Matching int           `json:"matching"`
	Items    []CommentItem `json:"items"`
}

// CommentFilter selects comments: an aspect ("" any), a dimension (""
// any) and a polarity (1 positive, -1 negative, 0 any) of that aspect or
// dimension — or, with neither, of the whole comment.
type CommentFilter struct {
	Aspect    string
	Dimension model.Dimension
	Polarity  int
	Limit     int
}

// Comments reads the scored comments of period: how many are positive
// and negative, each aspect's mentions by polarity, the evidence per
// dimension (product.md: comments mapped onto the dimensions), and the
// comments f selects, newest first (managers filter by aspect and
// polarity).
func (s *Service) Comments(ctx context.Context, p model.Principal, period model.Period, f CommentFilter) (Comments, error) {
	if f.Polarity < -1 || f.Polarity > 1 {
		return Comments{}, model.FieldError("polarity", "must be positive, negative or empty")
	}
	if f.Dimension != "" && !slices.Contains(model.Dimensions, f.Dimension) {
		return Comments{}, model.FieldError("dimension", "must be one of technical, efficiency, network, process, price, loyalty")
	}
	rs, err := s.load(ctx, p, period)
	if err != nil {
		return Comments{}, err
	}
	loc := s.Location()
	out := Comments{Aspects: []AspectCount{}, Items: []CommentItem{}}
	aspects := map[string]*AspectCount{}
	dims := map[model.Dimension]*DimensionEvidence{}
	for _, d := range model.Dimensions {
		dims[d] = &DimensionEvidence{Dimension: d}
	}
	for i := range rs {
		r := &rs[i]
		for _, k := range model.DimensionKeys() {
			if r.Rating(k) != nil {
				dims[k.Dimension()].Rated++
			}
		}
		dims[model.DimLoyalty].Rated++ // everyone answers the overall question
		if r.Sentiment == nil {
			continue
		}
		out.Commented++
		if r.Sentiment.Label == 1 {
			out.Positive++
		} else {
			out.Negative++
		}
		match := f.Aspect == "" && f.Dimension == "" && (f.Polarity == 0 || (f.Polarity == 1) == (r.Sentiment.Label == 1))
		for _, a := range r.Sentiment.Aspects {
			c := aspects[a.Name]
			if c == nil {
				c = &AspectCount{Name: a.Name, Dimension: a.Dimension}
				aspects[a.Name] = c
			}
			d := dims[a.Dimension]
			switch {
			case a.Polarity > 0:
				c.Positive++
				if d != nil {
					d.Positive++
				}
			case a.Polarity < 0:
				c.Negative++
				if d != nil {
					d.Negative++
				}
			}
			if (f.Aspect != "" || f.Dimension != "") && (f.Aspect == "" || a.Name == f.Aspect) &&
				(f.Dimension == "" || a.Dimension == f.Dimension) && (f.Polarity == 0 || f.Polarity == a.Polarity) {
				match = true
			}
		}
		if !match {
			continue
		}
		out.Matching++
		if len(out.Items) < f.Limit {
			out.Items = append(out.Items, CommentItem{RequestNumber: r.RequestNumber, AnsweredAt: r.AnsweredAt.In(loc).Format("2006-01-02 15:04"),
				Channel: r.Channel, Team: r.TeamName, CSAT: r.CSAT, Comment: r.Comment, Label: r.Sentiment.Label,
				Score: r.Sentiment.Score, Aspects: append([]model.CommentAspect{}, r.Sentiment.Aspects...)})
		}
	}
	for _, c := range aspects {
		out.Aspects = append(out.Aspects, *c)
	}
	slices.SortFunc(out.Aspects, func(a, b AspectCount) int {
		return cmp.Or(cmp.Compare(b.Positive+b.Negative, a.Positive+a.Negative), cmp.Compare(a.Name, b.Name))
	})
	for _, d := range model.Dimensions {
		out.Dimensions = append(out.Dimensions, *dims[d])
	}
	return out, nil
}
