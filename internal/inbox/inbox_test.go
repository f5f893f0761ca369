package inbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/inbox"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// people creates the author of notes and two colleagues, and a request
// to write notes on.
func people(t *testing.T, s *store.Store) (boss, zhou, wang *model.User, number string) {
	t.Helper()
	ctx := context.Background()
	boss = &model.User{Email: "boss@example.com", Name: "Boss", Role: model.RoleManager, Active: true, Locale: "en"}
	zhou = &model.User{Email: "zhou@example.com", Name: "周杰", Role: model.RoleAgent, Active: true, Locale: "zh-CN"}
	wang = &model.User{Email: "wang@example.com", Name: "Wang Fang", Role: model.RoleAgent, Active: true, Locale: "en"}
	gone := &model.User{Email: "gone@example.com", Name: "Gone", Role: model.RoleAgent, Active: false, Locale: "en"}
	for _, u := range []*model.User{boss, zhou, wang, gone} {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	c := &model.Customer{Name: "Phone Only", Phone: "13800000001", Locale: "en"}
	if err := s.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
		Channel: model.ChannelPhone, Subject: "Drum noise", CustomerID: c.ID}, staff(boss))
	if err != nil {
		t.Fatal(err)
	}
	return boss, zhou, wang, r.Number
}

func staff(u *model.User) store.Actor {
	return store.Actor{Kind: model.AuthorStaff, ID: &u.ID, Name: u.Name, Channel: model.ChannelWeb}
}

func principal(u *model.User) model.Principal {
	return model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Role: u.Role}
}

func note(t *testing.T, s *store.Store, number string, by *model.User, vis model.Visibility, body string) error {
	t.Helper()
	m := &model.Message{AuthorKind: model.AuthorStaff, AuthorID: &by.ID, AuthorName: by.Name, Visibility: vis,
		Channel: model.ChannelWeb, Body: body}
	return s.AddMessage(context.Background(), number, m, nil, nil, staff(by), store.UploadLimits{})
}

// TestMentionLeavesNotice: with no outbound mail at all (only the inbox
// hook is registered), an internal note naming colleagues with "@" leaves
// each active one a notice naming the author, the request and the note,
// never the author, never an inactive user; a public reply's "@" and a
// note that rolls back leave none.
func TestMentionLeavesNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.New(s)
		s.OnMessage(svc.OnMessage)
		refuse := false
		s.OnMessage(func(context.Context, store.Querier, store.MessageAdded) error {
			if refuse {
				return errors.New("refused by a later hook")
			}
			return nil
		})
		boss, zhou, wang, number := people(t, s)
		if err := note(t, s, number, boss, model.VisibilityInternal, "@周杰请检查滚筒, @wang fang\n\norder the bearing; @Boss @Gone"); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*model.User{zhou, wang} {
			got, unread, err := svc.List(ctx, principal(u))
			if err != nil || len(got) != 1 || unread != 1 {
				t.Fatalf("%s: got %+v, %d unread, %v; want one unread notice", u.Name, got, unread, err)
			}
			n := got[0]
			if n.Kind != model.NoticeMentioned || n.ActorName != "Boss" || n.RequestNumber != number ||
				n.RequestSubject != "Drum noise" || n.Excerpt != "@周杰请检查滚筒, @wang fang order the bearing; @Boss @Gone" || n.ReadAt != nil {
				t.Errorf("%s's notice: %+v", u.Name, n)
			}
		}
		if got, unread, _ := svc.List(ctx, principal(boss)); len(got) != 0 || unread != 0 {
			t.Errorf("the author was notified of their own mention: %+v", got)
		}
		var all int
		if err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM staff_notices").Scan(&all); err != nil || all != 2 {
			t.Errorf("%d notices in all (%v), want 2: not the author, not an inactive user", all, err)
		}

		if err := note(t, s, number, boss, model.VisibilityPublic, "@周杰 will call you"); err != nil {
			t.Fatal(err)
		}
		refuse = true
		if err := note(t, s, number, boss, model.VisibilityInternal, "@Wang Fang this note is refused"); err == nil {
			t.Fatal("the refused note was stored")
		}
		for _, u := range []*model.User{zhou, wang} {
			if n, _ := svc.Unread(ctx, principal(u)); n != 1 {
				t.Errorf("%s has %d unread after a public reply and a refused note, want still 1", u.Name, n)
			}
		}
	})
}

// TestNoticesAreOwn: a person opens and marks only their own notices (an
// id of someone else's is not found and changes nothing); marking by ids
// and marking all work, and the newest comes first.
func TestNoticesAreOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := inbox.New(s)
		s.OnMessage(svc.OnMessage)
		boss, zhou, wang, number := people(t, s)
		for _, body := range []string{"@周杰 first", "@周杰 second", "@周杰 third", "@Wang Fang yours"} {
			if err := note(t, s, number, boss, model.VisibilityInternal, body); err != nil {
				t.Fatal(err)
			}
		}
		zp, wp := principal(zhou), principal(wang)
		mine, unread, err := svc.List(ctx, zp)
		if err != nil || len(mine) != 3 || unread != 3 || mine[0].Excerpt != "@周杰 third" || mine[2].Excerpt != "@周杰 first" {
			t.Fatalf("周杰's notices: %+v, %d unread, %v; want three, newest first", mine, unread, err)
		}
		theirs, _, _ := svc.List(ctx, wp)
		if len(theirs) != 1 {
			t.Fatalf("Wang Fang's notices: %+v", theirs)
		}
		if _, err := svc.Open(ctx, zp, theirs[0].ID); model.ErrorCode(err) != model.ENOTFOUND {
			t.Errorf("周杰 opened Wang Fang's notice: %v", err)
		}
		if n, err := svc.MarkRead(ctx, zp, []int64{theirs[0].ID}); err != nil || n != 0 {
			t.Errorf("周杰 marked Wang Fang's notice: %d changed, %v", n, err)
		}
		if n, _ := svc.Unread(ctx, wp); n != 1 {
			t.Errorf("Wang Fang's notice was marked read by someone else")
		}

		opened, err := svc.Open(ctx, zp, mine[2].ID)
		if err != nil || opened.ReadAt == nil || opened.RequestNumber != number {
			t.Fatalf("open: %+v, %v", opened, err)
		}
		if n, err := svc.MarkRead(ctx, zp, []int64{mine[1].ID, mine[2].ID}); err != nil || n != 1 {
			t.Errorf("mark two (one already read): %d changed, %v; want 1", n, err)
		}
		if n, _ := svc.Unread(ctx, zp); n != 1 {
			t.Errorf("after marking two: %d unread, want 1", n)
		}
		if n, err := svc.MarkRead(ctx, zp, nil); err != nil || n != 1 {
			t.Errorf("mark all: %d changed, %v; want 1", n, err)
		}
		if n, _ := svc.Unread(ctx, zp); n != 0 {
			t.Errorf("after marking all: %d unread", n)
		}
		if n, _ := svc.Unread(ctx, wp); n != 1 {
			t.Errorf("周杰's mark-all marked Wang Fang's notice")
		}
		cust := model.Principal{Kind: model.KindCustomer, ID: 1}
		if _, _, err := svc.List(ctx, cust); model.ErrorCode(err) != model.EFORBIDDEN {
			t.Errorf("a customer listed notices: %v", err)
		}
	})
}

// TestExcerpt: a long note is cut on one line with "…".
func TestExcerpt(t *testing.T) {
	long := strings.Repeat("滚筒", 100)
	got := inbox.Excerpt(long)
	if !strings.HasSuffix(got, "…") || len([]rune(got)) != 141 || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("excerpt of a long note: %q", got)
	}
}
