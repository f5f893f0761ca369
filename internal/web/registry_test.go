package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// TestRegistryParses checks that every page parses in every language and
// that every literal catalog key used by the templates exists.
func TestRegistryParses(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatalf("i18n: %v", err)
	}
	reg, err := newRegistry(assets, b, time.UTC, time.Now)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	for _, page := range []string{"login", "queue", "request", "portal_list", "portal_new", "portal_request", "portal_link", "portal_forgot", "audit", "request_new", "error",
		"centres", "centre_form", "stock", "stock_line", "stock_alerts", "parts", "appointments", "appointment_new", "plans", "unit"} {
		for _, lang := range i18n.Languages() {
			if set, err := reg.set(page, lang); err != nil || set == nil {
				t.Errorf("page %s/%s missing: %v", page, lang, err)
			}
		}
	}
	key := regexp.MustCompile(`\{\{-?\s*t "([^"]+)"`)
	err = fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(assets, path)
		if err != nil {
			return err
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			if !b.Has(m[1]) {
				t.Errorf("%s: unknown catalog key %q", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDynamicKeys checks the catalog keys built from enumerations.
func TestDynamicKeys(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range []string{"status.", "action.status.", "portal.status_hint."} {
		for _, s := range []string{"new", "open", "pending", "on_hold", "resolved", "closed", "cancelled"} {
			keys = append(keys, p+s)
		}
	}
	for _, s := range []string{"low", "normal", "high", "urgent"} {
		keys = append(keys, "priority."+s)
	}
	for _, s := range []string{"repair", "return", "exchange", "refund", "support", "installation", "maintenance", "complaint", "inquiry"} {
		keys = append(keys, "type."+s)
	}
	for _, s := range []string{"web", "email", "phone", "api", "device"} {
		keys = append(keys, "channel."+s)
	}
	for _, k := range model.MovementKinds {
		keys = append(keys, "movement."+string(k))
	}
	for _, d := range model.Weekdays {
		keys = append(keys, "weekday."+model.WeekdayKey(d), "weekday.short."+model.WeekdayKey(d))
	}
	for _, k := range []model.AppointmentKind{model.AppointmentInStore, model.AppointmentOnSite} {
		keys = append(keys, "appointment.kind."+string(k))
	}
	for _, src := range []string{model.SourceBase, model.SourcePlan, model.SourceNone} {
		keys = append(keys, "unit.source."+src)
	}
	for _, a := range model.AuditActions() {
		keys = append(keys, "audit.action."+a)
	}
	keys = append(keys, "event.appointment", "event.appointment_cancelled")
	for _, k := range keys {
		if !b.Has(k) {
			t.Errorf("missing catalog key %q", k)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/queue?view=all", "/queue?view=all"},
		{"", "/d"},
		{"//evil.example/x", "/d"},
		{`/\evil.example`, "/d"},
		{"https://evil.example/", "/d"},
		{"queue", "/d"},
	} {
		if got := localPath(c.in, "/d"); got != c.want {
			t.Errorf("localPath(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAgo(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		d          time.Duration
		lang, want string
	}{
		{30 * time.Second, i18n.En, "just now"},
		{5 * time.Minute, i18n.ZhCN, "5 分钟前"},
		{3 * time.Hour, i18n.En, "3 h ago"},
		{48 * time.Hour, i18n.En, "2026-11-21 14:00"},
	} {
		if got := ago(b, c.lang, sh, now.Add(-c.d), now); !strings.EqualFold(got, c.want) {
			t.Errorf("ago(-%v, %s): got %q, want %q", c.d, c.lang, got, c.want)
		}
	}
}

// TestErrorPages renders the 404 and 500 pages in both languages.
func TestErrorPages(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := newRegistry(assets, b, time.UTC, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages() {
		for _, code := range []string{"404", "500"} {
			page := errorPage{Base: Base{Lang: lang, Path: "/x"}, TitleKey: "error." + code + ".title", MessageKey: "error." + code + ".message"}
			out, err := reg.execute("error", "layout", lang, page)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, code, err)
			}
			for _, want := range []string{`<html lang="` + lang + `">`, b.T(lang, page.TitleKey), b.T(lang, page.MessageKey)} {
				if !strings.Contains(string(out), want) {
					t.Errorf("%s %s page lacks %q", lang, code, want)
				}
			}
		}
	}
}
