package request_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

type env struct {
	svc        *request.Service
	st         *store.Store
	now        *time.Time
	staff      model.Principal
	alice, bob model.Principal
}

func setup(t *testing.T, d store.Dialect) env {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	opts := storetest.Options(t, d)
	opts.Now = clock
	st := storetest.OpenWith(t, opts)
	u := &model.User{Email: "tech@example.com", Name: "Tech", Role: model.RoleTechnician, Active: true}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	a := &model.Customer{Name: "Alice", Email: "alice@example.com"}
	b := &model.Customer{Name: "Bob", Email: "bob@example.com"}
	for _, c := range []*model.Customer{a, b} {
		if err := st.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	svc := request.NewService(st, request.Options{ReopenPeriod: 30 * 24 * time.Hour, AttachmentDir: t.TempDir(), Now: clock})
	return env{svc: svc, st: st, now: &now,
		staff: model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Role: model.RoleTechnician},
		alice: model.Principal{Kind: model.KindCustomer, ID: a.ID, Name: "Alice"},
		bob:   model.Principal{Kind: model.KindCustomer, ID: b.ID, Name: "Bob"}}
}

func TestCustomerIsolationAndNotes(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			r, err := e.svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "屏幕闪烁", Via: model.ChannelWeb})
			if err != nil || r.CustomerID != e.alice.ID || r.Priority != model.PriorityNormal || r.Channel != model.ChannelWeb {
				t.Fatalf("customer creates for itself: %+v %v", r, err)
			}
			if _, err := e.svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "x", CustomerID: e.bob.ID}); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("customer creating for another: %v", err)
			}
			if _, err := e.svc.Create(ctx, e.staff, request.CreateInput{Type: model.TypeRepair, Subject: "x"}); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("staff without customer_id: %v", err)
			}
			for _, bad := range []request.CreateInput{
				{Type: "fix", Subject: "x"}, {Type: model.TypeRepair, Subject: " "},
				{Type: model.TypeRepair, Subject: strings.Repeat("长", 201)},
				{Type: model.TypeRepair, Subject: "x", Channel: "fax"}, {Type: model.TypeRepair, Subject: "x", Priority: "asap"},
			} {
				if _, err := e.svc.Create(ctx, e.alice, bad); model.ErrorCode(err) != model.EINVALID {
					t.Errorf("create %+v: got %v, want invalid", bad, err)
				}
			}
			if _, err := e.svc.Reply(ctx, e.staff, r.Number, request.ReplyInput{Body: "内部备注：疑似主板故障", Visibility: model.VisibilityInternal, Channel: model.ChannelWeb}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Reply(ctx, e.staff, r.Number, request.ReplyInput{Body: "请寄回检测", Visibility: model.VisibilityPublic, Channel: model.ChannelWeb}); err != nil {
				t.Fatal(err)
			}
			// Bob gets not found, never forbidden.
			if _, err := e.svc.Get(ctx, e.bob, r.Number); model.ErrorCode(err) != model.ENOTFOUND {
				t.Fatalf("bob reads alice's request: %v", err)
			}
			if _, err := e.svc.Reply(ctx, e.bob, r.Number, request.ReplyInput{Body: "hi", Visibility: model.VisibilityPublic}); model.ErrorCode(err) != model.ENOTFOUND {
				t.Fatalf("bob replies to alice's request: %v", err)
			}
			if _, err := e.svc.ChangeStatus(ctx, e.bob, r.Number, model.StatusCancelled, ""); model.ErrorCode(err) != model.ENOTFOUND {
				t.Fatalf("bob cancels alice's request: %v", err)
			}
			// Bob asking for Alice's requests gets his own list (empty), not an error.
			page, err := e.svc.List(ctx, e.bob, model.RequestFilter{CustomerID: e.alice.ID})
			if err != nil {
				t.Fatalf("bob lists with alice's customer_id: got error %v, want his own (empty) list", err)
			}
			if len(page.Items) != 0 {
				t.Fatalf("bob lists alice's requests: got %d, want 0", len(page.Items))
			}
			// Alice sees her request without the note, in messages and timeline.
			v, err := e.svc.Get(ctx, e.alice, strings.ToLower(r.Number))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range v.Messages {
				if m.Visibility != model.VisibilityPublic || strings.Contains(m.Body, "内部") {
					t.Fatalf("customer sees a note: %+v", m)
				}
			}
			for _, ev := range v.Events {
				if ev.Kind == "note" {
					t.Fatalf("customer sees a note event: %+v", ev)
				}
			}
			sv, _ := e.svc.Get(ctx, e.staff, r.Number)
			if len(sv.Messages) != 2 || len(v.Messages) != 1 {
				t.Fatalf("messages: staff %d, customer %d", len(sv.Messages), len(v.Messages))
			}
			if _, err := e.svc.Reply(ctx, e.alice, r.Number, request.ReplyInput{Body: "secret", Visibility: model.VisibilityInternal}); model.ErrorCode(err) != model.EFORBIDDEN {
				t.Fatalf("customer writing a note: %v", err)
			}
			// Customers may not change priority nor resolve.
			hi := model.PriorityHigh
			if _, err := e.svc.Update(ctx, e.alice, r.Number, model.RequestPatch{Priority: &hi, Version: 1}, ""); model.ErrorCode(err) != model.EFORBIDDEN {
				t.Fatalf("customer patch: %v", err)
			}
			if _, err := e.svc.Update(ctx, e.bob, r.Number, model.RequestPatch{Priority: &hi, Version: 1}, ""); model.ErrorCode(err) != model.ENOTFOUND {
				t.Fatalf("other customer's patch: %v", err)
			}
			if _, err := e.svc.ChangeStatus(ctx, e.alice, r.Number, model.StatusResolved, ""); model.ErrorCode(err) != model.EFORBIDDEN {
				t.Fatalf("customer resolving: %v", err)
			}
		})
	}
}

func TestReopenPeriodAndPendingReply(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			r, _ := e.svc.Create(ctx, e.staff, request.CreateInput{Type: model.TypeSupport, Subject: "x", CustomerID: e.alice.ID})
			for _, to := range []model.Status{model.StatusOpen, model.StatusPending} {
				if _, err := e.svc.ChangeStatus(ctx, e.staff, r.Number, to, ""); err != nil {
					t.Fatal(err)
				}
			}
			// The customer answers: pending → open.
			if _, err := e.svc.Reply(ctx, e.alice, r.Number, request.ReplyInput{Body: "here is the photo"}); err != nil {
				t.Fatal(err)
			}
			if v, _ := e.svc.Get(ctx, e.staff, r.Number); v.Request.Status != model.StatusOpen {
				t.Fatalf("after customer reply: %s", v.Request.Status)
			}
			for _, to := range []model.Status{model.StatusResolved, model.StatusClosed} {
				if _, err := e.svc.ChangeStatus(ctx, e.staff, r.Number, to, ""); err != nil {
					t.Fatal(err)
				}
			}
			*e.now = e.now.Add(31 * 24 * time.Hour)
			if _, err := e.svc.ChangeStatus(ctx, e.alice, r.Number, model.StatusOpen, ""); model.ErrorCode(err) != model.ECONFLICT {
				t.Fatalf("reopen after the period: %v", err)
			}
			*e.now = e.now.Add(-2 * 24 * time.Hour)
			got, err := e.svc.ChangeStatus(ctx, e.alice, r.Number, model.StatusOpen, "")
			if err != nil || got.Status != model.StatusOpen || got.ClosedAt != nil {
				t.Fatalf("reopen within the period: %+v %v", got, err)
			}
			v, _ := e.svc.Get(ctx, e.staff, r.Number)
			if last := v.Events[len(v.Events)-1]; last.Kind != "reopened" || last.ActorKind != model.AuthorCustomer {
				t.Fatalf("last event: %+v", last)
			}
		})
	}
}

func TestUploadLimits(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { uploadLimits(t, d) })
	}
}

func uploadLimits(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	e := setup(t, d)
	r, _ := e.svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "x"})
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
	a, err := e.svc.Upload(ctx, e.alice, r.Number, `C:\photos\front.png`, bytes.NewReader(png), "")
	if err != nil || a.ContentType != "image/png" || a.Filename != "front.png" || a.Size != int64(len(png)) {
		t.Fatalf("png upload: %+v %v", a, err)
	}
	if _, err := e.svc.Upload(ctx, e.alice, r.Number, "x.exe", bytes.NewReader([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")), ""); model.ErrorCode(err) != model.EINVALID {
		t.Fatalf("exe upload: %v", err)
	}
	big := io.MultiReader(bytes.NewReader(png), bytes.NewReader(make([]byte, request.MaxAttachmentSize)))
	if _, err := e.svc.Upload(ctx, e.alice, r.Number, "big.png", big, ""); model.ErrorCode(err) != model.ETOOLARGE {
		t.Fatalf("oversized upload: %v", err)
	}
	if _, err := e.svc.Upload(ctx, e.bob, r.Number, "x.png", bytes.NewReader(png), ""); model.ErrorCode(err) != model.ENOTFOUND {
		t.Fatalf("upload to another's request: %v", err)
	}
	// A staff note's attachment stays hidden from the customer.
	n, _ := e.svc.Upload(ctx, e.staff, r.Number, "internal.png", bytes.NewReader(png), "")
	if _, err := e.svc.Reply(ctx, e.staff, r.Number, request.ReplyInput{Body: "note", Visibility: model.VisibilityInternal, Link: []int64{n.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Open(ctx, e.alice, n.ID); model.ErrorCode(err) != model.ENOTFOUND {
		t.Fatalf("customer opens a note attachment: %v", err)
	}
	_, f, err := e.svc.Open(ctx, e.staff, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// The timeline tells the customer about its own upload and files on
	// public replies, never about a file on an internal note.
	pub, _ := e.svc.Upload(ctx, e.staff, r.Number, "receipt.png", bytes.NewReader(png), "")
	if _, err := e.svc.Reply(ctx, e.staff, r.Number, request.ReplyInput{Body: "here is your receipt", Visibility: model.VisibilityPublic, Link: []int64{pub.ID}}); err != nil {
		t.Fatal(err)
	}
	cv, _ := e.svc.Get(ctx, e.alice, r.Number)
	seen := map[string]bool{}
	for _, ev := range cv.Events {
		if ev.Kind == "attachment" {
			seen[ev.NewValue] = true
		}
	}
	if !seen["front.png"] || !seen["receipt.png"] || seen["internal.png"] {
		t.Fatalf("attachment events the customer sees: %v", seen)
	}
	sv, _ := e.svc.Get(ctx, e.staff, r.Number)
	staffSeen := 0
	for _, ev := range sv.Events {
		if ev.Kind == "attachment" {
			staffSeen++
		}
	}
	if staffSeen != 3 {
		t.Fatalf("staff sees %d attachment events, want 3", staffSeen)
	}
	// Linking an attachment twice fails and the message is not saved.
	if _, err := e.svc.Reply(ctx, e.staff, r.Number, request.ReplyInput{Body: "again", Visibility: model.VisibilityPublic, Link: []int64{n.ID}}); model.ErrorCode(err) != model.EINVALID {
		t.Fatalf("relinking: %v", err)
	}
	v, _ := e.svc.Get(ctx, e.staff, r.Number)
	for _, m := range v.Messages {
		if m.Body == "again" {
			t.Fatal("message saved despite the failed link")
		}
	}
}
