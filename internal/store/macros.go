package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

const macroSelect = `SELECT m.id, m.owner_id, u.name, m.name, m.shared, m.body_en, m.body_zh, m.set_status, m.set_priority,
	m.add_tags, m.version, m.created_at, m.updated_at FROM macros m JOIN users u ON u.id = m.owner_id `

func scanMacro(row Row, m *model.Macro) error {
	var tags string
	if err := row.Scan(&m.ID, &m.OwnerID, &m.OwnerName, &m.Name, &m.Shared, &m.BodyEN, &m.BodyZH, &m.Status, &m.Priority,
		&tags, &m.Version, &m.CreatedAt, &m.UpdatedAt); err != nil {
		return err
	}
	m.AddTags = nil
	if tags != "" {
		m.AddTags = strings.Split(tags, ",")
	}
	return nil
}

// CreateMacro stores a macro and sets its id, version and times.
func (s *Store) CreateMacro(ctx context.Context, m *model.Macro) error {
	m.CreatedAt, m.UpdatedAt, m.Version = s.Now(), s.Now(), 1
	err := s.Tx(ctx, func(q Querier) error {
		return q.QueryRow(ctx, `INSERT INTO macros (owner_id, name, shared, body_en, body_zh, set_status, set_priority, add_tags,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id`,
			m.OwnerID, m.Name, m.Shared, m.BodyEN, m.BodyZH, m.Status, m.Priority, strings.Join(m.AddTags, ","), m.CreatedAt).Scan(&m.ID)
	})
	if isForeignKey(err) {
		return model.FieldError("owner_id", "There is no user with id %d.", m.OwnerID)
	}
	return err
}

// UpdateMacro replaces a macro's name, sharing, bodies and changes if its
// version is still m.Version (ECONFLICT otherwise), and bumps the
// version.
func (s *Store) UpdateMacro(ctx context.Context, m *model.Macro) error {
	m.UpdatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE macros SET name = $1, shared = $2, body_en = $3, body_zh = $4, set_status = $5,
			set_priority = $6, add_tags = $7, version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10`,
			m.Name, m.Shared, m.BodyEN, m.BodyZH, m.Status, m.Priority, strings.Join(m.AddTags, ","), m.UpdatedAt, m.ID, m.Version)
		if err != nil {
			return err
		}
		if n == 0 {
			return model.Conflict("version", "the macro was changed meanwhile; reload and try again")
		}
		m.Version++
		return nil
	})
}

// DeleteMacro removes a macro.
func (s *Store) DeleteMacro(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, "DELETE FROM macros WHERE id = $1", id)
		if err == nil && n == 0 {
			err = model.Errorf(model.ENOTFOUND, "macro not found")
		}
		return err
	})
}

// MacrosFor returns the macros user userID may use: its own and the
// shared ones, by name.
func (s *Store) MacrosFor(ctx context.Context, userID int64) ([]model.Macro, error) {
	rows, err := s.Read().Query(ctx, macroSelect+"WHERE m.owner_id = $1 OR m.shared ORDER BY m.name, m.id", userID)
	if err != nil {
		return nil, fmt.Errorf("macros: %w", err)
	}
	defer rows.Close()
	out := []model.Macro{}
	for rows.Next() {
		var m model.Macro
		if err := scanMacro(rows, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MacroByID returns one macro.
func (s *Store) MacroByID(ctx context.Context, id int64) (*model.Macro, error) {
	var m model.Macro
	if err := scanMacro(s.Read().QueryRow(ctx, macroSelect+"WHERE m.id = $1", id), &m); err != nil {
		return nil, notFound(err, "macro")
	}
	return &m, nil
}

// AddMessageWith is AddMessage with field changes made in the same
// transaction (a macro's status, priority and tags): the message first,
// then the changes as ApplyBulk makes them, each on the timeline. Either
// all of it is stored or nothing.
func (s *Store) AddMessageWith(ctx context.Context, number string, m *model.Message, link []int64, files []*model.Attachment,
	by Actor, lim UploadLimits, set BulkSet, check StatusCheck) error {
	m.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		cur, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		m.RequestID = cur.ID
		if err := s.insertMessage(ctx, q, m, cur.Status, link, files, by, lim); err != nil {
			return err
		}
		return s.applyBulkTx(ctx, q, number, set, by, check)
	})
}
