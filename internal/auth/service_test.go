package auth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
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
			list, err := st.ListTokens(ctx)
			if err != nil || len(list) != 1 || list[0].ID != tk.ID || list[0].LastUsedAt == nil {
				t.Fatalf("token list after use: %+v %v", list, err)
			}
			// Only the SHA-256 of the secret is stored; the secret is nowhere.
			if want := sha256.Sum256([]byte(tok)); !bytes.Equal(list[0].Hash, want[:]) {
				t.Fatalf("stored hash: got %x, want SHA-256 of the secret %x", list[0].Hash, want)
			}
			if where := findInDatabase(t, st, tok); where != "" {
				t.Fatalf("the token secret is stored in the database: %s", where)
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

// findInDatabase reads every column of every table of st and returns
// "table.column" for the first value that contains secret (as text or as
// bytes), or "" when none does.
func findInDatabase(t *testing.T, st *store.Store, secret string) string {
	t.Helper()
	ctx := context.Background()
	// SQLite's virtual tables are skipped: the search index is a
	// contentless FTS5 table that cannot be scanned, and what it holds
	// is in its shadow tables (request_fts_data, …), which are scanned.
	tablesQuery := "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
	if st.Dialect() == store.Postgres {
		tablesQuery = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	rows, err := st.Read().Query(ctx, tablesQuery)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("list tables: none found")
	}
	contains := func(v any) bool {
		switch x := v.(type) {
		case nil:
			return false
		case []byte:
			return bytes.Contains(x, []byte(secret))
		case string:
			return strings.Contains(x, secret)
		}
		return strings.Contains(fmt.Sprint(v), secret)
	}
	for _, table := range tables {
		query := `SELECT * FROM "` + table + `"`
		if st.Dialect() == store.Postgres {
			rows, err := st.Pool().Query(ctx, query)
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					t.Fatalf("%s: %v", query, err)
				}
				for i, v := range vals {
					if contains(v) {
						rows.Close()
						return table + "." + rows.FieldDescriptions()[i].Name
					}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			continue
		}
		rows, err := st.WriteDB().QueryContext(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			for i, v := range vals {
				if contains(v) {
					rows.Close()
					return table + "." + cols[i]
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	return ""
}
