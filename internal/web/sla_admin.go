package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
)

// slaPage is the SLA admin page: the policies in matching order, the
// customer tiers, and (for admins) the forms that add or change them.
type slaPage struct {
	Base
	Policies  []policyRow
	Tiers     []model.Tier
	CanManage bool
	// EditID is the policy the form changes (0: a new one).
	EditID     int64
	Form       policyForm
	Errors     FieldErrors
	TierForm   tierForm
	TierErrors FieldErrors
	// Options of the policy form.
	Types, Priorities, Channels, TierOpts, Categories, TeamOpts, Calendars []Option
	labels                                                                 map[string]string
}

// selectField is one select of the policy form.
type selectField struct {
	Name, Label, Error string
	Options            []Option
}

// Select returns the policy form's select named name, with its error.
func (page *slaPage) Select(name string) selectField {
	opts := map[string][]Option{"conditions.type": page.Types, "conditions.priority": page.Priorities,
		"conditions.channel": page.Channels, "conditions.tier": page.TierOpts, "conditions.category_id": page.Categories,
		"conditions.team_id": page.TeamOpts, "calendar_id": page.Calendars}
	return selectField{Name: name, Label: page.labels[name], Error: page.Errors.Get(name), Options: opts[name]}
}

// policyRow is a policy as the table shows it.
type policyRow struct {
	model.SLAPolicy
	Conditions string // in words
	Calendar   string
}

// policyForm is what was typed into the policy form.
type policyForm struct {
	Name, Position, Type, Priority, Channel, Tier, Category, Team, Calendar string
	First, Next, Resolution, Warn                                           string
	PausePending, PauseOnHold                                               bool
	Version                                                                 string
}

// tierForm is what was typed into the tier form.
type tierForm struct {
	Key, Name, NameZH, Position, Response, Resolution, Compensation, CompensationZH string
}

var policyFields = []string{"name", "position", "conditions.type", "conditions.priority", "conditions.channel",
	"conditions.tier", "conditions.category_id", "conditions.team_id", "calendar_id", "first_response_minutes",
	"next_response_minutes", "resolution_minutes", "pause_statuses", "warn_before_minutes", "version"}

var tierFields = []string{"key", "name", "name_zh", "response_minutes", "resolution_minutes", "compensation"}

func (s *server) loadSLAPage(r *http.Request) (*slaPage, error) {
	ctx := r.Context()
	p := principalOf(r)
	pols, err := s.d.SLA.Policies(ctx, *p)
	if err != nil {
		return nil, err
	}
	tiers, err := s.d.SLA.Tiers(ctx)
	if err != nil {
		return nil, err
	}
	cals, err := s.d.Store.ListCalendars(ctx, model.CalendarFilter{Limit: 100})
	if err != nil {
		return nil, err
	}
	teams, err := s.d.Store.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.d.Store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	calName := map[int64]string{}
	for _, c := range cals.Items {
		calName[c.ID] = c.Name
	}
	teamName := map[int64]string{}
	for _, t := range teams {
		teamName[t.ID] = t.Name
	}
	catName := map[int64]string{}
	lang := langOf(r)
	for _, c := range cats {
		catName[c.ID] = c.NameEn
		if lang == "zh-CN" {
			catName[c.ID] = c.NameZh
		}
	}
	tierName := map[string]string{}
	for _, t := range tiers {
		tierName[t.Key] = tierLabel(lang, t)
	}
	page := &slaPage{Base: s.base(r, "sla"), Tiers: tiers, CanManage: p.Can(model.PermSLAManage),
		Form: policyForm{Position: strconv.Itoa(10 * (len(pols) + 1)), PausePending: true}}
	for _, pol := range pols {
		c := pol.Conditions
		var parts []string
		if c.Type != "" {
			parts = append(parts, s.tr(r, "type."+string(c.Type)))
		}
		if c.Priority != "" {
			parts = append(parts, s.tr(r, "priority."+string(c.Priority)))
		}
		if c.Channel != "" {
			parts = append(parts, s.tr(r, "channel."+string(c.Channel)))
		}
		if c.Tier != "" {
			parts = append(parts, s.tr(r, "sla.tier_is", tierName[c.Tier]))
		}
		if c.CategoryID != 0 {
			parts = append(parts, catName[c.CategoryID])
		}
		if c.TeamID != 0 {
			parts = append(parts, s.tr(r, "sla.team_is", teamName[c.TeamID]))
		}
		cond := strings.Join(parts, " · ")
		if cond == "" {
			cond = s.tr(r, "sla.any_request")
		}
		page.Policies = append(page.Policies, policyRow{SLAPolicy: pol, Conditions: cond, Calendar: calName[pol.CalendarID]})
	}
	if page.CanManage {
		page.fillOptions(s, r, cals.Items, teams, cats, tiers)
	}
	return page, nil
}

// tierLabel is a tier's name in lang.
func tierLabel(lang string, t model.Tier) string {
	if lang == "zh-CN" && t.NameZH != "" {
		return t.NameZH
	}
	return t.Name
}

// fillOptions builds the policy form's selects with the form's choices.
func (page *slaPage) fillOptions(s *server, r *http.Request, cals []model.Calendar, teams []model.Team, cats []model.Category, tiers []model.Tier) {
	f, lang := page.Form, langOf(r)
	page.labels = map[string]string{"conditions.type": s.tr(r, "sla.cond.type"), "conditions.priority": s.tr(r, "sla.cond.priority"),
		"conditions.channel": s.tr(r, "sla.cond.channel"), "conditions.tier": s.tr(r, "sla.cond.tier"),
		"conditions.category_id": s.tr(r, "sla.cond.category"), "conditions.team_id": s.tr(r, "sla.cond.team"),
		"calendar_id": s.tr(r, "sla.col.calendar")}
	anyOpt := s.tr(r, "sla.any")
	page.Types = []Option{{Value: "", Label: anyOpt}}
	for _, t := range model.RequestTypes {
		page.Types = append(page.Types, Option{Value: string(t), Label: s.tr(r, "type."+string(t)), Selected: f.Type == string(t)})
	}
	page.Priorities = []Option{{Value: "", Label: anyOpt}}
	for _, p := range model.Priorities {
		page.Priorities = append(page.Priorities, Option{Value: string(p), Label: s.tr(r, "priority."+string(p)), Selected: f.Priority == string(p)})
	}
	page.Channels = []Option{{Value: "", Label: anyOpt}}
	for _, c := range model.Channels {
		page.Channels = append(page.Channels, Option{Value: string(c), Label: s.tr(r, "channel."+string(c)), Selected: f.Channel == string(c)})
	}
	page.TierOpts = []Option{{Value: "", Label: anyOpt}}
	for _, t := range tiers {
		page.TierOpts = append(page.TierOpts, Option{Value: t.Key, Label: tierLabel(lang, t), Selected: f.Tier == t.Key})
	}
	page.Categories = []Option{{Value: "", Label: anyOpt}}
	for _, c := range cats {
		id, name := strconv.FormatInt(c.ID, 10), c.NameEn
		if lang == "zh-CN" {
			name = c.NameZh
		}
		page.Categories = append(page.Categories, Option{Value: id, Label: name, Selected: f.Category == id})
	}
	page.TeamOpts = []Option{{Value: "", Label: anyOpt}}
	for _, t := range teams {
		id := strconv.FormatInt(t.ID, 10)
		page.TeamOpts = append(page.TeamOpts, Option{Value: id, Label: t.Name, Selected: f.Team == id})
	}
	page.Calendars = nil
	for _, c := range cals {
		id := strconv.FormatInt(c.ID, 10)
		page.Calendars = append(page.Calendars, Option{Value: id, Label: c.Name, Selected: f.Calendar == id})
	}
}

// slaAdmin renders the SLA page; ?edit=<id> fills the form with a policy.
func (s *server) slaAdmin(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadSLAPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if id, ok := parseInt(r.URL.Query().Get("edit")); ok && page.CanManage {
		for _, pol := range page.Policies {
			if pol.ID == id {
				page.EditID, page.Form = id, formOf(pol.SLAPolicy)
			}
		}
		if err := s.refill(r, page); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "sla", page)
}

// refill rebuilds the form's options for the form now on the page.
func (s *server) refill(r *http.Request, page *slaPage) error {
	ctx := r.Context()
	cals, err := s.d.Store.ListCalendars(ctx, model.CalendarFilter{Limit: 100})
	if err != nil {
		return err
	}
	teams, err := s.d.Store.ListTeams(ctx)
	if err != nil {
		return err
	}
	cats, err := s.d.Store.ListCategories(ctx)
	if err != nil {
		return err
	}
	page.fillOptions(s, r, cals.Items, teams, cats, page.Tiers)
	return nil
}

func formOf(p model.SLAPolicy) policyForm {
	opt := func(v *int) string {
		if v == nil {
			return ""
		}
		return strconv.Itoa(*v)
	}
	id := func(v int64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatInt(v, 10)
	}
	c := p.Conditions
	f := policyForm{Name: p.Name, Position: strconv.Itoa(p.Position), Type: string(c.Type), Priority: string(c.Priority),
		Channel: string(c.Channel), Tier: c.Tier, Category: id(c.CategoryID), Team: id(c.TeamID), Calendar: id(p.CalendarID),
		First: strconv.Itoa(p.FirstResponseMinutes), Next: opt(p.NextResponseMinutes), Resolution: strconv.Itoa(p.ResolutionMinutes),
		Warn: opt(p.WarnBeforeMinutes), Version: strconv.FormatInt(p.Version, 10)}
	for _, st := range p.PauseStatuses {
		switch st {
		case model.StatusPending:
			f.PausePending = true
		case model.StatusOnHold:
			f.PauseOnHold = true
		}
	}
	return f
}

// policySave creates a policy, or changes policy {id}.
func (s *server) policySave(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	g := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	form := policyForm{Name: g("name"), Position: g("position"), Type: g("conditions.type"), Priority: g("conditions.priority"),
		Channel: g("conditions.channel"), Tier: g("conditions.tier"), Category: g("conditions.category_id"),
		Team: g("conditions.team_id"), Calendar: g("calendar_id"), First: g("first_response_minutes"),
		Next: g("next_response_minutes"), Resolution: g("resolution_minutes"), Warn: g("warn_before_minutes"),
		PausePending: vals.Get("pause_pending") != "", PauseOnHold: vals.Get("pause_on_hold") != "", Version: g("version")}
	var editID int64
	if v := r.PathValue("id"); v != "" {
		var ok bool
		if editID, ok = parseInt(v); !ok {
			s.fail(w, r, model.Errorf(model.ENOTFOUND, "SLA policy not found"))
			return
		}
	}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadSLAPage(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.EditID, page.Form, page.Errors = editID, form, fe
		if err := s.refill(r, page); err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "sla", page)
	}
	in := sla.PolicyInput{Name: form.Name, Conditions: model.SLAConditions{Type: model.RequestType(form.Type),
		Priority: model.Priority(form.Priority), Channel: model.Channel(form.Channel), Tier: form.Tier},
		PauseStatuses: []model.Status{}}
	ints := []struct {
		field, v string
		dst      *int
		optional bool
	}{{"position", form.Position, &in.Position, false}, {"first_response_minutes", form.First, &in.FirstResponseMinutes, false},
		{"resolution_minutes", form.Resolution, &in.ResolutionMinutes, false}}
	for _, x := range ints {
		n, ok := parseInt(x.v)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError(x.field, s.tr(r, "form.number")))
			return
		}
		*x.dst = int(n)
	}
	for _, x := range []struct {
		field, v string
		dst      **int
	}{{"next_response_minutes", form.Next, &in.NextResponseMinutes}, {"warn_before_minutes", form.Warn, &in.WarnBeforeMinutes}} {
		if x.v == "" {
			continue
		}
		n, ok := parseInt(x.v)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError(x.field, s.tr(r, "form.number")))
			return
		}
		v := int(n)
		*x.dst = &v
	}
	for _, x := range []struct {
		field, v string
		dst      *int64
	}{{"conditions.category_id", form.Category, &in.Conditions.CategoryID}, {"conditions.team_id", form.Team, &in.Conditions.TeamID},
		{"calendar_id", form.Calendar, &in.CalendarID}} {
		if x.v == "" {
			continue
		}
		n, ok := parseInt(x.v)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError(x.field, s.tr(r, "form.number")))
			return
		}
		*x.dst = n
	}
	if form.PausePending {
		in.PauseStatuses = append(in.PauseStatuses, model.StatusPending)
	}
	if form.PauseOnHold {
		in.PauseStatuses = append(in.PauseStatuses, model.StatusOnHold)
	}
	p := principalOf(r)
	var err error
	if editID != 0 {
		version, _ := parseInt(form.Version)
		_, err = s.d.SLA.UpdatePolicy(r.Context(), *p, editID, version, in)
	} else {
		_, err = s.d.SLA.CreatePolicy(r.Context(), *p, in)
	}
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE || code == model.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, policyFields...))
		return
	}
	s.flash(r, "flash.sla_saved")
	http.Redirect(w, r, "/admin/sla", http.StatusSeeOther)
}

// policyDelete deletes policy {id}.
func (s *server) policyDelete(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.readForm(w, r); !ok {
		return
	}
	id, ok := parseInt(r.PathValue("id"))
	if !ok {
		s.fail(w, r, model.Errorf(model.ENOTFOUND, "SLA policy not found"))
		return
	}
	if err := s.d.SLA.DeletePolicy(r.Context(), *principalOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.sla_deleted")
	http.Redirect(w, r, "/admin/sla", http.StatusSeeOther)
}

// tierSave creates or replaces a tier.
func (s *server) tierSave(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	g := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	form := tierForm{Key: g("key"), Name: g("name"), NameZH: g("name_zh"), Position: g("position"), Response: g("response_minutes"),
		Resolution: g("resolution_minutes"), Compensation: g("compensation"), CompensationZH: g("compensation_zh")}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadSLAPage(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.TierForm, page.TierErrors = form, fe
		s.render(w, r, status, "sla", page)
	}
	t := model.Tier{Key: form.Key, Name: form.Name, NameZH: form.NameZH, Compensation: form.Compensation, CompensationZH: form.CompensationZH}
	if form.Position != "" {
		n, ok := parseInt(form.Position)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError("position", s.tr(r, "form.number")))
			return
		}
		t.Position = int(n)
	}
	for _, x := range []struct {
		field, v string
		dst      **int
	}{{"response_minutes", form.Response, &t.ResponseMinutes}, {"resolution_minutes", form.Resolution, &t.ResolutionMinutes}} {
		if x.v == "" {
			continue
		}
		n, ok := parseInt(x.v)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError(x.field, s.tr(r, "form.number")))
			return
		}
		v := int(n)
		*x.dst = &v
	}
	if _, err := s.d.SLA.SaveTier(r.Context(), *principalOf(r), t); err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, tierFields...))
		return
	}
	s.flash(r, "flash.tier_saved")
	http.Redirect(w, r, "/admin/sla#tiers", http.StatusSeeOther)
}

// tierDelete deletes tier {key}; one in use is refused with the reason.
func (s *server) tierDelete(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.readForm(w, r); !ok {
		return
	}
	err := s.d.SLA.DeleteTier(r.Context(), *principalOf(r), r.PathValue("key"))
	if err != nil {
		if model.ErrorCode(err) != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		page, lerr := s.loadSLAPage(r)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		page.TierErrors = FieldErrors{Form: s.errText(r, err)}
		s.render(w, r, http.StatusConflict, "sla", page)
		return
	}
	s.flash(r, "flash.tier_deleted")
	http.Redirect(w, r, "/admin/sla#tiers", http.StatusSeeOther)
}
