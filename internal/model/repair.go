package model

import (
	"slices"
	"time"
)

// RepairStage is where a repair order stands.
type RepairStage string

// Repair stages, in the order a repair normally passes them.
const (
	StageAwaitingDevice  RepairStage = "awaiting_device"
	StageReceived        RepairStage = "received"
	StageDiagnosing      RepairStage = "diagnosing"
	StageQuoted          RepairStage = "quoted"
	StageWaitingApproval RepairStage = "waiting_approval"
	StageRepairing       RepairStage = "repairing"
	StageWaitingParts    RepairStage = "waiting_parts"
	StageTesting         RepairStage = "testing"
	StageReady           RepairStage = "ready"
	StageReturned        RepairStage = "returned"
	StageCompleted       RepairStage = "completed"
	StageCancelled       RepairStage = "cancelled"
)

// RepairStages lists every stage in workflow order.
func RepairStages() []RepairStage {
	return []RepairStage{StageAwaitingDevice, StageReceived, StageDiagnosing, StageQuoted, StageWaitingApproval,
		StageRepairing, StageWaitingParts, StageTesting, StageReady, StageReturned, StageCompleted, StageCancelled}
}

// Valid reports whether s is a known stage.
func (s RepairStage) Valid() bool { return slices.Contains(RepairStages(), s) }

// Final reports whether nothing follows s.
func (s RepairStage) Final() bool { return s == StageCompleted || s == StageCancelled }

// repairSteps are the steps the stage endpoint may take. Quoting
// (diagnosing → quoted | waiting_approval) and the customer's answer
// (waiting_approval → quoted | ready) have their own endpoints.
var repairSteps = map[RepairStage][]RepairStage{
	StageAwaitingDevice:  {StageReceived, StageCancelled},
	StageReceived:        {StageDiagnosing, StageCancelled},
	StageDiagnosing:      {StageCancelled},
	StageQuoted:          {StageRepairing, StageWaitingParts, StageDiagnosing, StageCancelled},
	StageWaitingApproval: {StageRepairing, StageCancelled},
	StageRepairing:       {StageWaitingParts, StageTesting, StageCancelled},
	StageWaitingParts:    {StageRepairing, StageCancelled},
	StageTesting:         {StageReady, StageRepairing},
	StageReady:           {StageReturned},
	StageReturned:        {StageCompleted},
}

// CanStep reports whether the stage endpoint may move a repair from one
// stage to another. Approval is checked separately (repairing needs an
// approved or free quote).
func CanStep(from, to RepairStage) bool { return slices.Contains(repairSteps[from], to) }

// NextStages lists the stages the stage endpoint may move a repair to
// from s, for the pages' buttons.
func NextStages(s RepairStage) []RepairStage { return slices.Clone(repairSteps[s]) }

// RepairMode is how the device reaches the centre.
type RepairMode string

// Repair modes.
const (
	ModeMailIn  RepairMode = "mail_in"
	ModeInStore RepairMode = "in_store"
	ModeOnSite  RepairMode = "on_site"
)

// Valid reports whether m is known.
func (m RepairMode) Valid() bool { return m == ModeMailIn || m == ModeInStore || m == ModeOnSite }

// Approval is the state of a quote's approval.
type Approval string

// Approval states; "" before any quote.
const (
	ApprovalNone      Approval = ""
	ApprovalNotNeeded Approval = "not_needed"
	ApprovalPending   Approval = "pending"
	ApprovalApproved  Approval = "approved"
	ApprovalDeclined  Approval = "declined"
)

// QuoteLineKind is what a quote line charges for.
type QuoteLineKind string

// Quote line kinds.
const (
	LinePart     QuoteLineKind = "part"
	LineLabour   QuoteLineKind = "labour"
	LineShipping QuoteLineKind = "shipping"
	LineFee      QuoteLineKind = "fee"
)

// Valid reports whether k is known.
func (k QuoteLineKind) Valid() bool {
	return k == LinePart || k == LineLabour || k == LineShipping || k == LineFee
}

// CoveredBy reports whether coverage c pays for a line of kind k; fees
// are never covered.
func (k QuoteLineKind) CoveredBy(c Coverage) bool {
	switch k {
	case LinePart:
		return c.Parts
	case LineLabour:
		return c.Labour
	case LineShipping:
		return c.Shipping
	}
	return false
}

// QuoteLine is one line of a repair quote. Amount is Quantity × UnitPrice,
// or 0 when the warranty covers the line.
type QuoteLine struct {
	Kind        QuoteLineKind
	PartID      *int64
	PartNo      string
	Description string
	Quantity    int64
	UnitPrice   int64
	Covered     bool
	Amount      int64
}

// Repair is a repair order of a request.
type Repair struct {
	ID            int64
	RequestID     int64
	RequestNumber string
	CustomerID    int64
	UnitID        *int64
	Serial        string
	Category      string
	CentreID      int64
	CentreCode    string
	Mode          RepairMode
	Stage         RepairStage
	FaultCodes    []string
	Condition     string
	Accessories   string
	Approval      Approval
	// ApprovalBy is who answered the quote; ApprovalByKind is "customer"
	// or "staff" (on the customer's behalf).
	ApprovalBy     string
	ApprovalByKind string
	ApprovalAt     *time.Time
	CoverageSource string // base, plan or none, as the quote found it
	QuoteTotal     int64
	InspectionFee  int64
	Currency       string
	Carrier        string
	TrackingNo     string
	Rework         bool
	ReworkOf       *int64
	// WaitingPartID is the part the repair waits for (stage
	// waiting_parts after a reservation found the centre short), with
	// its part number and the quantity to reserve when it resumes.
	WaitingPartID   *int64
	WaitingPartNo   string
	WaitingQuantity int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CompletedAt     *time.Time

	Lines   []QuoteLine
	History []RepairStep
	Parts   []RepairPart
}

// RepairStep is one entry of a repair's history.
type RepairStep struct {
	From      RepairStage
	Stage     RepairStage
	Note      string
	ActorKind AuthorKind
	ActorName string
	At        time.Time
}

// RepairPart is what a repair holds of one part at its centre.
type RepairPart struct {
	PartID   int64
	PartNo   string
	Name     string
	Reserved int64 // held now
	Consumed int64 // fitted
	Price    int64
	Cost     int64
}

// FaultCode is a fault a technician records when diagnosing, per product
// category, named in both languages.
type FaultCode struct {
	Category string
	Code     string
	NameZh   string
	NameEn   string
}

// LabourPrice is an entry of the labour price list.
type LabourPrice struct {
	Code     string
	Category string // "" for every category
	Name     string
	Price    int64
	Currency string
}

// InspectionCode is the labour price list code of the fee charged when a
// quote is declined.
const InspectionCode = "inspection"

// ReworkDays is how long after a completed repair the same fault on the
// same unit counts as rework.
const ReworkDays = 90

// ReturnKind is what a customer asks for within a policy's window.
type ReturnKind string

// Return kinds.
const (
	ReturnRefund   ReturnKind = "return"
	ReturnExchange ReturnKind = "exchange"
)

// Valid reports whether k is known.
func (k ReturnKind) Valid() bool { return k == ReturnRefund || k == ReturnExchange }

// ReturnPolicy is the return and exchange policy of a product category:
// windows in calendar days from the day after delivery, and what happens
// to a request outside them (reject, or review by an agent).
type ReturnPolicy struct {
	Category      string
	ReturnDays    int
	ExchangeDays  int
	OutsideWindow string // reject or review
	Default       bool   // no policy recorded: the default applies
}

// DefaultReturnPolicy is the policy of a category without one: a 7-day
// no-reason return (7天无理由退货), a 15-day exchange, rejected outside.
func DefaultReturnPolicy(category string) ReturnPolicy {
	return ReturnPolicy{Category: category, ReturnDays: 7, ExchangeDays: 15, OutsideWindow: OutsideReject, Default: true}
}

// What happens outside the window.
const (
	OutsideReject = "reject"
	OutsideReview = "review"
)

// Return decisions and statuses. A return starts approved, rejected or
// in review; approved ones go received → inspected → refunded or
// replaced.
const (
	ReturnApproved  = "approved"
	ReturnRejected  = "rejected"
	ReturnReview    = "review"
	ReturnReceived  = "received"
	ReturnInspected = "inspected"
	ReturnRefunded  = "refunded"
	ReturnReplaced  = "replaced"
)

// ReturnSteps are the status steps of a return after its decision.
var returnSteps = map[string][]string{
	ReturnApproved:  {ReturnReceived},
	ReturnReceived:  {ReturnInspected},
	ReturnInspected: {ReturnRefunded, ReturnReplaced},
}

// CanReturnStep reports whether a return may move from one status to
// another.
func CanReturnStep(from, to string) bool { return slices.Contains(returnSteps[from], to) }

// NextReturnStatuses lists the statuses a return may move to next.
func NextReturnStatuses(from string) []string { return slices.Clone(returnSteps[from]) }

// Return is a return or exchange of a request's unit.
type Return struct {
	ID                int64
	RequestID         int64
	RequestNumber     string
	CustomerID        int64
	UnitID            int64
	Serial            string
	Kind              ReturnKind
	Reason            string // the customer's
	Decision          string // approved, rejected or review
	DecisionReason    string
	WindowEndsOn      time.Time // a date: the window's last day
	Status            string
	RefundAmount      int64
	Currency          string
	ReplacementSerial string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	ClosedAt          *time.Time
}
