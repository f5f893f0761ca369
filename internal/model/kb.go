package model

import "time"

// ArticleStatus is draft (only staff see it, never searched) or published.
type ArticleStatus string

// Article statuses.
const (
	ArticleDraft     ArticleStatus = "draft"
	ArticlePublished ArticleStatus = "published"
)

// Valid reports whether s is a known status.
func (s ArticleStatus) Valid() bool { return s == ArticleDraft || s == ArticlePublished }

// Article is a knowledge-base article at its current version.
type Article struct {
	ID int64
	// TranslationOf is the article this one translates, if any.
	TranslationOf *int64
	Locale        string // zh-CN or en
	Title         string
	Body          string // Markdown
	Category      string
	Tags          []string
	Products      []string // product SKUs it applies to
	Visibility    Visibility
	Status        ArticleStatus
	Version       int
	AuthorID      *int64
	AuthorName    string
	Views         int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ArticleVersion is an article as one save left it.
type ArticleVersion struct {
	ArticleID  int64
	Version    int
	Title      string
	Body       string
	Locale     string
	Category   string
	Tags       []string
	Products   []string
	Visibility Visibility
	Status     ArticleStatus
	Change     string
	AuthorName string
	CreatedAt  time.Time
}

// ArticleHit is one search result, best first.
type ArticleHit struct {
	Article
	// Score is BM25 (higher is better).
	Score float64
}

// SuggestionStatus is where an agent's suggested edit stands.
type SuggestionStatus string

// Suggestion statuses.
const (
	SuggestionOpen      SuggestionStatus = "open"
	SuggestionApplied   SuggestionStatus = "applied"
	SuggestionDismissed SuggestionStatus = "dismissed"
)

// ArticleSuggestion is an edit an agent proposes to an article.
type ArticleSuggestion struct {
	ID          int64
	ArticleID   int64
	BaseVersion int
	Title       string
	Body        string
	Note        string
	Status      SuggestionStatus
	ByName      string
	CreatedAt   time.Time
	DecidedAt   *time.Time
	DecidedBy   string
}

// SearchSource says where a knowledge-base search came from.
type SearchSource string

// Search sources.
const (
	SearchFromSearch    SearchSource = "search"
	SearchFromAssistant SearchSource = "assistant"
	SearchFromDeflect   SearchSource = "deflect"
)

// SearchGap is a query that found nothing, with how often it was asked.
type SearchGap struct {
	Query  string
	Locale string
	Count  int
	Last   time.Time
}

// DeflectionStat is one article's showing in the new-request form: how
// often customers opened it from the suggestions, and how many of those
// left without submitting a request (deflected).
type DeflectionStat struct {
	ArticleID int64
	Title     string
	Locale    string
	Opened    int
	Deflected int
}
