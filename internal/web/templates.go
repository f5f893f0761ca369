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
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/i18n"
)

// registry holds every page template, parsed at start-up and cloned once
// per language so that {{t "key"}} needs no language argument anywhere,
// partials included. Like miniflux's template engine, a page that does
// not parse stops the program before it serves anything.
type registry struct {
	// pages maps page name → language → template set (layout, partials
	// and the page).
	pages map[string]map[string]*template.Template
	// version names the static files' content (their URLs carry it).
	version string
}

// newRegistry parses templates/layout.html, templates/partials/*.html and
// each templates/pages/*.html, and binds the functions of each language.
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
	reg := &registry{pages: map[string]map[string]*template.Template{}, version: version}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		base, err := template.New(name).Funcs(templateFuncs(bundle, i18n.ZhCN, loc, now, version)).
			ParseFS(fsys, "templates/layout.html", "templates/partials/*.html", file)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		for _, block := range []string{"layout", "title", "content"} {
			if base.Lookup(block) == nil {
				return nil, fmt.Errorf("web: template %s: no %q block", name, block)
			}
		}
		reg.pages[name] = map[string]*template.Template{}
		for _, lang := range i18n.Languages() {
			c, err := base.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
			reg.pages[name][lang] = c.Funcs(templateFuncs(bundle, lang, loc, now, version))
		}
	}
	return reg, nil
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
	set, ok := reg.pages[page][lang]
	if !ok {
		return nil, fmt.Errorf("web: no template %q for %s", page, lang)
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
