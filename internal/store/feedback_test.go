package store_test

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// movingClock is a store clock tests move by hand.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// eachWithClock is storetest.Each on stores with a clock tests move.
func eachWithClock(t *testing.T, fn func(t *testing.T, s *store.Store, clk *movingClock)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			clk := &movingClock{t: time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)}
			opts := storetest.Options(t, d)
			opts.Now = clk.Now
			fn(t, storetest.OpenWith(t, opts), clk)
		})
	}
}

// resolved creates a request of c and plans its feedback as resolving
// does (with the cool-down since, when not nil), returning the request
// and its invitation.
func resolved(t *testing.T, s *store.Store, c *model.Customer, typ model.RequestType, since *time.Time) (*model.Request, *model.Invitation) {
	t.Helper()
	ctx := context.Background()
	r, err := s.CreateRequest(ctx, store.NewRequest{Type: typ, Priority: model.PriorityNormal, Channel: model.ChannelWeb,
		Subject: "x", CustomerID: c.ID}, agent)
	if err != nil {
		t.Fatal(err)
	}
	var out store.PlannedFeedback
	err = s.Tx(ctx, func(q store.Querier) error {
		var err error
		out, err = s.PlanFeedbackTx(ctx, q, store.FeedbackPlan{Request: r, At: s.Now(), SendAt: s.Now(), CooldownSince: since, By: agent})
		return err
	})
	if err != nil {
		t.Fatalf("plan feedback: %v", err)
	}
	return r, out.Invitation
}

func link(token string, expires time.Time) store.SentLink {
	sum := sha256.Sum256([]byte(token))
	return store.SentLink{Token: token, Hash: sum[:], ExpiresAt: expires}
}

// TestInvitationLifecycle: at most one invitation per request, suppressed
// within the cool-down; sent once; answered once (the second answer is a
// conflict even past the service's checks); reminded once; the link's
// secret forgotten once answered or expired.
func TestInvitationLifecycle(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clk *movingClock) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		if err := s.EnsureSurveyTemplate(ctx, &model.SurveyTemplate{TitleZh: "调查", TitleEn: "Survey",
			Questions: []model.Question{{Key: model.QCSAT, Enabled: true, TextZh: "满意吗", TextEn: "Happy?"}}}); err != nil {
			t.Fatal(err)
		}
		since := clk.Now().Add(-30 * 24 * time.Hour)
		r1, inv := resolved(t, s, c, model.TypeRepair, &since)
		_, inv2 := resolved(t, s, c, model.TypeRepair, &since)
		if inv.Status != model.InvitationScheduled || inv.TemplateVersion != 1 || inv2.Status != model.InvitationSuppressed || inv2.Reason != "cooldown" {
			t.Fatalf("plans: got %s (v%d) and %s (%s), want scheduled on v1 and suppressed (cooldown)", inv.Status, inv.TemplateVersion, inv2.Status, inv2.Reason)
		}
		err := s.Tx(ctx, func(q store.Querier) error {
			again, err := s.PlanFeedbackTx(ctx, q, store.FeedbackPlan{Request: r1, At: s.Now(), SendAt: s.Now(), By: agent})
			if again.Invitation != nil {
				t.Errorf("a second plan for one request made an invitation")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		expires := clk.Now().Add(14 * 24 * time.Hour)
		sent, ok, err := s.SendInvitation(ctx, inv.ID, link("sv_one", expires), nil)
		if err != nil || !ok || sent.Status != model.InvitationSent || sent.Token != "sv_one" {
			t.Fatalf("send: got %+v %v %v", sent, ok, err)
		}
		if _, ok, _ := s.SendInvitation(ctx, inv.ID, link("sv_two", expires), nil); ok {
			t.Errorf("an invitation was sent twice")
		}
		for i, want := range []bool{true, false} {
			if got, err := s.RemindInvitation(ctx, inv.ID, nil); err != nil || got != want {
				t.Errorf("reminder %d: got %v (err %v), want %v", i+1, got, err, want)
			}
		}
		hash := link("sv_one", expires).Hash
		answer := func() error {
			return s.AnswerInvitation(ctx, hash, &model.SurveyResponse{Channel: model.ChannelWeb, Scores: model.Scores{CSAT: 4}})
		}
		if err := answer(); err != nil {
			t.Fatalf("answer: %v", err)
		}
		if err := answer(); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("second answer: got %v, want a conflict", err)
		}
		got, err := s.Invitation(ctx, inv.ID)
		if err != nil || got.Status != model.InvitationAnswered || got.Token != "" {
			t.Errorf("answered invitation: got %+v (err %v), want answered without its secret", got, err)
		}
		if ok, _ := s.ExpireInvitation(ctx, inv.ID); ok {
			t.Errorf("an answered invitation expired")
		}

		// Expiry: the link is gone at its expiry instant, and the expiry
		// forgets the secret.
		_, inv3 := resolved(t, s, c, model.TypeSupport, nil)
		if _, _, err := s.SendInvitation(ctx, inv3.ID, link("sv_three", clk.Now().Add(time.Hour)), nil); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ExpireInvitation(ctx, inv3.ID); ok {
			t.Errorf("expired before its time")
		}
		clk.Add(time.Hour)
		err = s.AnswerInvitation(ctx, link("sv_three", time.Time{}).Hash, &model.SurveyResponse{Channel: model.ChannelWeb, Scores: model.Scores{CSAT: 5}})
		if !model.IsNotFound(err) {
			t.Errorf("answer at expiry: got %v, want not found", err)
		}
		if ok, err := s.ExpireInvitation(ctx, inv3.ID); err != nil || !ok {
			t.Errorf("expire: got %v %v, want expired", ok, err)
		}
		if got, _ := s.Invitation(ctx, inv3.ID); got.Status != model.InvitationExpired || got.Token != "" {
			t.Errorf("expired invitation: got %s with secret %q", got.Status, got.Token)
		}
		// The sweep expires links whose own job never ran.
		_, inv4 := resolved(t, s, c, model.TypeSupport, nil)
		if _, _, err := s.SendInvitation(ctx, inv4.ID, link("sv_four", clk.Now().Add(time.Minute)), nil); err != nil {
			t.Fatal(err)
		}
		if n, err := s.ExpireLinks(ctx); err != nil || n != 0 {
			t.Errorf("sweep before expiry: %d expired (err %v), want 0", n, err)
		}
		clk.Add(time.Minute)
		if n, err := s.ExpireLinks(ctx); err != nil || n != 1 {
			t.Errorf("sweep at expiry: %d expired (err %v), want 1", n, err)
		}
		if got, _ := s.Invitation(ctx, inv4.ID); got.Status != model.InvitationExpired || got.Token != "" {
			t.Errorf("swept invitation: got %s with secret %q", got.Status, got.Token)
		}
	})
}

// TestResponsesPeriodAndPages: ListResponses keeps to the period, newest
// first, across keyset pages; complaint rates count per team and month.
func TestResponsesPeriodAndPages(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *store.Store, clk *movingClock) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		if err := s.EnsureSurveyTemplate(ctx, &model.SurveyTemplate{TitleZh: "调查", TitleEn: "Survey"}); err != nil {
			t.Fatal(err)
		}
		start := clk.Now()
		var numbers []string
		for i := range 5 {
			r, inv := resolved(t, s, c, []model.RequestType{model.TypeRepair, model.TypeComplaint}[i%2], nil)
			token := "sv_" + r.Number
			if _, _, err := s.SendInvitation(ctx, inv.ID, link(token, clk.Now().Add(24*time.Hour)), nil); err != nil {
				t.Fatal(err)
			}
			if err := s.AnswerInvitation(ctx, link(token, time.Time{}).Hash, &model.SurveyResponse{Channel: model.ChannelAPI,
				Scores: model.Scores{CSAT: i + 1}}); err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, r.Number)
			clk.Add(24 * time.Hour)
		}
		// The period of the 2nd to the 4th answers, read two at a time.
		f := model.ResponseFilter{From: start.Add(24 * time.Hour), To: start.Add(3*24*time.Hour + time.Second), Limit: 2}
		var got []string
		for {
			page, err := s.ListResponses(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				got = append(got, r.RequestNumber)
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		want := []string{numbers[3], numbers[2], numbers[1]}
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("responses of the period: got %v, want %v", got, want)
		}
		if _, err := s.ListResponses(ctx, model.ResponseFilter{From: start, To: clk.Now(), Cursor: "junk"}); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("bad cursor: got %v, want invalid", err)
		}
		rates, err := s.ComplaintRates(ctx, start, clk.Now(), "month")
		if err != nil || len(rates) != 1 || rates[0].Key != "2026-03" || rates[0].Requests != 5 || rates[0].Complaints != 2 {
			t.Errorf("complaint rate by month: got %+v (err %v), want 2026-03 with 2 of 5", rates, err)
		}
		rates, err = s.ComplaintRates(ctx, start, clk.Now(), "team")
		if err != nil || len(rates) != 1 || rates[0].Key != "" || rates[0].Rate() != 0.4 {
			t.Errorf("complaint rate by team: got %+v (err %v), want 0.4 for no team", rates, err)
		}
		st, err := s.SurveyStats(ctx, start, clk.Now())
		if err != nil || st.Answered != 5 || st.ResponseRate() != 1 {
			t.Errorf("stats: got %+v (err %v), want 5 answered", st, err)
		}
	})
}

// TestSurveyTemplateVersions: each save is a new version; a save from a
// stale version is a conflict and changes nothing.
func TestSurveyTemplateVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		def := &model.SurveyTemplate{TitleZh: "一", TitleEn: "One"}
		for range 2 {
			if err := s.EnsureSurveyTemplate(ctx, def); err != nil {
				t.Fatal(err)
			}
		}
		two := &model.SurveyTemplate{TitleZh: "二", TitleEn: "Two"}
		if err := s.SaveSurveyTemplate(ctx, two, 1); err != nil || two.Version != 2 {
			t.Fatalf("save: version %d, err %v; want 2", two.Version, err)
		}
		if err := s.SaveSurveyTemplate(ctx, &model.SurveyTemplate{TitleZh: "三", TitleEn: "Three"}, 1); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("stale save: got %v, want a conflict", err)
		}
		latest, err := s.SurveyTemplate(ctx, 0)
		if err != nil || latest.Version != 2 || latest.TitleEn != "Two" {
			t.Errorf("latest: got %+v (err %v), want version 2", latest, err)
		}
		if old, err := s.SurveyTemplate(ctx, 1); err != nil || old.TitleEn != "One" {
			t.Errorf("version 1: got %+v (err %v)", old, err)
		}
	})
}
