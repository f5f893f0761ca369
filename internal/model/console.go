package model

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxTagLength bounds a tag, in characters.
const MaxTagLength = 40

// MaxTags bounds the tags of one request.
const MaxTags = 20

// NormalizeTag turns free text into a tag: trimmed, lower case, inner
// white space as one "-", so that "Screen  Crack" and "screen-crack" are
// one tag. A tag may hold letters, digits, "-", "_" and "." only (no
// commas: lists of tags are comma-separated in forms). The field names the
// input in the error.
func NormalizeTag(field, s string) (string, error) {
	t := strings.Join(strings.Fields(strings.ToLower(s)), "-")
	switch {
	case t == "":
		return "", FieldError(field, "a tag cannot be empty")
	case utf8.RuneCountInString(t) > MaxTagLength:
		return "", FieldError(field, "a tag must be at most %d characters", MaxTagLength)
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' {
			return "", FieldError(field, "a tag may hold letters, digits, '-', '_' and '.' only, not %q", r)
		}
	}
	return t, nil
}

// NormalizeTags normalises each tag of in and drops repeats, keeping the
// first order.
func NormalizeTags(field string, in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, s := range in {
		t, err := NormalizeTag(field, s)
		if err != nil {
			return nil, err
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// TagCount is a tag with the number of requests carrying it (for
// suggestions, most used first).
type TagCount struct {
	Tag   string
	Count int
}

// ViewFilters is the filter a saved view keeps: the queue's filters, in
// the API's names. Mine means "assigned to whoever opens the view".
type ViewFilters struct {
	Statuses   []Status    `json:"status,omitempty"`
	Type       RequestType `json:"type,omitempty"`
	Priority   Priority    `json:"priority,omitempty"`
	AssigneeID int64       `json:"assignee_id,omitempty"`
	Mine       bool        `json:"mine,omitempty"`
	Unassigned bool        `json:"unassigned,omitempty"`
	TeamID     int64       `json:"team_id,omitempty"`
	MyTeam     bool        `json:"my_team,omitempty"`
	Tag        string      `json:"tag,omitempty"`
	Query      string      `json:"q,omitempty"`
	Sort       string      `json:"sort,omitempty"`
	// DueSoon keeps requests whose nearest SLA due time lies within the
	// next DueSoonMinutes (the "breaching soon" view).
	DueSoon bool `json:"due_soon,omitempty"`
}

// DueSoonMinutes is how close an SLA due time is "breaching soon".
const DueSoonMinutes = 120

// SavedView is a named queue filter: personal (its owner's) or shared
// with all staff. Built-in views have negative ids and no owner.
type SavedView struct {
	ID        int64
	OwnerID   int64
	OwnerName string
	Name      string
	Shared    bool
	Filters   ViewFilters
	CreatedAt time.Time
	// Version counts the view's changes (optimistic locking).
	Version int64
	// Count is the number of requests the view shows (filled when asked),
	// at most ViewCountCap; CountMore says there are more than that.
	Count     int
	CountMore bool
}

// ViewCountCap is the most requests a view's count counts: past it the
// tab says "1000+", and a count never reads more than this many index
// entries, whatever the size of the store.
const ViewCountCap = 1000
