package demo

import (
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestRepairPath: whatever stage a demo repair is meant to stand in, and
// however its quote and draws fell, its road starts with the device
// awaited, takes only the workflow's steps and ends at that stage. (A
// declined repair meant to stand in testing once left an empty road and
// the seed divided by zero, on some days only: the demo runs on today's
// date.)
func TestRepairPath(t *testing.T) {
	// The stage endpoint's steps, and those of quoting and of the
	// customer's answer, which have their own endpoints.
	step := func(from, to model.RepairStage) bool {
		switch {
		case from == model.StageDiagnosing && (to == model.StageQuoted || to == model.StageWaitingApproval),
			from == model.StageWaitingApproval && (to == model.StageQuoted || to == model.StageReady):
			return true
		}
		return model.CanStep(from, to)
	}
	for _, target := range model.RepairStages() {
		for _, c := range []struct{ pay, declined, waitParts bool }{
			{false, false, false}, {false, false, true}, {true, false, false}, {true, false, true}, {true, true, false},
		} {
			for cancelAt := 2; cancelAt <= 4; cancelAt++ {
				path, redo := repairPath(target, c.pay, c.declined, c.waitParts, cancelAt)
				if len(path) == 0 || path[0] != model.StageAwaitingDevice || path[len(path)-1] != target {
					t.Fatalf("%s %+v cancel at %d: path %v, want from awaiting_device to %s", target, c, cancelAt, path, target)
				}
				for i := 1; i < len(path); i++ {
					if !step(path[i-1], path[i]) {
						t.Errorf("%s %+v: step %s → %s is not in the workflow (path %v)", target, c, path[i-1], path[i], path)
					}
				}
				if redo && (path[3] != model.StageWaitingApproval || len(path) > 4 && path[4] != model.StageQuoted) {
					t.Errorf("%s %+v: a redone road %v must take the paid, approved quote", target, c, path)
				}
			}
		}
	}
}
