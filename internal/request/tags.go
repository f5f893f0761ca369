package request

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// ChangeTags adds and removes tags of a request. Staff who classify
// requests (model.PermRequestClassify) may; the tags are normalised
// (model.NormalizeTag) and a tag both added and removed is removed.
func (s *Service) ChangeTags(ctx context.Context, p model.Principal, number string, add, remove []string, ch model.Channel) (*model.Request, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	if !p.IsStaff() || !p.Can(model.PermRequestClassify) {
		return nil, forbidden()
	}
	if add, err = model.NormalizeTags("add", add); err != nil {
		return nil, err
	}
	if remove, err = model.NormalizeTags("remove", remove); err != nil {
		return nil, err
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	return s.store.ChangeTags(ctx, r.Number, add, remove, ActorOf(p, ch))
}

// TagSuggestions returns the most used tags beginning with prefix, for
// staff who read requests.
func (s *Service) TagSuggestions(ctx context.Context, p model.Principal, prefix string, limit int) ([]model.TagCount, error) {
	if !p.IsStaff() || !p.Can(model.PermRequestRead) {
		return nil, forbidden()
	}
	norm := ""
	if prefix != "" {
		var err error
		if norm, err = model.NormalizeTag("prefix", prefix); err != nil {
			return nil, err
		}
	}
	return s.store.TagSuggestions(ctx, norm, limit)
}
