package request

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxBulk bounds the requests of one bulk action.
const MaxBulk = 100

// BulkSet is what a bulk action sets; nil and empty fields are left
// alone. AssigneeID and TeamID 0 clear.
type BulkSet struct {
	Status     model.Status
	Priority   *model.Priority
	AssigneeID *int64
	TeamID     *int64
	AddTags    []string
	// MergeInto merges each request into this one (see Merge); it
	// combines with no other change.
	MergeInto string
}

// BulkResult is the outcome for one request of a bulk action: Err is nil
// when it was changed (or needed no change).
type BulkResult struct {
	Number string
	Err    error
}

// Bulk applies set to each request of numbers, each in its own
// transaction, so one refusal (a transition the workflow forbids, a
// request that does not exist) leaves the others done. The role is
// checked once for the whole action (model.PermRequestStatus for the
// status, PermRequestClassify for priority, team and tags,
// PermRequestAssign for the assignee); the values once too, naming the
// field as set.<name>.
func (s *Service) Bulk(ctx context.Context, p model.Principal, numbers []string, set BulkSet, ch model.Channel) ([]BulkResult, error) {
	if !p.IsStaff() {
		return nil, forbidden()
	}
	if set.MergeInto != "" {
		return s.bulkMerge(ctx, p, numbers, set, ch)
	}
	if (set.Status != "" && !p.Can(model.PermRequestStatus)) || (set.AssigneeID != nil && !p.Can(model.PermRequestAssign)) ||
		((set.Priority != nil || set.TeamID != nil || len(set.AddTags) > 0) && !p.Can(model.PermRequestClassify)) {
		return nil, forbidden()
	}
	switch {
	case len(numbers) == 0:
		return nil, model.FieldError("numbers", "name at least one request")
	case len(numbers) > MaxBulk:
		return nil, model.FieldError("numbers", "at most %d requests at once", MaxBulk)
	case set.Status != "" && !set.Status.Valid():
		return nil, model.FieldError("set.status", "must be one of new, open, pending, on_hold, resolved, closed, cancelled")
	case set.Priority != nil && !set.Priority.Valid():
		return nil, model.FieldError("set.priority", "must be one of low, normal, high, urgent")
	case set.Status == "" && set.Priority == nil && set.AssigneeID == nil && set.TeamID == nil && len(set.AddTags) == 0:
		return nil, model.FieldError("set", "choose at least one change")
	}
	tags, err := model.NormalizeTags("set.add_tags", set.AddTags)
	if err != nil {
		return nil, err
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	bs := store.BulkSet{Status: set.Status, AddTags: tags,
		Patch: model.RequestPatch{Priority: set.Priority, AssigneeID: set.AssigneeID, TeamID: set.TeamID}}
	by := ActorOf(p, ch)
	out := make([]BulkResult, 0, len(numbers))
	seen := map[string]bool{}
	for _, n := range numbers {
		n = strings.ToUpper(strings.TrimSpace(n))
		if seen[n] {
			continue
		}
		seen[n] = true
		res := BulkResult{Number: n}
		if r, err := s.get(ctx, p, n); err != nil {
			res.Err = err
		} else {
			res.Err = s.store.ApplyBulk(ctx, r.Number, bs, by, s.reopenCheck)
		}
		out = append(out, res)
	}
	return out, nil
}

// bulkMerge merges each request of numbers into set.MergeInto, each in
// its own transaction (the target itself, when listed, is skipped).
func (s *Service) bulkMerge(ctx context.Context, p model.Principal, numbers []string, set BulkSet, ch model.Channel) ([]BulkResult, error) {
	switch {
	case !p.Can(model.PermRequestStatus):
		return nil, forbidden()
	case len(numbers) == 0:
		return nil, model.FieldError("numbers", "name at least one request")
	case len(numbers) > MaxBulk:
		return nil, model.FieldError("numbers", "at most %d requests at once", MaxBulk)
	case set.Status != "" || set.Priority != nil || set.AssigneeID != nil || set.TeamID != nil || len(set.AddTags) > 0:
		return nil, model.FieldError("set.merge_into", "a merge cannot be combined with other changes")
	}
	into := strings.ToUpper(strings.TrimSpace(set.MergeInto))
	if _, err := s.get(ctx, p, into); err != nil {
		if model.IsNotFound(err) {
			return nil, model.FieldError("set.merge_into", "no request %s", into)
		}
		return nil, err
	}
	out := make([]BulkResult, 0, len(numbers))
	seen := map[string]bool{into: true}
	for _, n := range numbers {
		n = strings.ToUpper(strings.TrimSpace(n))
		if seen[n] {
			continue
		}
		seen[n] = true
		_, err := s.Merge(ctx, p, n, into, ch)
		out = append(out, BulkResult{Number: n, Err: err})
	}
	return out, nil
}
