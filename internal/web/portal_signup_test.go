package web_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/testenv"
)

// TestPortalSignup: on a phone, someone creates a portal account with the
// code e-mailed to them — empty fields are all flagged at once and what
// was typed is kept, a wrong code is named beside its field, the right
// one signs them in to their (empty) portal — and the code appears in no
// log line, at any level. In both languages.
func TestPortalSignup(t *testing.T) {
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			box := &testenv.Inbox{}
			logs := &testenv.Buffer{}
			f := newFixtureWith(t, apptest.Options{
				Logger:  slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				Prepare: func(m *app.Main) { m.SignupMailer = box },
			})
			c := newClient(t, f.m, lang)
			words := map[string][]string{
				"zh-CN": {"注册账户", "验证码无效", "欢迎"},
				"en":    {"Create your account", "this code is not valid", "Welcome"},
			}[lang]
			expect(t, "login offers sign-up", c.get("/portal/login"), http.StatusOK, []string{`href="/portal/signup"`}, nil)
			expect(t, "form", c.get("/portal/signup"), http.StatusOK, []string{words[0], `name="email"`, `name="name"`}, nil)

			res := c.post("/portal/signup", url.Values{"name": {""}, "email": {""}})
			expect(t, "empty", res, http.StatusUnprocessableEntity, nil, nil)
			if n := strings.Count(res.body, `aria-invalid="true"`); n != 2 {
				t.Errorf("empty form: %d fields flagged, want 2 (name and e-mail)", n)
			}
			res = c.post("/portal/signup", url.Values{"name": {"周 杰"}, "email": {"not-an-address@"}})
			expect(t, "bad address", res, http.StatusUnprocessableEntity, []string{`value="周 杰"`, `value="not-an-address@"`, `aria-invalid="true"`}, nil)

			res = c.post("/portal/signup", url.Values{"name": {"周 杰"}, "email": {"Zhou@Example.com"}})
			if res.status != http.StatusSeeOther || res.location != "/portal/signup/verify" {
				t.Fatalf("sign-up: got %d → %q, want 303 → /portal/signup/verify\n%s", res.status, res.location, res.body)
			}
			code := box.Code("zhou@example.com")
			if len(code) != 6 {
				t.Fatalf("code %q, want six digits", code)
			}
			expect(t, "verify form", c.get("/portal/signup/verify"), http.StatusOK, []string{"zhou@example.com", `autocomplete="one-time-code"`}, []string{code})

			wrong := "000000"
			if code == wrong {
				wrong = "000001"
			}
			res = c.post("/portal/signup/verify", url.Values{"code": {wrong}, "password": {"a long password"}, "password2": {"a long password"}})
			expect(t, "wrong code", res, http.StatusUnprocessableEntity, []string{words[1], `aria-invalid="true"`}, nil)
			res = c.post("/portal/signup/verify", url.Values{"code": {code}, "password": {"a long password"}, "password2": {"another one"}})
			expect(t, "mismatch", res, http.StatusUnprocessableEntity, []string{`aria-invalid="true"`}, nil)
			res = c.post("/portal/signup/verify", url.Values{"code": {code}, "password": {"a long password"}, "password2": {"a long password"}})
			if res.status != http.StatusSeeOther || res.location != "/portal" {
				t.Fatalf("verify: got %d → %q, want 303 → /portal\n%s", res.status, res.location, res.body)
			}
			expect(t, "portal", c.get("/portal"), http.StatusOK, []string{words[2], "周 杰"}, nil)

			// The new password works from another device.
			other := newClient(t, f.m, lang)
			if res := other.post("/portal/login", url.Values{"login": {"zhou@example.com"}, "password": {"a long password"}}); res.status != http.StatusSeeOther {
				t.Errorf("login with the new account: %d", res.status)
			}
			if strings.Contains(logs.String(), code) {
				t.Errorf("the code %s is in the logs:\n%s", code, logs.String())
			}
		})
	}
}

// TestPortalSignupInviteOnly: without outbound mail the portal says, in a
// sentence, that accounts come by invitation, and takes no sign-up.
func TestPortalSignupInviteOnly(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	expect(t, "login", c.get("/portal/login"), http.StatusOK, []string{"by invitation only"}, []string{`href="/portal/signup"`})
	expect(t, "page", c.get("/portal/signup"), http.StatusOK, []string{"by invitation only"}, []string{`name="email"`})
	expect(t, "post", c.post("/portal/signup", url.Values{"name": {"X"}, "email": {"x@example.com"}}), http.StatusConflict,
		[]string{"by invitation only"}, nil)
	zh := newClient(t, f.m, "zh-CN")
	expect(t, "zh", zh.get("/portal/signup"), http.StatusOK, []string{"只能通过邀请开通账户"}, nil)
}
