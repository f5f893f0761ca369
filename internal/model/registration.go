package model

import "time"

// UnitProof is the proof of purchase a customer uploaded when registering
// a unit: a receipt photo or an invoice PDF. Staff read it to trust the
// purchase date, which sets the warranty.
type UnitProof struct {
	ID          int64
	UnitID      int64
	CustomerID  int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Path        string // under the attachments directory
	CreatedAt   time.Time
}

// OwnedUnit is a customer's unit as the portal lists it: the product's
// name (not its SKU) and today's warranty.
type OwnedUnit struct {
	Unit
	ProductName string
	Entitlement *Entitlement
}
