package auth_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestStaffUserEveryFieldAtOnce: a new staff user with several bad
// fields is refused naming every one at once, each with a whole sentence
// in both languages, and nothing is saved; an edit names each bad field
// too; a taken e-mail is a sentence.
func TestStaffUserEveryFieldAtOnce(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			st := storetest.OpenWith(t, storetest.Options(t, d))
			svc := auth.NewService(st, auth.Options{})
			admin := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAdmin}
			check := func(what string, err error, want map[string][2]string) {
				t.Helper()
				if model.ErrorCode(err) == "" {
					t.Fatalf("%s: accepted, want refused", what)
				}
				got := map[string]bool{}
				for _, e := range model.AllErrors(err) {
					got[e.Field] = true
					if w, ok := want[e.Field]; ok {
						if en, zh := b.Error("en", e), b.Error("zh-CN", e); en != w[0] || zh != w[1] {
							t.Errorf("%s: %s: %q / %q, want %q / %q", what, e.Field, en, zh, w[0], w[1])
						}
					}
				}
				for f := range want {
					if !got[f] {
						t.Errorf("%s: %s not reported (got %v)", what, f, got)
					}
				}
			}
			_, err := svc.CreateUser(ctx, admin, auth.UserInput{Email: "wang at example", Name: " ", Role: "boss", Locale: "fr", Password: "short"})
			check("new user", err, map[string][2]string{
				"email":    {"Enter a valid e-mail address, such as name@example.com.", "请填写有效的电子邮件地址，例如 name@example.com。"},
				"name":     {"Enter the person's name.", "请填写姓名。"},
				"role":     {"Choose one of the roles in the list.", "请从列表中选择一个角色。"},
				"locale":   {"Choose Chinese or English as the language.", "请选择中文或英文作为语言。"},
				"password": {"Choose a password of at least 8 characters.", "请设置至少 8 个字符的密码。"},
			})
			if us, err := st.ListUsers(ctx); err != nil || len(us) != 0 {
				t.Fatalf("after a refused user: %d users, %v; want none", len(us), err)
			}
			u, err := svc.CreateUser(ctx, admin, auth.UserInput{Email: "wang@example.com", Name: "王芳", Role: model.RoleAgent, Password: "long enough pass"})
			if err != nil {
				t.Fatal(err)
			}
			blank, boss, fr := "", model.Role("boss"), "fr"
			_, err = svc.UpdateUser(ctx, admin, u.ID, model.UserPatch{Name: &blank, Role: &boss, Locale: &fr})
			check("edit", err, map[string][2]string{
				"name":   {"Enter the person's name.", "请填写姓名。"},
				"role":   {"Choose one of the roles in the list.", "请从列表中选择一个角色。"},
				"locale": {"Choose Chinese or English as the language.", "请选择中文或英文作为语言。"},
			})
			_, err = svc.CreateUser(ctx, admin, auth.UserInput{Email: "wang@example.com", Name: "Another", Role: model.RoleAgent, Password: "long enough pass"})
			if model.ErrorCode(err) != model.ECONFLICT {
				t.Fatalf("taken e-mail: %v", err)
			}
			check("taken e-mail", err, map[string][2]string{
				"email": {"Another staff user already has this e-mail address.", "已有另一位员工使用这个电子邮件地址。"}})
		})
	}
}
