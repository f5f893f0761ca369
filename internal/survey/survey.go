// Package survey runs the feedback loop after a request (issue 10,
// product.md capability 6): satisfaction surveys sent when a request is
// resolved (versioned templates, single-use links, a cool-down per
// customer, one reminder), the public survey answered on the web or as
// JSON, follow-up calls (回访) whose answers count as phone responses,
// and complaints with their severity, deadline, escalation and
// compensation. Handlers call it with the authenticated principal; the
// public survey needs none, its link is the credential.
//
// Work that must happen later runs as River jobs (internal/jobs), always
// inserted in the transaction of the change that needs it, and each job
// checks again, with the store's clock, that its moment has come.
package survey

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// Defaults of the settings that are not flags.
const (
	// LinkTTL is how long a survey link can be answered.
	LinkTTL = 14 * 24 * time.Hour
	// ReminderAfter is when the one reminder goes out if the survey is
	// still unanswered.
	ReminderAfter = 3 * 24 * time.Hour
	// MaxCallAttempts is how many unanswered calls end a follow-up.
	MaxCallAttempts = 3
	// DefaultSeverity is a new complaint's severity (1 most serious … 3).
	DefaultSeverity = 2
	// MaxComment bounds a comment, in characters.
	MaxComment = 2000
)

// JobKind names the background work the feedback loop schedules.
type JobKind string

// Job kinds.
const (
	JobSend     JobKind = "survey_send"        // send an invitation when its delay is over
	JobRemind   JobKind = "survey_remind"      // the one reminder
	JobExpire   JobKind = "survey_expire"      // forget an unanswered link's secret when it expires
	JobEscalate JobKind = "complaint_escalate" // escalate a complaint past its deadline
)

// Job is one piece of scheduled work: Kind for ID (an invitation, or a
// complaint's request) at At (zero: now); Level is the escalation level.
type Job struct {
	Kind  JobKind
	ID    int64
	Level int
	At    time.Time
}

// Scheduler inserts jobs in the caller's transaction q, so that a job
// exists exactly when the change that needs it commits. internal/jobs
// implements it with River's InsertTx.
type Scheduler interface {
	Schedule(ctx context.Context, q store.Querier, job Job) error
}

// MessageKind says which e-mail a Mailer is asked for.
type MessageKind string

// Message kinds.
const (
	MailInvitation MessageKind = "invitation"
	MailReminder   MessageKind = "reminder"
)

// Message is a survey e-mail to queue: the invitation or its reminder,
// with the link to answer.
type Message struct {
	Kind          MessageKind
	CustomerID    int64
	RequestNumber string
	URL           string
	ExpiresAt     time.Time
}

// Mailer queues survey e-mails. The outbound-mail channel implements it;
// until then it is nil and invitations reach customers through the
// portal's banner (and staff, who see the link). It is called inside the
// transaction that marks the invitation sent or reminded, so it should
// queue the message on q (an outbox row, a River job) rather than talk to
// a mail server; an error rolls the sending back and the job retries.
type Mailer interface {
	QueueSurveyMail(ctx context.Context, q store.Querier, m Message) error
}

// CommentScorer reads a comment's sentiment and aspects (the embedded
// sentiment model: see SentimentScorer); false when it cannot.
type CommentScorer func(text string) (model.CommentSentiment, bool)

// BatchScorer labels many comments together (1 positive, 0 negative, in
// order), adapting the decision threshold to the batch without labels,
// and says how (see SentimentModel.BatchScorer); false when it cannot.
type BatchScorer func(texts []string) ([]int, sentiment.Adaptation, bool)

// Options configures a Service.
type Options struct {
	// Delay is how long after resolving the invitation goes out (0: at once).
	Delay time.Duration
	// Cooldown allows one invitation per customer per this long (0: no limit).
	Cooldown time.Duration
	// FollowupAfter is when a follow-up call is due after resolving.
	FollowupAfter time.Duration
	// FollowupShare is the share (0…1) of resolved requests, other than
	// complaints, that get a follow-up call; complaints always do.
	FollowupShare float64
	// ComplaintHours are the hours to the deadline of severities 1, 2, 3.
	ComplaintHours [3]int
	// ApprovalThreshold: compensation above it (minor units) needs a
	// manager or admin.
	ApprovalThreshold int64
	// Currency is the default currency of compensation (ISO 4217).
	Currency string
	// BaseURL is the public URL survey links start with.
	BaseURL string
	// Mailer queues survey e-mails; nil until outbound mail exists.
	Mailer Mailer
	// Scorer scores comments; nil stores comments unscored.
	Scorer CommentScorer
	// BatchScorer re-reads a period's comments together for the export's
	// sentiment_batch column; nil leaves that column empty.
	BatchScorer BatchScorer
	Now         func() time.Time
	Logger      *slog.Logger
}

// Service is the feedback domain logic.
type Service struct {
	store   *store.Store
	opts    Options
	jobs    Scheduler
	limiter auth.RateLimiter
	log     *slog.Logger
}

// Rate limit of the public survey (page and JSON), per client: a burst of
// answers from one address is allowed, then one every few seconds.
const (
	publicBurst    = 30
	publicInterval = 2 * time.Second
	publicKeys     = 100_000
)

// New returns a feedback service on st. It acts on requests only once
// Start has given it a scheduler.
func New(st *store.Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Currency == "" {
		opts.Currency = "CNY"
	}
	return &Service{store: st, opts: opts, log: opts.Logger,
		limiter: auth.NewRateLimiter(st, "survey", publicBurst, publicInterval, publicKeys, opts.Now)}
}

// Start stores the default template when there is none and hooks the
// service into request changes with jobs as its scheduler: resolving
// plans the survey and follow-up call, closing checks a complaint's call,
// creating a complaint sets its deadline. The command-line tools, which
// change no request, never call it.
func (s *Service) Start(ctx context.Context, jobs Scheduler) error {
	if err := s.store.EnsureSurveyTemplate(ctx, DefaultTemplate()); err != nil {
		return err
	}
	s.jobs = jobs
	s.store.OnStatusChange(s.onStatus)
	s.store.OnRequestCreated(s.onCreate)
	return nil
}

func (s *Service) now() time.Time { return s.store.Now() }

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// Allow takes one attempt of the public survey for the client of ctx (its
// address, see clientip) and refuses it (ERATELIMIT) when the client has
// made too many.
func (s *Service) Allow(ctx context.Context) error {
	key := "unknown"
	if a, err := netip.ParseAddr(model.ClientAddr(ctx)); err == nil {
		key = clientip.RateKey(a)
	}
	if ok, after, err := s.limiter.Take(ctx, key); err != nil {
		return err
	} else if !ok {
		return model.Errorf(model.ERATELIMIT, "too many survey requests; wait %s", after.Round(time.Second))
	}
	return nil
}

// URL is the public link of a survey token.
func (s *Service) URL(token string) string { return s.opts.BaseURL + "/s/" + token }

// Currency is the default currency of compensation.
func (s *Service) Currency() string { return s.opts.Currency }

// ApprovalThreshold is the amount above which compensation needs a
// manager or admin.
func (s *Service) ApprovalThreshold() int64 { return s.opts.ApprovalThreshold }
