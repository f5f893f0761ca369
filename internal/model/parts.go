package model

import "time"

// Part is a spare part of the catalogue: what it fits, what it costs the
// company and what a customer pays for it.
type Part struct {
	ID             int64
	PartNo         string
	Name           string
	CompatibleSKUs []string
	Cost           int64 // minor units of Currency
	Price          int64
	Currency       string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// MovementKind is the kind of one stock-ledger row.
type MovementKind string

// Stock movement kinds. Quantity signs: receive +, adjust ±, transfer −
// at the source and + at the destination (all on hand); reserve + and
// release − (reserved); consume − (on hand and reserved alike: it uses
// up reserved units).
const (
	MoveReceive  MovementKind = "receive"
	MoveReserve  MovementKind = "reserve"
	MoveRelease  MovementKind = "release"
	MoveConsume  MovementKind = "consume"
	MoveTransfer MovementKind = "transfer"
	MoveAdjust   MovementKind = "adjust"
)

// MovementKinds lists every kind, in ledger-explanation order.
var MovementKinds = []MovementKind{MoveReceive, MoveReserve, MoveRelease, MoveConsume, MoveTransfer, MoveAdjust}

// StockLevel is the stock of one part at one centre.
type StockLevel struct {
	CentreID     int64
	CentreCode   string
	PartID       int64
	PartNo       string
	PartName     string
	OnHand       int64
	Reserved     int64
	ReorderPoint int64 // 0: none
	UpdatedAt    time.Time
}

// Available is what can still be reserved: on hand minus reserved.
func (l StockLevel) Available() int64 { return l.OnHand - l.Reserved }

// Alert reports whether the line has reached its reorder point:
// available at or below a reorder point that is set (above zero).
func (l StockLevel) Alert() bool { return l.ReorderPoint > 0 && l.Available() <= l.ReorderPoint }

// StockMovement is one row of the append-only stock ledger.
type StockMovement struct {
	ID            int64
	CentreID      int64
	PartID        int64
	Kind          MovementKind
	Quantity      int64 // signed, see MovementKind
	OnHandDelta   int64
	ReservedDelta int64
	OnHandAfter   int64
	ReservedAfter int64
	UnitCost      int64 // the part's cost when it moved, for the cost of parts used
	RepairID      *int64
	// CounterpartID is the other centre of a transfer.
	CounterpartID   *int64
	CounterpartCode string // filled on reads
	ActorKind       PrincipalKind
	ActorID         *int64
	ActorName       string
	Note            string
	CreatedAt       time.Time
}
