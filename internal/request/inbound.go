package request

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// PlaceFiles stores staged files (see Stage) under folder in the file
// store and returns their attachment records, for a
// channel that records them with its own transaction (inbound e-mail,
// whose request may not exist yet). undo removes the files again; call it
// when the transaction that records them fails or records nothing. The
// staged files are consumed either way.
func (s *Service) PlaceFiles(ctx context.Context, folder string, files []*Staged) (atts []*model.Attachment, undo func(), err error) {
	defer discardAll(files)
	placed, err := s.placeIn(ctx, folder, 0, files)
	if err != nil {
		return nil, func() {}, err
	}
	return placed, func() { s.unplace(context.WithoutCancel(ctx), placed) }, nil
}

// UploadLimits are the limits files are recorded under now (the store
// checks them in the recording transaction).
func (s *Service) UploadLimits() store.UploadLimits { return s.uploadLimits() }
