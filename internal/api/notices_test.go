package api_test

import (
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
)

type noticeList struct {
	Items  []api.Notice
	Unread int
}

// TestNotificationsAPI: with no SMTP relay, a manager's internal note
// naming "@agent" shows up in the agent's GET /api/v1/notifications
// (newest first, unread counted), not in the manager's; a customer-visible
// reply leaves none; the technician cannot mark the agent's notification
// read by its id; the agent marks one, then all.
func TestNotificationsAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		req := f.newRequest(t, f.aliceID, "Door seal")
		path := "/api/v1/requests/" + req.Number + "/messages"
		for _, body := range []string{"@agent please check the seal", "@agent and the drum"} {
			f.mustStatus(t, http.StatusCreated, "POST", path, f.manager, map[string]any{"body": body, "visibility": "internal"})
		}
		f.mustStatus(t, http.StatusCreated, "POST", path, f.manager, map[string]any{"body": "@agent will call you"})

		var mine noticeList
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/notifications", f.agent, nil).JSON(t, &mine)
		if len(mine.Items) != 2 || mine.Unread != 2 || mine.Items[0].Excerpt != "@agent and the drum" ||
			mine.Items[0].ActorName != "manager" || mine.Items[0].RequestNumber != req.Number || mine.Items[0].ReadAt != nil {
			t.Fatalf("agent's notifications: %+v; want the two notes, newest first, unread", mine)
		}
		var theirs noticeList
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/notifications", f.manager, nil).JSON(t, &theirs)
		if len(theirs.Items) != 0 || theirs.Unread != 0 {
			t.Errorf("the author's notifications: %+v, want none", theirs)
		}

		var marked struct{ Marked, Unread int }
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/notifications/read", f.tech,
			map[string]any{"ids": []int64{mine.Items[0].ID}}).JSON(t, &marked)
		if marked.Marked != 0 {
			t.Errorf("the technician marked the agent's notification: %+v", marked)
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/notifications/read", f.agent,
			map[string]any{"ids": []int64{mine.Items[1].ID}}).JSON(t, &marked)
		if marked.Marked != 1 || marked.Unread != 1 {
			t.Errorf("mark one: %+v, want 1 marked and 1 unread", marked)
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/notifications/read", f.agent, nil).JSON(t, &marked)
		if marked.Marked != 1 || marked.Unread != 0 {
			t.Errorf("mark all: %+v, want 1 marked and none unread", marked)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/notifications", f.agent, nil).JSON(t, &mine)
		if mine.Unread != 0 || mine.Items[0].ReadAt == nil || mine.Items[1].ReadAt == nil {
			t.Errorf("after marking all: %+v", mine)
		}
		f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/notifications", f.alice, nil)
	})
}
