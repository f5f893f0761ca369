package web

import (
	"fmt"
	"math"
	"net/http"

	"github.com/aftercare/aftercare/internal/model"
)

// slaCard is the request page's SLA card: the policy and one line per
// clock.
type slaCard struct {
	Policy string
	Paused bool
	Clocks []slaLine
}

// slaLine is one clock: its name, due time (local), state and the
// business time left or overdue, in words.
type slaLine struct {
	Label string
	Due   string
	// State is met, met_late, breached, paused, stopped, soon or running
	// (a CSS class and a catalog key).
	State string
	Left  string
}

// loadSLACard returns the card of a request, or nil when it has no SLA.
func (s *server) loadSLACard(r *http.Request, requestID int64) (*slaCard, error) {
	if s.d.SLA == nil {
		return nil, nil
	}
	v, err := s.d.SLA.RequestView(r.Context(), requestID)
	if err != nil || v == nil || len(v.Clocks) == 0 {
		return nil, err
	}
	card := &slaCard{Policy: v.PolicyName, Paused: v.Paused}
	loc := s.d.Store.Location()
	for _, k := range model.ClockKinds {
		c := v.Views[k]
		if c == nil {
			continue
		}
		line := slaLine{Label: s.tr(r, "sla.clock."+string(k))}
		if c.DueAt != nil {
			line.Due = c.DueAt.In(loc).Format("2006-01-02 15:04")
		}
		switch {
		case c.MetAt != nil && c.Breached:
			line.State = "met_late"
		case c.MetAt != nil:
			line.State = "met"
		case c.StoppedAt != nil:
			line.State = "stopped"
		case c.Breached:
			line.State = "breached"
		case v.Paused:
			line.State = "paused"
		case c.Remaining != nil && *c.Remaining <= model.DueSoonMinutes:
			line.State = "soon"
		default:
			line.State = "running"
		}
		if c.Remaining != nil {
			left := s.minutesText(r, math.Abs(*c.Remaining))
			if *c.Remaining < 0 {
				line.Left = s.tr(r, "sla.overdue_by", left)
			} else {
				line.Left = s.tr(r, "sla.left", left)
			}
		}
		card.Clocks = append(card.Clocks, line)
	}
	return card, nil
}

// minutesText writes business minutes as "2 h 05 min" / "45 min".
func (s *server) minutesText(r *http.Request, m float64) string {
	total := int(math.Round(m))
	if total < 60 {
		return s.tr(r, "sla.minutes", total)
	}
	return s.tr(r, "sla.hours_minutes", total/60, fmt.Sprintf("%02d", total%60))
}
