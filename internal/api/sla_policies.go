package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
)

// SLAConditions select the requests a policy applies to; absent fields
// match everything.
type SLAConditions struct {
	Type       model.RequestType `json:"type,omitempty" enum:"repair,return,exchange,refund,support,installation,maintenance,complaint,inquiry"`
	Priority   model.Priority    `json:"priority,omitempty" enum:"low,normal,high,urgent"`
	Channel    model.Channel     `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	Tier       string            `json:"tier,omitempty" doc:"A customer tier's key."`
	CategoryID int64             `json:"category_id,omitempty"`
	TeamID     int64             `json:"team_id,omitempty"`
}

// SLAPolicy is a policy as the API shows it.
type SLAPolicy struct {
	ID                   int64          `json:"id"`
	Name                 string         `json:"name"`
	Position             int            `json:"position"`
	Conditions           SLAConditions  `json:"conditions"`
	CalendarID           int64          `json:"calendar_id"`
	FirstResponseMinutes int            `json:"first_response_minutes"`
	NextResponseMinutes  *int           `json:"next_response_minutes" nullable:"true"`
	ResolutionMinutes    int            `json:"resolution_minutes"`
	PauseStatuses        []model.Status `json:"pause_statuses"`
	WarnBeforeMinutes    *int           `json:"warn_before_minutes" nullable:"true"`
	Version              int64          `json:"version"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

func toSLAPolicy(p *model.SLAPolicy) SLAPolicy {
	c := p.Conditions
	return SLAPolicy{ID: p.ID, Name: p.Name, Position: p.Position, Conditions: SLAConditions{Type: c.Type, Priority: c.Priority,
		Channel: c.Channel, Tier: c.Tier, CategoryID: c.CategoryID, TeamID: c.TeamID}, CalendarID: p.CalendarID,
		FirstResponseMinutes: p.FirstResponseMinutes, NextResponseMinutes: p.NextResponseMinutes,
		ResolutionMinutes: p.ResolutionMinutes, PauseStatuses: p.PauseStatuses, WarnBeforeMinutes: p.WarnBeforeMinutes,
		Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func (c SLAConditions) model() model.SLAConditions {
	return model.SLAConditions{Type: c.Type, Priority: c.Priority, Channel: c.Channel, Tier: c.Tier,
		CategoryID: c.CategoryID, TeamID: c.TeamID}
}

type createSLAPolicyInput struct {
	Body struct {
		Name                 string         `json:"name" maxLength:"200"`
		Position             int            `json:"position" minimum:"0" doc:"Policies are tried in position order (then id); the first whose conditions match applies."`
		Conditions           SLAConditions  `json:"conditions,omitempty"`
		CalendarID           int64          `json:"calendar_id" doc:"Targets count this calendar's working time."`
		FirstResponseMinutes int            `json:"first_response_minutes" minimum:"0" maximum:"1000000"`
		NextResponseMinutes  *int           `json:"next_response_minutes,omitempty" minimum:"0" maximum:"1000000" doc:"From each customer reply to the next staff reply."`
		ResolutionMinutes    int            `json:"resolution_minutes" minimum:"0" maximum:"1000000"`
		PauseStatuses        []model.Status `json:"pause_statuses,omitempty" maxItems:"7" doc:"Statuses in which the clocks stand still; default [\"pending\"]."`
		WarnBeforeMinutes    *int           `json:"warn_before_minutes,omitempty" minimum:"0" maximum:"1000000" doc:"Business minutes before a due time at which sla.warning fires."`
	}
}

type updateSLAPolicyInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name                 *string         `json:"name,omitempty" maxLength:"200"`
		Position             *int            `json:"position,omitempty" minimum:"0"`
		Conditions           *SLAConditions  `json:"conditions,omitempty" doc:"Replaces all conditions."`
		CalendarID           *int64          `json:"calendar_id,omitempty"`
		FirstResponseMinutes *int            `json:"first_response_minutes,omitempty" minimum:"0" maximum:"1000000"`
		NextResponseMinutes  *int            `json:"next_response_minutes,omitempty" minimum:"-1" maximum:"1000000" doc:"-1 removes the target."`
		ResolutionMinutes    *int            `json:"resolution_minutes,omitempty" minimum:"0" maximum:"1000000"`
		PauseStatuses        *[]model.Status `json:"pause_statuses,omitempty" maxItems:"7"`
		WarnBeforeMinutes    *int            `json:"warn_before_minutes,omitempty" minimum:"-1" maximum:"1000000" doc:"-1 removes the warning."`
		Version              int64           `json:"version,omitempty" doc:"The version you read; a stale one is 409."`
	}
}

type slaPolicyIDInput struct {
	ID int64 `path:"id"`
}

type slaPolicyOutput struct{ Body SLAPolicy }

// Tier is a customer tier with its published commitments.
type Tier struct {
	Key               string `json:"key,omitempty" pattern:"^[a-z0-9_-]{1,40}$" doc:"Lower-case letters, digits, - and _; in a PUT, the path gives it."`
	Name              string `json:"name" maxLength:"100"`
	NameZH            string `json:"name_zh,omitempty" maxLength:"100"`
	Position          int    `json:"position,omitempty"`
	ResponseMinutes   *int   `json:"response_minutes,omitempty" minimum:"0" doc:"Promised first response, in business minutes."`
	ResolutionMinutes *int   `json:"resolution_minutes,omitempty" minimum:"0" doc:"Promised resolution, in business minutes."`
	Compensation      string `json:"compensation,omitempty" maxLength:"2000" doc:"What the customer gets when a promise is broken."`
	CompensationZH    string `json:"compensation_zh,omitempty" maxLength:"2000"`
}

func toTier(t *model.Tier) Tier {
	return Tier{Key: t.Key, Name: t.Name, NameZH: t.NameZH, Position: t.Position, ResponseMinutes: t.ResponseMinutes,
		ResolutionMinutes: t.ResolutionMinutes, Compensation: t.Compensation, CompensationZH: t.CompensationZH}
}

type putTierInput struct {
	Key  string `path:"key"`
	Body Tier
}

type tierKeyInput struct {
	Key string `path:"key"`
}

type patchCustomerInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Tier *string `json:"tier,omitempty" doc:"A tier's key; \"\" removes the tier. New requests match SLA policies by it."`
	}
}

type breachingInput struct {
	Within int `query:"within_minutes" minimum:"1" maximum:"10080" default:"60" doc:"Calendar minutes from now."`
	Limit  int `query:"limit" minimum:"1" maximum:"100" default:"25"`
}

// SLADue is an open request and the nearest due time of its SLA clocks.
type SLADue struct {
	Number  string       `json:"number"`
	Subject string       `json:"subject"`
	Status  model.Status `json:"status"`
	DueAt   time.Time    `json:"due_at"`
}

func (s *server) registerSLAPolicies() {
	tags := []string{"sla"}
	register(s, huma.Operation{
		OperationID: "create-sla-policy", Method: http.MethodPost, Path: "/api/v1/sla-policies",
		Summary: "Create an SLA policy", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "Targets are business minutes of the calendar. A request gets the first policy, by position, " +
			"whose conditions match it when it is created. An unknown calendar, tier, category or team is 422 naming the field.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermSLAManage), func(ctx context.Context, in *createSLAPolicyInput) (*slaPolicyOutput, error) {
		b := in.Body
		p, err := s.d.SLA.CreatePolicy(ctx, principalFrom(ctx), sla.PolicyInput{Name: b.Name, Position: b.Position,
			Conditions: b.Conditions.model(), CalendarID: b.CalendarID, FirstResponseMinutes: b.FirstResponseMinutes,
			NextResponseMinutes: b.NextResponseMinutes, ResolutionMinutes: b.ResolutionMinutes,
			PauseStatuses: b.PauseStatuses, WarnBeforeMinutes: b.WarnBeforeMinutes})
		if err != nil {
			return nil, err
		}
		return &slaPolicyOutput{Body: toSLAPolicy(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-sla-policies", Method: http.MethodGet, Path: "/api/v1/sla-policies",
		Summary: "List SLA policies in matching order", Tags: tags,
	}, can(model.PermSLARead), func(ctx context.Context, _ *struct{}) (*struct{ Body []SLAPolicy }, error) {
		ps, err := s.d.SLA.Policies(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &struct{ Body []SLAPolicy }{Body: make([]SLAPolicy, len(ps))}
		for i := range ps {
			out.Body[i] = toSLAPolicy(&ps[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-sla-policy", Method: http.MethodGet, Path: "/api/v1/sla-policies/{id}",
		Summary: "Get an SLA policy", Tags: tags, Errors: []int{http.StatusNotFound},
	}, can(model.PermSLARead), func(ctx context.Context, in *slaPolicyIDInput) (*slaPolicyOutput, error) {
		p, err := s.d.SLA.Policy(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &slaPolicyOutput{Body: toSLAPolicy(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-sla-policy", Method: http.MethodPatch, Path: "/api/v1/sla-policies/{id}",
		Summary: "Change an SLA policy", Tags: tags,
		Description: "Absent fields stay as they are. Requests keep the targets they were given.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermSLAManage), func(ctx context.Context, in *updateSLAPolicyInput) (*slaPolicyOutput, error) {
		p := principalFrom(ctx)
		cur, err := s.d.SLA.Policy(ctx, p, in.ID)
		if err != nil {
			return nil, err
		}
		pi, b := sla.PolicyToInput(cur), in.Body
		if b.Name != nil {
			pi.Name = *b.Name
		}
		if b.Position != nil {
			pi.Position = *b.Position
		}
		if b.Conditions != nil {
			pi.Conditions = b.Conditions.model()
		}
		if b.CalendarID != nil {
			pi.CalendarID = *b.CalendarID
		}
		if b.FirstResponseMinutes != nil {
			pi.FirstResponseMinutes = *b.FirstResponseMinutes
		}
		if b.ResolutionMinutes != nil {
			pi.ResolutionMinutes = *b.ResolutionMinutes
		}
		if b.NextResponseMinutes != nil {
			pi.NextResponseMinutes = b.NextResponseMinutes
			if *b.NextResponseMinutes < 0 {
				pi.NextResponseMinutes = nil
			}
		}
		if b.WarnBeforeMinutes != nil {
			pi.WarnBeforeMinutes = b.WarnBeforeMinutes
			if *b.WarnBeforeMinutes < 0 {
				pi.WarnBeforeMinutes = nil
			}
		}
		if b.PauseStatuses != nil {
			pi.PauseStatuses = *b.PauseStatuses
			if pi.PauseStatuses == nil {
				pi.PauseStatuses = []model.Status{}
			}
		}
		pol, err := s.d.SLA.UpdatePolicy(ctx, p, in.ID, b.Version, pi)
		if err != nil {
			return nil, err
		}
		return &slaPolicyOutput{Body: toSLAPolicy(pol)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-sla-policy", Method: http.MethodDelete, Path: "/api/v1/sla-policies/{id}",
		Summary: "Delete an SLA policy", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "Requests that had it keep their clocks.", Errors: []int{http.StatusNotFound},
	}, can(model.PermSLAManage), func(ctx context.Context, in *slaPolicyIDInput) (*struct{}, error) {
		return nil, s.d.SLA.DeletePolicy(ctx, principalFrom(ctx), in.ID)
	})

	register(s, huma.Operation{
		OperationID: "list-tiers", Method: http.MethodGet, Path: "/api/v1/tiers",
		Summary: "List customer tiers and their commitments", Tags: tags,
		Description: "Customers may read them too: the portal publishes the commitments.",
	}, anyone(), func(ctx context.Context, _ *struct{}) (*struct{ Body []Tier }, error) {
		ts, err := s.d.SLA.Tiers(ctx)
		if err != nil {
			return nil, err
		}
		out := &struct{ Body []Tier }{Body: make([]Tier, len(ts))}
		for i := range ts {
			out.Body[i] = toTier(&ts[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "put-tier", Method: http.MethodPut, Path: "/api/v1/tiers/{key}",
		Summary: "Create or replace a customer tier", Tags: tags,
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermSLAManage), func(ctx context.Context, in *putTierInput) (*struct{ Body Tier }, error) {
		b := in.Body
		if b.Key != "" && b.Key != in.Key {
			return nil, model.FieldError("key", "must be the key in the path (%s)", in.Key)
		}
		t, err := s.d.SLA.SaveTier(ctx, principalFrom(ctx), model.Tier{Key: in.Key, Name: b.Name, NameZH: b.NameZH,
			Position: b.Position, ResponseMinutes: b.ResponseMinutes, ResolutionMinutes: b.ResolutionMinutes,
			Compensation: b.Compensation, CompensationZH: b.CompensationZH})
		if err != nil {
			return nil, err
		}
		return &struct{ Body Tier }{Body: toTier(t)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-tier", Method: http.MethodDelete, Path: "/api/v1/tiers/{key}",
		Summary: "Delete a customer tier nobody uses", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "A tier that customers have or a policy matches is 409.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermSLAManage), func(ctx context.Context, in *tierKeyInput) (*struct{}, error) {
		return nil, s.d.SLA.DeleteTier(ctx, principalFrom(ctx), in.Key)
	})

	register(s, huma.Operation{
		OperationID: "update-customer", Method: http.MethodPatch, Path: "/api/v1/customers/{id}",
		Summary: "Change a customer's tier", Tags: []string{"customers"},
		Description: "An unknown tier is 422 at body.tier.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermCustomerTier), func(ctx context.Context, in *patchCustomerInput) (*customerOutput, error) {
		if in.Body.Tier != nil {
			if err := s.d.SLA.SetCustomerTier(ctx, principalFrom(ctx), in.ID, *in.Body.Tier); err != nil {
				return nil, err
			}
		}
		c, err := s.d.Store.CustomerByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		out := &customerOutput{Body: toCustomer(c)}
		out.Body.Tier, err = s.d.Store.CustomerTier(ctx, nil, c.ID)
		return out, err
	})

	register(s, huma.Operation{
		OperationID: "sla-breaching", Method: http.MethodGet, Path: "/api/v1/sla/breaching",
		Summary: "Requests breaching soon", Tags: tags,
		Description: "Open requests whose nearest SLA due time is within the next within_minutes and not yet past, soonest first.",
	}, can(model.PermSLARead), func(ctx context.Context, in *breachingInput) (*struct{ Body []SLADue }, error) {
		ds, err := s.d.SLA.BreachingWithin(ctx, time.Duration(in.Within)*time.Minute, in.Limit)
		if err != nil {
			return nil, err
		}
		out := &struct{ Body []SLADue }{Body: make([]SLADue, len(ds))}
		for i, d := range ds {
			out.Body[i] = SLADue{Number: d.Number, Subject: d.Subject, Status: d.Status, DueAt: d.DueAt.UTC()}
		}
		return out, nil
	})
}

// SLAClock is one of a request's clocks.
type SLAClock struct {
	DueAt            *time.Time `json:"due_at" nullable:"true" doc:"UTC; null while the request is paused."`
	WarnAt           *time.Time `json:"warn_at,omitempty"`
	MetAt            *time.Time `json:"met_at" nullable:"true"`
	Breached         bool       `json:"breached"`
	TargetMinutes    int        `json:"target_minutes"`
	RemainingMinutes *float64   `json:"remaining_minutes,omitempty" doc:"Business minutes left; negative when overdue. Absent when met, stopped or paused."`
	Stopped          bool       `json:"stopped,omitempty" doc:"The request was resolved or cancelled with this clock running."`
	Cycle            int        `json:"cycle,omitempty" doc:"next_response: which customer reply it answers."`
}

// RequestSLA is a request's SLA state and stored time metrics.
type RequestSLA struct {
	Policy        *string    `json:"policy" nullable:"true" doc:"The policy's name; null when none matched."`
	PolicyID      *int64     `json:"policy_id,omitempty"`
	CalendarID    *int64     `json:"calendar_id,omitempty"`
	Paused        bool       `json:"paused"`
	FirstResponse *SLAClock  `json:"first_response,omitempty" doc:"Absent when no policy applies."`
	NextResponse  *SLAClock  `json:"next_response,omitempty"`
	Resolution    *SLAClock  `json:"resolution,omitempty" doc:"Absent when no policy applies."`
	Metrics       SLAMetrics `json:"metrics"`
}

// SLAMetrics are the stored time metrics (evaluation.md section 4), in
// minutes; business times count the calendar's working time.
type SLAMetrics struct {
	FirstResponseBusiness   *float64 `json:"first_response_business_minutes,omitempty"`
	FirstResponseCalendar   *float64 `json:"first_response_calendar_minutes,omitempty"`
	FirstResolutionBusiness *float64 `json:"first_resolution_business_minutes,omitempty"`
	FirstResolutionCalendar *float64 `json:"first_resolution_calendar_minutes,omitempty"`
	FullResolutionBusiness  *float64 `json:"full_resolution_business_minutes,omitempty"`
	FullResolutionCalendar  *float64 `json:"full_resolution_calendar_minutes,omitempty"`
	PausedBusiness          float64  `json:"paused_business_minutes"`
	PausedCalendar          float64  `json:"paused_calendar_minutes"`
}

func minutes(s *float64) *float64 {
	if s == nil {
		return nil
	}
	m := *s / 60
	return &m
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toRequestSLA(v *sla.View) *RequestSLA {
	out := &RequestSLA{PolicyID: v.PolicyID, CalendarID: v.CalendarID, Paused: v.Paused}
	if v.PolicyName != "" {
		name := v.PolicyName
		out.Policy = &name
	}
	clock := func(k model.ClockKind) *SLAClock {
		c := v.Views[k]
		if c == nil {
			return nil
		}
		sc := &SLAClock{DueAt: utc(c.DueAt), WarnAt: utc(c.WarnAt), MetAt: utc(c.MetAt), Breached: c.Breached,
			TargetMinutes: c.TargetMinutes, RemainingMinutes: c.Remaining, Stopped: c.StoppedAt != nil}
		if k == model.ClockNextResponse {
			sc.Cycle = c.Cycle
		}
		return sc
	}
	out.FirstResponse, out.NextResponse, out.Resolution = clock(model.ClockFirstResponse), clock(model.ClockNextResponse), clock(model.ClockResolution)
	m := v.Metrics
	out.Metrics = SLAMetrics{FirstResponseBusiness: minutes(m.FirstResponseBusiness), FirstResponseCalendar: minutes(m.FirstResponseCalendar),
		FirstResolutionBusiness: minutes(m.FirstResolutionBusiness), FirstResolutionCalendar: minutes(m.FirstResolutionCalendar),
		FullResolutionBusiness: minutes(m.FullResolutionBusiness), FullResolutionCalendar: minutes(m.FullResolutionCalendar),
		PausedBusiness: m.PausedBusiness / 60, PausedCalendar: m.PausedCalendar / 60}
	return out
}
