package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// Task is a follow-up task on a request (an automation rule's
// create_task).
type Task struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	DueAt     *time.Time `json:"due_at" nullable:"true" doc:"When it should be done (UTC); null: no due time."`
	Done      bool       `json:"done"`
	DoneAt    *time.Time `json:"done_at" nullable:"true"`
	CreatedBy string     `json:"created_by" doc:"The rule that made it."`
	CreatedAt time.Time  `json:"created_at"`
}

func taskOut(t model.RequestTask) Task {
	return Task{ID: t.ID, Title: t.Title, DueAt: utcPtr(t.DueAt), Done: t.DoneAt != nil, DoneAt: utcPtr(t.DoneAt),
		CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt.UTC()}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type tasksInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
}

type tasksOutput struct {
	Body struct {
		Items []Task `json:"items" doc:"In the order they were made; open and done."`
	}
}

type taskPatchInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
	ID     int64  `path:"id"`
	Body   struct {
		Done    bool          `json:"done" doc:"true marks the task done, false opens it again."`
		Channel model.Channel `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	}
}

type taskOutput struct {
	Body Task
}

func (s *server) registerTasks() {
	register(s, huma.Operation{
		OperationID: "list-request-tasks", Method: http.MethodGet, Path: "/api/v1/requests/{number}/tasks",
		Summary: "List a request's follow-up tasks", Tags: []string{"requests"},
		Description: "Tasks are made by automation rules (action create_task) and are the staff's: customers get 403.",
		Errors:      []int{http.StatusNotFound},
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *tasksInput) (*tasksOutput, error) {
		ts, err := s.d.Requests.Tasks(ctx, principalFrom(ctx), in.Number)
		if err != nil {
			return nil, err
		}
		out := &tasksOutput{}
		out.Body.Items = make([]Task, len(ts))
		for i, t := range ts {
			out.Body.Items[i] = taskOut(t)
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "update-request-task", Method: http.MethodPatch, Path: "/api/v1/requests/{number}/tasks/{id}",
		Summary: "Mark a follow-up task done (or open again)", Tags: []string{"requests"},
		Description: "{\"done\": true} marks the task done; the change goes on the request's timeline (kind task). " +
			"Marking a task that is already done changes nothing. A task of another request is 404.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestNote), func(ctx context.Context, in *taskPatchInput) (*taskOutput, error) {
		t, _, err := s.d.Requests.SetTaskDone(ctx, principalFrom(ctx), in.Number, in.ID, in.Body.Done, in.Body.Channel)
		if err != nil {
			return nil, err
		}
		return &taskOutput{Body: taskOut(*t)}, nil
	})
}
