package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aftercare/aftercare/internal/i18n"
)

// registry holds the page templates. Every page is parsed at start-up,
// so that, like miniflux's template engine, a page that does not parse
// stops the program before it serves anything; but a page's set (layout,
// partials and the page, bound to one language so that {{t "key"}} needs
// no language argument anywhere) is kept only from its first use on.
// Keeping all of them, every page in every language, each with its own
// copy of the layout and partials, held 47 MB of the idle server's 50 MB
// heap.
type registry struct {
	fsys   fs.FS
	bundle *i18n.Bundle
	loc    *time.Location
	now    func() time.Time
	// version names the static files' content (their URLs carry it).
	version string
	// known is every page name.
	known map[string]bool

	mu sync.Mutex
	// pages maps page name → language → template set, filled on use.
	pages map[string]map[string]*template.Template
}

// newRegistry checks that templates/layout.html, templates/partials/*.html
// and each templates/pages/*.html parse and have their blocks.
func newRegistry(fsys fs.FS, bundle *i18n.Bundle, loc *time.Location, now func() time.Time) (*registry, error) {
	names, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("web: no page templates")
	}
	version, err := staticVersion(fsys)
	if err != nil {
		return nil, err
	}
	reg := &registry{fsys: fsys, bundle: bundle, loc: loc, now: now, version: version, known: map[string]bool{},
		pages: map[string]map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if _, err := reg.parse(name, i18n.ZhCN); err != nil {
			return nil, err
		}
		reg.known[name] = true
	}
	return reg, nil
}

// parse parses the set of page name in lang.
func (reg *registry) parse(name, lang string) (*template.Template, error) {
	set, err := template.New(name).Funcs(templateFuncs(reg.bundle, lang, reg.loc, reg.now, reg.version)).
		ParseFS(reg.fsys, "templates/layout.html", "templates/partials/*.html", "templates/pages/"+name+".html")
	if err != nil {
		return nil, fmt.Errorf("web: template %s: %w", name, err)
	}
	for _, block := range []string{"layout", "title", "content"} {
		if set.Lookup(block) == nil {
			return nil, fmt.Errorf("web: template %s: no %q block", name, block)
		}
	}
	return set, nil
}

// set returns the template set of page in lang, parsing it on first use.
func (reg *registry) set(page, lang string) (*template.Template, error) {
	if !reg.known[page] || !slices.Contains(i18n.Languages(), lang) {
		return nil, fmt.Errorf("web: no template %q for %s", page, lang)
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	if t := reg.pages[page][lang]; t != nil {
		return t, nil
	}
	t, err := reg.parse(page, lang)
	if err != nil {
		return nil, err
	}
	if reg.pages[page] == nil {
		reg.pages[page] = map[string]*template.Template{}
	}
	reg.pages[page][lang] = t
	return t, nil
}

// staticVersion is a short hash of every embedded static file.
func staticVersion(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("web: static files: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// execute renders block of page in lang into a buffer, so that a
// template error never sends half a page.
func (reg *registry) execute(page, block, lang string, data any) ([]byte, error) {
	set, err := reg.set(page, lang)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, block, data); err != nil {
		return nil, fmt.Errorf("web: render %s/%s: %w", page, block, err)
	}
	return buf.Bytes(), nil
}

// templateFuncs are the functions templates call, bound to one language,
// the display time zone and the clock.
func templateFuncs(b *i18n.Bundle, lang string, loc *time.Location, now func() time.Time, version string) template.FuncMap {
	funcs := template.FuncMap{
		"t": func(key string, args ...any) string { return b.T(lang, key, args...) },
		// local is a time in the display zone, to the minute.
		"local": func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		// date is a calendar date (stored as midnight UTC).
		"date": func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// static is the URL of an embedded static file with a content
		// hash, so browsers may cache it and still see a new release.
		"static": func(name string) string { return "/static/" + name + "?v=" + version },
		// ago is a short relative time for the last day, else the local time.
		"ago": func(t time.Time) string { return ago(b, lang, loc, t, now()) },
		// initial is the first letter of a name, for avatars.
		"initial": func(name string) string {
			for _, r := range strings.TrimSpace(name) {
				return strings.ToUpper(string(r))
			}
			return "?"
		},
		// money is an amount in minor units with its currency (199.50 CNY).
		"money": func(minor int64, currency string) string {
			return fmt.Sprintf("%d.%02d %s", minor/100, minor%100, currency)
		},
		// dict builds a map from key, value pairs, to hand a partial
		// several values.
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				if k, ok := kv[i].(string); ok {
					m[k] = kv[i+1]
				}
			}
			return m
		},
		// mul multiplies two amounts (a quote line's quantity and price).
		"mul": func(a, b int64) int64 { return a * b },
		// barw is the width (of 160 pixels) of v on a bar scaled to most.
		"barw": func(v, most int64) int64 {
			if most <= 0 || v <= 0 {
				return 0
			}
			return v * 160 / most
		},
		"size": func(n int64) string {
			switch {
			case n >= 1<<20:
				return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
			case n >= 1<<10:
				return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
			}
			return fmt.Sprintf("%d B", n)
		},
	}
	for k, f := range networkFuncs(b, lang) {
		funcs[k] = f
	}
	return funcs
}

// ago formats t relative to now when it is less than a day old.
func ago(b *i18n.Bundle, lang string, loc *time.Location, t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return t.In(loc).Format("2006-01-02 15:04")
	case d < time.Minute:
		return b.T(lang, "time.just_now")
	case d < time.Hour:
		return b.T(lang, "time.minutes_ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return b.T(lang, "time.hours_ago", int(d/time.Hour))
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// render writes a whole page with the layout.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	s.renderBlock(w, r, status, page, "layout", data)
}

// renderBlock writes one named block of a page (htmx partial updates use
// it for the queue table).
func (s *server) renderBlock(w http.ResponseWriter, r *http.Request, status int, page, block string, data any) {
	body, err := s.views.execute(page, block, langOf(r), data)
	if err != nil {
		s.log.Error("render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Cookie, Accept-Language, HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
