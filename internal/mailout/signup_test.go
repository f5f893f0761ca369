package mailout_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/testenv"
)

// TestSignupCodeMail: with a relay, self-registration is offered and the
// code reaches the address in the language chosen, also when the address
// belongs to no customer yet; the outbound log never shows the code,
// clears the body once sent and refuses to resend it; no log line at any
// level holds the code; the code then completes the registration. On
// both stores.
func TestSignupCodeMail(t *testing.T) {
	eachDB(t, func(t *testing.T, databaseURL string) {
		ctx := context.Background()
		sk := startSink(t)
		logs := &testenv.Buffer{}
		m := apptest.Start(t, apptest.Options{DatabaseURL: databaseURL,
			Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Configure: func(c *config.Config) {
				c.SMTPListen = "127.0.0.1:0"
				c.SMTPRelay = "smtp://" + sk.addr
				c.MailFrom = "Aftercare Support <support@example.com>"
				c.BaseURL = "https://help.example.com"
				c.LogLevel = "debug"
			}, Prepare: func(m *app.Main) {
				m.JobPollInterval = 50 * time.Millisecond
				m.MailSchedule = []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}
			}})
		if !m.Auth.CanSelfRegister() {
			t.Fatal("self-registration is not offered with a relay")
		}
		if _, err := m.Auth.StartSignup(ctx, auth.SignupInput{Name: "韩梅梅", Email: "han@example.org", Locale: "zh-CN"}, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		body := text(t, sk.next(t))
		code := regexp.MustCompile(`\b[0-9]{6}\b`).FindString(body)
		if code == "" || !strings.Contains(body, "韩梅梅") || !strings.Contains(body, "验证码") {
			t.Fatalf("code mail body:\n%s", body)
		}
		o := waitStatus(t, m, lastOutbound(t, m).ID, model.OutSent)
		if o.Kind != model.MailSignupCode || o.Body != "" || strings.Contains(o.Subject, code) {
			t.Errorf("logged code mail: kind %s, subject %q, body %q; want signup_code, no code, no body", o.Kind, o.Subject, o.Body)
		}
		admin := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAdmin}
		if _, err := m.Mail.Resend(ctx, admin, o.ID); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("resend of a code mail: %v, want ECONFLICT", err)
		}
		p, err := m.Auth.CompleteSignup(ctx, "han@example.org", code, "a long password", "127.0.0.1")
		if err != nil || p.Name != "韩梅梅" {
			t.Fatalf("complete: %+v, %v", p, err)
		}
		if strings.Contains(logs.String(), code) {
			t.Errorf("the code %s is in the logs:\n%s", code, logs.String())
		}
	})
}
