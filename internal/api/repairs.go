package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
	"github.com/aftercare/aftercare/internal/store"
)

// Repair is a repair order.
type Repair struct {
	ID            int64        `json:"id"`
	RequestNumber string       `json:"request_number"`
	Serial        string       `json:"serial,omitempty"`
	Centre        string       `json:"centre"`
	Mode          string       `json:"mode" enum:"mail_in,in_store,on_site"`
	Stage         string       `json:"stage" enum:"awaiting_device,received,diagnosing,quoted,waiting_approval,repairing,waiting_parts,testing,ready,returned,completed,cancelled"`
	NextStages    []string     `json:"next_stages" doc:"The stages POST …/stage may move it to now."`
	Condition     string       `json:"condition,omitempty" doc:"Recorded on receipt."`
	Accessories   string       `json:"accessories,omitempty" doc:"What came with the device."`
	FaultCodes    []string     `json:"fault_codes"`
	Quote         *Quote       `json:"quote" doc:"null before the first quote."`
	Parts         []RepairPart `json:"parts"`
	WaitingFor    *WaitingPart `json:"waiting_for,omitempty" doc:"The part the repair waits for at its centre (stage waiting_parts after a reservation found the centre short); moving to repairing reserves it."`
	Rework        bool         `json:"rework" doc:"The same unit came back with the same fault code within 90 days of a completed repair (set on both orders)."`
	ReworkOf      *int64       `json:"rework_of,omitempty" doc:"The earlier repair this one reworks."`
	InspectionFee int64        `json:"inspection_fee" doc:"Charged when the quote was declined (labour price list code \"inspection\"), minor units."`
	Carrier       string       `json:"carrier,omitempty"`
	TrackingNo    string       `json:"tracking_no,omitempty"`
	History       []RepairStep `json:"history"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	CompletedAt   *time.Time   `json:"completed_at,omitempty"`
	Currency      string       `json:"currency"`
}

// Quote is a repair's quote.
type Quote struct {
	Lines          []QuoteLine `json:"lines"`
	Total          int64       `json:"total" doc:"What the customer pays, minor units."`
	Currency       string      `json:"currency"`
	Approval       string      `json:"approval" enum:"not_needed,pending,approved,declined"`
	CoverageSource string      `json:"coverage_source" enum:"base,plan,none" doc:"The cover that zeroed lines when the quote was written."`
	ApprovedBy     string      `json:"approved_by,omitempty" doc:"Who answered the quote."`
	ApprovedByKind string      `json:"approved_by_kind,omitempty" enum:"customer,staff" doc:"staff: on the customer's behalf."`
	AnsweredAt     *time.Time  `json:"answered_at,omitempty"`
}

// QuoteLine is one line of a quote.
type QuoteLine struct {
	Kind        string `json:"kind" enum:"part,labour,shipping,fee"`
	PartNo      string `json:"part_no,omitempty"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price" doc:"Minor units."`
	Covered     bool   `json:"covered" doc:"The warranty or a plan pays for this line."`
	Amount      int64  `json:"amount" doc:"quantity × unit_price, 0 when covered."`
}

// RepairPart is what a repair holds of a part at its centre.
type RepairPart struct {
	PartNo   string `json:"part_no"`
	Name     string `json:"name"`
	Reserved int64  `json:"reserved" doc:"Held now."`
	Consumed int64  `json:"consumed" doc:"Fitted (consumed when the repair moved to testing)."`
}

// WaitingPart is the part a repair waits for.
type WaitingPart struct {
	PartNo   string `json:"part_no"`
	Quantity int64  `json:"quantity"`
}

// RepairStep is one entry of a repair's history.
type RepairStep struct {
	From  string    `json:"from,omitempty"`
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
	By    string    `json:"by"`
	Note  string    `json:"note,omitempty"`
}

func toRepair(rp *model.Repair) Repair {
	out := Repair{ID: rp.ID, RequestNumber: rp.RequestNumber, Serial: rp.Serial, Centre: rp.CentreCode, Mode: string(rp.Mode),
		Stage: string(rp.Stage), NextStages: []string{}, Condition: rp.Condition, Accessories: rp.Accessories,
		FaultCodes: rp.FaultCodes, Parts: []RepairPart{}, Rework: rp.Rework, ReworkOf: rp.ReworkOf,
		InspectionFee: rp.InspectionFee, Carrier: rp.Carrier, TrackingNo: rp.TrackingNo, History: []RepairStep{},
		CreatedAt: rp.CreatedAt, UpdatedAt: rp.UpdatedAt, CompletedAt: rp.CompletedAt, Currency: rp.Currency}
	if out.FaultCodes == nil {
		out.FaultCodes = []string{}
	}
	for _, st := range model.NextStages(rp.Stage) {
		out.NextStages = append(out.NextStages, string(st))
	}
	if rp.WaitingPartID != nil {
		out.WaitingFor = &WaitingPart{PartNo: rp.WaitingPartNo, Quantity: rp.WaitingQuantity}
	}
	if rp.Approval != model.ApprovalNone {
		q := toQuote(rp)
		out.Quote = &q
	}
	for _, p := range rp.Parts {
		out.Parts = append(out.Parts, RepairPart{PartNo: p.PartNo, Name: p.Name, Reserved: p.Reserved, Consumed: p.Consumed})
	}
	for _, h := range rp.History {
		out.History = append(out.History, RepairStep{From: string(h.From), Stage: string(h.Stage), At: h.At, By: h.ActorName, Note: h.Note})
	}
	return out
}

func toQuote(rp *model.Repair) Quote {
	q := Quote{Lines: []QuoteLine{}, Total: rp.QuoteTotal, Currency: rp.Currency, Approval: string(rp.Approval),
		CoverageSource: rp.CoverageSource, ApprovedBy: rp.ApprovalBy, ApprovedByKind: rp.ApprovalByKind, AnsweredAt: rp.ApprovalAt}
	for _, l := range rp.Lines {
		q.Lines = append(q.Lines, QuoteLine{Kind: string(l.Kind), PartNo: l.PartNo, Description: l.Description,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Covered: l.Covered, Amount: l.Amount})
	}
	return q
}

type openRepairInput struct {
	Number string `path:"number"`
	Body   struct {
		Mode   string `json:"mode" enum:"mail_in,in_store,on_site"`
		Centre string `json:"centre" doc:"Code of a centre that repairs the unit's category."`
	}
}

type repairOutput struct {
	Body Repair
}

type repairIDInput struct {
	ID int64 `path:"id"`
}

type stepInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Stage       string   `json:"stage" enum:"awaiting_device,received,diagnosing,quoted,waiting_approval,repairing,waiting_parts,testing,ready,returned,completed,cancelled"`
		Note        string   `json:"note,omitempty" maxLength:"1000"`
		Condition   string   `json:"condition,omitempty" maxLength:"1000" doc:"received: the device's condition."`
		Accessories string   `json:"accessories,omitempty" maxLength:"1000" doc:"received: what came with it."`
		FaultCodes  []string `json:"fault_codes,omitempty" maxItems:"20" doc:"diagnosing or later: codes of the unit's category (GET /api/v1/fault-codes)."`
		Carrier     string   `json:"carrier,omitempty" maxLength:"1000" doc:"returned: required for mail-in."`
		TrackingNo  string   `json:"tracking_no,omitempty" maxLength:"1000" doc:"returned: required for mail-in."`
		TestPassed  *bool    `json:"test_passed,omitempty" doc:"testing → ready needs a pass; a failed test goes testing → repairing."`
	}
}

type quoteInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Lines []struct {
			Kind        string `json:"kind" enum:"part,labour,shipping,fee"`
			PartNo      string `json:"part_no,omitempty" doc:"part: the part number."`
			Code        string `json:"code,omitempty" doc:"labour: an entry of the labour price list (its price is the default unit_price)."`
			Description string `json:"description,omitempty" maxLength:"200" doc:"Default: the part's or labour entry's name."`
			Quantity    int64  `json:"quantity,omitempty" minimum:"0" maximum:"1000" doc:"Default 1."`
			UnitPrice   *int64 `json:"unit_price,omitempty" minimum:"0" doc:"Minor units; default the part's price or the labour price."`
		} `json:"lines" minItems:"1" maxItems:"50"`
	}
}

type quoteOutput struct {
	Body struct {
		Quote
		RepairID int64  `json:"repair_id"`
		Stage    string `json:"stage" enum:"quoted,waiting_approval"`
	}
}

type approvalInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Approved bool   `json:"approved"`
		Note     string `json:"note,omitempty" maxLength:"1000"`
	}
}

type reserveInput struct {
	ID   int64 `path:"id"`
	Body struct {
		PartNo      string `json:"part_no"`
		Quantity    int64  `json:"quantity" minimum:"1" maximum:"1000"`
		WaitIfShort bool   `json:"wait_if_short,omitempty" doc:"When the centre is short, move a quoted or repairing repair to waiting_parts (201, waiting_for set, the part on the centre's reorder alerts) instead of answering 409."`
	}
}

type listRepairsInput struct {
	Stage  string `query:"stage" enum:"awaiting_device,received,diagnosing,quoted,waiting_approval,repairing,waiting_parts,testing,ready,returned,completed,cancelled,"`
	Centre string `query:"centre" doc:"A centre's code (technicians and centre managers see their own centre's)."`
	Limit  int    `query:"limit" minimum:"0" maximum:"500" doc:"Default 200."`
}

type repairListOutput struct {
	Body struct {
		Items []Repair `json:"items"`
	}
}

func (s *server) registerRepairs() {
	conflicts := []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	register(s, huma.Operation{
		OperationID: "open-repair", Method: http.MethodPost, Path: "/api/v1/requests/{number}/repair",
		Summary: "Open the repair order of a request", Tags: []string{"repairs"}, DefaultStatus: http.StatusCreated,
		Description: "At stage awaiting_device, at a centre that repairs the unit's category. One repair per request (409 for a second). " +
			"Customers open repairs for their own requests.",
		Errors: conflicts,
	}, can(model.PermRepairOpen), func(ctx context.Context, in *openRepairInput) (*repairOutput, error) {
		rp, err := s.d.Repairs.Open(ctx, principalFrom(ctx), in.Number, repair.OpenInput{Mode: model.RepairMode(in.Body.Mode),
			Centre: in.Body.Centre})
		if err != nil {
			return nil, err
		}
		return &repairOutput{Body: toRepair(rp)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-repairs", Method: http.MethodGet, Path: "/api/v1/repairs",
		Summary: "Repair orders, most recently changed first", Tags: []string{"repairs"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermRepairRead), func(ctx context.Context, in *listRepairsInput) (*repairListOutput, error) {
		f := store.RepairFilter{Stage: model.RepairStage(in.Stage), Limit: in.Limit}
		if in.Centre != "" {
			c, err := s.d.Store.CentreByCode(ctx, in.Centre)
			if model.IsNotFound(err) {
				return nil, at("query", model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", in.Centre))
			} else if err != nil {
				return nil, err
			}
			f.CentreID = c.ID
		}
		list, err := s.d.Repairs.List(ctx, principalFrom(ctx), f)
		if err != nil {
			return nil, err
		}
		out := &repairListOutput{}
		out.Body.Items = make([]Repair, len(list))
		for i := range list {
			out.Body.Items[i] = toRepair(&list[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-repair", Method: http.MethodGet, Path: "/api/v1/repairs/{id}",
		Summary: "A repair order with its quote, parts and history", Tags: []string{"repairs"},
		Errors: []int{http.StatusNotFound},
	}, can(model.PermRepairRead), func(ctx context.Context, in *repairIDInput) (*repairOutput, error) {
		rp, err := s.d.Repairs.Get(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &repairOutput{Body: toRepair(rp)}, nil
	})

	register(s, huma.Operation{
		OperationID: "step-repair", Method: http.MethodPost, Path: "/api/v1/repairs/{id}/stage",
		Summary: "Move a repair to another stage", Tags: []string{"repairs"},
		Description: "Only the workflow's steps (see next_stages); any other answers 409 and changes nothing. repairing needs a quote " +
			"that is free or approved (409 while approval is pending or after a decline); testing consumes the reserved parts; " +
			"cancelled releases them; a failed test goes testing → repairing; a mail-in repair is returned with carrier and tracking_no; " +
			"waiting_parts → repairing reserves the part waited for (409 while the centre is still short). Agents take the desk's " +
			"steps only (received, returned, completed, cancelled; 403 for the others).",
		Errors: conflicts,
	}, can(model.PermRepairStep), func(ctx context.Context, in *stepInput) (*repairOutput, error) {
		b := in.Body
		rp, err := s.d.Repairs.Step(ctx, principalFrom(ctx), in.ID, repair.StepInput{Stage: model.RepairStage(b.Stage), Note: b.Note,
			Condition: b.Condition, Accessories: b.Accessories, FaultCodes: b.FaultCodes, Carrier: b.Carrier,
			TrackingNo: b.TrackingNo, TestPassed: b.TestPassed})
		if err != nil {
			return nil, err
		}
		return &repairOutput{Body: toRepair(rp)}, nil
	})

	register(s, huma.Operation{
		OperationID: "quote-repair", Method: http.MethodPost, Path: "/api/v1/repairs/{id}/quote",
		Summary: "Write a repair's quote", Tags: []string{"repairs"}, DefaultStatus: http.StatusCreated,
		Description: "While diagnosing (or replacing a quote not yet approved). The unit's cover today — base warranty or an " +
			"extended-warranty plan — zeroes the part, labour and shipping lines it pays for; fees are never covered. Nothing to pay: " +
			"the repair moves to quoted (approval not_needed); otherwise to waiting_approval (approval pending).",
		Errors: conflicts,
	}, can(model.PermRepairWork), func(ctx context.Context, in *quoteInput) (*quoteOutput, error) {
		lines := make([]repair.LineInput, len(in.Body.Lines))
		for i, l := range in.Body.Lines {
			lines[i] = repair.LineInput{Kind: model.QuoteLineKind(l.Kind), PartNo: l.PartNo, Code: l.Code,
				Description: l.Description, Quantity: l.Quantity, UnitPrice: l.UnitPrice}
		}
		rp, err := s.d.Repairs.Quote(ctx, principalFrom(ctx), in.ID, lines)
		if err != nil {
			return nil, err
		}
		out := &quoteOutput{}
		out.Body.Quote, out.Body.RepairID, out.Body.Stage = toQuote(rp), rp.ID, string(rp.Stage)
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "answer-quote", Method: http.MethodPost, Path: "/api/v1/repairs/{id}/approval",
		Summary: "Approve or decline a repair's quote", Tags: []string{"repairs"},
		Description: "The customer for their own repair, or staff on the customer's behalf (recorded as such). Approved: the repair " +
			"moves to quoted and may be repaired. Declined: its parts are released and it moves to ready, to go back unrepaired " +
			"(with the inspection fee when the labour price list has one). 409 when no quote is waiting.",
		Errors: conflicts,
	}, can(model.PermRepairApprove), func(ctx context.Context, in *approvalInput) (*repairOutput, error) {
		rp, err := s.d.Repairs.Answer(ctx, principalFrom(ctx), in.ID, in.Body.Approved, in.Body.Note)
		if err != nil {
			return nil, err
		}
		return &repairOutput{Body: toRepair(rp)}, nil
	})

	register(s, huma.Operation{
		OperationID: "reserve-repair-part", Method: http.MethodPost, Path: "/api/v1/repairs/{id}/parts",
		Summary: "Reserve a part for a repair at its centre", Tags: []string{"repairs"}, DefaultStatus: http.StatusCreated,
		Description: "A reserve row in the centre's stock ledger. 409 when the centre's available stock cannot cover it (nothing is " +
			"reserved), unless wait_if_short moves the repair to waiting_parts instead. Moving to testing consumes what is reserved; " +
			"cancelling or declining releases it.",
		Errors: conflicts,
	}, can(model.PermRepairWork), func(ctx context.Context, in *reserveInput) (*repairOutput, error) {
		rp, err := s.d.Repairs.ReservePart(ctx, principalFrom(ctx), in.ID, in.Body.PartNo, in.Body.Quantity, in.Body.WaitIfShort)
		if err != nil {
			return nil, err
		}
		return &repairOutput{Body: toRepair(rp)}, nil
	})
	s.registerPriceList()
}
