package request_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestEditAppliesOnlyWhatThisPersonChanged: two people edit the same
// request from forms loaded at the same version. The second one's edit
// of another field goes through without undoing the first one's change;
// an edit of the field the first one changed is a conflict that writes
// nothing; a value the request already has is a success without a write.
func TestEditAppliesOnlyWhatThisPersonChanged(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			mgrUser := &model.User{Email: "lead@example.com", Name: "Li Lei", Role: model.RoleManager, Active: true}
			if err := e.st.CreateUser(ctx, mgrUser); err != nil {
				t.Fatal(err)
			}
			mgr := model.Principal{Kind: model.KindStaff, ID: mgrUser.ID, Name: mgrUser.Name, Role: model.RoleManager}
			r, err := e.svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "屏幕闪烁"})
			if err != nil {
				t.Fatal(err)
			}
			normal, high, urgent, low := model.PriorityNormal, model.PriorityHigh, model.PriorityUrgent, model.PriorityLow
			none := int64(0)
			// The form both loaded: priority normal, nobody assigned.
			was := model.RequestPatch{Priority: &normal, AssigneeID: &none, Version: r.Version}

			// The first person raises the priority (and sends the assignee as shown).
			first := model.RequestPatch{Priority: &high, AssigneeID: &none, Version: r.Version}
			r1, _, err := e.svc.Edit(ctx, mgr, r.Number, was, first, "")
			if err != nil || r1.Priority != high {
				t.Fatalf("first edit: %+v %v", r1, err)
			}
			// The second assigns, sending the priority as the form showed it:
			// the priority is not written back to normal.
			second := model.RequestPatch{Priority: &normal, AssigneeID: &mgrUser.ID, Version: r.Version}
			r2, _, err := e.svc.Edit(ctx, mgr, r.Number, was, second, "")
			if err != nil {
				t.Fatalf("second edit, another field: %v", err)
			}
			if r2.Priority != high || r2.AssigneeID == nil || *r2.AssigneeID != mgrUser.ID {
				t.Fatalf("after both: priority %s, assignee %v; want high and the manager", r2.Priority, r2.AssigneeID)
			}
			// A third edits the priority from the same old form: conflict, nothing written.
			third := model.RequestPatch{Priority: &urgent, AssigneeID: &none, Version: r.Version}
			if _, _, err := e.svc.Edit(ctx, mgr, r.Number, was, third, ""); model.ErrorCode(err) != model.ECONFLICT {
				t.Fatalf("edit of a field changed meanwhile: got %v, want conflict", err)
			}
			cur, err := e.svc.Get(ctx, mgr, r.Number)
			if err != nil {
				t.Fatal(err)
			}
			if cur.Request.Priority != high || cur.Request.AssigneeID == nil || cur.Request.Version != r2.Version {
				t.Fatalf("the refused edit wrote: %+v", cur.Request)
			}
			// Setting what the request already has, from the stale form: a
			// success that writes nothing.
			same := model.RequestPatch{Priority: &high, AssigneeID: &none, Version: r.Version}
			r3, changed, err := e.svc.Edit(ctx, mgr, r.Number, was, same, "")
			if err != nil || changed || r3.Version != r2.Version {
				t.Fatalf("no-op edit: %+v %v, want version %d unchanged", r3, err, r2.Version)
			}
			// The API's Update: the same values with a stale version are no change either.
			if r4, err := e.svc.Update(ctx, mgr, r.Number, model.RequestPatch{Priority: &high, Version: r.Version}, ""); err != nil || r4.Version != r2.Version {
				t.Fatalf("no-op update: %+v %v", r4, err)
			}
			// …but a real change with a stale version is still a conflict.
			if _, err := e.svc.Update(ctx, mgr, r.Number, model.RequestPatch{Priority: &low, Version: r.Version}, ""); model.ErrorCode(err) != model.ECONFLICT {
				t.Fatalf("stale update: got %v, want conflict", err)
			}
			// A status the request already has is a success too.
			if _, err := e.svc.ChangeStatus(ctx, mgr, r.Number, model.StatusOpen, ""); err != nil {
				t.Fatal(err)
			}
			if got, err := e.svc.ChangeStatus(ctx, mgr, r.Number, model.StatusOpen, ""); err != nil || got.Status != model.StatusOpen {
				t.Fatalf("open again: %+v %v", got, err)
			}
		})
	}
}
