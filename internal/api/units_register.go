package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

const registerUnitPath = "/api/v1/units/register"

// RegisteredUnit is a unit a customer registered, as the API answers:
// the product by name and today's warranty.
type RegisteredUnit struct {
	ID           int64  `json:"id"`
	Serial       string `json:"serial"`
	SKU          string `json:"sku"`
	ProductName  string `json:"product_name"`
	PurchasedAt  string `json:"purchased_at" format:"date"`
	InWarranty   bool   `json:"in_warranty"`
	CoveredUntil string `json:"covered_until" format:"date" doc:"Last day the warranty or a plan covers (inclusive)."`
}

type registerUnitOutput struct {
	Body RegisteredUnit
}

type noInput struct{}

// maxRegisterField bounds a text field of the registration form.
const maxRegisterField = 1 << 10

func (s *server) registerUnitRegistration() {
	a := can(model.PermUnitRegister)
	a.bodyLimit = uploadBodyLimit
	register(s, huma.Operation{
		OperationID: "register-unit", Method: http.MethodPost, Path: registerUnitPath,
		Summary: "Register a product one bought, by its serial number", Tags: []string{"catalog"},
		DefaultStatus: http.StatusCreated,
		Description: "For customers. multipart/form-data with serial, purchased_at (YYYY-MM-DD) and the proof of purchase " +
			"in the field \"proof\" (a photo or a PDF, at most 20 MiB). An unknown serial is 422 (location body.serial); " +
			"one already registered, to this customer or to someone else, is 409. The unit, its proof and its warranty " +
			"are written together or not at all.",
		Errors: []int{http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity},
	}, a, func(ctx context.Context, _ *noInput) (*registerUnitOutput, error) {
		r := httpRequestFrom(ctx)
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, newProblem(ctx, http.StatusUnsupportedMediaType, "request must be multipart/form-data with serial, purchased_at and proof")
		}
		var in catalog.RegisterInput
		defer func() { in.Proof.Discard() }()
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tooLarge()
			}
			if err != nil {
				return nil, newProblem(ctx, http.StatusBadRequest, "cannot read the multipart body")
			}
			switch part.FormName() {
			case "serial", "purchased_at":
				b, err := io.ReadAll(io.LimitReader(part, maxRegisterField))
				if err != nil {
					return nil, newProblem(ctx, http.StatusBadRequest, "cannot read the multipart body")
				}
				if part.FormName() == "serial" {
					in.Serial = string(b)
				} else {
					in.PurchasedAt = string(b)
				}
			case "proof":
				if in.Proof != nil {
					continue
				}
				f, err := s.d.Requests.Stage(part.FileName(), part)
				var me *model.Error
				switch {
				case errors.As(err, &mbe):
					return nil, tooLarge()
				case request.IsTypeRefused(err):
					return nil, &statusOverride{status: http.StatusUnsupportedMediaType,
						err: model.FieldError("proof", "the proof of purchase must be a photo or a PDF")}
				case errors.As(err, &me) && me.Field == "file":
					me2 := *me
					me2.Field = "proof"
					return nil, &me2
				case err != nil:
					return nil, err
				}
				in.Proof = f
			}
		}
		o, err := s.d.Catalog.RegisterUnit(ctx, principalFrom(ctx), in)
		in.Proof = nil // RegisterUnit kept or discarded it
		if err != nil {
			return nil, err
		}
		return &registerUnitOutput{Body: RegisteredUnit{ID: o.ID, Serial: o.Serial, SKU: o.SKU, ProductName: o.ProductName,
			PurchasedAt: o.PurchasedAt.Format(time.DateOnly), InWarranty: o.Entitlement.InWarranty,
			CoveredUntil: o.Entitlement.CoveredUntil.Format(time.DateOnly)}}, nil
	})
	s.api.OpenAPI().Paths[registerUnitPath].Post.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{Type: huma.TypeObject, Required: []string{"serial", "purchased_at", "proof"},
			Properties: map[string]*huma.Schema{
				"serial":       {Type: huma.TypeString, MaxLength: intPtr(64)},
				"purchased_at": {Type: huma.TypeString, Format: "date"},
				"proof":        {Type: huma.TypeString, Format: "binary", Description: "A photo of the receipt or the invoice, or a PDF."},
			}}},
	}}
}

func intPtr(n int) *int { return &n }

type addSerialsInput struct {
	SKU  string `path:"sku" example:"WM-100"`
	Body struct {
		Serials []string `json:"serials" minItems:"1" maxItems:"10000" doc:"Serial numbers produced for this product; known ones are skipped."`
	}
}

type addSerialsOutput struct {
	Body struct {
		Added int `json:"added" doc:"How many serials were new."`
	}
}

func (s *server) registerSerials() {
	register(s, huma.Operation{
		OperationID: "add-serials", Method: http.MethodPost, Path: "/api/v1/products/{sku}/serials",
		Summary: "Record produced serial numbers of a product", Tags: []string{"catalog"},
		Description: "Customers can register these serials in the portal (POST /api/v1/units/register); a serial " +
			"that is neither recorded here nor a unit is unknown to them. An unknown SKU is 422 (location body.sku).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermProductManage), func(ctx context.Context, in *addSerialsInput) (*addSerialsOutput, error) {
		for i, sn := range in.Body.Serials {
			if len(sn) > 64 {
				return nil, model.FieldError("serials", "serial number %d is longer than %d characters", i+1, 64)
			}
		}
		n, err := s.d.Catalog.AddSerials(ctx, principalFrom(ctx), in.SKU, in.Body.Serials)
		if err != nil {
			return nil, err
		}
		out := &addSerialsOutput{}
		out.Body.Added = n
		return out, nil
	})
}
