package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/parts"
)

// StockLevel is a part's stock at a centre.
type StockLevel struct {
	Centre       string `json:"centre"`
	PartNo       string `json:"part_no"`
	PartName     string `json:"part_name"`
	OnHand       int64  `json:"on_hand"`
	Reserved     int64  `json:"reserved" doc:"Set aside for repairs."`
	Available    int64  `json:"available" doc:"on_hand − reserved."`
	ReorderPoint int64  `json:"reorder_point" doc:"0: none."`
	Alert        bool   `json:"alert" doc:"available ≤ reorder_point (with a reorder point set)."`
}

func toLevel(l *model.StockLevel) StockLevel {
	return StockLevel{Centre: l.CentreCode, PartNo: l.PartNo, PartName: l.PartName, OnHand: l.OnHand, Reserved: l.Reserved,
		Available: l.Available(), ReorderPoint: l.ReorderPoint, Alert: l.Alert()}
}

// Movement is one row of the stock ledger.
type Movement struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind" enum:"receive,reserve,release,consume,transfer,adjust"`
	Quantity int64  `json:"quantity" doc:"Signed: receive +, adjust ±, transfer − out / + in (on hand); reserve +, release − (reserved); consume − (on hand and reserved)."`
	// OnHandChange and ReservedChange are what the row did to the line.
	OnHandChange   int64     `json:"on_hand_change"`
	ReservedChange int64     `json:"reserved_change"`
	OnHandAfter    int64     `json:"on_hand_after"`
	ReservedAfter  int64     `json:"reserved_after"`
	At             time.Time `json:"at"`
	By             string    `json:"by" doc:"Who moved it."`
	Note           string    `json:"note" doc:"Why."`
	RepairID       *int64    `json:"repair_id,omitempty"`
	Counterpart    string    `json:"counterpart,omitempty" doc:"The other centre of a transfer."`
	UnitCost       int64     `json:"unit_cost" doc:"The part's cost when it moved, minor units."`
}

func toMovement(m *model.StockMovement) Movement {
	return Movement{ID: m.ID, Kind: string(m.Kind), Quantity: m.Quantity, OnHandChange: m.OnHandDelta,
		ReservedChange: m.ReservedDelta, OnHandAfter: m.OnHandAfter, ReservedAfter: m.ReservedAfter, At: m.CreatedAt,
		By: m.ActorName, Note: m.Note, RepairID: m.RepairID, Counterpart: m.CounterpartCode, UnitCost: m.UnitCost}
}

// StockLine is a stock level with its ledger.
type StockLine struct {
	StockLevel
	Ledger []Movement `json:"ledger" doc:"Every movement, oldest first; on_hand_change and reserved_change add up to on_hand and reserved."`
}

type moveStockInput struct {
	Code string `path:"code"`
	Body struct {
		PartNo   string `json:"part_no"`
		Quantity int64  `json:"quantity" doc:"receive: units received (> 0); adjust: the signed change to on hand."`
		Kind     string `json:"kind" enum:"receive,adjust"`
		Note     string `json:"note,omitempty" maxLength:"500" doc:"Why; required for adjust."`
	}
}

type movedOutput struct {
	Body struct {
		StockLevel
		Movement Movement `json:"movement"`
	}
}

type stockLineInput struct {
	Code   string `path:"code"`
	PartNo string `path:"part_no"`
}

type stockLineOutput struct {
	Body StockLine
}

type stockListOutput struct {
	Body struct {
		Items []StockLevel `json:"items"`
	}
}

type transferInput struct {
	Code string `path:"code"`
	Body struct {
		PartNo   string `json:"part_no"`
		Quantity int64  `json:"quantity" minimum:"1"`
		To       string `json:"to" doc:"Code of the receiving centre."`
		Note     string `json:"note,omitempty" maxLength:"500"`
	}
}

type transferOutput struct {
	Body struct {
		From StockLevel `json:"from"`
		To   StockLevel `json:"to"`
	}
}

type reorderInput struct {
	Code   string `path:"code"`
	PartNo string `path:"part_no"`
	Body   struct {
		ReorderPoint int64 `json:"reorder_point" minimum:"0" maximum:"1000000" doc:"Alert when available falls to this; 0 removes."`
	}
}

type levelOutput struct {
	Body StockLevel
}

type alertsInput struct {
	Centre string `query:"centre" doc:"A centre's code; none: every centre."`
}

func (s *server) registerStock() {
	register(s, huma.Operation{
		OperationID: "move-stock", Method: http.MethodPost, Path: "/api/v1/centres/{code}/stock",
		Summary: "Receive or adjust a part's stock at a centre", Tags: []string{"parts"}, DefaultStatus: http.StatusCreated,
		Description: "Appends a ledger row and answers the line after it with that row. An adjustment needs a note and may not " +
			"take stock below what repairs have reserved: stock never goes negative (409). Centre managers move their own centre's stock.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermStockMove), func(ctx context.Context, in *moveStockInput) (*movedOutput, error) {
		b := in.Body
		lvl, mv, err := s.d.Parts.Move(ctx, principalFrom(ctx), in.Code, parts.MoveInput{PartNo: b.PartNo,
			Quantity: b.Quantity, Kind: model.MovementKind(b.Kind), Note: b.Note})
		if err != nil {
			return nil, err
		}
		out := &movedOutput{}
		out.Body.StockLevel, out.Body.Movement = toLevel(lvl), toMovement(mv)
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "list-centre-stock", Method: http.MethodGet, Path: "/api/v1/centres/{code}/stock",
		Summary: "A centre's stock, part by part", Tags: []string{"parts"}, Errors: []int{http.StatusNotFound},
	}, can(model.PermStockRead), func(ctx context.Context, in *centreCodeInput) (*stockListOutput, error) {
		_, lines, err := s.d.Parts.CentreStock(ctx, principalFrom(ctx), in.Code)
		if err != nil {
			return nil, err
		}
		return levels(lines), nil
	})

	register(s, huma.Operation{
		OperationID: "get-stock-line", Method: http.MethodGet, Path: "/api/v1/centres/{code}/stock/{part_no}",
		Summary: "A part's stock at a centre, with its ledger", Tags: []string{"parts"},
		Description: "A part never stocked there answers zeros and an empty ledger.",
		Errors:      []int{http.StatusNotFound},
	}, can(model.PermStockRead), func(ctx context.Context, in *stockLineInput) (*stockLineOutput, error) {
		l, err := s.d.Parts.StockLine(ctx, principalFrom(ctx), in.Code, in.PartNo)
		if err != nil {
			return nil, err
		}
		out := &stockLineOutput{Body: StockLine{StockLevel: toLevel(&l.Level), Ledger: make([]Movement, len(l.Ledger))}}
		for i := range l.Ledger {
			out.Body.Ledger[i] = toMovement(&l.Ledger[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "transfer-stock", Method: http.MethodPost, Path: "/api/v1/centres/{code}/stock/transfers",
		Summary: "Transfer a part to another centre", Tags: []string{"parts"}, DefaultStatus: http.StatusCreated,
		Description: "One transaction, a ledger row at each centre. Only available (unreserved) units move; fewer is 409.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermStockMove), func(ctx context.Context, in *transferInput) (*transferOutput, error) {
		b := in.Body
		from, to, err := s.d.Parts.Transfer(ctx, principalFrom(ctx), in.Code, parts.TransferInput{PartNo: b.PartNo,
			Quantity: b.Quantity, To: b.To, Note: b.Note})
		if err != nil {
			return nil, err
		}
		out := &transferOutput{}
		out.Body.From, out.Body.To = toLevel(from), toLevel(to)
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "set-reorder-point", Method: http.MethodPut, Path: "/api/v1/centres/{code}/stock/{part_no}/reorder-point",
		Summary: "Set a part's reorder point at a centre", Tags: []string{"parts"},
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermStockMove), func(ctx context.Context, in *reorderInput) (*levelOutput, error) {
		l, err := s.d.Parts.SetReorderPoint(ctx, principalFrom(ctx), in.Code, in.PartNo, in.Body.ReorderPoint)
		if err != nil {
			return nil, err
		}
		return &levelOutput{Body: toLevel(l)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-stock-alerts", Method: http.MethodGet, Path: "/api/v1/stock/alerts",
		Summary: "Reorder alerts: lines at or below their reorder point, and parts a repair waits for", Tags: []string{"parts"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermStockRead), func(ctx context.Context, in *alertsInput) (*stockListOutput, error) {
		lines, err := s.d.Parts.Alerts(ctx, principalFrom(ctx), in.Centre)
		if err != nil {
			return nil, at("query", err)
		}
		return levels(lines), nil
	})
}

func levels(lines []model.StockLevel) *stockListOutput {
	out := &stockListOutput{}
	out.Body.Items = make([]StockLevel, len(lines))
	for i := range lines {
		out.Body.Items[i] = toLevel(&lines[i])
	}
	return out
}
