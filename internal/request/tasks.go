package request

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// Tasks returns the follow-up tasks of a request (automation rules'
// create_task), in the order they were made. They are the staff's work:
// customers get 404 as for a request that is not theirs.
func (s *Service) Tasks(ctx context.Context, p model.Principal, number string) ([]model.RequestTask, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	if !p.IsStaff() {
		return nil, notFound()
	}
	return s.store.RequestTasks(ctx, r.ID)
}

// SetTaskDone marks a follow-up task done (or open again). Staff who may
// write internal notes may tick off the request's tasks; the change goes
// on the timeline. It reports whether anything changed.
func (s *Service) SetTaskDone(ctx context.Context, p model.Principal, number string, id int64, done bool, ch model.Channel) (*model.RequestTask, bool, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, false, err
	}
	if !p.IsStaff() {
		return nil, false, notFound()
	}
	if !p.Can(model.PermRequestNote) {
		return nil, false, forbidden()
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	return s.store.SetTaskDone(ctx, r.ID, id, done, ActorOf(p, ch))
}
