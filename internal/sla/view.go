package sla

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// ClockView is a clock as people see it: its times, whether it is met or
// breached by now, and the business minutes left (negative: overdue by
// that much working time).
type ClockView struct {
	model.SLAClock
	Breached  bool
	Remaining *float64 // nil when met, stopped or paused
}

// View is a request's SLA as the UI and API show it.
type View struct {
	*model.RequestSLA
	Paused bool
	Views  map[model.ClockKind]*ClockView
	Now    time.Time
}

// RequestView returns a request's SLA state with live figures, or nil
// when it has none. The caller has checked the principal may read the
// request.
func (s *Service) RequestView(ctx context.Context, requestID int64) (*View, error) {
	x, err := s.store.RequestSLA(ctx, nil, requestID, false)
	if err != nil || x == nil {
		return nil, err
	}
	now := s.now()
	v := &View{RequestSLA: x, Paused: x.PausedSince != nil, Views: map[model.ClockKind]*ClockView{}, Now: now}
	k, err := s.engine(ctx, x.CalendarID)
	if err != nil {
		return nil, err
	}
	for _, c := range x.Clocks {
		cv := &ClockView{SLAClock: c, Breached: c.Breached(now)}
		if c.Open() && c.DueAt != nil && k != nil {
			var m float64
			if now.Before(*c.DueAt) {
				m = k.Duration(now, *c.DueAt, nil).Minutes()
			} else {
				m = -k.Duration(*c.DueAt, now, nil).Minutes()
			}
			cv.Remaining = &m
		}
		v.Views[c.Kind] = cv
	}
	return v, nil
}
