package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// tagsPanel is the tag editor of the request page: the tags as typed
// (comma-separated), suggestions for the datalist, and an error.
type tagsPanel struct {
	Input       string
	Suggestions []string
	Error       string
}

// loadTagsPanel fills the tag editor from the request's tags and the most
// used tags.
func (s *server) loadTagsPanel(r *http.Request, req *model.Request) (*tagsPanel, error) {
	sug, err := s.d.Store.TagSuggestions(r.Context(), "", 50)
	if err != nil {
		return nil, err
	}
	tp := &tagsPanel{Input: strings.Join(req.Tags, ", ")}
	for _, t := range sug {
		tp.Suggestions = append(tp.Suggestions, t.Tag)
	}
	return tp, nil
}

// splitTags reads a comma-separated list of tags (blank items dropped).
func splitTags(s string) []string {
	var out []string
	for t := range strings.SplitSeq(strings.ReplaceAll(s, "，", ","), ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// requestTags replaces the request's tags with the comma-separated list
// of the form: what is new is added, what is gone removed. A bad tag
// brings the page back with the list as typed and the reply kept.
func (s *server) requestTags(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	number := strings.ToUpper(r.PathValue("number"))
	draft := draftOf(f)
	input := f.Get("tags")
	fail := func(err error) {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) {
			pg.Reply = draft
			if pg.Tags != nil {
				pg.Tags.Input, pg.Tags.Error = input, s.errText(r, err)
			}
		})
	}
	want, err := model.NormalizeTags("tags", splitTags(input))
	if err != nil {
		fail(err)
		return
	}
	view, err := s.d.Requests.Get(r.Context(), *p, number)
	if err != nil {
		fail(err)
		return
	}
	var remove []string
	for _, t := range view.Request.Tags {
		if !slices.Contains(want, t) {
			remove = append(remove, t)
		}
	}
	if _, err := s.d.Requests.ChangeTags(r.Context(), *p, number, want, remove, model.ChannelWeb); err != nil {
		fail(err)
		return
	}
	s.keepDraft(r, number, draft)
	if len(remove) > 0 || !slices.Equal(want, view.Request.Tags) {
		s.flash(r, "flash.saved")
	}
	http.Redirect(w, r, requestURL(number), http.StatusSeeOther)
}
