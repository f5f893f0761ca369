package model

import (
	"slices"
	"strings"
	"time"
)

// Macro is a canned reply: a body in each language with placeholders
// ({{customer.name}} …) and optional field changes applied with the
// reply. Personal (its owner's) or shared with all staff.
type Macro struct {
	ID        int64
	OwnerID   int64
	OwnerName string
	Name      string
	Shared    bool
	BodyEN    string
	BodyZH    string
	// Field changes made with the reply; empty leaves the field alone.
	Status    Status
	Priority  Priority
	AddTags   []string
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Body returns the macro's text in lang ("zh-CN" or "en"), falling back
// to the other language when that one is empty.
func (m *Macro) Body(lang string) string {
	if strings.HasPrefix(lang, "zh") {
		if m.BodyZH != "" {
			return m.BodyZH
		}
		return m.BodyEN
	}
	if m.BodyEN != "" {
		return m.BodyEN
	}
	return m.BodyZH
}

// HasChanges reports whether the macro changes fields besides replying.
func (m *Macro) HasChanges() bool {
	return m.Status != "" || m.Priority != "" || len(m.AddTags) > 0
}

// MacroPlaceholders are the names a macro body may use as {{name}}.
func MacroPlaceholders() []string {
	return []string{"customer.name", "customer.email", "request.number", "request.subject", "agent.name",
		"product.name", "unit.serial"}
}

// expandPlaceholders rewrites each {{name}} of body with repl(name)
// (names trimmed of spaces); text that is not a placeholder is kept.
func expandPlaceholders(body string, repl func(name string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(body, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(body[i+2:], "}}")
		if j < 0 {
			break
		}
		b.WriteString(body[:i])
		b.WriteString(repl(strings.TrimSpace(body[i+2 : i+2+j])))
		body = body[i+2+j+2:]
	}
	b.WriteString(body)
	return b.String()
}

// UnknownPlaceholder returns the first {{name}} of body that is not a
// macro placeholder ("" when all are known).
func UnknownPlaceholder(body string) string {
	bad := ""
	expandPlaceholders(body, func(name string) string {
		if bad == "" && !slices.Contains(MacroPlaceholders(), name) {
			bad = "{{" + name + "}}"
		}
		return ""
	})
	return bad
}

// RenderMacro replaces each {{name}} of body with vars[name] (a known
// placeholder without a value becomes empty text).
func RenderMacro(body string, vars map[string]string) string {
	return expandPlaceholders(body, func(name string) string { return vars[name] })
}
