package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// The staff side of the knowledge base: the list and search (internal
// articles and drafts included), the editor (admins and managers), the
// history, agents' suggested edits, and the deflection and gap report.

// kbListPage lists or searches the articles.
type kbListPage struct {
	Base
	Q, Locale   string
	Locales     []Option
	Articles    []model.Article
	Pager       pager
	Hits        []helpHit
	Searched    bool
	CanWrite    bool
	CanReport   bool
	Suggestions int
}

func (s *server) kbList(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	q := r.URL.Query()
	page := &kbListPage{Base: s.base(r, "kb"), Q: strings.TrimSpace(q.Get("q")), Locale: q.Get("locale"),
		CanWrite: p.Can(model.PermKBWrite), CanReport: p.Can(model.PermKBReport)}
	if page.Locale != "zh-CN" && page.Locale != "en" {
		page.Locale = ""
	}
	page.Locales = []Option{{Value: "", Label: s.tr(r, "kb.all_languages"), Selected: page.Locale == ""},
		{Value: "zh-CN", Label: "中文", Selected: page.Locale == "zh-CN"}, {Value: "en", Label: "English", Selected: page.Locale == "en"}}
	if page.Q != "" {
		page.Searched = true
		hits, err := s.d.KB.Search(r.Context(), *p, kb.Query{Text: page.Q, Locale: page.Locale, Limit: 30})
		if err != nil && model.ErrorCode(err) != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		for _, h := range hits {
			page.Hits = append(page.Hits, helpHit{ID: h.ID, Title: h.Title, Locale: h.Locale, Snippet: kb.Highlight(h.Snippet, h.Marks)})
		}
	} else {
		cur := q.Get("cursor")
		as, err := s.d.KB.List(r.Context(), *p, store.ArticleFilter{Locale: page.Locale, Limit: 50, Cursor: cur})
		if err != nil {
			if model.ErrorCode(err) == model.EINVALID {
				http.Redirect(w, r, "/kb", http.StatusSeeOther)
				return
			}
			s.fail(w, r, err)
			return
		}
		page.Articles = as.Items
		page.Pager = newPager("/kb", url.Values{"locale": {page.Locale}}, cur, as.NextCursor)
	}
	if p.Can(model.PermKBSuggest) || p.Can(model.PermKBWrite) {
		open, err := s.d.KB.Suggestions(r.Context(), *p, 0, model.SuggestionOpen)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Suggestions = len(open)
	}
	s.render(w, r, http.StatusOK, "kb_list", page)
}

// kbFormPage is the article editor.
type kbFormPage struct {
	Base
	ID, Version                        int64
	Title, Body, Locale, Category      string
	Tags, Products, Visibility, Status string
	Change                             string
	TranslationOf                      int64
	Locales, Visibilities, Statuses    []Option
	Errors                             FieldErrors
	Action                             string
	Suggest                            bool
}

var kbFields = []string{"title", "body", "locale", "category", "tags", "products", "visibility", "status", "change", "version", "note"}

func (s *server) kbOptions(r *http.Request, page *kbFormPage) {
	page.Locales = []Option{{Value: "zh-CN", Label: "中文", Selected: page.Locale == "zh-CN"},
		{Value: "en", Label: "English", Selected: page.Locale == "en"}}
	page.Visibilities = []Option{{Value: "public", Label: s.tr(r, "kb.public"), Selected: page.Visibility == "public"},
		{Value: "internal", Label: s.tr(r, "kb.internal"), Selected: page.Visibility == "internal"}}
	page.Statuses = []Option{{Value: "published", Label: s.tr(r, "kb.published"), Selected: page.Status == "published"},
		{Value: "draft", Label: s.tr(r, "kb.draft"), Selected: page.Status == "draft"}}
}

// kbNewForm shows an empty editor; ?translate=ID starts a translation.
func (s *server) kbNewForm(w http.ResponseWriter, r *http.Request) {
	page := &kbFormPage{Base: s.base(r, "kb"), Locale: langOf(r), Visibility: "public", Status: "published", Action: "/kb/new"}
	if id, err := strconv.ParseInt(r.URL.Query().Get("translate"), 10, 64); err == nil {
		a, err := s.d.KB.Get(r.Context(), *principalOf(r), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.TranslationOf, page.Category, page.Visibility = a.ID, a.Category, string(a.Visibility)
		page.Tags, page.Products = strings.Join(a.Tags, ", "), strings.Join(a.Products, ", ")
		page.Locale = "en"
		if a.Locale == "en" {
			page.Locale = "zh-CN"
		}
		page.Action = "/kb/new?translate=" + strconv.FormatInt(a.ID, 10)
	}
	s.kbOptions(r, page)
	s.render(w, r, http.StatusOK, "kb_form", page)
}

func splitComma(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ';' })
}

func (s *server) kbFormFrom(r *http.Request, f map[string][]string) *kbFormPage {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	page := &kbFormPage{Base: s.base(r, "kb"), Title: get("title"), Body: get("body"), Locale: get("locale"),
		Category: get("category"), Tags: get("tags"), Products: get("products"), Visibility: get("visibility"),
		Status: get("status"), Change: get("change")}
	page.Version, _ = strconv.ParseInt(get("version"), 10, 64)
	return page
}

func (p *kbFormPage) input() kb.Input {
	tags, products := splitComma(p.Tags), splitComma(p.Products)
	vis, st := model.Visibility(p.Visibility), model.ArticleStatus(p.Status)
	return kb.Input{Title: &p.Title, Body: &p.Body, Locale: &p.Locale, Category: &p.Category, Tags: &tags, Products: &products,
		Visibility: &vis, Status: &st, Change: p.Change}
}

// kbNewSubmit saves version 1 of a new article.
func (s *server) kbNewSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	page := s.kbFormFrom(r, f)
	page.Action = r.URL.RequestURI()
	in := page.input()
	if id, err := strconv.ParseInt(r.URL.Query().Get("translate"), 10, 64); err == nil {
		in.TranslationOf, page.TranslationOf = &id, id
	}
	a, err := s.d.KB.Create(r.Context(), *principalOf(r), in)
	if err != nil {
		s.kbRerender(w, r, page, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/kb/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
}

func (s *server) kbRerender(w http.ResponseWriter, r *http.Request, page *kbFormPage, err error) {
	if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	page.Errors = s.errorsFrom(r, err, kbFields...)
	s.kbOptions(r, page)
	s.render(w, r, statusOf(err), "kb_form", page)
}

func (s *server) kbArticle(w http.ResponseWriter, r *http.Request) (*model.Article, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return nil, false
	}
	a, err := s.d.KB.Get(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return a, true
}

// kbEditForm shows the editor on the current version; ?suggest=1 makes
// it an agent's suggestion form.
func (s *server) kbEditForm(w http.ResponseWriter, r *http.Request) {
	a, ok := s.kbArticle(w, r)
	if !ok {
		return
	}
	page := &kbFormPage{Base: s.base(r, "kb"), ID: a.ID, Version: int64(a.Version), Title: a.Title, Body: a.Body,
		Locale: a.Locale, Category: a.Category, Tags: strings.Join(a.Tags, ", "), Products: strings.Join(a.Products, ", "),
		Visibility: string(a.Visibility), Status: string(a.Status), Action: fmt.Sprintf("/kb/%d/edit", a.ID)}
	if strings.HasSuffix(r.URL.Path, "/suggest") {
		page.Suggest, page.Action = true, fmt.Sprintf("/kb/%d/suggest", a.ID)
	}
	s.kbOptions(r, page)
	s.render(w, r, http.StatusOK, "kb_form", page)
}

// kbEditSubmit saves a new version.
func (s *server) kbEditSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := s.kbArticle(w, r)
	if !ok {
		return
	}
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	page := s.kbFormFrom(r, f)
	page.ID, page.Action = a.ID, fmt.Sprintf("/kb/%d/edit", a.ID)
	if _, err := s.d.KB.Update(r.Context(), *principalOf(r), a.ID, int(page.Version), page.input()); err != nil {
		s.kbRerender(w, r, page, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/kb/%d", a.ID), http.StatusSeeOther)
}

// kbSuggestSubmit records an agent's suggested edit.
func (s *server) kbSuggestSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := s.kbArticle(w, r)
	if !ok {
		return
	}
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	page := s.kbFormFrom(r, f)
	page.ID, page.Suggest, page.Action = a.ID, true, fmt.Sprintf("/kb/%d/suggest", a.ID)
	page.Locale, page.Visibility, page.Status = a.Locale, string(a.Visibility), string(a.Status)
	if _, err := s.d.KB.Suggest(r.Context(), *principalOf(r), a.ID, page.Title, page.Body, page.Change); err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			if e := (*model.Error)(nil); asError(err, &e) && e.Field == "note" {
				e.Field = "change"
			}
		}
		s.kbRerender(w, r, page, err)
		return
	}
	s.flash(r, "flash.suggested")
	http.Redirect(w, r, fmt.Sprintf("/kb/%d", a.ID), http.StatusSeeOther)
}

// kbShowPage is an article with its history and suggestions.
type kbShowPage struct {
	Base
	Article      *model.Article
	Body         template.HTML
	Versions     []model.ArticleVersion
	Suggestions  []model.ArticleSuggestion
	Translations []model.Article
	CanWrite     bool
	CanSuggest   bool
}

func (s *server) kbShow(w http.ResponseWriter, r *http.Request) {
	a, ok := s.kbArticle(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	page := &kbShowPage{Base: s.base(r, "kb"), Article: a, Body: kb.Render(a.Body), CanWrite: p.Can(model.PermKBWrite),
		CanSuggest: p.Can(model.PermKBSuggest)}
	var err error
	if page.Versions, err = s.d.KB.Versions(r.Context(), *p, a.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.CanSuggest || page.CanWrite {
		if page.Suggestions, err = s.d.KB.Suggestions(r.Context(), *p, a.ID, ""); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if page.Translations, err = s.d.KB.Translations(r.Context(), *p, a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "kb_show", page)
}

// kbDecide applies or dismisses a suggestion.
func (s *server) kbDecide(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if _, ok := s.readForm(w, r); !ok {
		return
	}
	p := principalOf(r)
	g, err := s.d.KB.Suggestion(r.Context(), *p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.HasSuffix(r.URL.Path, "/apply") {
		_, err = s.d.KB.Apply(r.Context(), *p, id)
	} else {
		err = s.d.KB.Dismiss(r.Context(), *p, id)
	}
	switch {
	case model.ErrorCode(err) == model.ECONFLICT:
		s.flash(r, "flash.suggestion_decided")
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(r, "flash.saved")
	}
	http.Redirect(w, r, fmt.Sprintf("/kb/%d", g.ArticleID), http.StatusSeeOther)
}

// kbReportPage is the deflection and gap report.
type kbReportPage struct {
	Base
	Days   int
	Report *kb.Report
	Rate   string
	// Deflection is the table: each article with its deflected share.
	Deflection []deflectionRow
	// Chart is the deflection chart's data (static/analytics.js): per
	// article, most opened first, those who left without submitting and
	// those who submitted a request anyway.
	Chart string
}

type deflectionRow struct {
	model.DeflectionStat
	Share string
}

// maxDeflectionBars is how many articles the chart shows (the table and
// the export have all).
const maxDeflectionBars = 15

// deflectionChart stacks, per article, the deflected visits and those
// that ended in a request anyway.
func (s *server) deflectionChart(r *http.Request, rows []model.DeflectionStat) string {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b model.DeflectionStat) int { return b.Opened - a.Opened })
	d := aspectChartData{Kind: "aspects", Names: []string{s.tr(r, "kb.report.deflected"), s.tr(r, "kb.report.submitted")}}
	for _, row := range rows[:min(len(rows), maxDeflectionBars)] {
		d.Labels = append(d.Labels, row.Title)
		d.Positive = append(d.Positive, row.Deflected)
		d.Negative = append(d.Negative, row.Opened-row.Deflected)
	}
	return chartJSON(d)
}

// kbReport shows deflection per article and searches that found nothing
// for ?days= (default 90); ?format=csv|xlsx downloads both tables.
func (s *server) kbReport(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	days, err := strconv.Atoi(r.URL.Query().Get("days"))
	if err != nil || days <= 0 || days > 3660 {
		days = 90
	}
	rep, err := s.d.KB.Report(r.Context(), *p, days)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f := r.URL.Query().Get("format"); f != "" {
		format, err := export.ParseFormat(f)
		if err != nil {
			s.notFound(w, r)
			return
		}
		s.kbReportExport(w, r, format, rep)
		return
	}
	page := &kbReportPage{Base: s.base(r, "kb"), Days: days, Report: rep, Chart: s.deflectionChart(r, rep.Deflection)}
	opened, deflected := 0, 0
	for _, d := range rep.Deflection {
		opened += d.Opened
		deflected += d.Deflected
		row := deflectionRow{DeflectionStat: d, Share: "—"}
		if d.Opened > 0 {
			row.Share = fmt.Sprintf("%.0f%%", 100*float64(d.Deflected)/float64(d.Opened))
		}
		page.Deflection = append(page.Deflection, row)
	}
	if opened > 0 {
		page.Rate = fmt.Sprintf("%.0f%%", 100*float64(deflected)/float64(opened))
	}
	s.render(w, r, http.StatusOK, "kb_report", page)
}

func (s *server) kbReportExport(w http.ResponseWriter, r *http.Request, format export.Format, rep *kb.Report) {
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="aftercare-kb-report-%s.%s"`,
		rep.Since.Format("20060102"), format))
	ew, err := export.New(format, w, "kb")
	if err != nil {
		s.log.Error("kb report export", "err", err)
		return
	}
	rows := [][]any{{s.tr(r, "kb.report.kind"), s.tr(r, "kb.report.article_or_query"), s.tr(r, "kb.report.locale"),
		s.tr(r, "kb.report.opened_or_asked"), s.tr(r, "kb.report.deflected")}}
	for _, d := range rep.Deflection {
		rows = append(rows, []any{s.tr(r, "kb.report.deflection"), d.Title, d.Locale, d.Opened, d.Deflected})
	}
	for _, g := range rep.Gaps {
		rows = append(rows, []any{s.tr(r, "kb.report.gap"), g.Query, g.Locale, g.Count, ""})
	}
	for _, row := range rows {
		if err = ew.Row(row...); err != nil {
			break
		}
	}
	if cerr := ew.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.log.Error("kb report export", "err", err)
	}
}
