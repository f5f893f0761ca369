package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
)

// rulesPage is the admins' list of automation rules, in evaluation
// order, with the form that adds one or changes one (EditID).
type rulesPage struct {
	Base
	Items    []ruleRow
	Triggers []Option
	EditID   int64
	Form     ruleForm
	Errors   FieldErrors
	// Opts are the choices of the condition and action rows.
	Opts *ruleFormOptions
}

// ruleRow is a rule as the list shows it.
type ruleRow struct {
	model.Rule
	TriggerLabel string
	Summary      string // the actions, by type
}

// ruleForm is what the rule form holds, as typed: conditions and actions
// as rows (Editor "rows") or, in the advanced view (Editor "json"), as
// JSON in the API's shape.
type ruleForm struct {
	Name, Position, Trigger, IdleMinutes, Conditions, Actions string
	Active                                                    bool
	Version                                                   string
	Editor                                                    string
	Conds                                                     []condRow
	Acts                                                      []actRow
}

func (s *server) loadRulesPage(r *http.Request) (*rulesPage, error) {
	list, err := s.d.Rules.List(r.Context(), *principalOf(r))
	if err != nil {
		return nil, err
	}
	opts, err := s.loadRuleFormOptions(r)
	if err != nil {
		return nil, err
	}
	page := &rulesPage{Base: s.base(r, "rules"), Opts: opts}
	for _, x := range list {
		types := make([]string, len(x.Actions))
		for i, a := range x.Actions {
			types[i] = s.tr(r, "rules.action."+a.Type)
		}
		page.Items = append(page.Items, ruleRow{Rule: x, TriggerLabel: s.tr(r, "rules.trigger."+string(x.Trigger)),
			Summary: strings.Join(types, " → ")})
	}
	return page, nil
}

func (s *server) triggerOptions(r *http.Request, chosen string) []Option {
	var out []Option
	for _, t := range model.Triggers {
		out = append(out, Option{Value: string(t), Label: s.tr(r, "rules.trigger."+string(t)), Selected: string(t) == chosen})
	}
	return out
}

// ruleList shows the rules and an empty form.
func (s *server) ruleList(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadRulesPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Form = ruleForm{Active: true, Trigger: string(model.TriggerRequestCreated), Conditions: "{}",
		Actions: `[{"type": "assign_agent", "team_id": 1, "strategy": "round_robin"}]`, Position: "10", Editor: "rows"}
	page.Form.Conds, page.Form.Acts = withSpares(nil, nil)
	page.Triggers = s.triggerOptions(r, page.Form.Trigger)
	s.render(w, r, http.StatusOK, "rules", page)
}

// ruleEdit shows the rules with rule id in the form.
func (s *server) ruleEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	x, err := s.d.Rules.Get(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.loadRulesPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cond, _ := json.MarshalIndent(x.Conditions, "", "  ")
	acts, _ := json.MarshalIndent(x.Actions, "", "  ")
	page.EditID = id
	page.Form = ruleForm{Name: x.Name, Position: strconv.Itoa(x.Position), Trigger: string(x.Trigger), Active: x.Active,
		Conditions: string(cond), Actions: string(acts), Version: strconv.FormatInt(x.Version, 10), Editor: "rows"}
	page.Form.Conds, page.Form.Acts = withSpares(rowsOf(x.Conditions, x.Actions))
	if x.IdleMinutes != nil {
		page.Form.IdleMinutes = strconv.Itoa(*x.IdleMinutes)
	}
	page.Triggers = s.triggerOptions(r, page.Form.Trigger)
	s.render(w, r, http.StatusOK, "rules", page)
}

// ruleSave creates a rule (no id) or changes one; bad input brings the
// page back with the form as typed and the message beside the field.
func (s *server) ruleSave(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	g := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	form := ruleForm{Name: g("name"), Position: g("position"), Trigger: g("trigger"), IdleMinutes: g("idle_minutes"),
		Conditions: g("conditions"), Actions: g("actions"), Active: vals.Get("active") != "", Version: g("version"),
		Editor: g("editor")}
	// A post without the editor choice (a script, an older page) that
	// carries JSON actions means the JSON.
	if form.Editor != "json" && (form.Editor != "" || form.Actions == "") {
		form.Editor = "rows"
	} else {
		form.Editor = "json"
	}
	form.Conds, form.Acts = readRows(vals)
	var editID int64
	if v := r.PathValue("id"); v != "" {
		if editID, ok = parseInt(v); !ok {
			s.notFound(w, r)
			return
		}
	}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadRulesPage(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.EditID, page.Form, page.Errors = editID, form, fe
		page.Triggers = s.triggerOptions(r, form.Trigger)
		s.render(w, r, status, "rules", page)
	}
	in := rules.Input{Name: form.Name, Active: form.Active, Trigger: model.Trigger(form.Trigger)}
	pos, ok := parseInt(form.Position)
	if !ok {
		rerender(http.StatusUnprocessableEntity, fieldError("position", s.tr(r, "form.number")))
		return
	}
	in.Position = int(pos)
	if form.IdleMinutes != "" {
		n, ok := parseInt(form.IdleMinutes)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError("idle_minutes", s.tr(r, "form.number")))
			return
		}
		m := int(n)
		in.IdleMinutes = &m
	}
	var rows rowMap
	if form.Editor == "json" {
		if form.Conditions != "" {
			if err := json.Unmarshal([]byte(form.Conditions), &in.Conditions); err != nil {
				rerender(http.StatusUnprocessableEntity, fieldError("conditions", s.tr(r, "rules.bad_json", err.Error())))
				return
			}
		}
		if err := json.Unmarshal([]byte(form.Actions), &in.Actions); err != nil {
			rerender(http.StatusUnprocessableEntity, fieldError("actions", s.tr(r, "rules.bad_json", err.Error())))
			return
		}
	} else {
		var bad *rowError
		in.Conditions, in.Actions, rows, bad = buildFromRows(form.Conds, form.Acts)
		if bad != nil {
			form.Acts[bad.row].Err = bad.field + ": " + s.tr(r, "form.number")
			rerender(http.StatusUnprocessableEntity, FieldErrors{Form: s.tr(r, "rules.row_errors")})
			return
		}
		// The JSON view shows what the rows make.
		cond, _ := json.MarshalIndent(in.Conditions, "", "  ")
		acts, _ := json.MarshalIndent(in.Actions, "", "  ")
		form.Conditions, form.Actions = string(cond), string(acts)
	}
	var err error
	if editID == 0 {
		_, err = s.d.Rules.Create(r.Context(), *principalOf(r), in)
	} else {
		version, _ := parseInt(form.Version)
		_, err = s.d.Rules.Update(r.Context(), *principalOf(r), editID, version, in)
	}
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID && code != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		var e *model.Error
		if form.Editor == "rows" && asError(err, &e) && placeRowError(&form, rows, e.Field, s.errText(r, err)) {
			rerender(statusOf(err), FieldErrors{Form: s.tr(r, "rules.row_errors")})
			return
		}
		rerender(statusOf(err), s.ruleErrors(r, err))
		return
	}
	s.flash(r, "flash.rule_saved")
	http.Redirect(w, r, "/admin/rules", http.StatusSeeOther)
}

// ruleErrors places a rule error beside its field: conditions.any[0].op
// beside the conditions, actions[1].strategy beside the actions, with
// the exact path in front of the message.
func (s *server) ruleErrors(r *http.Request, err error) FieldErrors {
	var e *model.Error
	if !asError(err, &e) || e.Field == "" {
		return FieldErrors{Form: s.errText(r, err)}
	}
	field, msg := e.Field, s.errText(r, err)
	for _, f := range []string{"conditions", "actions"} {
		if strings.HasPrefix(field, f+".") || strings.HasPrefix(field, f+"[") {
			return fieldError(f, field+": "+msg)
		}
	}
	switch field {
	case "name", "position", "trigger", "idle_minutes", "conditions", "actions":
		return fieldError(field, msg)
	}
	return FieldErrors{Form: field + ": " + msg}
}

// ruleDelete removes a rule.
func (s *server) ruleDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.d.Rules.Delete(r.Context(), *principalOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.rule_deleted")
	http.Redirect(w, r, "/admin/rules", http.StatusSeeOther)
}
