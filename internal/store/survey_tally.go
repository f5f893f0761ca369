package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// tallyGroup is a grouping TallyResponses knows: the column of a
// response (or of its repair) that is the group's key, and the join and
// columns that name it. The keys are the ones the analytics group by.
type tallyGroup struct{ key, join, name, nameEn string }

func tallyGroupOf(by string) (tallyGroup, bool) {
	switch by {
	case "":
		return tallyGroup{"NULL", "", "''", "''"}, true
	case "product":
		return tallyGroup{"s.product_id", "LEFT JOIN products n ON n.id = x.k", "n.name", "''"}, true
	case "category":
		return tallyGroup{"s.category_id", "LEFT JOIN categories n ON n.id = x.k", "n.name_zh", "n.name_en"}, true
	case "centre":
		return tallyGroup{"rp.centre_id", "LEFT JOIN service_centres n ON n.id = x.k", "n.name", "''"}, true
	case "team":
		return tallyGroup{"s.team_id", "LEFT JOIN teams n ON n.id = x.k", "n.name", "''"}, true
	case "agent":
		return tallyGroup{"s.agent_id", "LEFT JOIN users n ON n.id = x.k", "n.name", "''"}, true
	case "channel":
		return tallyGroup{"s.channel", "", "''", "''"}, true
	}
	return tallyGroup{}, false
}

// TallyResponses counts the responses answered in [from, to) by answer
// value, one tally per group of by ("" one tally of all; product,
// category, centre, team, agent or channel): the database adds them up
// in one pass over the answered_at range, so a year of responses costs
// one aggregate query instead of reading every response. A group's
// figures are those of its responses as ListResponses returns them (the
// same snapshot columns, the same repair for the centre). Groups without
// responses are left out; order is unspecified.
func (s *Store) TallyResponses(ctx context.Context, from, to time.Time, by string) ([]model.Tally, error) {
	g, ok := tallyGroupOf(by)
	if !ok {
		return nil, fmt.Errorf("store: tally responses by %q: unknown grouping", by)
	}
	var counts, outer []string
	for _, k := range model.RatingKeys() {
		lo, hi := k.Range()
		for v := lo; v <= hi; v++ {
			c := fmt.Sprintf("%s_%d", k, v)
			counts = append(counts, fmt.Sprintf("COALESCE(sum(CASE WHEN s.%s = %d THEN 1 ELSE 0 END), 0) AS %s", k, v, c))
			outer = append(outer, "x."+c)
		}
	}
	inner := "SELECT " + g.key + " AS k, count(*) AS n, " + strings.Join(counts, ", ") + " FROM survey_responses s "
	if by == "centre" {
		inner += "LEFT JOIN repairs rp ON rp.request_id = s.request_id "
	}
	inner += "WHERE s.answered_at >= $1 AND s.answered_at < $2"
	if by != "" {
		inner += " GROUP BY " + g.key
	}
	query := "SELECT CAST(x.k AS TEXT), COALESCE(" + g.name + ", ''), COALESCE(" + g.nameEn + ", ''), x.n, " +
		strings.Join(outer, ", ") + " FROM (" + inner + ") x " + g.join
	rows, err := s.Read().Query(ctx, query, from, to)
	if err != nil {
		return nil, fmt.Errorf("tally responses: %w", err)
	}
	defer rows.Close()
	var out []model.Tally
	for rows.Next() {
		t := model.NewTally()
		dest := []any{&t.Key, &t.Name, &t.NameEn, &t.N}
		for _, k := range model.RatingKeys() {
			for i := range t.Counts[k] {
				dest = append(dest, &t.Counts[k][i])
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("tally responses: %w", err)
		}
		if t.N > 0 {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}
