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
	CreatedAt   time.Time
}

// Coverage lists what a warranty pays for.
type Coverage struct {
	Parts    bool `json:"parts"`
	Labour   bool `json:"labour"`
	Shipping bool `json:"shipping"`
}

// Entitlement is the answer to "is this serial covered, what, until when".
type Entitlement struct {
	Serial         string
	InWarranty     bool
	WarrantyEndsAt time.Time // inclusive last day, a date in the store's time zone
	Covers         Coverage
}

// Category is a node of the request category tree.
type Category struct {
	ID       int64
	ParentID *int64
	NameZh   string
	NameEn   string
}
