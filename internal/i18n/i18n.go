// Package i18n holds the zh-CN and en translation catalogs and picks the
// reader's language. Catalogs are JSON files under locales/<lang>/, one
// per area (web.json, errors.json, …), merged per language; keys are
// dotted ("queue.title"), except in errors.json, where the key is the
// English format string of a model.Error (gettext style), so domain code
// writes plain English and the edge translates it.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Languages supported, the default first.
const (
	ZhCN = "zh-CN"
	En   = "en"
)

// Languages lists the supported languages, default first.
func Languages() []string { return []string{ZhCN, En} }

//go:embed locales
var localesFS embed.FS

// Bundle is the set of loaded catalogs. It is read-only after Load and
// safe for concurrent use.
type Bundle struct {
	catalogs map[string]map[string]string
}

// Load reads every catalog. Each language must define the same keys; a
// missing translation is an error at start-up, not a blank on screen.
func Load() (*Bundle, error) {
	b := &Bundle{catalogs: map[string]map[string]string{}}
	for _, lang := range Languages() {
		cat := map[string]string{}
		dir := path.Join("locales", lang)
		entries, err := fs.ReadDir(localesFS, dir)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		for _, e := range entries {
			data, err := localesFS.ReadFile(path.Join(dir, e.Name()))
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			var m map[string]string
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s/%s: %w", lang, e.Name(), err)
			}
			for k, v := range m {
				if _, dup := cat[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q defined twice", lang, k)
				}
				cat[k] = v
			}
		}
		b.catalogs[lang] = cat
	}
	var errs []error
	for _, lang := range Languages()[1:] {
		if missing := diff(b.catalogs[ZhCN], b.catalogs[lang]); len(missing) > 0 {
			errs = append(errs, fmt.Errorf("i18n: %s lacks %s", lang, strings.Join(missing, ", ")))
		}
		if missing := diff(b.catalogs[lang], b.catalogs[ZhCN]); len(missing) > 0 {
			errs = append(errs, fmt.Errorf("i18n: zh-CN lacks %s", strings.Join(missing, ", ")))
		}
	}
	return b, errors.Join(errs...)
}

func diff(a, b map[string]string) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, fmt.Sprintf("%q", k))
		}
	}
	sort.Strings(out)
	return out
}

// T translates key into lang, formatting args with fmt.Sprintf when given.
// An unknown key is returned as is, so a slip shows up on screen instead
// of an empty string.
func (b *Bundle) T(lang, key string, args ...any) string {
	s, ok := b.catalogs[Normalize(lang)][key]
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists in the catalogs.
func (b *Bundle) Has(key string) bool {
	_, ok := b.catalogs[ZhCN][key]
	return ok
}

// Error returns the message of err in lang: a model.Error's English format
// is looked up in the catalogs; anything else is an internal error, whose
// details are never shown.
func (b *Bundle) Error(lang string, err error) string {
	var e *model.Error
	if !errors.As(err, &e) {
		return b.T(lang, "internal error")
	}
	if e.Format == "" {
		return e.Message
	}
	if tr, ok := b.catalogs[Normalize(lang)][e.Format]; ok {
		return fmt.Sprintf(tr, b.terms(lang, e.Args)...)
	}
	return e.Message
}

// terms names the enumeration values among an error's args in lang
// ("pending" → "待客户回复"): a person reads a sentence, never a code.
// A value the catalogs do not name is shown as it is.
func (b *Bundle) terms(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
		var key string
		switch v := a.(type) {
		case model.Status:
			key = "status." + string(v)
		case model.Priority:
			key = "priority." + string(v)
		case model.RequestType:
			key = "type." + string(v)
		case model.RepairStage:
			key = "repair.stage." + string(v)
		case model.Term:
			key = v.Key + v.Value
		default:
			continue
		}
		if tr, ok := b.catalogs[Normalize(lang)][key]; ok {
			out[i] = tr
		}
	}
	return out
}

// Normalize maps a language tag to a supported language: zh, zh-CN,
// zh-Hans… → zh-CN; en-US… → en; anything else → "".
func Normalize(tag string) string {
	t := strings.ToLower(strings.TrimSpace(tag))
	switch {
	case t == "zh" || strings.HasPrefix(t, "zh-"):
		return ZhCN
	case t == "en" || strings.HasPrefix(t, "en-"):
		return En
	}
	return ""
}

// Match picks the best supported language from an Accept-Language header
// (by q-value, then order), or the default zh-CN when none matches.
func Match(acceptLanguage string) string {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if _, err := fmt.Sscanf(v, "%g", &q); err != nil {
				q = 0
			}
		}
		if lang := Normalize(tag); lang != "" && q > bestQ && q > 0 {
			best, bestQ = lang, q
		}
	}
	if best == "" {
		return ZhCN
	}
	return best
}
