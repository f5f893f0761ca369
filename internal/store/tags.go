package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Tags on requests. Tags are sets: adding and removing commute, so a tag
// change does not bump the request's version (an agent's open form stays
// valid) but does touch updated_at, goes on the timeline and is published
// as a request.updated change of the field "tags".

// ChangeTags adds and removes tags (normalised by the caller) of the
// request with number, in one transaction; see ChangeTagsTx.
func (s *Store) ChangeTags(ctx context.Context, number string, add, remove []string, by Actor) (*model.Request, error) {
	err := s.Tx(ctx, func(q Querier) error {
		cur, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		_, err = s.ChangeTagsTx(ctx, q, cur.ID, add, remove, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.RequestByNumber(ctx, number)
}

// ChangeTagsTx adds and removes normalised tags of request requestID in
// the caller's transaction (automation rules call it with their own). It
// records one "tags" timeline event (old and new lists, comma-separated)
// when the set changed and reports whether it did. A request keeps at
// most model.MaxTags tags.
func (s *Store) ChangeTagsTx(ctx context.Context, q Querier, requestID int64, add, remove []string, by Actor) (bool, error) {
	old, err := requestTags(ctx, q, requestID)
	if err != nil {
		return false, err
	}
	next := slices.DeleteFunc(slices.Clone(old), func(t string) bool { return slices.Contains(remove, t) })
	for _, t := range add {
		if !slices.Contains(next, t) && !slices.Contains(remove, t) {
			next = append(next, t)
		}
	}
	slices.Sort(next)
	if slices.Equal(old, next) {
		return false, nil
	}
	if len(next) > model.MaxTags {
		return false, model.FieldError("tags", "a request may carry at most %d tags", model.MaxTags)
	}
	now := s.Now()
	for _, t := range old {
		if !slices.Contains(next, t) {
			if _, err := q.Exec(ctx, "DELETE FROM request_tags WHERE request_id = $1 AND tag = $2", requestID, t); err != nil {
				return false, err
			}
		}
	}
	for _, t := range next {
		if !slices.Contains(old, t) {
			if _, err := q.Exec(ctx, "INSERT INTO request_tags (request_id, tag, created_at) VALUES ($1, $2, $3)", requestID, t, now); err != nil {
				return false, err
			}
		}
	}
	if _, err := q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", now, requestID); err != nil {
		return false, err
	}
	oldS, newS := strings.Join(old, ","), strings.Join(next, ",")
	if err := insertEvent(ctx, q, requestID, by, "tags", oldS, newS, now); err != nil {
		return false, err
	}
	if err := s.publish(ctx, q, model.DomainEvent{Type: model.EventRequestUpdated, At: now,
		Changes: []model.FieldChange{{Field: "tags", From: oldS, To: newS}}, ByKind: by.Kind, ByID: by.ID}, requestID); err != nil {
		return false, err
	}
	return true, s.runTagsHooks(ctx, q, TagsChange{RequestID: requestID, Before: old, After: next, At: now, By: by})
}

// requestTags returns the sorted tags of one request.
func requestTags(ctx context.Context, q Querier, requestID int64) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT tag FROM request_tags WHERE request_id = $1 ORDER BY tag", requestID)
	if err != nil {
		return nil, fmt.Errorf("request tags: %w", err)
	}
	defer rows.Close()
	tags := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		tags = append(tags, t)
	}
	return tags, rows.Err()
}

// fillTags sets the Tags of each request of rs with one query.
func fillTags(ctx context.Context, q Querier, rs []model.Request) error {
	if len(rs) == 0 {
		return nil
	}
	ph := make([]string, len(rs))
	args := make([]any, len(rs))
	at := make(map[int64]int, len(rs))
	for i := range rs {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = rs[i].ID
		at[rs[i].ID] = i
		rs[i].Tags = []string{}
	}
	rows, err := q.Query(ctx, "SELECT request_id, tag FROM request_tags WHERE request_id IN ("+strings.Join(ph, ", ")+") ORDER BY tag", args...)
	if err != nil {
		return fmt.Errorf("request tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			return err
		}
		r := &rs[at[id]]
		r.Tags = append(r.Tags, t)
	}
	return rows.Err()
}

// TagSuggestions returns the most used tags starting with prefix (a
// normalised prefix; "" for all), at most limit.
func (s *Store) TagSuggestions(ctx context.Context, prefix string, limit int) ([]model.TagCount, error) {
	if limit <= 0 || limit > MaxPageSize {
		limit = 20
	}
	like := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(prefix) + "%"
	rows, err := s.Read().Query(ctx, `SELECT tag, count(*) FROM request_tags WHERE tag LIKE $1 ESCAPE '\'
		GROUP BY tag ORDER BY count(*) DESC, tag LIMIT $2`, like, limit)
	if err != nil {
		return nil, fmt.Errorf("tag suggestions: %w", err)
	}
	defer rows.Close()
	out := []model.TagCount{}
	for rows.Next() {
		var c model.TagCount
		if err := rows.Scan(&c.Tag, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
