package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
)

type searchResult struct {
	Items []struct {
		ID         int64    `json:"id"`
		Title      string   `json:"title"`
		Snippet    string   `json:"snippet"`
		Highlights [][2]int `json:"highlights"`
		Score      float64  `json:"score"`
	} `json:"items"`
}

func (f *fixture) search(t *testing.T, token, q, locale string) searchResult {
	t.Helper()
	var r searchResult
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/kb/search?limit=5&locale="+locale+"&q="+url.QueryEscape(q), token, nil).JSON(t, &r)
	return r
}

func (f *fixture) article(t *testing.T, body map[string]any) api.Article {
	t.Helper()
	var a api.Article
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/kb/articles", f.manager, body).JSON(t, &a)
	return a
}

type answer struct {
	Answer    string `json:"answer"`
	Confident bool   `json:"confident"`
	Sources   []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	} `json:"sources"`
}

// TestKnowledgeBase walks the knowledge base and the assistant through
// the API on both stores: articles and versions, who finds what (an
// internal article's unique phrase reaches staff only, never a customer,
// a visitor or the assistant), Chinese two-character terms and model
// numbers, snippets with highlights, the assistant's confident and
// unsure answers, the hand-off, and field errors.
func TestKnowledgeBase(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		ac := f.article(t, map[string]any{"title": "空调不制冷怎么办", "locale": "zh-CN", "category": "故障", "tags": []string{"空调"},
			"products": []string{"MK-AC35"}, "body": "## 检查步骤\n\nKFR-35GW 挂机不制冷时，先清洗滤网。如果室外机风扇不转，请联系服务网点上门检修。"})
		en := f.article(t, map[string]any{"title": "Air conditioner not cooling", "locale": "en", "translation_of": ac.ID,
			"body": "If the KFR-35GW unit blows warm air, clean the filter first. If the outdoor fan does not turn, book a technician visit."})
		f.article(t, map[string]any{"title": "Warranty period", "locale": "en",
			"body": "Air conditioners carry a six-year warranty on the compressor and two years on everything else."})
		internal := f.article(t, map[string]any{"title": "Compressor labour standard", "locale": "en", "visibility": "internal",
			"body": "Internal: compressor replacement takes three hours. Codeword velvet-anchor-77 for the parts desk."})
		draft := f.article(t, map[string]any{"title": "Drying towels", "locale": "en", "status": "draft", "body": "Use the towel programme."})
		if ac.Version != 1 || ac.ID == 0 || en.TranslationOf == nil || *en.TranslationOf != ac.ID {
			t.Fatalf("created: %+v / %+v", ac, en)
		}

		// Two-character Chinese terms and the model number.
		for _, q := range []string{"滤网", "制冷", "KFR-35GW", "kfr35gw"} {
			r := f.search(t, f.alice, q, "zh-CN")
			if len(r.Items) == 0 || r.Items[0].ID != ac.ID {
				t.Errorf("search %q in zh-CN: got %+v, want article %d first", q, r.Items, ac.ID)
			}
		}
		r := f.search(t, "", "清洗滤网", "zh-CN")
		if len(r.Items) == 0 || len(r.Items[0].Highlights) == 0 {
			t.Fatalf("snippet: got %+v", r.Items)
		}
		h := r.Items[0].Highlights[0]
		if got := r.Items[0].Snippet[h[0]:h[1]]; !strings.Contains(got, "滤网") && !strings.Contains(got, "清洗") {
			t.Errorf("highlight covers %q, want a query term", got)
		}
		// English stemming: "cleaning filters" meets "clean the filter".
		if r := f.search(t, f.alice, "cleaning filters", "en"); len(r.Items) == 0 || r.Items[0].ID != en.ID {
			t.Errorf("stemmed search: got %+v", r.Items)
		}

		// Internal articles: staff only.
		const phrase = "velvet-anchor-77"
		if r := f.search(t, f.agent, phrase, ""); len(r.Items) != 1 || r.Items[0].ID != internal.ID {
			t.Errorf("staff search for the internal phrase: got %+v", r.Items)
		}
		for _, tok := range []string{f.alice, ""} {
			if r := f.search(t, tok, phrase, ""); len(r.Items) != 0 {
				t.Errorf("internal article found by a customer or visitor: %+v", r.Items)
			}
			f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/kb/articles/"+itoa(internal.ID), tok, nil)
			f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/kb/articles/"+itoa(draft.ID), tok, nil)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/kb/articles/"+itoa(internal.ID), f.tech, nil)
		var list struct{ Items []api.Article }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/kb/articles", "", nil).JSON(t, &list)
		for _, a := range list.Items {
			if a.Visibility != "public" || a.Status != "published" {
				t.Errorf("a visitor's list has %+v", a)
			}
		}
		// Whoever asks (staff too), the assistant answers from public
		// articles only.
		for i, q := range []string{"compressor replacement labour velvet anchor", phrase, "Codeword for the parts desk"} {
			var a answer
			f.mustStatus(t, http.StatusOK, "POST", "/api/v1/assistant/ask", []string{f.alice, f.agent, ""}[i], map[string]any{"question": q}).JSON(t, &a)
			if strings.Contains(a.Answer, "velvet") || strings.Contains(a.Answer, "Codeword") {
				t.Errorf("the assistant revealed the internal article: %q", a.Answer)
			}
			for _, s := range a.Sources {
				if s.ID == internal.ID {
					t.Errorf("the assistant cites the internal article for %q", q)
				}
			}
		}

		// A confident answer quotes the passage and links the article, in
		// the question's language.
		var a answer
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/assistant/ask", "", map[string]any{"question": "我的空调吹出来的风不凉，不制冷怎么处理？"}).JSON(t, &a)
		if !a.Confident || !strings.Contains(a.Answer, "滤网") || !strings.Contains(a.Answer, "/help/"+itoa(ac.ID)) || len(a.Sources) == 0 {
			t.Errorf("zh answer: %+v", a)
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/assistant/ask", f.alice, map[string]any{"question": "How long is the warranty on an air conditioner?"}).JSON(t, &a)
		if !a.Confident || !strings.Contains(a.Answer, "six-year warranty") {
			t.Errorf("en answer: %+v", a)
		}
		// Nothing covers it: not sure, and a person offered.
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/assistant/ask", f.alice, map[string]any{"question": "Can I pay for a pizza delivery with bitcoin?"}).JSON(t, &a)
		if a.Confident || !strings.Contains(a.Answer, "not sure") || !strings.Contains(a.Answer, "person") {
			t.Errorf("uncovered question: %+v", a)
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/assistant/ask", f.alice, map[string]any{"question": "火星上的天气怎么样"}).JSON(t, &a)
		if a.Confident || !strings.Contains(a.Answer, "不太确定") {
			t.Errorf("uncovered zh question: %+v", a)
		}

		// The hand-off opens a request with the conversation.
		var ho struct{ Number string }
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/assistant/handoff", f.alice, map[string]any{"conversation": []map[string]string{
			{"role": "customer", "text": "Can I pay for a pizza delivery with bitcoin?"}, {"role": "assistant", "text": a.Answer}}}).JSON(t, &ho)
		req := f.getRequest(t, f.alice, ho.Number)
		if !strings.Contains(req.Description, "pizza delivery with bitcoin") || !strings.Contains(req.Description, "Assistant: ") {
			t.Errorf("handed-off request: %+v", req.Request)
		}
		f.mustStatus(t, http.StatusForbidden, "POST", "/api/v1/assistant/handoff", f.agent, map[string]any{"conversation": []map[string]string{{"role": "customer", "text": "x"}}})
		f.mustStatus(t, http.StatusUnauthorized, "POST", "/api/v1/assistant/handoff", "", map[string]any{"conversation": []map[string]string{{"role": "customer", "text": "x"}}})

		// Versions and optimistic locking.
		var v2 api.Article
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/kb/articles/"+itoa(en.ID), f.admin, map[string]any{"version": 1,
			"title": "AC not cooling", "change": "shorter title"}).JSON(t, &v2)
		if v2.Version != 2 || v2.Title != "AC not cooling" || v2.Body != en.Body {
			t.Errorf("v2: %+v", v2)
		}
		f.mustStatus(t, http.StatusConflict, "PATCH", "/api/v1/kb/articles/"+itoa(en.ID), f.admin, map[string]any{"version": 1, "title": "x"})
		var vs struct{ Items []api.ArticleVersion }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/kb/articles/"+itoa(en.ID)+"/versions", f.agent, nil).JSON(t, &vs)
		if len(vs.Items) != 2 || vs.Items[0].Change != "shorter title" || vs.Items[1].Title != "Air conditioner not cooling" {
			t.Errorf("versions: %+v", vs.Items)
		}

		// Field errors name the field.
		for _, c := range []struct {
			body map[string]any
			loc  string
		}{
			{map[string]any{"title": "x", "body": "y", "locale": "fr"}, "body.locale"},
			{map[string]any{"title": " ", "body": "y", "locale": "en"}, "body.title"},
			{map[string]any{"title": "x", "body": "y", "locale": "en", "visibility": "secret"}, "body.visibility"},
		} {
			res := f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/kb/articles", f.manager, c.body)
			if locs := decodeProblem(t, res).locations(); len(locs) == 0 || locs[0] != c.loc {
				t.Errorf("%v: locations %v, want %s", c.body, locs, c.loc)
			}
		}
		res := f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/assistant/ask", "", map[string]any{"question": "  "})
		if locs := decodeProblem(t, res).locations(); len(locs) == 0 || locs[0] != "body.question" {
			t.Errorf("empty question: %v", locs)
		}

		// The gap report has the questions nothing answered.
		var rep api.KBReport
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/kb/report?days=7", f.manager, nil).JSON(t, &rep)
		if rep.Searches == 0 || rep.Empty == 0 || len(rep.Gaps) == 0 {
			t.Errorf("report: %+v", rep)
		}
	})
}
