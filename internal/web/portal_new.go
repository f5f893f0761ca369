package web

import (
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// portalNewPage is the customer's new-request form.
type portalNewPage struct {
	Base
	Types   []Option
	Units   []Option
	Subject string
	Desc    string
	Errors  FieldErrors
	// Visit names this visit to the form: the suggested articles link to
	// it, and submitting ends it (deflection report).
	Visit       string
	Suggestions []helpHit
	// FilesLost says that files were chosen for a form that comes back:
	// a browser cannot keep them, so the customer is asked to choose them
	// again.
	FilesLost bool
}

// portalNewForm shows an empty new-request form.
func (s *server) portalNewForm(w http.ResponseWriter, r *http.Request) {
	// "Open a service request for it" on My products chooses the product.
	page, err := s.newRequestPage(r, "", r.URL.Query().Get("serial"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Visit = rand.Text()
	if err := s.d.KB.StartVisit(r.Context(), *principalOf(r), page.Visit); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_new", page)
}

// portalSuggest answers the new-request form while the customer types
// (htmx): the public articles that best match the subject and
// description, linked with the visit so that opening one is counted.
func (s *server) portalSuggest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("subject") + " " + q.Get("description"))
	page := &portalNewPage{Base: s.base(r, "new"), Visit: q.Get("visit")}
	if len([]rune(text)) > kb.MaxQuery {
		text = string([]rune(text)[:kb.MaxQuery])
	}
	if text != "" {
		hits, err := s.d.KB.Search(r.Context(), *principalOf(r), kb.Query{Text: text, Limit: 3, Source: model.SearchFromDeflect})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, h := range hits {
			page.Suggestions = append(page.Suggestions, helpHit{ID: h.ID, Title: h.Title, Locale: h.Locale,
				Snippet: kb.Highlight(h.Snippet, h.Marks)})
		}
	}
	s.renderBlock(w, r, http.StatusOK, "portal_new", "suggestions", page)
}

// newRequestPage builds the form with typ and serial selected.
func (s *server) newRequestPage(r *http.Request, typ, serial string) (*portalNewPage, error) {
	p := principalOf(r)
	units, err := s.d.Catalog.MyUnits(r.Context(), *p)
	if err != nil {
		return nil, err
	}
	page := &portalNewPage{Base: s.base(r, "new")}
	if typ == "" {
		typ = string(model.TypeRepair)
	}
	for _, t := range model.RequestTypes {
		page.Types = append(page.Types, Option{Value: string(t), Label: s.tr(r, "type."+string(t)), Selected: typ == string(t)})
	}
	page.Units = append([]Option{{Value: "", Label: s.tr(r, "portal.new.no_unit")}}, unitOptions(units, serial)...)
	return page, nil
}

// unitOptions are a customer's units for a picker: people know their
// products by name, and the serial tells two of the same apart.
func unitOptions(units []model.OwnedUnit, selected string) []Option {
	out := make([]Option, 0, len(units))
	for _, u := range units {
		label := u.Serial
		if u.ProductName != "" {
			label = u.ProductName + " (" + u.Serial + ")"
		}
		out = append(out, Option{Value: u.Serial, Label: label, Selected: selected == u.Serial})
	}
	return out
}

// portalNewSubmit creates the request, with the photos or videos sent
// along, and opens it; bad input (a refused file too) brings the form back
// with everything typed and the message beside the field, and nothing is
// stored.
func (s *server) portalNewSubmit(w http.ResponseWriter, r *http.Request) {
	f, files, fe, ok := s.readNewRequest(w, r)
	if !ok {
		return
	}
	defer discard(files)
	p := principalOf(r)
	in := request.CreateInput{Type: model.RequestType(f.Get("type")), Subject: f.Get("subject"),
		Description: f.Get("description"), Serial: f.Get("serial"), Via: model.ChannelWeb}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.newRequestPage(r, string(in.Type), in.Serial)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Subject, page.Desc, page.Errors, page.Visit = in.Subject, in.Description, fe, f.Get("visit")
		page.FilesLost = f.Has("file")
		s.render(w, r, status, "portal_new", page)
	}
	if strings.TrimSpace(in.Subject) == "" {
		if fe.Fields == nil {
			fe.Fields = map[string]string{}
		}
		fe.Fields["subject"] = s.tr(r, "form.required")
	}
	if fe.Any() {
		rerender(http.StatusUnprocessableEntity, fe)
		return
	}
	in.Files = files
	req, err := s.d.Requests.Create(r.Context(), *p, in)
	if err != nil {
		if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, "type", "subject", "description", "serial", "file"))
		return
	}
	if err := s.d.KB.SubmittedVisit(r.Context(), *p, f.Get("visit")); err != nil {
		s.log.Warn("deflection: record the submitted visit", "err", err)
	}
	s.flash(r, "flash.request_created")
	http.Redirect(w, r, portalRequestURL(req.Number), http.StatusSeeOther)
}

// readNewRequest reads the new-request form and receives its files (the
// field "file", any number). The multipart body is streamed: the text
// fields come first (page order), then each file is checked for kind and
// size (Stage) into a temporary file that Create stores with the request
// or that is discarded. A refused file is named in the message at the
// file field; the files after it are not received. The form values record
// "file" when a file was chosen, so that the page can ask for it again.
// ok is false when a response was already written.
func (s *server) readNewRequest(w http.ResponseWriter, r *http.Request) (form url.Values, files []*request.Staged, fe FieldErrors, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxNewRequestBody)
	form = url.Values{}
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return nil, nil, fe, false
		}
		return r.PostForm, nil, fe, true
	}
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, nil, fe, false
	}
	tooLarge := func() { fe = fieldError("file", s.tr(r, "portal.new.files_too_large")) }
	for !fe.Any() {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if isTooLarge(err) {
			tooLarge()
			break
		}
		if err != nil {
			discard(files)
			http.Error(w, "bad form", http.StatusBadRequest)
			return nil, nil, fe, false
		}
		if part.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(part, maxFormBody+1))
			switch {
			case isTooLarge(err):
				tooLarge()
			case err != nil || len(b) > maxFormBody:
				discard(files)
				http.Error(w, "bad form", http.StatusBadRequest)
				return nil, nil, fe, false
			default:
				form.Add(part.FormName(), string(b))
			}
			continue
		}
		if part.FileName() == "" {
			continue // no file chosen
		}
		form.Set("file", "chosen")
		staged, err := s.d.Requests.Stage(part.FileName(), part)
		switch {
		case err == nil:
			files = append(files, staged)
		case model.ErrorCode(err) == model.ETOOLARGE:
			fe = fieldError("file", s.tr(r, "portal.new.file_refused", part.FileName(), s.tr(r, "reply.file_too_large")))
		case isTooLarge(err):
			tooLarge()
		case model.ErrorCode(err) == model.EINVALID:
			fe = fieldError("file", s.tr(r, "portal.new.file_refused", part.FileName(), s.errText(r, err)))
		default:
			discard(files)
			s.fail(w, r, err)
			return nil, nil, fe, false
		}
	}
	if fe.Any() {
		discard(files)
		files = nil
	}
	return form, files, fe, true
}

// portalRequestURL is the portal page of a request.
func portalRequestURL(number string) string { return "/portal/requests/" + number }
