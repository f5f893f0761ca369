package survey

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// ComplaintView is a complaint request's complaint record and its
// compensation.
type ComplaintView struct {
	Request       *model.Request
	Complaint     *model.Complaint
	Compensations []model.Compensation
}

// complaintRequest returns the complaint request numbered number for
// staff; another type is ECONFLICT.
func (s *Service) complaintRequest(ctx context.Context, p model.Principal, number string) (*model.Request, error) {
	if !p.IsStaff() || !p.Can(model.PermRequestRead) {
		return nil, forbidden()
	}
	r, err := s.store.RequestByNumber(ctx, strings.ToUpper(strings.TrimSpace(number)))
	if err != nil {
		return nil, err
	}
	if r.Type != model.TypeComplaint {
		return nil, model.Conflict("type", "this request is not a complaint")
	}
	return r, nil
}

// Complaint returns the complaint record of a complaint request.
func (s *Service) Complaint(ctx context.Context, p model.Principal, number string) (*ComplaintView, error) {
	r, err := s.complaintRequest(ctx, p, number)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Complaint(ctx, r.ID)
	if model.IsNotFound(err) {
		// A complaint from before feedback existed: the default severity.
		c = &model.Complaint{RequestID: r.ID, Severity: DefaultSeverity, DeadlineAt: s.deadline(DefaultSeverity, r.CreatedAt)}
	} else if err != nil {
		return nil, err
	}
	comps, err := s.store.Compensations(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	return &ComplaintView{Request: r, Complaint: c, Compensations: comps}, nil
}

// SetSeverity gives a complaint a severity (1 most serious … 3) and the
// deadline it sets from the request's creation, and schedules the
// escalation at that deadline.
func (s *Service) SetSeverity(ctx context.Context, p model.Principal, number string, severity int) (*model.Complaint, error) {
	if !p.Can(model.PermComplaintHandle) {
		return nil, forbidden()
	}
	if severity < 1 || severity > 3 {
		return nil, model.FieldError("severity", "must be between %d and %d", 1, 3)
	}
	r, err := s.complaintRequest(ctx, p, number)
	if err != nil {
		return nil, err
	}
	id := p.ID
	by := store.Actor{Kind: model.AuthorStaff, ID: &id, Name: p.Name, Channel: model.ChannelWeb}
	return s.store.SetComplaintSeverity(ctx, r.Number, severity, func(created time.Time) time.Time { return s.deadline(severity, created) },
		by, func(ctx context.Context, q store.Querier, c *model.Complaint) error {
			if c.EscalationLevel > 0 {
				return nil
			}
			return s.jobs.Schedule(ctx, q, Job{Kind: JobEscalate, ID: c.RequestID, Level: 1, At: c.DeadlineAt})
		})
}

// maxEscalation is the last level of the escalation path: 1, the team's
// manager at the deadline; 2, an admin one severity period later.
const maxEscalation = 2

// Escalate takes a complaint past its deadline to escalation level (see
// store.EscalateComplaint for who); level n is due n−1 severity periods
// after the deadline. It returns how long to wait when not due yet, and
// schedules the next level.
func (s *Service) Escalate(ctx context.Context, requestID int64, level int) (time.Duration, error) {
	c, err := s.store.Complaint(ctx, requestID)
	if model.IsNotFound(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if level < 1 || level > maxEscalation || c.EscalationLevel >= level {
		return 0, nil
	}
	period := time.Duration(s.opts.ComplaintHours[c.Severity-1]) * time.Hour
	due := c.DeadlineAt.Add(time.Duration(level-1) * period)
	if wait := due.Sub(s.now()); wait > 0 {
		return wait, nil
	}
	_, err = s.store.EscalateComplaint(ctx, requestID, level, due, func(ctx context.Context, q store.Querier, c *model.Complaint) error {
		if level >= maxEscalation {
			return nil
		}
		return s.jobs.Schedule(ctx, q, Job{Kind: JobEscalate, ID: requestID, Level: level + 1, At: due.Add(period)})
	})
	return 0, err
}

// CompensationInput is compensation being recorded; Amount is in minor
// units of Currency (default: the configured currency).
type CompensationInput struct {
	Kind     model.CompensationKind
	Amount   int64
	Currency string
	Note     string
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// AddCompensation records compensation on a complaint. It is approved at
// once when its amount is at most the approval threshold or the recorder
// may approve (a manager or admin); an agent's compensation above the
// threshold stays pending until one of them approves it. Audited.
func (s *Service) AddCompensation(ctx context.Context, p model.Principal, number string, in CompensationInput) (*model.Compensation, error) {
	if !p.Can(model.PermComplaintHandle) {
		return nil, forbidden()
	}
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if in.Currency == "" {
		in.Currency = s.opts.Currency
	}
	in.Note = strings.TrimSpace(in.Note)
	switch {
	case !in.Kind.Valid():
		return nil, model.FieldError("kind", "must be one of refund, voucher, free_repair, gift, other")
	case in.Amount < 0:
		return nil, model.FieldError("amount", "must not be negative")
	case !currencyCode.MatchString(in.Currency):
		return nil, model.FieldError("currency", "must be a three-letter currency code like CNY")
	case utf8.RuneCountInString(in.Note) > maxNote:
		return nil, model.FieldError("note", "must be at most %d characters", maxNote)
	}
	r, err := s.complaintRequest(ctx, p, number)
	if err != nil {
		return nil, err
	}
	id := p.ID
	c := &model.Compensation{Kind: in.Kind, Amount: in.Amount, Currency: in.Currency, Note: in.Note,
		Status: model.CompPending, RequestedByID: &id, RequestedBy: p.Name}
	detail := fmt.Sprintf("pending approval (above %d)", s.opts.ApprovalThreshold)
	if in.Amount <= s.opts.ApprovalThreshold || p.Can(model.PermCompensationApprove) {
		c.Status, c.DecidedByID, c.DecidedBy = model.CompApproved, &id, p.Name
		detail = "approved by " + p.Name
	}
	by := store.Actor{Kind: model.AuthorStaff, ID: &id, Name: p.Name, Channel: model.ChannelWeb}
	if err := s.store.AddCompensation(ctx, r.Number, c, by, model.Audit(ctx, p, model.AuditCompensationRecorded, "", detail)); err != nil {
		return nil, err
	}
	return c, nil
}

// DecideCompensation approves or rejects pending compensation (managers
// and admins). Audited.
func (s *Service) DecideCompensation(ctx context.Context, p model.Principal, id int64, approve bool) (*model.Compensation, error) {
	if !p.Can(model.PermCompensationApprove) {
		return nil, forbidden()
	}
	action := model.AuditCompensationRejected
	if approve {
		action = model.AuditCompensationApproved
	}
	uid := p.ID
	by := store.Actor{Kind: model.AuthorStaff, ID: &uid, Name: p.Name, Channel: model.ChannelWeb}
	return s.store.DecideCompensation(ctx, id, approve, by, model.Audit(ctx, p, action, "", ""))
}

// PendingCompensations lists compensation waiting for approval.
func (s *Service) PendingCompensations(ctx context.Context, p model.Principal) ([]model.Compensation, error) {
	if !p.Can(model.PermCompensationApprove) {
		return nil, forbidden()
	}
	return s.store.PendingCompensations(ctx)
}
