package model

import "time"

// Product is a product model (not an individual unit).
type Product struct {
	ID             int64
	SKU            string
	Name           string
	Brand          string
	Category       string
	WarrantyMonths int
	CreatedAt      time.Time
}

// WarrantyPolicy says how long a model is covered and what is covered.
type WarrantyPolicy struct {
	ID             int64
	ProductID      int64
	Months         int
	CoversParts    bool
	CoversLabour   bool
	CoversShipping bool
}

// Unit is one serial-numbered item sold to a customer.
type Unit struct {
	ID          int64
	Serial      string
	ProductID   int64
	SKU         string // filled on reads
	CustomerID  int64
	PurchasedAt time.Time // a date; midnight in the store's time zone
	Channel     string    // online, store, dealer … (free text)
	OrderRef    string
	// DeliveredAt is the delivery date, when known; the return window
	// counts from it (else from the purchase date).
	DeliveredAt *time.Time
	CreatedAt   time.Time
}

// Coverage lists what a warranty pays for.
type Coverage struct {
	Parts    bool `json:"parts"`
	Labour   bool `json:"labour"`
	Shipping bool `json:"shipping"`
}

// Coverage sources: what covers a unit today.
const (
	SourceBase = "base" // the model's warranty policy
	SourcePlan = "plan" // an extended-warranty plan
	SourceNone = "none"
)

// Entitlement is the answer to "is this serial covered, what, until when".
type Entitlement struct {
	Serial         string
	InWarranty     bool      // the base warranty or a plan covers today
	WarrantyEndsAt time.Time // the base warranty's inclusive last day, a date in the store's time zone
	Covers         Coverage  // what today's cover pays for; nothing when not covered
	// CoveredUntil is the last day anything covers (base or plan); plans
	// follow on from the base warranty, so it is also the end of today's
	// cover when there is one.
	CoveredUntil time.Time
	Source       string // SourceBase, SourcePlan or SourceNone
	Plans        []PlanCover
}

// PlanCover is one plan sold on a unit, as the entitlement shows it.
type PlanCover struct {
	Code     string
	Name     string
	StartsOn time.Time
	EndsOn   time.Time
	Active   bool
	Covers   Coverage
}

// WarrantyPlan is an extended-warranty plan (延保) that can be sold on a
// unit: a term in months, a list price and what it covers.
type WarrantyPlan struct {
	ID        int64
	Code      string
	Name      string
	Months    int
	Price     int64 // minor units of Currency
	Currency  string
	Covers    Coverage
	Active    bool
	CreatedAt time.Time
}

// UnitPlan is a plan sold on a unit: its dates were fixed at the sale
// (the day after the cover before it ended, or the sale date if later),
// and so were the price paid and the coverage, for the entitlement check
// and the revenue report.
type UnitPlan struct {
	ID         int64
	UnitID     int64
	PlanID     int64
	PlanCode   string // filled on reads
	PlanName   string // filled on reads
	SoldAt     time.Time
	StartsOn   time.Time
	EndsOn     time.Time // inclusive
	Months     int
	Price      int64
	Currency   string
	Covers     Coverage
	CentreID   *int64 // the centre that sold it, for revenue per centre
	SoldByKind PrincipalKind
	SoldByID   *int64
	SoldBy     string
	CreatedAt  time.Time
}

// Category is a node of the request category tree.
type Category struct {
	ID       int64
	ParentID *int64
	NameZh   string
	NameEn   string
}
