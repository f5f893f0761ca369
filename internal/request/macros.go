package request

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxMacroName bounds a macro's name.
const MaxMacroName = 80

// macroUser refuses anyone who may not use macros: staff who reply.
func macroUser(p model.Principal) error {
	if !p.IsStaff() || !p.Can(model.PermRequestReply) {
		return forbidden()
	}
	return nil
}

// Macros returns the macros p may use: its own and the shared ones, by
// name.
func (s *Service) Macros(ctx context.Context, p model.Principal) ([]model.Macro, error) {
	if err := macroUser(p); err != nil {
		return nil, err
	}
	return s.store.MacrosFor(ctx, p.ID)
}

// Macro returns one macro p may use; another user's personal macro is
// ENOTFOUND.
func (s *Service) Macro(ctx context.Context, p model.Principal, id int64) (*model.Macro, error) {
	if err := macroUser(p); err != nil {
		return nil, err
	}
	m, err := s.store.MacroByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !m.Shared && m.OwnerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "macro not found")
	}
	return m, nil
}

// MacroInput is a macro as written.
type MacroInput struct {
	Name     string
	Shared   bool
	BodyEN   string
	BodyZH   string
	Status   model.Status
	Priority model.Priority
	AddTags  []string
	// Version is the version edited (updates only).
	Version int64
}

// checkMacro validates in for p and returns the macro it describes.
func checkMacro(p model.Principal, in MacroInput) (*model.Macro, error) {
	if in.Shared && !p.Can(model.PermViewShare) {
		return nil, model.FieldError("shared", "your role may not share macros; save it as a personal macro")
	}
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		return nil, model.FieldError("name", "is required")
	case utf8.RuneCountInString(in.Name) > MaxMacroName:
		return nil, model.FieldError("name", "must be at most %d characters", MaxMacroName)
	case strings.TrimSpace(in.BodyEN) == "" && strings.TrimSpace(in.BodyZH) == "":
		return nil, model.FieldError("body_en", "write the reply in at least one language")
	case utf8.RuneCountInString(in.BodyEN) > MaxBody:
		return nil, model.FieldError("body_en", "must be at most %d characters", MaxBody)
	case utf8.RuneCountInString(in.BodyZH) > MaxBody:
		return nil, model.FieldError("body_zh", "must be at most %d characters", MaxBody)
	case in.Status != "" && !in.Status.Valid():
		return nil, model.FieldError("status", "must be one of new, open, pending, on_hold, resolved, closed, cancelled")
	case in.Priority != "" && !in.Priority.Valid():
		return nil, model.FieldError("priority", "must be one of low, normal, high, urgent")
	}
	if bad := model.UnknownPlaceholder(in.BodyEN); bad != "" {
		return nil, model.FieldError("body_en", "unknown placeholder %s; use %s", bad, placeholderList())
	}
	if bad := model.UnknownPlaceholder(in.BodyZH); bad != "" {
		return nil, model.FieldError("body_zh", "unknown placeholder %s; use %s", bad, placeholderList())
	}
	tags, err := model.NormalizeTags("add_tags", in.AddTags)
	if err != nil {
		return nil, err
	}
	if len(tags) > model.MaxTags {
		return nil, model.FieldError("add_tags", "at most %d tags", model.MaxTags)
	}
	return &model.Macro{OwnerID: p.ID, OwnerName: p.Name, Name: in.Name, Shared: in.Shared, BodyEN: in.BodyEN, BodyZH: in.BodyZH,
		Status: in.Status, Priority: in.Priority, AddTags: tags, Version: in.Version}, nil
}

func placeholderList() string {
	names := model.MacroPlaceholders()
	for i, n := range names {
		names[i] = "{{" + n + "}}"
	}
	return strings.Join(names, ", ")
}

// CreateMacro saves a macro for p; sharing it needs model.PermViewShare
// (as sharing a view does). Unknown placeholders are refused, naming the
// body.
func (s *Service) CreateMacro(ctx context.Context, p model.Principal, in MacroInput) (*model.Macro, error) {
	if err := macroUser(p); err != nil {
		return nil, err
	}
	m, err := checkMacro(p, in)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateMacro(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// editable returns macro id if p may change it: its owner, or an admin.
// Others get ENOTFOUND for a personal macro they cannot see and
// EFORBIDDEN for a shared one.
func (s *Service) editable(ctx context.Context, p model.Principal, id int64) (*model.Macro, error) {
	m, err := s.Macro(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if m.OwnerID != p.ID && p.Role != model.RoleAdmin {
		return nil, model.Errorf(model.EFORBIDDEN, "only the macro's owner or an admin may change it")
	}
	return m, nil
}

// UpdateMacro replaces macro id (owner or admin) under optimistic
// locking: in.Version must be the version read.
func (s *Service) UpdateMacro(ctx context.Context, p model.Principal, id int64, in MacroInput) (*model.Macro, error) {
	cur, err := s.editable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if in.Version <= 0 {
		return nil, model.FieldError("version", "is required (send the version you read)")
	}
	if in.Shared && !cur.Shared && !p.Can(model.PermViewShare) {
		return nil, model.FieldError("shared", "your role may not share macros; save it as a personal macro")
	}
	owner := model.Principal{Kind: p.Kind, ID: p.ID, Role: model.RoleAdmin} // sharing already checked
	m, err := checkMacro(owner, in)
	if err != nil {
		return nil, err
	}
	m.ID, m.OwnerID, m.OwnerName, m.CreatedAt = cur.ID, cur.OwnerID, cur.OwnerName, cur.CreatedAt
	if err := s.store.UpdateMacro(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteMacro removes macro id (owner or admin).
func (s *Service) DeleteMacro(ctx context.Context, p model.Principal, id int64) error {
	if _, err := s.editable(ctx, p, id); err != nil {
		return err
	}
	return s.store.DeleteMacro(ctx, id)
}

// macroVars are the placeholder values for a reply by p on r.
func (s *Service) macroVars(ctx context.Context, p model.Principal, r *model.Request) (map[string]string, string, error) {
	c, err := s.store.CustomerByID(ctx, r.CustomerID)
	if err != nil {
		return nil, "", err
	}
	vars := map[string]string{"customer.name": c.Name, "customer.email": c.Email, "request.number": r.Number,
		"request.subject": r.Subject, "agent.name": p.Name, "unit.serial": r.Serial}
	if r.Serial != "" {
		if u, err := s.store.UnitBySerial(ctx, r.Serial); err == nil {
			if prod, err := s.store.ProductBySKU(ctx, u.SKU); err == nil {
				vars["product.name"] = prod.Name
			}
		}
	}
	return vars, c.Locale, nil
}

// RenderMacro returns macro id's text filled in for request number, in
// lang ("" for the customer's language).
func (s *Service) RenderMacro(ctx context.Context, p model.Principal, id int64, number, lang string) (string, error) {
	m, err := s.Macro(ctx, p, id)
	if err != nil {
		return "", err
	}
	r, err := s.get(ctx, p, number)
	if err != nil {
		return "", err
	}
	vars, locale, err := s.macroVars(ctx, p, r)
	if err != nil {
		return "", err
	}
	if lang == "" {
		lang = locale
	}
	return model.RenderMacro(m.Body(lang), vars), nil
}

// RenderMacros returns the text of each macro p may use filled in for
// request r in lang ("" for the customer's language), by macro id (the
// request page's insert list).
func (s *Service) RenderMacros(ctx context.Context, p model.Principal, r *model.Request, lang string) ([]model.Macro, map[int64]string, error) {
	ms, err := s.Macros(ctx, p)
	if err != nil || len(ms) == 0 {
		return ms, nil, err
	}
	vars, locale, err := s.macroVars(ctx, p, r)
	if err != nil {
		return nil, nil, err
	}
	if lang == "" {
		lang = locale
	}
	out := make(map[int64]string, len(ms))
	for i := range ms {
		out[ms[i].ID] = model.RenderMacro(ms[i].Body(lang), vars)
	}
	return ms, out, nil
}

// macroChanges checks that p may make macro m's field changes and
// returns them as a bulk set.
func macroChanges(p model.Principal, m *model.Macro) (store.BulkSet, error) {
	set := store.BulkSet{Status: m.Status, AddTags: m.AddTags}
	if m.Priority != "" {
		pr := m.Priority
		set.Patch.Priority = &pr
	}
	if (m.Status != "" && !p.Can(model.PermRequestStatus)) || ((m.Priority != "" || len(m.AddTags) > 0) && !p.Can(model.PermRequestClassify)) {
		return set, model.FieldError("macro_id", "your role may not make this macro's changes (status, priority or tags)")
	}
	return set, nil
}

// replyMacro applies macro in.MacroID to a reply by p on r: an empty body
// takes the macro's text in the customer's language; the macro's field
// changes come back to be made with the message (nil: none).
func (s *Service) replyMacro(ctx context.Context, p model.Principal, r *model.Request, in *ReplyInput) (*store.BulkSet, error) {
	m, err := s.Macro(ctx, p, in.MacroID)
	if model.IsNotFound(err) || model.ErrorCode(err) == model.EFORBIDDEN {
		return nil, model.FieldError("macro_id", "no macro %d you may use", in.MacroID)
	} else if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Body) == "" {
		vars, locale, err := s.macroVars(ctx, p, r)
		if err != nil {
			return nil, err
		}
		in.Body = model.RenderMacro(m.Body(locale), vars)
	}
	if !m.HasChanges() {
		return nil, nil
	}
	set, err := macroChanges(p, m)
	if err != nil {
		return nil, err
	}
	return &set, nil
}
