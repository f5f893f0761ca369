package request

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// Edit applies what one person changed on a form loaded at was.Version.
// was holds the values the form showed (nil: the field was not on it),
// patch the values sent. Only the fields this person edited are written
// (a field sent as it was shown is left alone, so a change someone else
// made to it meanwhile stands), and a value the request already has is
// no change at all: an edit that changes nothing succeeds without a
// write, whatever happened meanwhile.
//
// When the request changed after the form was loaded, the edit still
// goes through if none of the fields this person edited was changed by
// someone else; otherwise it is a conflict (409) naming the first such
// field, and nothing is written.
//
// changed reports whether anything was written.
func (s *Service) Edit(ctx context.Context, p model.Principal, number string, was, patch model.RequestPatch, ch model.Channel) (_ *model.Request, changed bool, err error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, false, err
	}
	if !p.IsStaff() {
		return nil, false, forbidden()
	}
	edited := model.RequestPatch{Version: patch.Version}
	if patch.Priority != nil && (was.Priority == nil || *was.Priority != *patch.Priority) {
		edited.Priority = patch.Priority
	}
	edited.AssigneeID = editedRef(was.AssigneeID, patch.AssigneeID)
	edited.TeamID = editedRef(was.TeamID, patch.TeamID)
	edited.CategoryID = editedRef(was.CategoryID, patch.CategoryID)
	if edited.Version <= 0 {
		return nil, false, model.FieldError("version", "is required (send the version you read, or If-Match)")
	}
	edited = withoutNoOps(r, edited)
	if isEmpty(edited) {
		return r, false, nil
	}
	if r.Version != edited.Version {
		if field := collision(r, was, edited); field != "" {
			return nil, false, model.Conflict(field, "someone else changed this request while you were editing it")
		}
		edited.Version = r.Version // nothing of theirs is overwritten: apply this person's edits on top
	}
	r, err = s.Update(ctx, p, r.Number, edited, ch)
	return r, err == nil, err
}

// editedRef is v when it differs from what the form showed (0 and nil
// both mean "none").
func editedRef(was, v *int64) *int64 {
	if v == nil || (was != nil && refValue(was) == refValue(v)) {
		return nil
	}
	return v
}

// refValue is a reference's id, 0 for none.
func refValue(v *int64) int64 {
	if v == nil {
		return 0
	}
	return *v
}

// withoutNoOps drops the fields of patch that already hold the value sent.
func withoutNoOps(r *model.Request, patch model.RequestPatch) model.RequestPatch {
	if patch.Priority != nil && *patch.Priority == r.Priority {
		patch.Priority = nil
	}
	if !changesRef(patch.AssigneeID, r.AssigneeID) {
		patch.AssigneeID = nil
	}
	if !changesRef(patch.TeamID, r.TeamID) {
		patch.TeamID = nil
	}
	if !changesRef(patch.CategoryID, r.CategoryID) {
		patch.CategoryID = nil
	}
	return patch
}

// isEmpty reports whether patch changes no field.
func isEmpty(p model.RequestPatch) bool {
	return p.Priority == nil && p.AssigneeID == nil && p.TeamID == nil && p.CategoryID == nil
}

// collision names the first field of edited that someone else changed
// after the form showed was ("" when none did, or when the form did not
// say what it showed: then any change meanwhile collides).
func collision(r *model.Request, was, edited model.RequestPatch) string {
	switch {
	case edited.Priority != nil && (was.Priority == nil || *was.Priority != r.Priority):
		return "priority"
	case edited.AssigneeID != nil && (was.AssigneeID == nil || changesRef(was.AssigneeID, r.AssigneeID)):
		return "assignee_id"
	case edited.TeamID != nil && (was.TeamID == nil || changesRef(was.TeamID, r.TeamID)):
		return "team_id"
	case edited.CategoryID != nil && (was.CategoryID == nil || changesRef(was.CategoryID, r.CategoryID)):
		return "category_id"
	}
	return ""
}
