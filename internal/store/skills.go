package store

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// replaceSkills makes skills user id's skills, in q.
func replaceSkills(ctx context.Context, q Querier, id int64, skills []model.Skill) error {
	if _, err := q.Exec(ctx, "DELETE FROM user_skills WHERE user_id = $1", id); err != nil {
		return err
	}
	for _, k := range skills {
		if _, err := q.Exec(ctx, "INSERT INTO user_skills (user_id, skill, level) VALUES ($1, $2, $3)", id, k.Skill, k.Level); err != nil {
			return conflict(err, "skills", "a skill is listed twice")
		}
	}
	return nil
}

// skillsOf reads the skills of users (every user when ids is empty),
// by user id, in name order.
func skillsOf(ctx context.Context, q Querier, ids ...int64) (map[int64][]model.Skill, error) {
	query := "SELECT user_id, skill, level FROM user_skills"
	var args []any
	if len(ids) == 1 {
		query += " WHERE user_id = $1"
		args = append(args, ids[0])
	}
	rows, err := q.Query(ctx, query+" ORDER BY user_id, skill", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]model.Skill{}
	for rows.Next() {
		var id int64
		var k model.Skill
		if err := rows.Scan(&id, &k.Skill, &k.Level); err != nil {
			return nil, err
		}
		out[id] = append(out[id], k)
	}
	return out, rows.Err()
}

// TeamExists reports whether team id exists.
func (s *Store) TeamExists(ctx context.Context, id int64) (bool, error) {
	var one int
	err := s.Read().QueryRow(ctx, "SELECT 1 FROM teams WHERE id = $1", id).Scan(&one)
	if model.IsNotFound(notFound(err, "team")) {
		return false, nil
	}
	return err == nil, err
}

// SkillNames returns every skill name staff have, for suggestions.
func (s *Store) SkillNames(ctx context.Context) ([]string, error) {
	rows, err := s.Read().Query(ctx, "SELECT DISTINCT skill FROM user_skills ORDER BY skill")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, strings.TrimSpace(n))
	}
	return out, rows.Err()
}

// SetSkills replaces the skills of each user in skills, in one
// transaction (the demo seed gives its staff their qualifications).
func (s *Store) SetSkills(ctx context.Context, skills map[int64][]model.Skill) error {
	return s.Tx(ctx, func(q Querier) error {
		for id, ks := range skills {
			if err := replaceSkills(ctx, q, id, ks); err != nil {
				return err
			}
		}
		return nil
	})
}
