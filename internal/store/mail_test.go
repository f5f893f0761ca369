package store_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// logMail stores a received message and returns its id.
func logMail(t *testing.T, s *store.Store, ref string, raw []byte) int64 {
	t.Helper()
	id, stored, err := s.LogInbound(context.Background(), store.NewInbound{Source: model.MailSourceSMTP, SourceRef: ref,
		From: "li@example.com", Subject: "s", Outcome: model.MailReceived, RetryAt: s.Now().Add(time.Minute), Raw: raw})
	if err != nil || !stored {
		t.Fatalf("log inbound: stored %v, %v", stored, err)
	}
	return id
}

// mailPlan is a person's mail from li@example.com.
func mailPlan(id int64, messageID string, thread int64) store.InboundPlan {
	return store.InboundPlan{InboundID: id, Outcome: model.MailCreated, MessageID: messageID, ThreadRequestID: thread,
		Sender:  store.InboundSender{Email: "li@example.com", Name: "Li", Locale: "en"},
		Subject: "Lens error", Body: "It shows E-01", Type: model.TypeInquiry}
}

func apply(t *testing.T, s *store.Store, p store.InboundPlan) store.InboundResult {
	t.Helper()
	res, err := s.ApplyInbound(context.Background(), p)
	if err != nil {
		t.Fatalf("apply %d: %v", p.InboundID, err)
	}
	return res
}

func TestInboundLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		raw := []byte("From: li@example.com\r\nSubject: \xc4\xe3\r\n\r\nbinary \x00\xff body")
		id := logMail(t, s, "imap:x:1:7", raw)
		got, err := s.InboundRaw(ctx, id)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("raw: got %q (%v), want the bytes received", got, err)
		}
		// The same IMAP message again (another node): not stored twice.
		if _, stored, err := s.LogInbound(ctx, store.NewInbound{Source: model.MailSourceIMAP, SourceRef: "imap:x:1:7",
			Outcome: model.MailReceived, Raw: raw}); err != nil || stored {
			t.Errorf("same source ref: got stored %v (%v), want not stored", stored, err)
		}
		for i := 0; i < 4; i++ {
			logMail(t, s, "", []byte("x"))
		}
		apply(t, s, store.InboundPlan{InboundID: id, Outcome: model.MailAutoReply, Reason: "Auto-Submitted: auto-replied"})
		page, err := s.ListInbound(ctx, model.InboundFilter{Limit: 2})
		if err != nil || len(page.Items) != 2 || page.NextCursor == "" || page.Items[0].ID <= page.Items[1].ID {
			t.Fatalf("first page: got %d items, cursor %q (%v); want 2 newest first and a cursor", len(page.Items), page.NextCursor, err)
		}
		seen := 2
		for page.NextCursor != "" {
			if page, err = s.ListInbound(ctx, model.InboundFilter{Limit: 2, Cursor: page.NextCursor}); err != nil {
				t.Fatal(err)
			}
			seen += len(page.Items)
		}
		if seen != 5 {
			t.Errorf("pages: got %d entries, want 5", seen)
		}
		page, _ = s.ListInbound(ctx, model.InboundFilter{Outcome: model.MailAutoReply})
		if len(page.Items) != 1 || page.Items[0].ID != id || page.Items[0].Reason != "Auto-Submitted: auto-replied" || page.Items[0].Attempts != 1 {
			t.Errorf("auto_reply filter: got %+v, want entry %d with its reason", page.Items, id)
		}
		if _, err := s.ListInbound(ctx, model.InboundFilter{Outcome: "nonsense"}); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("unknown outcome: got %v, want invalid", err)
		}
		// A processed message is not processed again.
		if _, err := s.ApplyInbound(ctx, mailPlan(id, "m@x", 0)); !errors.Is(err, store.ErrProcessed) {
			t.Errorf("second apply: got %v, want ErrProcessed", err)
		}
	})
}

func TestApplyInboundThreads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		created := apply(t, s, mailPlan(logMail(t, s, "", []byte("1")), "first@x", 0))
		if created.Outcome != model.MailCreated || created.RequestNumber == "" {
			t.Fatalf("new mail: got %+v, want created", created)
		}
		r, _ := s.RequestByNumber(ctx, created.RequestNumber)
		if r.Channel != model.ChannelEmail || r.Description != "It shows E-01" || r.CustomerName != "Li" {
			t.Errorf("request: got channel %s, description %q, customer %q", r.Channel, r.Description, r.CustomerName)
		}
		if dup := apply(t, s, mailPlan(logMail(t, s, "", []byte("2")), "first@x", 0)); dup.Outcome != model.MailDuplicate || dup.RequestID != r.ID {
			t.Errorf("same Message-ID: got %+v, want duplicate of request %d", dup, r.ID)
		}
		if err := s.RecordMessageID(ctx, r.ID, "out-1@aftercare", store.MailOut); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordMessageID(ctx, r.ID, "out-1@aftercare", store.MailOut); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("a Message-ID recorded twice: got %v, want conflict", err)
		}
		thread, err := s.ThreadRequest(ctx, []string{"unknown@x", "out-1@aftercare"})
		if err != nil || thread != r.ID {
			t.Fatalf("thread: got %d (%v), want %d", thread, err, r.ID)
		}
		if ids, _ := s.RequestMessageIDs(ctx, r.ID); len(ids) != 2 {
			t.Errorf("message ids: got %v, want first@x and out-1@aftercare", ids)
		}
		if res := apply(t, s, mailPlan(logMail(t, s, "", []byte("3")), "reply@x", thread)); res.Outcome != model.MailAppended || res.RequestID != r.ID {
			t.Errorf("reply: got %+v, want appended to %d", res, r.ID)
		}
		// Someone else writing into the thread: an internal note, not the customer's conversation.
		other := mailPlan(logMail(t, s, "", []byte("4")), "other@x", r.ID)
		other.Sender = store.InboundSender{Email: "stranger@example.org", Name: "Stranger"}
		apply(t, s, other)
		msgs, _ := s.Messages(ctx, r.ID, true)
		if len(msgs) != 3 || msgs[1].Visibility != model.VisibilityPublic || msgs[1].AuthorKind != model.AuthorCustomer ||
			msgs[2].Visibility != model.VisibilityInternal {
			t.Fatalf("messages: got %d, want the first mail, a public reply and an internal note", len(msgs))
		}
		public, _ := s.Messages(ctx, r.ID, false)
		if len(public) != 2 {
			t.Errorf("customer's view: got %d messages, want 2 (no stranger's mail)", len(public))
		}
		// A reply to a closed request opens a follow-up.
		for _, st := range []model.Status{model.StatusResolved, model.StatusClosed} {
			if _, err := s.ChangeStatus(ctx, r.Number, st, agent, nil); err != nil {
				t.Fatal(err)
			}
		}
		follow := apply(t, s, mailPlan(logMail(t, s, "", []byte("5")), "late@x", r.ID))
		if follow.Outcome != model.MailCreated || follow.RequestID == r.ID {
			t.Errorf("reply to a closed request: got %+v, want a new request", follow)
		}
		if f, _ := s.RequestByNumber(ctx, follow.RequestNumber); f == nil || !bytes.Contains([]byte(f.Description), []byte(r.Number)) {
			t.Errorf("follow-up: want its description to name %s", r.Number)
		}
	})
}

// TestApplyInboundConcurrentDuplicates: the same message processed on two
// nodes at once makes one request; the other attempt finds a duplicate.
func TestApplyInboundConcurrentDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const n = 6
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = logMail(t, s, "", []byte{byte(i)})
		}
		results := make([]store.InboundResult, n)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.ApplyInbound(context.Background(), mailPlan(ids[i], "same@x", 0))
				if errors.Is(err, store.ErrMessageIDRace) {
					res, err = s.ApplyInbound(context.Background(), mailPlan(ids[i], "same@x", 0))
				}
				if err != nil {
					t.Errorf("apply: %v", err)
				}
				results[i] = res
			}()
		}
		wg.Wait()
		created := 0
		for _, r := range results {
			if r.Outcome == model.MailCreated {
				created++
			}
		}
		if created != 1 {
			t.Errorf("created: got %d, want 1 (the others duplicates)", created)
		}
		var customers int
		_ = s.Read().QueryRow(context.Background(), "SELECT COUNT(*) FROM customers").Scan(&customers)
		if customers != 1 {
			t.Errorf("customers: got %d, want 1", customers)
		}
	})
}

func TestInboundRetriesAndBounces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		id := logMail(t, s, "", []byte("x"))
		soon := s.Now().Add(-time.Second)
		if err := s.FailInbound(ctx, id, "database was down", &soon); err != nil {
			t.Fatal(err)
		}
		due, err := s.DueInbound(ctx, s.Now(), 10)
		if err != nil || len(due) != 1 || due[0] != id {
			t.Errorf("due: got %v (%v), want [%d]", due, err, id)
		}
		if err := s.FailInbound(ctx, id, "gave up", nil); err != nil {
			t.Fatal(err)
		}
		if due, _ := s.DueInbound(ctx, s.Now().Add(time.Hour), 10); len(due) != 0 {
			t.Errorf("due after the last attempt: got %v, want none", due)
		}
		if err := s.RetryInbound(ctx, id); err != nil {
			t.Errorf("retry a failed message: %v", err)
		}
		created := apply(t, s, mailPlan(id, "in@x", 0))
		if err := s.RetryInbound(ctx, id); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("retry a created message: got %v, want conflict", err)
		}
		if err := s.RecordMessageID(ctx, created.RequestID, "sent@aftercare", store.MailOut); err != nil {
			t.Fatal(err)
		}
		r, _ := s.RequestByNumber(ctx, created.RequestNumber)
		bounce := func(ids, rcpts []string, permanent bool) store.InboundResult {
			return apply(t, s, store.InboundPlan{InboundID: logMail(t, s, "", []byte("b")), Outcome: model.MailBounce,
				Bounce: &store.BounceReport{OriginalIDs: ids, Recipients: rcpts, Permanent: permanent, Diagnostic: "550 no such user"}})
		}
		if res := bounce([]string{"unknown@x"}, nil, true); res.Outcome != model.MailBounce || res.RequestID != 0 {
			t.Errorf("bounce of a mail we did not send: got %+v, want bounce, no request", res)
		}
		bounce([]string{"sent@aftercare"}, []string{"li@example.com"}, false)
		if _, bouncing, _ := s.CustomerEmailBounce(ctx, r.CustomerID); bouncing {
			t.Errorf("a delay marked the address as bouncing")
		}
		if res := bounce([]string{"sent@aftercare"}, []string{"li@example.com"}, true); res.RequestID != r.ID {
			t.Errorf("bounce: got request %d, want %d", res.RequestID, r.ID)
		}
		b, bouncing, err := s.CustomerEmailBounce(ctx, r.CustomerID)
		if err != nil || !bouncing || b.Email != "li@example.com" || b.Reason != "550 no such user" {
			t.Errorf("customer bounce: got %+v %v (%v)", b, bouncing, err)
		}
	})
}
