// Package analytics feeds the evaluation engine (internal/evaluate) with
// the product's own survey responses and puts the answers where managers
// look (issue 10, product.md capability 7): CSAT, NPS and CES with their
// intervals and n, the five dimension ratings, driver analysis with the
// IPA quadrants, and a composite index of centres, teams or months — for
// any period, grouped by product, category, centre, team, agent, channel
// or month.
//
// Every figure is computed by the same functions "aftercare analyze"
// calls on a CSV file (evaluate.CSAT, NPS, CES, Drivers, Entropy), with
// the same reliability rule, so the dashboard and an analyst's
// spreadsheet agree: a test exports a period's responses, runs the
// analyze commands on the file and compares.
package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxResponses bounds the responses one analysis reads, so that a very
// long period cannot exhaust memory (about 400 bytes a response); a
// longer period is refused with a message asking for a shorter one.
const MaxResponses = 1_000_000

// Service computes the analytics. Handlers call it with the
// authenticated principal; every method checks feedback.analyze.
type Service struct {
	store *store.Store
}

// New returns the analytics service over st.
func New(st *store.Store) *Service { return &Service{store: st} }

// Location is the store's time zone, in which periods and months are
// read.
func (s *Service) Location() *time.Location { return s.store.Location() }

func forbidden() error {
	return model.Errorf(model.EFORBIDDEN, "you may not see satisfaction analytics")
}

// load reads every response answered in period, newest first, walking
// the store's keyset pages.
func (s *Service) load(ctx context.Context, p model.Principal, period model.Period) ([]model.SurveyResponse, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return nil, forbidden()
	}
	from, to := period.Bounds()
	f := model.ResponseFilter{From: from, To: to, Limit: store.MaxPageSize}
	var out []model.SurveyResponse
	for {
		page, err := s.store.ListResponses(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("analytics: %w", err)
		}
		out = append(out, page.Items...)
		if len(out) > MaxResponses {
			return nil, model.FieldError("from", "the period holds more than %d responses: choose a shorter one", MaxResponses)
		}
		if page.NextCursor == "" {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

// GroupBy is what the responses are grouped by.
type GroupBy string

// The groupings. Centre is the service centre of the request's repair
// order: requests carry no centre of their own, so a request without a
// repair order falls in the "no centre" group (key "", labelled "—",
// listed last and left out of the index's ranking).
const (
	ByNone     GroupBy = ""
	ByProduct  GroupBy = "product"
	ByCategory GroupBy = "category"
	ByCentre   GroupBy = "centre"
	ByTeam     GroupBy = "team"
	ByAgent    GroupBy = "agent"
	ByChannel  GroupBy = "channel"
	ByMonth    GroupBy = "month"
)

// GroupBys lists the groupings in the order screens offer them.
func GroupBys() []GroupBy {
	return []GroupBy{ByProduct, ByCategory, ByCentre, ByTeam, ByAgent, ByChannel, ByMonth}
}

// ParseGroupBy reads a group_by parameter ("" is no grouping).
func ParseGroupBy(s string) (GroupBy, error) {
	if s == "" {
		return ByNone, nil
	}
	for _, g := range GroupBys() {
		if string(g) == s {
			return g, nil
		}
	}
	return "", model.FieldError("group_by", "must be one of product, category, centre, team, agent, channel, month")
}

// keyOf returns the key and label of r's group: ids as decimal text
// (empty when the response has none, labelled "—"), the channel, or the
// month (2026-03) in loc. Category labels are in lang.
func keyOf(g GroupBy, r *model.SurveyResponse, lang string, loc *time.Location) (key, label string) {
	id := func(p *int64, name string) (string, string) {
		if p == nil {
			return "", "—"
		}
		if name == "" {
			name = fmt.Sprint(*p)
		}
		return fmt.Sprint(*p), name
	}
	switch g {
	case ByProduct:
		return id(r.ProductID, r.ProductName)
	case ByCategory:
		name := r.CategoryZh
		if lang == i18n.En && r.CategoryEn != "" {
			name = r.CategoryEn
		}
		return id(r.CategoryID, name)
	case ByCentre:
		return id(r.CentreID, r.CentreName)
	case ByTeam:
		return id(r.TeamID, r.TeamName)
	case ByAgent:
		return id(r.AgentID, r.AgentName)
	case ByChannel:
		return string(r.Channel), string(r.Channel)
	case ByMonth:
		m := r.AnsweredAt.In(loc).Format("2006-01")
		return m, m
	}
	return "", ""
}

// bucket is one group's responses in the order they were read.
type bucket struct {
	key, label string
	rs         []*model.SurveyResponse
}

// groupResponses splits rs by g, groups in order of key (months oldest
// first; others by label), the group without a key last.
func groupResponses(rs []model.SurveyResponse, g GroupBy, lang string, loc *time.Location) []*bucket {
	byKey := map[string]*bucket{}
	var out []*bucket
	for i := range rs {
		k, l := keyOf(g, &rs[i], lang, loc)
		b := byKey[k]
		if b == nil {
			b = &bucket{key: k, label: l}
			byKey[k] = b
			out = append(out, b)
		}
		b.rs = append(b.rs, &rs[i])
	}
	sortBuckets(out, g)
	return out
}

// RecordExport records in the audit log that p downloaded what (a table
// of the dashboard) in format.
func (s *Service) RecordExport(ctx context.Context, p model.Principal, what, format string) error {
	if !p.Can(model.PermFeedbackAnalyze) {
		return forbidden()
	}
	return s.store.RecordAudit(ctx, model.Audit(ctx, p, model.AuditExportDone, what, format))
}
