package kb

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/aftercare/aftercare/internal/store"
)

// The similar-request search and the classifiers behind the agent panel
// learn from the last historySize resolved requests. Reading and
// tokenizing them and training three classifiers costs far more than the
// rest of a page view, so the learnt history is kept and rebuilt only
// when it is stale: when the resolved requests changed (their count or
// newest id moved) and the last build is at least HistoryMinAge old, or
// when it is older than HistoryMaxAge whatever happened. Each node keeps
// its own; they differ by at most HistoryMinAge of history, and what they
// show are suggestions.
const (
	HistoryMinAge = time.Minute
	HistoryMaxAge = 15 * time.Minute
)

// history is the learnt past: the requests, their term sets and the
// classifiers trained on them.
type history struct {
	past                    []store.PastRequest
	docs                    []map[string]bool
	typ, category, priority *bayes
	mark                    store.HistoryMark
	built                   time.Time
}

// historyCache holds the current history; builds are serialised.
type historyCache struct {
	mu     sync.Mutex
	cur    *history
	builds int // how many times it was built (tests)
}

// learnt returns the history, rebuilt first when it is stale.
func (s *Service) learnt(ctx context.Context) (*history, error) {
	c := s.hist
	mark, err := s.store.PastRequestsMark(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.store.Now()
	if h := c.cur; h != nil {
		age := now.Sub(h.built)
		if age < HistoryMaxAge && (h.mark == mark || age < HistoryMinAge) {
			return h, nil
		}
	}
	past, err := s.store.PastRequests(ctx, 0, historySize)
	if err != nil {
		return nil, err
	}
	h := &history{past: past, docs: make([]map[string]bool, len(past)), mark: mark, built: now,
		typ: newBayes(), category: newBayes(), priority: newBayes()}
	for i := range past {
		pr := &past[i]
		h.docs[i] = termSet(pr.Subject + " " + pr.Description)
		h.typ.add(string(pr.Type), h.docs[i])
		h.priority.add(string(pr.Priority), h.docs[i])
		h.category.add(categoryLabel(pr), h.docs[i])
	}
	c.cur = h
	c.builds++
	return h, nil
}

func categoryLabel(pr *store.PastRequest) string {
	if pr.CategoryID == nil {
		return ""
	}
	return strconv.FormatInt(*pr.CategoryID, 10)
}
