package store_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

func newArticle(t *testing.T, s *store.Store, locale, title, body string, vis model.Visibility, status model.ArticleStatus) *model.Article {
	t.Helper()
	a := &model.Article{Locale: locale, Title: title, Body: body, Visibility: vis, Status: status, AuthorName: "admin"}
	if err := s.CreateArticle(context.Background(), a, "new"); err != nil {
		t.Fatal(err)
	}
	return a
}

func search(t *testing.T, s *store.Store, q, locale string, publicOnly bool) []model.ArticleHit {
	t.Helper()
	terms, _ := tokenize.Query(q)
	hits, err := s.SearchArticles(context.Background(), store.ArticleSearch{Terms: terms, Locale: locale, PublicOnly: publicOnly, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// TestArticleSearchRanksAlikeOnBothStores checks the search on both
// stores against one set of articles: the same order and the same BM25
// scores (FTS5's bm25() on SQLite, the SQL in kb_search.go on PostgreSQL),
// visibility and drafts respected, and a new version re-indexed.
func TestArticleSearchRanksAlikeOnBothStores(t *testing.T) {
	scores := map[store.Dialect][]float64{}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ac := newArticle(t, s, "zh-CN", "空调不制冷怎么办", "KFR-35GW 空调不制冷时，先检查滤网是否堵塞，再看室外机是否运转。", model.VisibilityPublic, model.ArticlePublished)
		wash := newArticle(t, s, "zh-CN", "洗衣机不脱水", "滚筒洗衣机不脱水多半是衣物不平衡或排水泵堵塞。", model.VisibilityPublic, model.ArticlePublished)
		internal := newArticle(t, s, "zh-CN", "压缩机更换工时标准", "内部：空调压缩机更换工时 3 小时，暗号 zebra-quartz。", model.VisibilityInternal, model.ArticlePublished)
		draft := newArticle(t, s, "en", "Resetting the remote", "Hold the reset button for five seconds.", model.VisibilityPublic, model.ArticleDraft)
		en := newArticle(t, s, "en", "Warranty length", "Every washer carries a two-year warranty on parts and labour.", model.VisibilityPublic, model.ArticlePublished)
		// Other articles, so that the idf of 空调 is well above zero.
		for _, title := range []string{"Opening hours", "Invoices", "发票开具", "上门服务时间", "Shipping a unit", "配件价格"} {
			newArticle(t, s, "en", title, title+" details.", model.VisibilityPublic, model.ArticlePublished)
		}

		hits := search(t, s, "空调", "", false)
		if len(hits) != 2 || hits[0].ID != ac.ID || hits[1].ID != internal.ID {
			t.Fatalf("空调 as staff: got %v, want the fault article then the internal one", ids(hits))
		}
		var sc []float64
		for _, h := range hits {
			sc = append(sc, h.Score)
		}
		scores[s.Dialect()] = sc
		if hits := search(t, s, "空调", "", true); len(hits) != 1 || hits[0].ID != ac.ID {
			t.Errorf("空调 in public: got %v, want only %d", ids(hits), ac.ID)
		}
		if hits := search(t, s, "zebra-quartz", "", true); len(hits) != 0 {
			t.Errorf("internal phrase in public: got %v", ids(hits))
		}
		if hits := search(t, s, "kfr35gw", "zh-CN", true); len(hits) != 1 || hits[0].ID != ac.ID {
			t.Errorf("model number: got %v", ids(hits))
		}
		if hits := search(t, s, "脱水", "", true); len(hits) != 1 || hits[0].ID != wash.ID {
			t.Errorf("脱水: got %v", ids(hits))
		}
		if hits := search(t, s, "reset remote", "", false); len(hits) != 0 {
			t.Errorf("a draft is not searched: got %v", ids(hits))
		}
		if hits := search(t, s, "warranties", "zh-CN", false); len(hits) != 0 {
			t.Errorf("locale filter: got %v", ids(hits))
		}
		if hits := search(t, s, "warranties", "en", false); len(hits) != 1 || hits[0].ID != en.ID {
			t.Errorf("stemmed English: got %v", ids(hits))
		}

		// Publishing the draft indexes it; a new version replaces the old
		// terms.
		if _, err := s.UpdateArticle(ctx, draft.ID, 1, "publish", func(a *model.Article) error {
			a.Status = model.ArticlePublished
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, s, "reset remote", "", true); len(hits) != 1 || hits[0].ID != draft.ID {
			t.Errorf("published: got %v", ids(hits))
		}
		if _, err := s.UpdateArticle(ctx, draft.ID, 2, "reword", func(a *model.Article) error {
			a.Title, a.Body = "Pairing the controller", "Hold the pair button."
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if hits := search(t, s, "reset", "", true); len(hits) != 0 {
			t.Errorf("old wording still found: got %v", ids(hits))
		}
		if _, err := s.UpdateArticle(ctx, draft.ID, 2, "stale", func(*model.Article) error { return nil }); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("stale version: got %v, want a conflict", err)
		}
		vs, err := s.ArticleVersions(ctx, draft.ID)
		if err != nil || len(vs) != 3 || vs[0].Version != 3 || vs[2].Title != "Resetting the remote" || vs[0].Change != "reword" {
			t.Errorf("versions: got %+v, %v", vs, err)
		}
	})
	sq, pg := scores[store.SQLite], scores[store.Postgres]
	if len(pg) == 0 {
		return // PostgreSQL skipped
	}
	if len(sq) != len(pg) {
		t.Fatalf("scores: SQLite %v, PostgreSQL %v", sq, pg)
	} else {
		for i := range sq {
			if sq[i] <= 0.01 || math.Abs(sq[i]-pg[i]) > 1e-9*math.Abs(sq[i]) {
				t.Errorf("score %d: SQLite %v, PostgreSQL %v; want the same BM25", i, sq[i], pg[i])
			}
		}
	}
}

func ids(hits []model.ArticleHit) []int64 {
	out := make([]int64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// TestConcurrentArticleSaves: writers saving from the same version at
// once — exactly one wins, the others get a conflict, and the history has
// one row per saved version.
func TestConcurrentArticleSaves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newArticle(t, s, "en", "Race", "Start.", model.VisibilityPublic, model.ArticlePublished)
		const writers = 8
		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				_, err := s.UpdateArticle(ctx, a.ID, 1, "race", func(x *model.Article) error {
					x.Body = "Writer " + string(rune('A'+i))
					return nil
				})
				errs <- err
			}()
		}
		won, conflicts := 0, 0
		for range writers {
			switch err := <-errs; model.ErrorCode(err) {
			case "":
				won++
			case model.ECONFLICT:
				conflicts++
			default:
				t.Errorf("save: %v", err)
			}
		}
		vs, err := s.ArticleVersions(ctx, a.ID)
		if won != 1 || conflicts != writers-1 || err != nil || len(vs) != 2 {
			t.Errorf("won %d, conflicts %d, versions %d (%v); want 1, %d, 2", won, conflicts, len(vs), err, writers-1)
		}
	})
}

// TestArticleListKeyset: the article list pages by (updated_at, id) with
// no article twice or left out, past any fixed cap; public-only pages
// leave out drafts and internal articles; a forged cursor is a field
// error.
func TestArticleListKeyset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		want := map[int64]bool{}
		for i := range 11 {
			a := newArticle(t, s, "en", fmt.Sprintf("Article %d", i), "Body", model.VisibilityPublic, model.ArticlePublished)
			want[a.ID] = true
		}
		newArticle(t, s, "en", "Internal", "Body", model.VisibilityInternal, model.ArticlePublished)
		newArticle(t, s, "en", "Draft", "Body", model.VisibilityPublic, model.ArticleDraft)
		seen := map[int64]bool{}
		var pages int
		f := store.ArticleFilter{PublicOnly: true, Limit: 4}
		var last *model.Article
		for {
			page, err := s.ListArticles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for i, a := range page.Items {
				if seen[a.ID] || !want[a.ID] {
					t.Errorf("page %d: article %d (%s) twice or not public", pages, a.ID, a.Title)
				}
				seen[a.ID] = true
				if last != nil && (a.UpdatedAt.After(last.UpdatedAt) || (a.UpdatedAt.Equal(last.UpdatedAt) && a.ID > last.ID)) {
					t.Errorf("page %d row %d: %d after %d is not last-updated-first", pages, i, a.ID, last.ID)
				}
				last = &page.Items[i]
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		if len(seen) != 11 || pages != 3 {
			t.Errorf("got %d articles in %d pages, want 11 in 3", len(seen), pages)
		}
		all, err := s.ListArticles(ctx, store.ArticleFilter{Limit: 100})
		if err != nil || len(all.Items) != 13 {
			t.Errorf("staff list: %d articles (%v), want 13", len(all.Items), err)
		}
		if _, err := s.ListArticles(ctx, store.ArticleFilter{Cursor: "bm90LWEtY3Vyc29y"}); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("forged cursor: got %v, want invalid", err)
		}
	})
}
