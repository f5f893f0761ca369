package analytics

import (
	"context"
	"slices"

	"github.com/aftercare/aftercare/internal/model"
)

// StoredWeights returns the expert weights an admin entered for the
// index, or nil when there are none or they were entered for other
// indicators than the index has now (then the index uses entropy weights
// until an admin enters them again).
func (s *Service) StoredWeights(ctx context.Context, p model.Principal) (*ExpertWeights, error) {
	if !p.Can(model.PermFeedbackAnalyze) && !p.Can(model.PermIndexWeights) {
		return nil, forbidden()
	}
	w, err := s.store.IndexWeights(ctx)
	if err != nil || w == nil || !slices.Equal(w.Indicators, IndexIndicators()) {
		return nil, err
	}
	ew, err := ParseExpertWeights("matrix", w.Matrix)
	if err != nil {
		return nil, nil // the rules changed since: not usable
	}
	ew.Stored, ew.EnteredBy, ew.UpdatedAt = true, w.EnteredByName, &w.UpdatedAt
	return &ew, nil
}

// SaveWeights stores an AHP matrix of IndexIndicators as the index's
// expert weights for everyone (model.PermIndexWeights), audited. The
// matrix is checked as ParseExpertWeights checks it: an inconsistent one
// (CR ≥ 0.10) is refused, naming field "matrix", with its CR.
func (s *Service) SaveWeights(ctx context.Context, p model.Principal, matrix string) (ExpertWeights, error) {
	if !p.Can(model.PermIndexWeights) {
		return ExpertWeights{}, model.Errorf(model.EFORBIDDEN, "you may not set the index's expert weights")
	}
	ew, err := ParseExpertWeights("matrix", matrix)
	if err != nil {
		return ExpertWeights{}, err
	}
	w := model.IndexWeights{Matrix: matrix, Indicators: IndexIndicators(), EnteredByName: p.Name}
	if p.ID != 0 {
		id := p.ID
		w.EnteredBy = &id
	}
	if err := s.store.SaveIndexWeights(ctx, &w, model.Audit(ctx, p, model.AuditIndexWeightsSet, "index", matrix)); err != nil {
		return ExpertWeights{}, err
	}
	ew.Stored, ew.EnteredBy, ew.UpdatedAt = true, w.EnteredByName, &w.UpdatedAt
	return ew, nil
}

// ClearWeights removes the stored expert weights, if any: the index goes
// back to entropy weights.
func (s *Service) ClearWeights(ctx context.Context, p model.Principal) error {
	if !p.Can(model.PermIndexWeights) {
		return model.Errorf(model.EFORBIDDEN, "you may not set the index's expert weights")
	}
	_, err := s.store.ClearIndexWeights(ctx, model.Audit(ctx, p, model.AuditIndexWeightsCleared, "index", ""))
	return err
}

// ChooseWeights picks the index's weights: the matrix ahp when given
// (parsed, errors naming field), else entropy weights when entropy is
// set, else the stored expert weights if any (nil: entropy weights).
func (s *Service) ChooseWeights(ctx context.Context, p model.Principal, field, ahp string, entropy bool) (*ExpertWeights, error) {
	switch {
	case ahp != "":
		ew, err := ParseExpertWeights(field, ahp)
		if err != nil {
			return nil, err
		}
		return &ew, nil
	case entropy:
		return nil, nil
	}
	return s.StoredWeights(ctx, p)
}
