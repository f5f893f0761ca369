package request

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Merge merges request number into request into (duplicates of one
// customer's issue): number is closed with a link to into, and into's
// timeline shows its messages and files from then on, so the customer
// follows one conversation. Staff who may change statuses only (closing
// the duplicate is a status change); both requests must be visible to p.
// See store.MergeRequest for what is refused.
func (s *Service) Merge(ctx context.Context, p model.Principal, number, into string, ch model.Channel) (*model.Request, error) {
	if !p.IsStaff() || !p.Can(model.PermRequestStatus) {
		return nil, forbidden()
	}
	into = strings.ToUpper(strings.TrimSpace(into))
	if into == "" {
		return nil, model.FieldError("into", "is required")
	}
	src, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	if _, err := s.get(ctx, p, into); err != nil {
		if model.IsNotFound(err) {
			return nil, model.FieldError("into", "no request %s", into)
		}
		return nil, err
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	if err := s.store.MergeRequest(ctx, src.Number, into, ActorOf(p, ch)); err != nil {
		return nil, err
	}
	return s.store.RequestByNumber(ctx, into)
}
