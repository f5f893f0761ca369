package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// FaultCode is a fault a technician records, per product category.
type FaultCode struct {
	Category string `json:"category"`
	Code     string `json:"code"`
	NameZh   string `json:"name_zh"`
	NameEn   string `json:"name_en"`
}

// LabourPrice is an entry of the labour price list.
type LabourPrice struct {
	Code     string `json:"code" doc:"\"inspection\" is the fee charged when a quote is declined."`
	Category string `json:"category" doc:"\"\": every category."`
	Name     string `json:"name"`
	Price    int64  `json:"price" doc:"Minor units."`
	Currency string `json:"currency"`
}

type faultCodesInput struct {
	Category string `query:"category" doc:"A product category; none: every category."`
}

type faultCodesOutput struct {
	Body struct {
		Items []FaultCode `json:"items"`
	}
}

type putFaultCodeInput struct {
	Category string `path:"category"`
	Code     string `path:"code"`
	Body     struct {
		NameZh string `json:"name_zh" maxLength:"200"`
		NameEn string `json:"name_en" maxLength:"200"`
	}
}

type faultCodeOutput struct {
	Body FaultCode
}

type labourPricesOutput struct {
	Body struct {
		Items []LabourPrice `json:"items"`
	}
}

type putLabourPriceInput struct {
	Code string `path:"code"`
	Body struct {
		Category string `json:"category,omitempty" maxLength:"64" doc:"Omit for every category."`
		Name     string `json:"name" maxLength:"200"`
		Price    int64  `json:"price" minimum:"0" doc:"Minor units of the store's currency."`
	}
}

type labourPriceOutput struct {
	Body LabourPrice
}

func (s *server) registerPriceList() {
	register(s, huma.Operation{
		OperationID: "list-fault-codes", Method: http.MethodGet, Path: "/api/v1/fault-codes",
		Summary: "Fault codes per product category (zh and en names)", Tags: []string{"repairs"},
	}, can(model.PermRepairRead), func(ctx context.Context, in *faultCodesInput) (*faultCodesOutput, error) {
		list, err := s.d.Repairs.FaultCodes(ctx, principalFrom(ctx), in.Category)
		if err != nil {
			return nil, err
		}
		out := &faultCodesOutput{}
		out.Body.Items = make([]FaultCode, len(list))
		for i, f := range list {
			out.Body.Items[i] = FaultCode{Category: f.Category, Code: f.Code, NameZh: f.NameZh, NameEn: f.NameEn}
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "put-fault-code", Method: http.MethodPut, Path: "/api/v1/fault-codes/{category}/{code}",
		Summary: "Add a fault code to a category or rename it", Tags: []string{"repairs"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermPriceManage), func(ctx context.Context, in *putFaultCodeInput) (*faultCodeOutput, error) {
		f := model.FaultCode{Category: in.Category, Code: in.Code, NameZh: in.Body.NameZh, NameEn: in.Body.NameEn}
		if err := s.d.Repairs.PutFaultCode(ctx, principalFrom(ctx), f); err != nil {
			return nil, err
		}
		return &faultCodeOutput{Body: FaultCode{Category: f.Category, Code: f.Code, NameZh: f.NameZh, NameEn: f.NameEn}}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-labour-prices", Method: http.MethodGet, Path: "/api/v1/labour-prices",
		Summary: "The labour price list", Tags: []string{"repairs"},
	}, can(model.PermRepairRead), func(ctx context.Context, _ *struct{}) (*labourPricesOutput, error) {
		list, err := s.d.Repairs.LabourPrices(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &labourPricesOutput{}
		out.Body.Items = make([]LabourPrice, len(list))
		for i, l := range list {
			out.Body.Items[i] = LabourPrice{Code: l.Code, Category: l.Category, Name: l.Name, Price: l.Price, Currency: l.Currency}
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "put-labour-price", Method: http.MethodPut, Path: "/api/v1/labour-prices/{code}",
		Summary: "Set a labour price", Tags: []string{"repairs"},
		Description: "A quote's labour line with this code takes this price unless it names its own. The code \"inspection\" is " +
			"charged when a quote is declined.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermPriceManage), func(ctx context.Context, in *putLabourPriceInput) (*labourPriceOutput, error) {
		l, err := s.d.Repairs.PutLabourPrice(ctx, principalFrom(ctx), model.LabourPrice{Code: in.Code, Category: in.Body.Category,
			Name: in.Body.Name, Price: in.Body.Price})
		if err != nil {
			return nil, err
		}
		return &labourPriceOutput{Body: LabourPrice{Code: l.Code, Category: l.Category, Name: l.Name, Price: l.Price, Currency: l.Currency}}, nil
	})
}
