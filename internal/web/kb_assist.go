package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
)

// assistPanel is the request page's knowledge-base panel: articles that
// match the request (public ones with a link to insert into the reply),
// similar earlier requests with their resolution, and the suggested
// classification, which the agent applies with the form or not at all.
type assistPanel struct {
	Articles []assistArticle
	Similar  []kb.Similar
	Guesses  []assistGuess
	Learnt   int
}

type assistArticle struct {
	helpHit
	Public bool
	// Insert is the text the "insert link" button adds to the reply.
	Insert string
}

type assistGuess struct {
	Field, Label string
	P            string
	// Differs says the suggestion is not what the request has now.
	Differs bool
}

func (s *server) loadAssist(r *http.Request, req *model.Request, categories map[string]string) (*assistPanel, error) {
	a, err := s.d.KB.Assist(r.Context(), *principalOf(r), req)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(s.d.Feedback.URL(""), "/s/")
	panel := &assistPanel{Similar: a.Similar, Learnt: a.Learnt}
	for _, h := range a.Articles {
		art := assistArticle{helpHit: helpHit{ID: h.ID, Title: h.Title, Locale: h.Locale, Snippet: kb.Highlight(h.Snippet, h.Marks)},
			Public: h.Visibility == model.VisibilityPublic && h.Status == model.ArticlePublished}
		if art.Public {
			art.Insert = fmt.Sprintf("%s: %s/help/%d", h.Title, base, h.ID)
		}
		panel.Articles = append(panel.Articles, art)
	}
	pct := func(g *kb.Guess) string { return fmt.Sprintf("%.0f%%", 100*g.P) }
	if g := a.Type; g != nil {
		panel.Guesses = append(panel.Guesses, assistGuess{Field: s.tr(r, "assist.type"), Label: s.tr(r, "type."+g.Value),
			P: pct(g), Differs: g.Value != string(req.Type)})
	}
	if g := a.Category; g != nil {
		label := categories[g.Value]
		if g.Value == "" {
			label = s.tr(r, "request.no_category")
		}
		panel.Guesses = append(panel.Guesses, assistGuess{Field: s.tr(r, "assist.category"), Label: label, P: pct(g),
			Differs: g.Value != idOf(req.CategoryID)})
	}
	if g := a.Priority; g != nil {
		panel.Guesses = append(panel.Guesses, assistGuess{Field: s.tr(r, "assist.priority"), Label: s.tr(r, "priority."+g.Value),
			P: pct(g), Differs: g.Value != string(req.Priority)})
	}
	return panel, nil
}
