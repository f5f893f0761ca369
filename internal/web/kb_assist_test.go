package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestAgentAssistance: the request page suggests matching articles (a
// public one with a link to insert into the reply, an internal one
// without), a similar resolved request with the reply that resolved it,
// and a classification learnt from history that is shown, never applied.
func TestAgentAssistance(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pub := putArticle(t, f, "en", "Washer does not drain", "Clean the drain pump filter behind the small flap.", model.VisibilityPublic)
	putArticle(t, f, "en", "Drain pump part numbers", "Internal: the washer drain pump is part DP-77.", model.VisibilityInternal)
	// History: 30 resolved requests; washer drain problems were repairs
	// of high priority, the rest inquiries.
	for i := range 30 {
		in := request.CreateInput{Type: model.TypeInquiry, Subject: fmt.Sprintf("Opening hours question %d", i),
			Description: "When does the shop open on Sunday?", CustomerID: f.bob.ID, Channel: model.ChannelPhone, Priority: model.PriorityLow}
		reply := "We open at nine."
		if i%3 == 0 {
			in = request.CreateInput{Type: model.TypeRepair, Subject: "Washer does not drain water", Description: "The washer stays full of water after the wash.",
				CustomerID: f.bob.ID, Channel: model.ChannelPhone, Priority: model.PriorityHigh}
			reply = fmt.Sprintf("Our engineer replaced the drain pump (visit %d).", i)
		}
		r, err := f.m.Requests.Create(ctx, f.agent, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.m.Requests.Reply(ctx, f.agent, r.Number, request.ReplyInput{Body: reply, Visibility: model.VisibilityPublic}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, r.Number, model.StatusResolved, model.ChannelWeb); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeInquiry, Subject: "My washer does not drain",
		Description: "Water stays in the drum.", Via: model.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, "en")
	c.loginStaff()
	res := c.get("/requests/" + r.Number)
	expect(t, "assistance", res, http.StatusOK, []string{"Articles that may help", pub.Title, "/help/" + itoa(pub.ID) + `"`,
		"Drain pump part numbers", "Similar earlier requests", "replaced the drain pump", "Suggested classification",
		"Repair", "High", "Learnt from 30 resolved requests"}, nil)
	got, err := f.m.Store.RequestByNumber(ctx, r.Number)
	if err != nil || got.Type != model.TypeInquiry || got.Priority != model.PriorityNormal {
		t.Errorf("the suggestion was applied: %+v, %v", got, err)
	}
}
