package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
)

type previewInput struct {
	Body struct {
		CalendarID int64         `json:"calendar_id"`
		Start      time.Time     `json:"start" doc:"RFC 3339, e.g. 2026-03-02T11:00:00+08:00."`
		Minutes    float64       `json:"minutes" minimum:"0" maximum:"1000000" doc:"The target in business minutes."`
		Pauses     [][]time.Time `json:"pauses,omitempty" maxItems:"1000" doc:"[[from, to], …]: stretches in which the clock stands still."`
	}
}

type previewOutput struct {
	Body struct {
		DueAt time.Time `json:"due_at" doc:"UTC: the earliest instant at which the target is reached."`
	}
}

type durationInput struct {
	Body struct {
		CalendarID int64         `json:"calendar_id"`
		From       time.Time     `json:"from"`
		To         time.Time     `json:"to" doc:"Not before from; at most 20 years after it."`
		Pauses     [][]time.Time `json:"pauses,omitempty" maxItems:"1000"`
	}
}

type durationOutput struct {
	Body struct {
		BusinessMinutes float64 `json:"business_minutes" doc:"Working time between from and to, less the pauses; fractions of a minute count."`
	}
}

// pausesOf checks [[from, to], …] and returns the pauses; errors name
// body.pauses[i].
func pausesOf(in [][]time.Time) ([]calendar.Pause, error) {
	out := make([]calendar.Pause, len(in))
	for i, p := range in {
		if len(p) != 2 {
			return nil, model.FieldError(fmt.Sprintf("pauses[%d]", i), "must be a pair [from, to]")
		}
		out[i] = calendar.Pause{From: p[0], To: p[1]}
	}
	return out, calendar.CheckPauses("pauses", out)
}

func (s *server) registerSLA() {
	register(s, huma.Operation{
		OperationID: "sla-preview", Method: http.MethodPost, Path: "/api/v1/sla/preview",
		Summary: "When would a target be due?", Tags: []string{"calendars"},
		Description: "Walks the calendar's working intervals from start, consuming the target: a start outside " +
			"working hours counts from the next working instant, a zero target is due at that instant, a target used " +
			"up at the end of an interval is due then, pauses count nothing. A calendar without enough working time " +
			"is 422 at body.calendar_id.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermCalendarRead), func(ctx context.Context, in *previewInput) (*previewOutput, error) {
		ps, err := pausesOf(in.Body.Pauses)
		if err != nil {
			return nil, err
		}
		due, err := s.d.Calendars.Due(ctx, principalFrom(ctx), in.Body.CalendarID, in.Body.Start, in.Body.Minutes, ps)
		if err != nil {
			return nil, err
		}
		out := &previewOutput{}
		out.Body.DueAt = due
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "sla-duration", Method: http.MethodPost, Path: "/api/v1/sla/duration",
		Summary: "Business minutes between two instants", Tags: []string{"calendars"},
		Description: "Real elapsed time inside the calendar's working intervals (a daylight-saving day of 23 or " +
			"25 hours counts as long as it is), less the pauses.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermCalendarRead), func(ctx context.Context, in *durationInput) (*durationOutput, error) {
		ps, err := pausesOf(in.Body.Pauses)
		if err != nil {
			return nil, err
		}
		d, err := s.d.Calendars.Duration(ctx, principalFrom(ctx), in.Body.CalendarID, in.Body.From, in.Body.To, ps)
		if err != nil {
			return nil, err
		}
		out := &durationOutput{}
		out.Body.BusinessMinutes = d.Minutes()
		return out, nil
	})
}
