package assistant_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

var writer = model.Principal{Kind: model.KindStaff, ID: 0, Name: "writer", Role: model.RoleManager}

func put(t *testing.T, k *kb.Service, locale, title, body string, vis model.Visibility, of *int64) *model.Article {
	t.Helper()
	a, err := k.Create(context.Background(), writer, kb.Input{Title: &title, Body: &body, Locale: &locale, Visibility: &vis, TranslationOf: of})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestLanguageModelPhrasesFromPassages runs the assistant against a fake
// OpenAI-compatible server on 127.0.0.1: it gets the key as a bearer
// token, the model, and only the public passages; its reply is the
// answer, with the source line; when it fails, the extractive answer is
// given instead.
func TestLanguageModelPhrasesFromPassages(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	k := kb.NewService(st)
	pub := put(t, k, "en", "Cleaning the filter", "Open the front panel and rinse the filter under running water every two weeks.", model.VisibilityPublic, nil)
	put(t, k, "en", "Filter supplier prices", "Internal: the filter costs 4.20 from supplier Quokka-Nine.", model.VisibilityInternal, nil)

	var got struct {
		auth, model string
		system      string
	}
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || fail {
			http.Error(w, "no", http.StatusBadGateway)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Role, Content string }
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		got.auth, got.model, got.system = r.Header.Get("Authorization"), req.Model, req.Messages[0].Content
		_, _ = w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"Rinse the filter every two weeks."}}]}`))
	}))
	defer srv.Close()

	llm := &assistant.LLM{URL: srv.URL + "/v1", Model: "tiny", Key: "sk-test-123"}
	a := assistant.New(k, nil, assistant.Options{LLM: llm})
	ans, err := a.Ask(context.Background(), model.Principal{}, "How do I clean the filter?", "")
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Confident || !strings.HasPrefix(ans.Text, "Rinse the filter every two weeks.") || !strings.Contains(ans.Text, "/help/") {
		t.Errorf("answer: %+v", ans)
	}
	if got.auth != "Bearer sk-test-123" || got.model != "tiny" {
		t.Errorf("request: auth %q, model %q", got.auth, got.model)
	}
	if !strings.Contains(got.system, "rinse the filter under running water") || strings.Contains(got.system, "Quokka") {
		t.Errorf("passages sent: %q; want the public one only", got.system)
	}
	if len(ans.Sources) == 0 || ans.Sources[0].ID != pub.ID {
		t.Errorf("sources: %+v", ans.Sources)
	}

	fail = true
	ans, err = a.Ask(context.Background(), model.Principal{}, "How do I clean the filter?", "")
	if err != nil || !strings.Contains(ans.Text, "rinse the filter under running water") {
		t.Errorf("fallback answer: %+v, %v", ans, err)
	}
}

// TestAnswersInTheQuestionsLanguage: an English question about an
// article written in Chinese with an English translation is answered
// from the translation.
func TestAnswersInTheQuestionsLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		k := kb.NewService(st)
		zh := put(t, k, "zh-CN", "遥控器配对", "遥控器失灵时，同时按住模式键和温度键五秒即可重新配对。", model.VisibilityPublic, nil)
		en := put(t, k, "en", "Pairing the remote", "When the remote stops working, hold the mode and temperature buttons together for five seconds to pair it again.", model.VisibilityPublic, &zh.ID)
		a := assistant.New(k, nil, assistant.Options{})
		ans, err := a.Ask(context.Background(), model.Principal{}, "遥控器失灵怎么重新配对", "")
		if err != nil || !ans.Confident || !strings.Contains(ans.Text, "五秒") || ans.Locale != "zh-CN" {
			t.Errorf("zh: %+v, %v", ans, err)
		}
		ans, err = a.Ask(context.Background(), model.Principal{}, "my remote stopped working, how do I pair it?", "")
		if err != nil || !ans.Confident || !strings.Contains(ans.Text, "five seconds") || !strings.Contains(ans.Text, "/help/"+itoa(en.ID)) {
			t.Errorf("en: %+v, %v", ans, err)
		}
	})
}

func TestAnonymousRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	a := assistant.New(nil, nil, assistant.Options{Now: func() time.Time { return now }})
	ctx := model.WithClientAddr(context.Background(), "127.0.0.1")
	other := model.WithClientAddr(context.Background(), "127.0.0.2")
	n := 0
	for ; n < 100 && a.Allow(ctx) == nil; n++ {
	}
	if n != 20 {
		t.Errorf("allowed %d questions at once, want 20", n)
	}
	if err := a.Allow(ctx); model.ErrorCode(err) != model.ERATELIMIT {
		t.Errorf("over the limit: got %v", err)
	}
	if err := a.Allow(other); err != nil {
		t.Errorf("another client: %v", err)
	}
	now = now.Add(4 * time.Second)
	if err := a.Allow(ctx); err != nil {
		t.Errorf("after the interval: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
