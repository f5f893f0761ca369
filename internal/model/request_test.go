package model

import "testing"

// TestWorkflow checks every pair of statuses against the workflow of the
// issue: only these transitions are allowed.
func TestWorkflow(t *testing.T) {
	allowed := map[Status][]Status{
		StatusNew:       {StatusOpen, StatusPending, StatusResolved, StatusCancelled},
		StatusOpen:      {StatusPending, StatusOnHold, StatusResolved, StatusCancelled},
		StatusPending:   {StatusOpen, StatusResolved, StatusCancelled},
		StatusOnHold:    {StatusOpen, StatusResolved, StatusCancelled},
		StatusResolved:  {StatusClosed, StatusOpen},
		StatusClosed:    {StatusOpen},
		StatusCancelled: {StatusOpen},
	}
	for _, from := range Statuses {
		want := map[Status]bool{}
		for _, to := range allowed[from] {
			want[to] = true
		}
		for _, to := range Statuses {
			if got := CanTransition(from, to); got != want[to] {
				t.Errorf("%s → %s: got %v, want %v", from, to, got, want[to])
			}
		}
		if got := len(NextStatuses(from)); got != len(allowed[from]) {
			t.Errorf("NextStatuses(%s): %d, want %d", from, got, len(allowed[from]))
		}
	}
	if !IsReopen(StatusClosed, StatusOpen) || !IsReopen(StatusResolved, StatusOpen) || IsReopen(StatusPending, StatusOpen) {
		t.Error("IsReopen")
	}
}

func TestEnums(t *testing.T) {
	if len(RequestTypes) != 9 || len(Channels) != 5 || len(Priorities) != 4 || len(Statuses) != 7 {
		t.Fatal("enum sizes changed")
	}
	if Priority("asap").Valid() || !PriorityUrgent.Valid() || PriorityUrgent.Rank() != 3 || PriorityLow.Rank() != 0 {
		t.Error("priority")
	}
	if RequestType("fix").Valid() || !TypeInquiry.Valid() || Channel("fax").Valid() || Role("boss").Valid() {
		t.Error("validity")
	}
	e := FieldError("subject", "must be at most %d characters", 200)
	if ErrorCode(e) != EINVALID || e.Field != "subject" || e.Message != "must be at most 200 characters" || e.Format == "" {
		t.Errorf("field error: %+v", e)
	}
	if ErrorCode(nil) != "" || ErrorMessage(e) != e.Message {
		t.Error("ErrorCode/ErrorMessage")
	}
}
