package model

import (
	"slices"
	"time"
)

// QuestionKey names one question of a satisfaction survey. The keys are
// fixed, so that answers stay comparable across template versions (the
// wording changes, the question does not), and they are the JSON names of
// the answers.
type QuestionKey string

// The survey's questions, in the order the survey asks them.
const (
	QCSAT        QuestionKey = "csat"        // overall satisfaction, 1–5
	QNPS         QuestionKey = "nps"         // likelihood to recommend, 0–10
	QCES         QuestionKey = "ces"         // "made it easy to handle my issue", 1–7
	QTechnical   QuestionKey = "technical"   // 专业技术, 1–5
	QEfficiency  QuestionKey = "efficiency"  // 服务效率, 1–5
	QConvenience QuestionKey = "convenience" // 网点覆盖, 1–5
	QProcess     QuestionKey = "process"     // 流程规范, 1–5
	QPrice       QuestionKey = "price"       // 价格收费, 1–5
	QComment     QuestionKey = "comment"     // free text
)

// QuestionKeys lists every question in survey order.
func QuestionKeys() []QuestionKey {
	return []QuestionKey{QCSAT, QNPS, QCES, QTechnical, QEfficiency, QConvenience, QProcess, QPrice, QComment}
}

// DimensionKeys lists the five service-dimension ratings (1–5) in order.
func DimensionKeys() []QuestionKey {
	return []QuestionKey{QTechnical, QEfficiency, QConvenience, QProcess, QPrice}
}

// IsDimension reports whether k is one of the five dimension ratings.
func (k QuestionKey) IsDimension() bool { return slices.Contains(DimensionKeys(), k) }

// Range is the lowest and highest answer of a rating question (0, 0 for
// the comment): the scales of evaluation.md section 1.
func (k QuestionKey) Range() (lo, hi int) {
	switch k {
	case QCSAT:
		return 1, 5
	case QNPS:
		return 0, 10
	case QCES:
		return 1, 7
	case QComment:
		return 0, 0
	}
	return 1, 5
}

// Dimension is the service-quality dimension a rating question measures
// ("" for the overall questions and the comment).
func (k QuestionKey) Dimension() Dimension {
	switch k {
	case QTechnical:
		return DimTechnical
	case QEfficiency:
		return DimEfficiency
	case QConvenience:
		return DimNetwork
	case QProcess:
		return DimProcess
	case QPrice:
		return DimPrice
	}
	return ""
}

// Question is one question of a template version: whether it is asked
// and its wording in both languages.
type Question struct {
	Key     QuestionKey `json:"key"`
	Enabled bool        `json:"enabled"`
	TextZh  string      `json:"text_zh"`
	TextEn  string      `json:"text_en"`
}

// SurveyTemplate is one version of the satisfaction survey. Every edit
// makes a new version and a response keeps the version it answered, so an
// old answer is always read against the wording the customer saw.
type SurveyTemplate struct {
	Version   int
	TitleZh   string
	TitleEn   string
	IntroZh   string
	IntroEn   string
	Questions []Question // one per QuestionKeys, in that order
	CreatedAt time.Time
	CreatedBy string
}

// Question returns the question k of the template.
func (t *SurveyTemplate) Question(k QuestionKey) (Question, bool) {
	for _, q := range t.Questions {
		if q.Key == k {
			return q, true
		}
	}
	return Question{}, false
}

// Asks reports whether the template asks question k.
func (t *SurveyTemplate) Asks(k QuestionKey) bool {
	q, ok := t.Question(k)
	return ok && q.Enabled
}

// InvitationStatus is where a survey invitation stands.
type InvitationStatus string

// Invitation statuses. Expired is what a sent invitation becomes when its
// link's 14 days are over unanswered.
const (
	InvitationScheduled  InvitationStatus = "scheduled"
	InvitationSent       InvitationStatus = "sent"
	InvitationAnswered   InvitationStatus = "answered"
	InvitationExpired    InvitationStatus = "expired"
	InvitationSuppressed InvitationStatus = "suppressed"
)

// Invitation is the survey a resolved request sends its customer: at most
// one per request, and at most one that is not suppressed per customer
// per cool-down period.
type Invitation struct {
	ID              int64
	RequestID       int64
	RequestNumber   string
	CustomerID      int64
	TemplateVersion int
	Status          InvitationStatus
	// Reason says why an invitation was suppressed ("cooldown").
	Reason      string
	ScheduledAt time.Time
	SentAt      *time.Time
	RemindedAt  *time.Time
	ExpiresAt   *time.Time
	AnsweredAt  *time.Time
	CreatedAt   time.Time
	// Token is the link's secret while the link can be used (sent, not
	// answered, not expired); empty otherwise.
	Token string `json:"-"`
}

// Usable reports whether the invitation's link can be answered at now.
func (i *Invitation) Usable(now time.Time) bool {
	return i.Status == InvitationSent && i.ExpiresAt != nil && now.Before(*i.ExpiresAt)
}

// Effective is the status as of now: a sent invitation past its expiry is
// expired, whether or not the expiry job has run yet.
func (i *Invitation) Effective(now time.Time) InvitationStatus {
	if i.Status == InvitationSent && i.ExpiresAt != nil && !now.Before(*i.ExpiresAt) {
		return InvitationExpired
	}
	return i.Status
}

// Scores are the answers of one survey response. CSAT is always given;
// the other ratings are nil when not answered (or not asked).
type Scores struct {
	CSAT        int
	NPS         *int
	CES         *int
	Technical   *int
	Efficiency  *int
	Convenience *int
	Process     *int
	Price       *int
	Comment     string
}

// Rating returns the answer to rating question k (nil when not given).
func (s *Scores) Rating(k QuestionKey) *int {
	switch k {
	case QCSAT:
		v := s.CSAT
		return &v
	case QNPS:
		return s.NPS
	case QCES:
		return s.CES
	case QTechnical:
		return s.Technical
	case QEfficiency:
		return s.Efficiency
	case QConvenience:
		return s.Convenience
	case QProcess:
		return s.Process
	case QPrice:
		return s.Price
	}
	return nil
}

// SetRating sets the answer to rating question k.
func (s *Scores) SetRating(k QuestionKey, v *int) {
	switch k {
	case QCSAT:
		if v != nil {
			s.CSAT = *v
		}
	case QNPS:
		s.NPS = v
	case QCES:
		s.CES = v
	case QTechnical:
		s.Technical = v
	case QEfficiency:
		s.Efficiency = v
	case QConvenience:
		s.Convenience = v
	case QProcess:
		s.Process = v
	case QPrice:
		s.Price = v
	}
}

// CommentAspect is a service aspect a comment talks about, with its
// polarity and the dimension it maps onto (from the sentiment model), so
// that a dimension has evidence even when nobody rated it.
type CommentAspect struct {
	Name      string    `json:"name"`
	Dimension Dimension `json:"dimension"`
	Polarity  int       `json:"polarity"` // -1, 0 or 1
	Term      string    `json:"term"`
}

// CommentSentiment is the sentiment model's reading of a comment.
type CommentSentiment struct {
	Label   int     // 1 positive, 0 negative
	Score   float64 // probability that the comment is positive
	Aspects []CommentAspect
}

// SurveyResponse is one answered survey, from the web page, the JSON API
// or a follow-up call (channel phone), with what the analytics group it
// by as it was when the customer answered: team, agent, product and
// category of the request, and the template version.
type SurveyResponse struct {
	ID              int64
	RequestID       int64
	InvitationID    *int64
	FollowupID      *int64
	CustomerID      int64
	Channel         Channel
	RequestType     RequestType
	TeamID          *int64
	AgentID         *int64
	ProductID       *int64
	CategoryID      *int64
	TemplateVersion int
	Locale          string
	Scores
	// Sentiment is nil when there is no comment.
	Sentiment  *CommentSentiment
	AnsweredAt time.Time
	// CentreID is the service centre of the request's repair order, read
	// with the response (nil when the request has no repair order:
	// requests carry no centre of their own).
	CentreID *int64
	// Filled on reads for display and exports.
	RequestNumber string
	CustomerName  string
	TeamName      string
	AgentName     string
	CentreName    string
	ProductName   string
	CategoryZh    string
	CategoryEn    string
}

// ResponseFilter selects survey responses answered in [From, To), newest
// first, a page at a time.
type ResponseFilter struct {
	From, To time.Time
	Limit    int
	Cursor   string
}

// ResponsePage is one page of responses.
type ResponsePage struct {
	Items      []SurveyResponse
	NextCursor string
}

// SurveyStats counts invitations created in a period by status, for the
// response rate (answered ÷ sent, where sent counts every invitation that
// went out: sent, answered and expired).
type SurveyStats struct {
	Scheduled, Sent, Answered, Expired, Suppressed int
	// PhoneResponses are the answers taken on follow-up calls.
	PhoneResponses int
}

// Delivered is how many invitations went out.
func (s SurveyStats) Delivered() int { return s.Sent + s.Answered + s.Expired }

// ResponseRate is answered ÷ delivered (0 when none went out).
func (s SurveyStats) ResponseRate() float64 {
	if d := s.Delivered(); d > 0 {
		return float64(s.Answered) / float64(d)
	}
	return 0
}

// FollowupReason says why a follow-up call (回访) was planned.
type FollowupReason string

// Follow-up reasons: a sampled share of resolved requests, and every
// complaint.
const (
	FollowupSample    FollowupReason = "sample"
	FollowupComplaint FollowupReason = "complaint"
)

// FollowupStatus is open until the call is done.
type FollowupStatus string

// Follow-up statuses.
const (
	FollowupOpen FollowupStatus = "open"
	FollowupDone FollowupStatus = "done"
)

// Reachability is the outcome of one call attempt.
type Reachability string

// Reachabilities.
const (
	Reached     Reachability = "reached"
	NoAnswer    Reachability = "no_answer"
	WrongNumber Reachability = "wrong_number"
	Refused     Reachability = "refused"
)

// Reachabilities lists every outcome of a call attempt.
func Reachabilities() []Reachability { return []Reachability{Reached, NoAnswer, WrongNumber, Refused} }

// Valid reports whether r is a known outcome.
func (r Reachability) Valid() bool { return slices.Contains(Reachabilities(), r) }

// Followup is a follow-up call to make after a request was resolved.
type Followup struct {
	ID        int64
	RequestID int64
	Reason    FollowupReason
	Status    FollowupStatus
	// Outcome is the reachability of the attempt that finished the task
	// ("" while open); "no_answer" after the last allowed attempt.
	Outcome    Reachability
	DueAt      time.Time
	Attempts   int
	DoneAt     *time.Time
	DoneBy     string
	ResponseID *int64
	CreatedAt  time.Time
	// Filled on reads for the queue.
	RequestNumber string
	Subject       string
	RequestType   RequestType
	CustomerID    int64
	CustomerName  string
	CustomerPhone string
	CustomerLang  string
	TeamName      string
}

// FollowupAttempt is one call of a follow-up.
type FollowupAttempt struct {
	ID           int64
	FollowupID   int64
	At           time.Time
	ByID         *int64
	ByName       string
	Reachability Reachability
	Note         string
}

// FollowupFilter selects follow-ups for the queue: open ones due by
// DueBy (zero: all open), or done ones; oldest due first.
type FollowupFilter struct {
	Status FollowupStatus
	DueBy  time.Time
	Limit  int
	Cursor string
}

// FollowupPage is one page of the follow-up queue.
type FollowupPage struct {
	Items      []Followup
	NextCursor string
}

// Complaint is what a request of type complaint carries beyond the
// request: severity (1 most serious … 3), the deadline it sets, and how
// far it has been escalated.
type Complaint struct {
	RequestID       int64
	Severity        int
	DeadlineAt      time.Time
	EscalationLevel int
	EscalatedAt     *time.Time
	EscalatedTo     string
	CreatedAt       time.Time
}

// CompensationKind is what a customer is given.
type CompensationKind string

// Compensation kinds.
const (
	CompRefund     CompensationKind = "refund"
	CompVoucher    CompensationKind = "voucher"
	CompFreeRepair CompensationKind = "free_repair"
	CompGift       CompensationKind = "gift"
	CompOther      CompensationKind = "other"
)

// CompensationKinds lists every kind.
func CompensationKinds() []CompensationKind {
	return []CompensationKind{CompRefund, CompVoucher, CompFreeRepair, CompGift, CompOther}
}

// Valid reports whether k is a known kind.
func (k CompensationKind) Valid() bool { return slices.Contains(CompensationKinds(), k) }

// CompensationStatus says whether a compensation was approved.
type CompensationStatus string

// Compensation statuses.
const (
	CompPending  CompensationStatus = "pending"
	CompApproved CompensationStatus = "approved"
	CompRejected CompensationStatus = "rejected"
)

// Compensation (赔偿) is given to a complaining customer. Amounts are in
// minor units (fen, cents) of Currency.
type Compensation struct {
	ID            int64
	RequestID     int64
	RequestNumber string
	Kind          CompensationKind
	Amount        int64
	Currency      string
	Note          string
	Status        CompensationStatus
	RequestedByID *int64
	RequestedBy   string
	DecidedByID   *int64
	DecidedBy     string
	DecidedAt     *time.Time
	CreatedAt     time.Time
}

// ComplaintRate is the share of requests that were complaints in one
// group (a product, a team, a month) of a period.
type ComplaintRate struct {
	Key        string // product or team id, or "2026-03"; "" for none
	Label      string // product or team name, or the month
	Requests   int
	Complaints int
}

// Rate is complaints ÷ requests (0 for no requests).
func (c ComplaintRate) Rate() float64 {
	if c.Requests == 0 {
		return 0
	}
	return float64(c.Complaints) / float64(c.Requests)
}

// IndexWeights is the AHP pairwise comparison matrix an admin entered for
// the composite index (rows ';', cells ','), with the indicator keys in
// the matrix's order as they were when it was entered, who entered it and
// when. The index uses its weights by default.
type IndexWeights struct {
	Matrix        string
	Indicators    []string
	EnteredBy     *int64
	EnteredByName string
	Version       int64
	UpdatedAt     time.Time
}
