package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
)

// A rule's create_task shows in GET …/tasks with its due time (staff
// only: the customer gets 403); PATCH {done:true} marks it done once —
// one timeline entry (kind task, hidden from the customer), a second
// PATCH changes nothing — and a task of another request is 404.
func TestTasksAPI(t *testing.T) {
	f := newFixture(t, "")
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/rules", f.admin, map[string]any{"name": "Call back",
		"trigger": "request.created", "conditions": map[string]any{"all": []map[string]any{{"field": "subject", "op": "contains", "value": "call"}}},
		"actions": []map[string]any{{"type": "create_task", "title": "Call the customer back", "due_in_minutes": 90}}})
	before := time.Now()
	r := f.newRequest(t, f.aliceID, "please call me")
	other := f.newRequest(t, f.aliceID, "another call")
	var list struct{ Items []api.Task }
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+r.Number+"/tasks", f.tech, nil).JSON(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("tasks of %s: got %+v, want one", r.Number, list.Items)
	}
	task := list.Items[0]
	if task.Title != "Call the customer back" || task.Done || task.CreatedBy != "Call back" || task.DueAt == nil ||
		task.DueAt.Before(before.Add(89*time.Minute)) || task.DueAt.After(time.Now().Add(91*time.Minute)) {
		t.Errorf("task: got %+v, want open, due in 90 minutes, by rule Call back", task)
	}
	f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/requests/"+r.Number+"/tasks", f.alice, nil)
	f.mustStatus(t, http.StatusForbidden, "PATCH", "/api/v1/requests/"+r.Number+"/tasks/"+itoa(task.ID), f.alice, map[string]any{"done": true})
	// The other request's task is not this request's.
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+other.Number+"/tasks", f.agent, nil).JSON(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("tasks of %s: %+v", other.Number, list.Items)
	}
	f.mustStatus(t, http.StatusNotFound, "PATCH", "/api/v1/requests/"+r.Number+"/tasks/"+itoa(list.Items[0].ID), f.agent, map[string]any{"done": true})

	var done api.Task
	for range 2 {
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/requests/"+r.Number+"/tasks/"+itoa(task.ID), f.agent, map[string]any{"done": true}).JSON(t, &done)
		if !done.Done || done.DoneAt == nil {
			t.Errorf("after PATCH done: %+v", done)
		}
	}
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+r.Number+"/tasks", f.agent, nil).JSON(t, &list)
	if len(list.Items) != 1 || !list.Items[0].Done {
		t.Errorf("tasks after done: %+v", list.Items)
	}
	entries := 0
	for _, ev := range f.getRequest(t, f.agent, r.Number).Timeline {
		if ev.Kind == "task" && ev.OldValue == "Call the customer back" && ev.NewValue == "done" {
			entries++
		}
	}
	if entries != 1 {
		t.Errorf("timeline has %d task entries, want 1", entries)
	}
	for _, ev := range f.getRequest(t, f.alice, r.Number).Timeline {
		if ev.Kind == "task" {
			t.Errorf("the customer sees the staff's task on the timeline: %+v", ev)
		}
	}
	f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/requests/"+r.Number+"/tasks/"+itoa(task.ID), f.agent, map[string]any{"done": false}).JSON(t, &done)
	if done.Done || done.DoneAt != nil {
		t.Errorf("after PATCH done false: %+v", done)
	}
}
