package mailout_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestMentionNotifies: an internal note that names colleagues with "@"
// mails each of them once (in their language, with the note), never its
// author, never someone who turned mentions off, and never the customer,
// and leaves each of them (mail or not) an in-app notice; a public
// reply's "@" mentions nobody.
func TestMentionNotifies(t *testing.T) {
	ctx := context.Background()
	sk := startSink(t)
	m := startApp(t, "", sk)
	author := &model.User{Email: "boss@example.com", Name: "Boss", Role: model.RoleManager, Active: true, Locale: "en"}
	zhou := &model.User{Email: "zhou@example.com", Name: "周杰", Role: model.RoleAgent, Active: true, Locale: "zh-CN"}
	wang := &model.User{Email: "wang@example.com", Name: "Wang Fang", Role: model.RoleAgent, Active: true, Locale: "en"}
	quiet := &model.User{Email: "quiet@example.com", Name: "Quiet", Role: model.RoleAgent, Active: true, Locale: "en"}
	for _, u := range []*model.User{author, zhou, wang, quiet} {
		if err := m.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	quietP := model.Principal{Kind: model.KindStaff, ID: quiet.ID, Name: quiet.Name, Role: model.RoleAgent}
	if _, err := m.Mail.SetPreferences(ctx, quietP, map[model.MailKind]bool{model.MailMentioned: false}); err != nil {
		t.Fatal(err)
	}
	boss := model.Principal{Kind: model.KindStaff, ID: author.ID, Name: author.Name, Role: model.RoleManager}
	cust := &model.Customer{Name: "Phone Only", Phone: "13800000001", Locale: "en"}
	if err := m.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	r, err := m.Requests.Create(ctx, boss, request.CreateInput{CustomerID: cust.ID, Type: model.TypeRepair,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "Drum noise", Description: "Loud."})
	if err != nil {
		t.Fatal(err)
	}
	note := "@周杰请检查滚筒, @wang fang order the bearing; @Boss @Quiet @nobody"
	if _, err := m.Requests.Reply(ctx, boss, r.Number, request.ReplyInput{Body: note, Visibility: model.VisibilityInternal}); err != nil {
		t.Fatal(err)
	}
	got := map[string]received{}
	for range 2 {
		g := sk.next(t)
		got[g.To[0]] = g
	}
	zh, ok := got["zhou@example.com"]
	if !ok || header(t, zh, "Subject") != "["+r.Number+"] 有人提到了您：Drum noise" || !strings.Contains(text(t, zh), "Boss 在服务请求") {
		t.Errorf("周杰's mention mail: %v", got)
	}
	if en, ok := got["wang@example.com"]; !ok || !strings.Contains(text(t, en), "order the bearing") {
		t.Errorf("Wang Fang's mention mail: %v", got)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound WHERE kind = 'mentioned'"); n != 2 {
		t.Errorf("%d mention mails, want 2 (not the author, not one who turned them off)", n)
	}
	// The in-app notices come from the same note, found in the same user
	// list (read once for both): every colleague named, mail or not.
	if n := countRows(t, m, "SELECT COUNT(*) FROM staff_notices"); n != 3 {
		t.Errorf("%d in-app notices, want 3 (周杰, Wang Fang and Quiet; not the author)", n)
	}

	before := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound WHERE kind = 'mentioned'")
	if _, err := m.Requests.Reply(ctx, boss, r.Number, request.ReplyInput{Body: "@周杰 will call you"}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound WHERE kind = 'mentioned'"); n != before {
		t.Errorf("a public reply's @ notified staff (%d mails)", n-before)
	}
}
