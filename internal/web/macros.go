package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// macrosPage lists the macros an agent may use, with the form that adds
// one or, on /macros/{id}, edits one.
type macrosPage struct {
	Base
	Items []model.Macro
	// Editing is the macro being edited (nil: the form adds a new one).
	Editing  *model.Macro
	Form     request.MacroInput
	Tags     string // Form.AddTags as typed, comma-separated
	Errors   FieldErrors
	CanShare bool
	// Statuses and Priorities are the optional changes' choices.
	Statuses   []Option
	Priorities []Option
	// Placeholders are the {{names}} a body may use.
	Placeholders []string
}

// macroFields are the form fields a macro error may name.
func macroFields() []string {
	return []string{"name", "shared", "body_en", "body_zh", "status", "priority", "add_tags", "version"}
}

func (s *server) macrosPage(r *http.Request, in request.MacroInput, tags string) (*macrosPage, error) {
	p := principalOf(r)
	items, err := s.d.Requests.Macros(r.Context(), *p)
	if err != nil {
		return nil, err
	}
	page := &macrosPage{Base: s.base(r, "macros"), Items: items, Form: in, Tags: tags, CanShare: p.Can(model.PermViewShare)}
	page.Statuses = []Option{{Value: "", Label: s.tr(r, "macros.no_change")}}
	for _, st := range model.Statuses {
		page.Statuses = append(page.Statuses, Option{Value: string(st), Label: s.tr(r, "status."+string(st)), Selected: st == in.Status})
	}
	page.Priorities = []Option{{Value: "", Label: s.tr(r, "macros.no_change")}}
	for _, pr := range model.Priorities {
		page.Priorities = append(page.Priorities, Option{Value: string(pr), Label: s.tr(r, "priority."+string(pr)), Selected: pr == in.Priority})
	}
	for _, n := range model.MacroPlaceholders() {
		page.Placeholders = append(page.Placeholders, "{{"+n+"}}")
	}
	return page, nil
}

// macroList renders the macros and the form that adds one.
func (s *server) macroList(w http.ResponseWriter, r *http.Request) {
	page, err := s.macrosPage(r, request.MacroInput{}, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "macros", page)
}

// macroEdit renders the macros with the form filled with macro id.
func (s *server) macroEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	m, err := s.d.Requests.Macro(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := request.MacroInput{Name: m.Name, Shared: m.Shared, BodyEN: m.BodyEN, BodyZH: m.BodyZH, Status: m.Status,
		Priority: m.Priority, AddTags: m.AddTags, Version: m.Version}
	page, err := s.macrosPage(r, in, strings.Join(m.AddTags, ", "))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Editing = m
	s.render(w, r, http.StatusOK, "macros", page)
}

// macroSave adds a macro (POST /macros) or changes one (POST
// /macros/{id}); bad input brings the form back as typed with the
// message beside the field.
func (s *server) macroSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	in := request.MacroInput{Name: f.Get("name"), Shared: f.Get("shared") == "on", BodyEN: f.Get("body_en"), BodyZH: f.Get("body_zh"),
		Status: model.Status(f.Get("status")), Priority: model.Priority(f.Get("priority")), Version: version}
	for _, t := range strings.Split(f.Get("add_tags"), ",") {
		if strings.TrimSpace(t) != "" {
			in.AddTags = append(in.AddTags, t)
		}
	}
	p := principalOf(r)
	var err error
	var editing *model.Macro
	if r.PathValue("id") == "" {
		_, err = s.d.Requests.CreateMacro(r.Context(), *p, in)
	} else {
		id, ok := s.pathID(w, r, "id")
		if !ok {
			return
		}
		if editing, err = s.d.Requests.Macro(r.Context(), *p, id); err == nil {
			_, err = s.d.Requests.UpdateMacro(r.Context(), *p, id, in)
		}
	}
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID && code != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		page, perr := s.macrosPage(r, in, f.Get("add_tags"))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		page.Editing, page.Errors = editing, s.errorsFrom(r, err, macroFields()...)
		s.render(w, r, statusOf(err), "macros", page)
		return
	}
	s.flash(r, "flash.macro_saved")
	http.Redirect(w, r, "/macros", http.StatusSeeOther)
}

// macroDelete removes a macro (its owner or an admin).
func (s *server) macroDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.d.Requests.DeleteMacro(r.Context(), *principalOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.macro_deleted")
	http.Redirect(w, r, "/macros", http.StatusSeeOther)
}
