package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

func TestServiceOnBothStores(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			opts := storetest.Options(t, d)
			opts.Now = clock
			st := storetest.OpenWith(t, opts)
			svc := auth.NewService(st, auth.Options{Now: clock, BaseURL: "https://help.example.com"})
			hash, _ := auth.HashPassword("correct horse")
			u := &model.User{Email: "Agent@Example.com", Name: "Agent", Role: model.RoleAgent, PasswordHash: hash, Active: true}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			c := &model.Customer{Name: "张三", Email: "zhang@example.com", Phone: "13811112222"}
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}

			// Staff login is case-insensitive on the e-mail; failures say nothing more.
			if p, err := svc.LoginStaff(ctx, "agent@example.com", "correct horse", "1.2.3.4"); err != nil || p.Role != model.RoleAgent {
				t.Fatalf("staff login: %+v %v", p, err)
			}
			if _, err := svc.LoginStaff(ctx, "agent@example.com", "wrong password", "1.2.3.4"); model.ErrorCode(err) != model.EUNAUTHORIZED {
				t.Fatalf("wrong password: %v", err)
			}
			if _, err := svc.LoginStaff(ctx, "nobody@example.com", "correct horse", "1.2.3.4"); model.ErrorCode(err) != model.EUNAUTHORIZED {
				t.Fatalf("unknown user: %v", err)
			}
			// Customers have no password until they accept an invite.
			if _, err := svc.LoginCustomer(ctx, "13811112222", "", "5.6.7.8"); model.ErrorCode(err) != model.EUNAUTHORIZED {
				t.Fatalf("customer without password: %v", err)
			}
			agent := model.Principal{Kind: model.KindStaff, ID: u.ID, Role: model.RoleAgent}
			link, err := svc.Invite(ctx, agent, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			secret := strings.TrimPrefix(link.URL, "https://help.example.com/portal/invite/")
			if got, purpose, err := svc.LinkCustomer(ctx, secret); err != nil || got.ID != c.ID || purpose != store.LinkInvite {
				t.Fatalf("invite lookup: %v %v %v", got, purpose, err)
			}
			if _, err := svc.UseLink(ctx, secret, "short"); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("short password on invite: %v", err)
			}
			if p, err := svc.UseLink(ctx, secret, "my new password"); err != nil || p.ID != c.ID {
				t.Fatalf("accept invite: %+v %v", p, err)
			}
			if _, err := svc.UseLink(ctx, secret, "another password"); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("invite used twice: %v", err)
			}
			for _, login := range []string{"13811112222", "ZHANG@example.com"} {
				if p, err := svc.LoginCustomer(ctx, login, "my new password", "5.6.7.8"); err != nil || !p.IsCustomer() {
					t.Fatalf("customer login by %s: %+v %v", login, p, err)
				}
			}

			// Tokens: expiry, revocation, last use.
			op := model.Principal{Kind: model.KindOperator, Name: "ops@server"}
			tok, tk, err := svc.CreateToken(ctx, op, auth.TokenOwner{Email: "agent@example.com"}, "ci", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if p, err := svc.Authenticate(ctx, tok); err != nil || p.ID != u.ID || !p.IsStaff() {
				t.Fatalf("authenticate: %+v %v", p, err)
			}
			list, _ := st.ListTokens(ctx)
			if len(list) != 1 || list[0].LastUsedAt == nil || string(list[0].Hash) == tok {
				t.Fatalf("token list after use: %+v", list)
			}
			now = now.Add(time.Hour)
			if _, err := svc.Authenticate(ctx, tok); model.ErrorCode(err) != model.EUNAUTHORIZED {
				t.Fatalf("expired token accepted: %v", err)
			}
			tok2, tk2, _ := svc.CreateToken(ctx, op, auth.TokenOwner{Email: "zhang@example.com"}, "", 0)
			if p, err := svc.Authenticate(ctx, tok2); err != nil || p.ID != c.ID || !p.IsCustomer() {
				t.Fatalf("customer token: %+v %v", p, err)
			}
			if err := st.RevokeToken(ctx, tk2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Authenticate(ctx, tok2); model.ErrorCode(err) != model.EUNAUTHORIZED {
				t.Fatalf("revoked token accepted: %v", err)
			}
			if _, err := svc.Authenticate(ctx, "act_forged"); model.ErrorCode(err) != model.EUNAUTHORIZED {
				t.Fatalf("forged token: %v", err)
			}
			_ = tk

			// Rate limiting: the 11th attempt on one login is refused.
			var last error
			for range 11 {
				_, last = svc.LoginStaff(ctx, "victim@example.com", "guess", "9.9.9.9")
			}
			if model.ErrorCode(last) != model.ERATELIMIT {
				t.Fatalf("11th attempt: %v", last)
			}
			// Sessions round-trip through the store.
			ss := auth.SessionStore{Store: st}
			if err := ss.Commit("tok-0123456789", []byte("data"), now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if b, ok, err := ss.Find("tok-0123456789"); err != nil || !ok || string(b) != "data" {
				t.Fatalf("session find: %q %v %v", b, ok, err)
			}
			now = now.Add(2 * time.Hour)
			if _, ok, _ := ss.Find("tok-0123456789"); ok {
				t.Fatal("expired session found")
			}
		})
	}
}
