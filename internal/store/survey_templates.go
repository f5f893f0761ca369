package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aftercare/aftercare/internal/model"
)

// templateBody is how a template version's wording is stored (the body
// column): JSON, so that one column serves both databases and a question
// can be added without a migration.
type templateBody struct {
	TitleZh   string           `json:"title_zh"`
	TitleEn   string           `json:"title_en"`
	IntroZh   string           `json:"intro_zh"`
	IntroEn   string           `json:"intro_en"`
	Questions []model.Question `json:"questions"`
}

func scanTemplate(row Row) (*model.SurveyTemplate, error) {
	var t model.SurveyTemplate
	var body string
	if err := row.Scan(&t.Version, &body, &t.CreatedAt, &t.CreatedBy); err != nil {
		return nil, err
	}
	var b templateBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return nil, fmt.Errorf("store: survey template %d: %w", t.Version, err)
	}
	t.TitleZh, t.TitleEn, t.IntroZh, t.IntroEn, t.Questions = b.TitleZh, b.TitleEn, b.IntroZh, b.IntroEn, b.Questions
	return &t, nil
}

const templateSelect = "SELECT version, body, created_at, created_by FROM survey_templates "

// SurveyTemplate returns a template version, or the latest for version 0.
func (s *Store) SurveyTemplate(ctx context.Context, version int) (*model.SurveyTemplate, error) {
	return s.surveyTemplate(ctx, s.Read(), version)
}

func (s *Store) surveyTemplate(ctx context.Context, q Querier, version int) (*model.SurveyTemplate, error) {
	var row Row
	if version == 0 {
		row = q.QueryRow(ctx, templateSelect+"ORDER BY version DESC LIMIT 1")
	} else {
		row = q.QueryRow(ctx, templateSelect+"WHERE version = $1", version)
	}
	t, err := scanTemplate(row)
	if err != nil {
		return nil, notFound(err, "survey template")
	}
	return t, nil
}

// latestTemplateVersion is the newest version number (0 when none).
func latestTemplateVersion(ctx context.Context, q Querier) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRow(ctx, "SELECT MAX(version) FROM survey_templates").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// EnsureSurveyTemplate stores def as version 1 when no template exists
// yet (at start-up), so that every invitation has a version to point to.
func (s *Store) EnsureSurveyTemplate(ctx context.Context, def *model.SurveyTemplate) error {
	err := s.Tx(ctx, func(q Querier) error {
		v, err := latestTemplateVersion(ctx, q)
		if err != nil || v > 0 {
			return err
		}
		t := *def
		t.Version, t.CreatedAt = 1, s.Now()
		return insertTemplate(ctx, q, &t)
	})
	// Another node stored it first. The check is outside the transaction:
	// on PostgreSQL a failed statement aborts it, and committing it then
	// fails ("commit unexpectedly resulted in rollback": a node starting
	// with others exited so in the three-node test).
	var ue *uniqueError
	if errors.As(err, &ue) {
		return nil
	}
	return err
}

func insertTemplate(ctx context.Context, q Querier, t *model.SurveyTemplate) error {
	body, err := json.Marshal(templateBody{TitleZh: t.TitleZh, TitleEn: t.TitleEn, IntroZh: t.IntroZh, IntroEn: t.IntroEn,
		Questions: t.Questions})
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, "INSERT INTO survey_templates (version, body, created_at, created_by) VALUES ($1, $2, $3, $4)",
		t.Version, string(body), t.CreatedAt, t.CreatedBy)
	return err
}

// SaveSurveyTemplate stores t as the version after base, the version the
// editor started from, with its audit entries; when another edit was
// saved meanwhile it is ECONFLICT and nothing changes. t.Version and
// t.CreatedAt are filled.
func (s *Store) SaveSurveyTemplate(ctx context.Context, t *model.SurveyTemplate, base int, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		latest, err := latestTemplateVersion(ctx, q)
		if err != nil {
			return err
		}
		if latest != base {
			return model.StaleVersion(int64(latest), "the survey was changed meanwhile by someone else; reload it and make your change again")
		}
		t.Version, t.CreatedAt = latest+1, s.Now()
		if err := insertTemplate(ctx, q, t); err != nil {
			return conflict(err, "version", "the survey was changed meanwhile; reload and try again")
		}
		for i := range audit {
			audit[i].Target = fmt.Sprintf("survey template version %d", t.Version)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}
