package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// TestRepairPages: the portal shows the quote's lines and total and takes
// the customer's approval (another customer cannot answer); the staff
// page shows the stage buttons, quote and history and moves the repair.
func TestRepairPages(t *testing.T) {
	f := newFixture(t)
	net := newNetwork(t, f)
	ctx := context.Background()
	rp, err := f.m.Repairs.Open(ctx, f.agent, f.aliceReq.Number, repair.OpenInput{Mode: model.ModeInStore, Centre: net.centre.Code})
	if err != nil {
		t.Fatal(err)
	}
	admin := model.Principal{Kind: model.KindStaff, ID: 1, Name: "Admin", Role: model.RoleAdmin}
	for _, st := range []model.RepairStage{model.StageReceived, model.StageDiagnosing} {
		if _, err := f.m.Repairs.Step(ctx, admin, rp.ID, repair.StepInput{Stage: st}); err != nil {
			t.Fatal(err)
		}
	}
	fee := int64(12345)
	if _, err := f.m.Repairs.Quote(ctx, admin, rp.ID, []repair.LineInput{{Kind: model.LineFee, Description: "Data <backup>", UnitPrice: &fee}}); err != nil {
		t.Fatal(err)
	}
	bob := newClient(t, f.m, "en")
	bob.loginCustomer("bob@example.com")
	if res := bob.post("/portal/requests/"+f.aliceReq.Number+"/repair/approval", url.Values{"action": {"approve"}}); res.status != http.StatusNotFound {
		t.Errorf("another customer answering: %d, want 404", res.status)
	}
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	res := alice.get("/portal/requests/" + f.aliceReq.Number)
	for _, want := range []string{"123.45 CNY", "Data &lt;backup&gt;", `id="approve-quote"`, "waits for the customer"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("portal page lacks %q", want)
		}
	}
	if res := alice.post("/portal/requests/"+f.aliceReq.Number+"/repair/approval", url.Values{"action": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("customer approves: %d", res.status)
	}
	if res := alice.post("/portal/requests/"+f.aliceReq.Number+"/repair/approval", url.Values{"action": {"approve"}}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "no quote waiting") {
		t.Errorf("approving twice: %d, want 409 with the reason", res.status)
	}
	got, _ := f.m.Repairs.Get(ctx, admin, rp.ID)
	if got.Approval != model.ApprovalApproved || got.ApprovalByKind != "customer" {
		t.Fatalf("after the portal: %+v", got)
	}

	staff := newClient(t, f.m, "en")
	staff.loginStaff()
	id := strconv.FormatInt(rp.ID, 10)
	page := staff.get("/repairs/" + id)
	for _, want := range []string{"123.45 CNY", "Approved", "History", "Alice"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("staff repair page lacks %q", want)
		}
	}
	if strings.Contains(page.body, `data-stage="repairing"`) {
		t.Errorf("the agent sees stage buttons")
	}
	// Agents record answers but do not move repairs.
	if res := staff.post("/repairs/"+id+"/stage", url.Values{"stage": {"repairing"}}); res.status != http.StatusForbidden {
		t.Errorf("agent moving a repair: %d, want 403", res.status)
	}
	if res := staff.get("/requests/" + f.aliceReq.Number); !strings.Contains(res.body, `href="/repairs/`+id+`"`) {
		t.Errorf("request page does not link its repair")
	}
}
