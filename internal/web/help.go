package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// The help centre (/help): public articles for everyone, logged in or
// not, with search and the self-service assistant; customers hand a
// conversation over to a person from it.

// sessAssistant keeps the assistant conversation of a browser session.
const sessAssistant = "assistant"

// maxTurns bounds the conversation kept in the session.
const maxTurns = 20

// turn is one message of the assistant conversation.
type turn struct {
	Role      string   `json:"role"` // customer or assistant
	Text      string   `json:"text"`
	Confident bool     `json:"confident,omitempty"`
	Sources   []source `json:"sources,omitempty"`
}

type source struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// helpHit is a search result with its highlighted snippet.
type helpHit struct {
	ID      int64
	Title   string
	Locale  string
	Snippet template.HTML
}

// helpPage is the help centre: search, articles, the assistant.
type helpPage struct {
	Base
	Q        string
	Searched bool
	Hits     []helpHit
	Articles []model.Article
	Pager    pager
	Turns    []turn
	// Unsure is set when the assistant's last answer was not confident:
	// the page offers a person.
	Unsure     bool
	IsCustomer bool
	AskError   string
}

func (s *server) conversation(r *http.Request) []turn {
	var ts []turn
	if raw := s.sessions.GetString(r.Context(), sessAssistant); raw != "" {
		_ = json.Unmarshal([]byte(raw), &ts)
	}
	return ts
}

func (s *server) saveConversation(r *http.Request, ts []turn) {
	if len(ts) > maxTurns {
		ts = ts[len(ts)-maxTurns:]
	}
	b, _ := json.Marshal(ts)
	s.sessions.Put(r.Context(), sessAssistant, string(b))
}

func principalOrVisitor(r *http.Request) model.Principal {
	if p := principalOf(r); p != nil {
		return *p
	}
	return model.Principal{}
}

// help renders the help centre; ?q= searches it.
func (s *server) help(w http.ResponseWriter, r *http.Request) {
	s.renderHelp(w, r, http.StatusOK, "")
}

func (s *server) renderHelp(w http.ResponseWriter, r *http.Request, status int, askErr string) {
	p := principalOrVisitor(r)
	lang := langOf(r)
	page := &helpPage{Base: s.base(r, "help"), Q: strings.TrimSpace(r.URL.Query().Get("q")), Turns: s.conversation(r),
		IsCustomer: p.IsCustomer(), AskError: askErr}
	page.Portal = !p.IsStaff()
	if n := len(page.Turns); n > 0 && page.Turns[n-1].Role == "assistant" && !page.Turns[n-1].Confident {
		page.Unsure = true
	}
	if page.Q != "" && r.Method == http.MethodGet {
		page.Searched = true
		if p.Kind == "" {
			if err := s.d.Assistant.Allow(r.Context()); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		hits, err := s.d.KB.Search(r.Context(), p, kb.Query{Text: page.Q, Limit: 10, Source: model.SearchFromSearch})
		if err != nil && model.ErrorCode(err) != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		for _, h := range hits {
			page.Hits = append(page.Hits, helpHit{ID: h.ID, Title: h.Title, Locale: h.Locale, Snippet: kb.Highlight(h.Snippet, h.Marks)})
		}
	} else {
		cur := r.URL.Query().Get("cursor")
		as, err := s.d.KB.List(r.Context(), model.Principal{}, store.ArticleFilter{Locale: lang, Limit: 50, Cursor: cur})
		if err != nil {
			if model.ErrorCode(err) == model.EINVALID {
				http.Redirect(w, r, "/help", http.StatusSeeOther)
				return
			}
			s.fail(w, r, err)
			return
		}
		page.Articles = as.Items
		page.Pager = newPager("/help", nil, cur, as.NextCursor)
	}
	s.render(w, r, status, "help", page)
}

// helpAsk asks the assistant and shows the answer under the question.
func (s *server) helpAsk(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	p := principalOrVisitor(r)
	if p.Kind == "" {
		if err := s.d.Assistant.Allow(r.Context()); err != nil {
			s.renderHelp(w, r, statusOf(err), s.errText(r, err))
			return
		}
	}
	q := strings.TrimSpace(f.Get("question"))
	ans, err := s.d.Assistant.Ask(r.Context(), p, q, "")
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			s.renderHelp(w, r, http.StatusUnprocessableEntity, s.errText(r, err))
			return
		}
		s.fail(w, r, err)
		return
	}
	ts := append(s.conversation(r), turn{Role: "customer", Text: q})
	t := turn{Role: "assistant", Text: ans.Text, Confident: ans.Confident}
	for _, src := range ans.Sources {
		t.Sources = append(t.Sources, source{ID: src.ID, Title: src.Title})
	}
	s.saveConversation(r, append(ts, t))
	http.Redirect(w, r, "/help#assistant", http.StatusSeeOther)
}

// helpClear forgets the conversation.
func (s *server) helpClear(w http.ResponseWriter, r *http.Request) {
	s.sessions.Remove(r.Context(), sessAssistant)
	http.Redirect(w, r, "/help#assistant", http.StatusSeeOther)
}

// helpHandoff opens a request with the conversation for the customer.
func (s *server) helpHandoff(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.readForm(w, r); !ok {
		return
	}
	p := principalOf(r)
	ts := s.conversation(r)
	turns := make([]assistant.Turn, len(ts))
	for i, t := range ts {
		turns[i] = assistant.Turn{Role: t.Role, Text: t.Text}
	}
	req, err := s.d.Assistant.Handoff(r.Context(), *p, turns)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			s.renderHelp(w, r, http.StatusUnprocessableEntity, s.tr(r, "help.handoff_empty"))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), sessAssistant)
	s.flash(r, "flash.handed_off")
	http.Redirect(w, r, portalRequestURL(req.Number), http.StatusSeeOther)
}

// helpArticlePage is one article.
type helpArticlePage struct {
	Base
	Article      *model.Article
	Body         template.HTML
	Translations []model.Article
}

// helpArticle shows an article: public ones to everyone, the others to
// staff only (404 for the rest). A customer who came from the new-request
// form's suggestions (?visit=) is counted for the deflection report.
func (s *server) helpArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	p := principalOrVisitor(r)
	a, err := s.d.KB.Get(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !p.IsStaff() {
		if err := s.d.KB.View(r.Context(), id); err != nil {
			s.fail(w, r, err)
			return
		}
		if visit := r.URL.Query().Get("visit"); visit != "" {
			if err := s.d.KB.OpenedFromVisit(r.Context(), p, visit, id); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	ts, err := s.d.KB.Translations(r.Context(), p, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := &helpArticlePage{Base: s.base(r, "help"), Article: a, Body: kb.Render(a.Body), Translations: ts}
	page.Portal = !p.IsStaff()
	s.render(w, r, http.StatusOK, "help_article", page)
}
