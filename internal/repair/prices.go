package repair

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// FaultCodes returns the fault codes of a category, "" for all
// (model.PermRepairRead, staff).
func (s *Service) FaultCodes(ctx context.Context, p model.Principal, category string) ([]model.FaultCode, error) {
	if !p.IsStaff() || !p.Can(model.PermRepairRead) {
		return nil, forbidden()
	}
	return s.store.FaultCodes(ctx, strings.TrimSpace(category))
}

// PutFaultCode adds a fault code to a category or renames it
// (model.PermPriceManage); both names are required.
func (s *Service) PutFaultCode(ctx context.Context, p model.Principal, f model.FaultCode) error {
	if !p.Can(model.PermPriceManage) {
		return forbidden()
	}
	f.Category, f.Code = strings.TrimSpace(f.Category), strings.TrimSpace(f.Code)
	f.NameZh, f.NameEn = strings.TrimSpace(f.NameZh), strings.TrimSpace(f.NameEn)
	switch {
	case f.Category == "" || utf8.RuneCountInString(f.Category) > 64:
		return model.FieldError("category", "is required (at most 64 characters)")
	case !codePattern.MatchString(f.Code):
		return model.FieldError("code", "letters, digits, '.', '_' and '-', at most 32")
	case f.NameZh == "" || utf8.RuneCountInString(f.NameZh) > 200:
		return model.FieldError("name_zh", "is required (at most 200 characters)")
	case f.NameEn == "" || utf8.RuneCountInString(f.NameEn) > 200:
		return model.FieldError("name_en", "is required (at most 200 characters)")
	}
	return s.store.PutFaultCode(ctx, f)
}

// LabourPrices returns the labour price list (model.PermRepairRead,
// staff).
func (s *Service) LabourPrices(ctx context.Context, p model.Principal) ([]model.LabourPrice, error) {
	if !p.IsStaff() || !p.Can(model.PermRepairRead) {
		return nil, forbidden()
	}
	return s.store.LabourPrices(ctx)
}

// PutLabourPrice adds an entry to the labour price list or changes it
// (model.PermPriceManage). The code "inspection" is the fee charged when
// a quote is declined.
func (s *Service) PutLabourPrice(ctx context.Context, p model.Principal, l model.LabourPrice) (*model.LabourPrice, error) {
	if !p.Can(model.PermPriceManage) {
		return nil, forbidden()
	}
	l.Code, l.Category, l.Name = strings.TrimSpace(l.Code), strings.TrimSpace(l.Category), strings.TrimSpace(l.Name)
	switch {
	case !codePattern.MatchString(l.Code):
		return nil, model.FieldError("code", "letters, digits, '.', '_' and '-', at most 32")
	case utf8.RuneCountInString(l.Category) > 64:
		return nil, model.FieldError("category", "must be at most %d characters", 64)
	case l.Name == "" || utf8.RuneCountInString(l.Name) > 200:
		return nil, model.FieldError("name", "is required (at most 200 characters)")
	case l.Price < 0 || l.Price > 100_000_000_00:
		return nil, model.FieldError("price", "must be between 0 and 10000000000")
	}
	l.Currency = s.currency
	audit := model.Audit(ctx, p, model.AuditLabourPriceSet, "", l.Category+" "+l.Name+" "+
		model.Money{Amount: l.Price, Currency: l.Currency}.String())
	if err := s.store.PutLabourPrice(ctx, l, audit); err != nil {
		return nil, err
	}
	return &l, nil
}
