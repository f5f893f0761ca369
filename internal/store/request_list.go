package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// MaxPageSize bounds every list page.
const MaxPageSize = 100

// DefaultPageSize is the page size when none is asked for.
const DefaultPageSize = 25

// cursor is the keyset position after the last row of a page. It is sent
// to clients as URL-safe base64 of JSON, opaque to them.
type cursor struct {
	Sort string    `json:"s"`
	Rank int       `json:"p,omitempty"`
	At   time.Time `json:"t"`
	ID   int64     `json:"i"`
	// NoDue: sorting by due time, the last row had none (they come last).
	NoDue bool `json:"n,omitempty"`
	// Back asks for the page before this row (the "previous page" link).
	Back bool `json:"b,omitempty"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || c.ID <= 0 {
		return c, model.FieldError("cursor", "invalid cursor")
	}
	return c, nil
}

// ListRequests returns one page of requests matching f, newest first (or
// by f.Sort), using keyset pagination: each page is an index range scan
// whatever its depth, and nothing counts or sorts the whole table.
func (s *Store) ListRequests(ctx context.Context, f model.RequestFilter) (model.RequestPage, error) {
	page, err := s.listRequests(ctx, f)
	if err != nil || f.CountUpTo <= 0 {
		return page, err
	}
	n, err := s.countRequestsUpTo(ctx, f, f.CountUpTo)
	if err != nil {
		return model.RequestPage{}, err
	}
	page.Count, page.CountMore = min(n, f.CountUpTo), n > f.CountUpTo
	return page, nil
}

// listRequests is ListRequests without the count.
func (s *Store) listRequests(ctx context.Context, f model.RequestFilter) (model.RequestPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	if f.Limit > MaxPageSize {
		return model.RequestPage{}, model.FieldError("limit", "must be at most %d", MaxPageSize)
	}
	if q := strings.TrimSpace(f.Query); q != "" && !isRequestNumber(q) {
		return s.searchRequests(ctx, f, searchQuery(q))
	}
	sort := f.Sort
	if sort == "" {
		sort = "created"
	}
	var key, order string
	switch sort {
	case "created":
		key, order = "(r.created_at, r.id)", "r.created_at DESC, r.id DESC"
	case "updated":
		key, order = "(r.updated_at, r.id)", "r.updated_at DESC, r.id DESC"
	case "priority":
		key, order = "(r.priority_rank, r.created_at, r.id)", "r.priority_rank DESC, r.created_at DESC, r.id DESC"
	case "due":
		// Nearest open SLA due time first; requests without one follow,
		// oldest first.
		key, order = "(r.sla_due_at, r.id)", "r.sla_due_at ASC NULLS LAST, r.id ASC"
	default:
		return model.RequestPage{}, model.FieldError("sort", "must be created, updated, priority or due")
	}
	where, args := requestWhere(f)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var back bool
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, sort)
		if err != nil {
			return model.RequestPage{}, err
		}
		back = c.Back
		switch {
		case back && sort == "priority":
			where = append(where, key+" > ("+arg(c.Rank)+", "+arg(c.At)+", "+arg(c.ID)+")")
		case back && sort == "due" && c.NoDue:
			where = append(where, "(r.sla_due_at IS NOT NULL OR r.id < "+arg(c.ID)+")")
		case back && sort == "due":
			where = append(where, key+" < ("+arg(c.At)+", "+arg(c.ID)+")")
		case back:
			where = append(where, key+" > ("+arg(c.At)+", "+arg(c.ID)+")")
		case sort == "priority":
			where = append(where, key+" < ("+arg(c.Rank)+", "+arg(c.At)+", "+arg(c.ID)+")")
		case sort == "due" && c.NoDue:
			where = append(where, "r.sla_due_at IS NULL AND r.id > "+arg(c.ID))
		case sort == "due":
			where = append(where, "("+key+" > ("+arg(c.At)+", "+arg(c.ID)+") OR r.sla_due_at IS NULL)")
		default:
			where = append(where, key+" < ("+arg(c.At)+", "+arg(c.ID)+")")
		}
	}
	// The limit is a validated integer, written inline: a first-page query
	// then has no parameters, so PostgreSQL reuses one cached plan instead of
	// planning the five-way join on every call (planning costs more than
	// running it).
	if back {
		order = reverseOrder(order)
	}
	sub := pageRows(where, statusLiterals(f.Statuses), order, f.Limit+1)
	query := requestPageSelect(sub) + "ORDER BY " + order
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return model.RequestPage{}, fmt.Errorf("list requests: %w", err)
	}
	defer rows.Close()
	page := model.RequestPage{Items: make([]model.Request, 0, f.Limit)}
	for rows.Next() {
		var r model.Request
		if err := scanRequest(rows, &r); err != nil {
			return model.RequestPage{}, err
		}
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return model.RequestPage{}, err
	}
	rows.Close()
	if err := fillTags(ctx, s.Read(), page.Items); err != nil {
		return model.RequestPage{}, err
	}
	if back {
		if len(page.Items) <= f.Limit {
			// Back at the start: the first page, full.
			f.Cursor = ""
			return s.listRequests(ctx, f)
		}
		page.Items = page.Items[:f.Limit]
		slices.Reverse(page.Items)
		page.PrevCursor = rowCursor(sort, &page.Items[0], true)
		page.NextCursor = rowCursor(sort, &page.Items[f.Limit-1], false)
		return page, nil
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = rowCursor(sort, &page.Items[f.Limit-1], false)
	}
	if f.Cursor != "" && len(page.Items) > 0 {
		page.PrevCursor = rowCursor(sort, &page.Items[0], true)
	}
	return page, nil
}

// rowCursor is the cursor of the page after row r in the order sort, or
// of the page before it when back.
func rowCursor(sort string, r *model.Request, back bool) string {
	c := cursor{Sort: sort, At: r.CreatedAt, ID: r.ID, Back: back}
	switch sort {
	case "updated":
		c.At = r.UpdatedAt
	case "priority":
		c.Rank = r.Priority.Rank()
	case "due":
		if r.SLADueAt != nil {
			c.At = *r.SLADueAt
		} else {
			c.NoDue = true
		}
	}
	return c.encode()
}

// reverseOrder turns an ORDER BY list around (ASC ↔ DESC, NULLS LAST ↔
// NULLS FIRST), to read the rows before a cursor nearest first.
func reverseOrder(order string) string {
	parts := strings.Split(order, ", ")
	for i, p := range parts {
		p = strings.Replace(p, " NULLS LAST", " NULLS FIRST", 1)
		switch {
		case strings.HasSuffix(p, " DESC"):
			p = strings.TrimSuffix(p, " DESC") + " ASC"
		case strings.Contains(p, " ASC"):
			p = strings.Replace(p, " ASC", " DESC", 1)
		}
		parts[i] = p
	}
	return strings.Join(parts, ", ")
}

// requestWhere turns the filters of f (not its cursor) into WHERE terms
// over requests r and their arguments ($1 …).
func requestWhere(f model.RequestFilter) (where []string, args []any) {
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	// A status, type or priority is one of a few known words: it is
	// written into the SQL as a literal (anything else stays a parameter
	// and matches nothing). PostgreSQL then plans each filtered view for
	// its values — a handful of open complaints, not the average type —
	// and never falls back to a generic plan that reads the created_at
	// index down through every closed request (133 ms at 762,000).
	lit := func(v string, known bool) string {
		if known {
			return "'" + v + "'"
		}
		return arg(v)
	}
	// The status comes first: pageRows replaces where[0] when it splits a
	// page by status.
	if len(f.Statuses) == 1 {
		where = append(where, "r.status = "+lit(string(f.Statuses[0]), f.Statuses[0].Valid()))
	} else if len(f.Statuses) > 1 {
		ph := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ph[i] = lit(string(st), st.Valid())
		}
		where = append(where, "r.status IN ("+strings.Join(ph, ", ")+")")
	}
	if f.Type != "" {
		where = append(where, "r.type = "+lit(string(f.Type), f.Type.Valid()))
	}
	if f.Priority != "" {
		// The rank says the same as the leading column of requests_priority:
		// sorted by priority, the scan then starts at this rank instead of
		// filtering its way down from urgent (1.4–2.8 s for "low" at 762,000
		// requests on PostgreSQL).
		where = append(where, "r.priority = "+lit(string(f.Priority), f.Priority.Valid()),
			"r.priority_rank = "+strconv.Itoa(f.Priority.Rank()))
	}
	if f.CustomerID != 0 {
		where = append(where, "r.customer_id = "+arg(f.CustomerID))
	}
	if f.AssigneeID != 0 {
		where = append(where, "r.assignee_id = "+arg(f.AssigneeID))
	}
	if f.Unassigned {
		where = append(where, "r.assignee_id IS NULL")
	}
	if f.TeamID != 0 {
		where = append(where, "r.team_id = "+arg(f.TeamID))
	}
	if f.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM request_tags rt WHERE rt.request_id = r.id AND rt.tag = "+arg(f.Tag)+")")
	}
	if f.DueBefore != nil {
		where = append(where, "r.sla_due_at < "+arg(*f.DueBefore))
	}
	if f.DueAfter != nil {
		where = append(where, "r.sla_due_at > "+arg(*f.DueAfter))
	}
	if q := strings.TrimSpace(f.Query); isRequestNumber(q) {
		where = append(where, "r.number = "+arg(strings.ToUpper(q)))
	}
	return where, args
}

// countRequestsUpTo counts the requests matching f, stopping after
// upTo+1 of them: past that, "more than upTo" is all a list shows, and
// the count reads at most upTo+1 index entries however many match.
func (s *Store) countRequestsUpTo(ctx context.Context, f model.RequestFilter, upTo int) (int, error) {
	where, args := requestWhere(f)
	inner, prefix := "SELECT 1 FROM requests r", ""
	if q := strings.TrimSpace(f.Query); q != "" && !isRequestNumber(q) {
		terms := searchQuery(q)
		if len(terms) == 0 {
			return 0, nil
		}
		if s.dialect == Postgres {
			return s.countSearchPostgres(ctx, f, terms, upTo)
		}
		prefix = s.searchCTE(terms, f.SearchPublic, &args)
		inner += " JOIN m ON m.rid = r.id"
	}
	if len(where) > 0 {
		inner += " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	if err := s.Read().QueryRow(ctx, prefix+"SELECT count(*) FROM ("+inner+" LIMIT "+strconv.Itoa(upTo+1)+") x", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count requests: %w", err)
	}
	return n, nil
}

// CountRequests counts the requests matching f (its cursor, sort and
// limit ignored) up to upTo, for the counts of queue views: more reports
// that there are more than upTo, so a view's count reads at most upTo+1
// index entries however large the store.
func (s *Store) CountRequests(ctx context.Context, f model.RequestFilter, upTo int) (n int, more bool, err error) {
	if n, err = s.countRequestsUpTo(ctx, f, upTo); err != nil {
		return 0, false, err
	}
	return min(n, upTo), n > upTo, nil
}
