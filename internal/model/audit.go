package model

import (
	"context"
	"time"
)

// Audited actions: what an administrator needs to reconstruct who gave
// whom access.
const (
	AuditUserCreated    = "user.created"
	AuditUserUpdated    = "user.updated"
	AuditTokenCreated   = "token.created"
	AuditTokenRevoked   = "token.revoked"
	AuditInviteIssued   = "customer.invite_issued"
	AuditResetIssued    = "customer.reset_issued"
	AuditPasswordSet    = "customer.password_set"
	AuditExportDone     = "export.downloaded"
	AuditResetRequested = "customer.reset_requested"
	// A customer registered (or set a password) with an e-mailed code.
	AuditCustomerRegistered = "customer.registered"
	// A customer's contact data is where replies and invites go.
	AuditCustomerUpdated = "customer.updated"
	// Calendars decide every due time of the teams that use them.
	AuditCalendarCreated = "calendar.created"
	AuditCalendarUpdated = "calendar.updated"
	AuditTeamCalendarSet = "team.calendar_set"
	AuditWebhookCreated  = "webhook.created"
	AuditWebhookUpdated  = "webhook.updated"
	AuditWebhookDeleted  = "webhook.deleted"
	AuditCentreCreated   = "centre.created"
	AuditCentreUpdated   = "centre.updated"
	AuditPartCreated     = "part.created"
	AuditPartUpdated     = "part.updated"
	AuditPlanCreated     = "plan.created"
	// Feedback: who changed the survey's wording, and who gave or
	// approved what compensation.
	AuditSurveyTemplate       = "survey.template_changed"
	AuditCompensationRecorded = "compensation.recorded"
	AuditCompensationApproved = "compensation.approved"
	AuditCompensationRejected = "compensation.rejected"
	// What every customer reads in e-mail.
	AuditMailTemplate = "mail.template_changed"
	// Prices and policies decide what customers pay and get back.
	AuditLabourPriceSet  = "labour_price.set"
	AuditReturnPolicySet = "return_policy.set"

	AuditIndexWeightsSet     = "analytics.weights_set"
	AuditIndexWeightsCleared = "analytics.weights_cleared"
)

// AuditActions lists every audited action, for filters.
func AuditActions() []string {
	return []string{AuditUserCreated, AuditUserUpdated, AuditTokenCreated, AuditTokenRevoked, AuditInviteIssued,
		AuditResetIssued, AuditResetRequested, AuditPasswordSet, AuditExportDone, AuditCalendarCreated, AuditCalendarUpdated,
		AuditTeamCalendarSet, AuditWebhookCreated, AuditWebhookUpdated, AuditWebhookDeleted,
		AuditCentreCreated, AuditCentreUpdated, AuditPartCreated, AuditPartUpdated, AuditPlanCreated,
		AuditSurveyTemplate, AuditCompensationRecorded, AuditCompensationApproved, AuditCompensationRejected,
		AuditMailTemplate, AuditLabourPriceSet, AuditReturnPolicySet, AuditSLAPolicyCreated, AuditSLAPolicyUpdated, AuditSLAPolicyDeleted,
		AuditTierSaved, AuditTierDeleted, AuditCustomerTierSet, AuditRuleCreated, AuditRuleUpdated, AuditRuleDeleted,
		AuditCustomerUpdated, AuditCustomerRegistered}
}

// KindOperator is the actor kind of someone with access to the server
// running the command line (user add, token create, reset-link).
const KindOperator PrincipalKind = "operator"

// AuditEntry is one row of the append-only audit log: who did what to
// what, when and from where. It never holds a secret.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorKind  PrincipalKind
	ActorID    *int64
	ActorName  string
	Action     string
	Target     string // what was acted on, e.g. "user 12 (li@example.com)"
	Detail     string // e.g. "role: agent → manager"
	ClientAddr string // the client's IP address, or "cli"
}

type clientAddrKey struct{}

// WithClientAddr records the client address of the request in flight, for
// audit entries made while serving it.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the address set by WithClientAddr, or "".
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}

// Audit builds an audit entry for an action of p while serving ctx.
func Audit(ctx context.Context, p Principal, action, target, detail string) AuditEntry {
	e := AuditEntry{ActorKind: p.Kind, ActorName: p.Name, Action: action, Target: target, Detail: detail,
		ClientAddr: ClientAddr(ctx)}
	if p.ID != 0 {
		id := p.ID
		e.ActorID = &id
	}
	if e.ActorName == "" {
		e.ActorName = p.Email
	}
	return e
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Action string
	Limit  int
	Cursor string
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Items      []AuditEntry
	NextCursor string
}
