// Package assistant is the self-service assistant (智能客服) of the
// portal: it answers a customer's question from the public knowledge-base
// articles, quoting the passage it relies on with a link, in the
// question's language where an article in that language exists; when it
// is not confident it says so and offers a person, and the hand-off opens
// a request with the conversation attached.
//
// It works offline: retrieval (the knowledge base's BM25 search) and an
// extractive answer (the article's sentences that hold the most of the
// question's terms). Confidence is the share of the question's own terms
// (or their synonyms) that the best article contains: at least
// MinCoverage is confident. When an OpenAI-compatible endpoint is
// configured (LLM), it phrases the answer from the same passages only;
// any failure falls back to the extractive answer.
//
// Internal articles never reach it: every search it makes is public-only,
// whoever asks.
package assistant

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// Limits.
const (
	// MaxQuestion bounds a question, in characters.
	MaxQuestion = 1000
	// MaxTurns bounds a handed-off conversation.
	MaxTurns = 50
	// MinCoverage is the share of the question's content the best
	// article must hold for a confident answer. It was chosen on the
	// question set of quality_test.go (there is no held-out set): the
	// highest value that keeps most answerable questions confident while
	// questions nothing covers stay below it.
	MinCoverage = 0.4
)

// Options configure the assistant.
type Options struct {
	// LLM phrases answers when set.
	LLM *LLM
	// Now is the clock of the rate limiter (nil: time.Now).
	Now func() time.Time
	// Store, when set, keeps the rate limit of anonymous questions: in
	// the database on PostgreSQL, so that every node counts against one
	// limit (nil: in memory).
	Store  *store.Store
	Logger *slog.Logger
}

// Service answers questions and hands conversations over.
type Service struct {
	kb       *kb.Service
	requests *request.Service
	llm      *LLM
	limiter  auth.RateLimiter
	log      *slog.Logger
}

// Anonymous visitors may ask this many questions at once, then one every
// few seconds, per client address.
const (
	anonBurst    = 20
	anonInterval = 3 * time.Second
	anonKeys     = 10_000
)

// New returns the assistant over the knowledge base and the request
// service (for the hand-off).
func New(k *kb.Service, requests *request.Service, opts Options) *Service {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Service{kb: k, requests: requests, llm: opts.LLM, log: opts.Logger,
		limiter: auth.NewRateLimiter(opts.Store, "assistant", anonBurst, anonInterval, anonKeys, opts.Now)}
}

// Allow takes one question of an anonymous client (by address) and
// refuses it (ERATELIMIT) when the client asked too many.
func (s *Service) Allow(ctx context.Context) error {
	key := "unknown"
	if a, err := netip.ParseAddr(model.ClientAddr(ctx)); err == nil {
		key = clientip.RateKey(a)
	}
	if ok, after, err := s.limiter.Take(ctx, key); err != nil {
		return err
	} else if !ok {
		return model.Errorf(model.ERATELIMIT, "too many questions; wait %s", after.Round(time.Second))
	}
	return nil
}

// Source is an article an answer relies on.
type Source struct {
	ID    int64
	Title string
	URL   string
}

// Answer is the assistant's reply.
type Answer struct {
	Text      string
	Confident bool
	Sources   []Source
	// Locale is the language of the answer.
	Locale string
	// Passage is the quoted text (empty when not confident).
	Passage string
}

// ArticleURL is the public page of an article.
func ArticleURL(id int64) string { return fmt.Sprintf("/help/%d", id) }

// Language guesses the language of text: zh-CN when it has Chinese
// characters, else en.
func Language(text string) string {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return "zh-CN"
		}
	}
	return "en"
}

// Ask answers question for p (a customer, or the zero Principal for an
// anonymous visitor). locale, when empty, is guessed from the question.
func (s *Service) Ask(ctx context.Context, p model.Principal, question, locale string) (*Answer, error) {
	question = strings.TrimSpace(question)
	switch {
	case question == "":
		return nil, model.FieldError("question", "is required")
	case utf8.RuneCountInString(question) > MaxQuestion:
		return nil, model.FieldError("question", "must be at most %d characters", MaxQuestion)
	case locale != "" && locale != "zh-CN" && locale != "en":
		return nil, model.FieldError("locale", "must be zh-CN or en")
	}
	if locale == "" {
		locale = Language(question)
	}
	hits, err := s.kb.Search(ctx, p, kb.Query{Text: question, Locale: locale, Limit: 3, PublicOnly: true})
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		// No article in the question's language: any language will do.
		if hits, err = s.kb.Search(ctx, p, kb.Query{Text: question, Limit: 3, PublicOnly: true}); err != nil {
			return nil, err
		}
	}
	if err := s.kb.LogSearch(ctx, question, locale, model.SearchFromAssistant, len(hits)); err != nil {
		return nil, err
	}
	ans := &Answer{Locale: locale}
	for _, h := range hits {
		ans.Sources = append(ans.Sources, Source{ID: h.ID, Title: h.Title, URL: ArticleURL(h.ID)})
	}
	if len(hits) == 0 {
		ans.Text = notSure(locale, nil)
		return ans, nil
	}
	best := hits[0].Article
	own := tokenize.Terms(question)
	cover := Coverage(question, best.Title+"\n"+best.Body)
	if cover < MinCoverage {
		ans.Text = notSure(locale, &best)
		return ans, nil
	}
	// Prefer the translation in the question's language.
	if best.Locale != locale {
		if ts, err := s.kb.Translations(ctx, p, &best); err == nil {
			for _, t := range ts {
				if t.Locale == locale {
					best = t
					ans.Sources = append([]Source{{ID: t.ID, Title: t.Title, URL: ArticleURL(t.ID)}}, ans.Sources...)
					break
				}
			}
		}
	}
	ans.Confident = true
	ans.Passage = Passage(own, best.Body)
	ans.Text = quote(best.Locale, &best, ans.Passage)
	if s.llm != nil {
		if text, err := s.llm.Phrase(ctx, question, locale, hits); err != nil {
			s.log.Warn("assistant: language model failed; extractive answer given", "err", err)
		} else if text != "" {
			ans.Text = text + "\n\n" + sourceLine(locale, &best)
		}
	}
	return ans, nil
}

// Coverage is the share of the question's content that text answers to:
// each English word (stop words left out) counts one, each Chinese
// character inside a term counts one (function characters and question
// words are not terms), and a unit is covered when a term spanning it is
// among text's terms, or one of the term's synonyms is. Counting Chinese by
// character keeps the bigrams that straddle two words from weighing as
// much as the words themselves.
func Coverage(question, text string) float64 {
	have := map[string]bool{}
	for _, t := range tokenize.Terms(text) {
		have[t] = true
	}
	type unit struct{ start, end int }
	covered := map[unit]float64{}
	units := map[unit]bool{}
	for _, tok := range tokenize.Tokens(question) {
		hit := 0.0
		for _, alt := range tokenize.Alternatives(tok.Term) {
			if have[alt] {
				hit = 1
				break
			}
		}
		span := question[tok.Start:tok.End]
		if Language(span) != "zh-CN" {
			u := unit{tok.Start, tok.End}
			units[u] = true
			covered[u] = max(covered[u], hit)
			continue
		}
		for i, r := range span {
			u := unit{tok.Start + i, tok.Start + i + utf8.RuneLen(r)}
			units[u] = true
			covered[u] = max(covered[u], hit)
		}
	}
	if len(units) == 0 {
		return 0
	}
	sum := 0.0
	for u := range units {
		sum += covered[u]
	}
	return sum / float64(len(units))
}

// Passage picks the sentences of body that hold the most of the
// question's terms: the best sentence, and the next one when the best is
// short.
func Passage(own []string, body string) string {
	text := kb.PlainText(body)
	sentences := splitSentences(text)
	if len(sentences) == 0 {
		return ""
	}
	bestI, bestN := 0, -1
	for i, sent := range sentences {
		have := map[string]bool{}
		for _, t := range tokenize.Terms(sent) {
			have[t] = true
		}
		n := 0
		for _, t := range own {
			for _, alt := range tokenize.Alternatives(t) {
				if have[alt] {
					n++
					break
				}
			}
		}
		if n > bestN {
			bestI, bestN = i, n
		}
	}
	out := sentences[bestI]
	if utf8.RuneCountInString(out) < 40 && bestI+1 < len(sentences) {
		out += sep(out) + sentences[bestI+1]
	}
	return out
}

func sep(s string) string {
	if Language(s) == "zh-CN" {
		return ""
	}
	return " "
}

func splitSentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if strings.ContainsRune("。！？!?\n", r) || (r == '.' && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n')) {
			end := i + utf8.RuneLen(r)
			if r == '\n' {
				end = i
			}
			if s := strings.TrimSpace(text[start:end]); s != "" {
				out = append(out, s)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func quote(locale string, a *model.Article, passage string) string {
	if locale == "zh-CN" {
		return fmt.Sprintf("根据《%s》：“%s”\n\n全文：%s", a.Title, passage, ArticleURL(a.ID))
	}
	return fmt.Sprintf("From “%s”: “%s”\n\nFull article: %s", a.Title, passage, ArticleURL(a.ID))
}

func sourceLine(locale string, a *model.Article) string {
	if locale == "zh-CN" {
		return fmt.Sprintf("来源：《%s》 %s", a.Title, ArticleURL(a.ID))
	}
	return fmt.Sprintf("Source: “%s” %s", a.Title, ArticleURL(a.ID))
}

// notSure is the low-confidence reply: it says so and offers a person,
// pointing at the closest article when there is one.
func notSure(locale string, closest *model.Article) string {
	if locale == "zh-CN" {
		s := "抱歉，这个问题我不太确定，知识库里没有找到可靠的答案。需要为您转接人工客服吗？转接后，我们的客服会看到这段对话。"
		if closest != nil {
			s += fmt.Sprintf("\n\n也许这篇文章有帮助：《%s》 %s", closest.Title, ArticleURL(closest.ID))
		}
		return s
	}
	s := "I'm not sure about this: I found no reliable answer in our help articles. Would you like to talk to a person? " +
		"They will see this conversation."
	if closest != nil {
		s += fmt.Sprintf("\n\nThis article might help: “%s” %s", closest.Title, ArticleURL(closest.ID))
	}
	return s
}

// Turn is one message of a conversation.
type Turn struct {
	Role string // "customer" (or "user") and "assistant"
	Text string
}

// Handoff opens a request for the customer p with the conversation
// attached (its description), and returns it.
func (s *Service) Handoff(ctx context.Context, p model.Principal, turns []Turn) (*model.Request, error) {
	if !p.IsCustomer() || !p.Can(model.PermRequestOpen) {
		return nil, model.Errorf(model.EFORBIDDEN, "only a signed-in customer can be handed over to a person")
	}
	if len(turns) == 0 {
		return nil, model.FieldError("conversation", "is required")
	}
	if len(turns) > MaxTurns {
		return nil, model.FieldError("conversation", "at most %d messages", MaxTurns)
	}
	var b strings.Builder
	subject := ""
	zh := p.Locale == "zh-CN"
	for i, t := range turns {
		text := strings.TrimSpace(t.Text)
		field := fmt.Sprintf("conversation[%d]", i)
		switch {
		case t.Role != "customer" && t.Role != "user" && t.Role != "assistant":
			return nil, model.FieldError(field+".role", "must be customer or assistant")
		case text == "":
			return nil, model.FieldError(field+".text", "is required")
		case utf8.RuneCountInString(text) > 4000:
			return nil, model.FieldError(field+".text", "must be at most 4000 characters")
		}
		who := "Customer"
		if t.Role == "assistant" {
			who = "Assistant"
		} else if subject == "" {
			subject = text
			zh = Language(text) == "zh-CN"
		}
		fmt.Fprintf(&b, "%s: %s\n\n", who, text)
	}
	if subject == "" {
		return nil, model.FieldError("conversation", "has no customer message")
	}
	if utf8.RuneCountInString(subject) > 80 {
		subject = string([]rune(subject)[:80]) + "…"
	}
	if utf8.RuneCountInString(b.String()) > request.MaxDescription-100 {
		return nil, model.FieldError("conversation", "is too long (at most %d characters in all)", request.MaxDescription-100)
	}
	intro := "Handed over by the self-service assistant. The conversation:\n\n"
	if zh {
		intro = "由智能客服转人工。对话记录：\n\n"
	}
	return s.requests.Create(ctx, p, request.CreateInput{Type: model.TypeInquiry, Subject: subject,
		Description: intro + b.String(), Via: model.ChannelWeb})
}
