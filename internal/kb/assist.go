package kb

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// Agent assistance on a request page: articles that match it, similar
// earlier requests with how they were resolved, and a suggested type,
// category and priority learnt from the store's own history (shown as
// suggestions; nothing is applied).

// historySize is how many recent resolved requests the similar-request
// search and the classifier learn from.
const historySize = 1000

// Similar is an earlier request like this one.
type Similar struct {
	Number, Subject string
	Status          model.Status
	// Resolution is the last public reply staff wrote on it.
	Resolution string
	// Score is the cosine similarity of the two requests' terms (0…1).
	Score float64
}

// Guess is a suggested value with the classifier's probability.
type Guess struct {
	Value string
	P     float64
}

// Assistance is what the request page suggests to an agent.
type Assistance struct {
	Articles []Hit
	Similar  []Similar
	// Type, Category (a category id, "" for none) and Priority are the
	// classifier's suggestions; nil when it has too little history.
	Type, Category, Priority *Guess
	// Learnt is the number of past requests the suggestions come from.
	Learnt int
}

// minHistory is the fewest past requests the classifier learns from.
const minHistory = 30

// Assist returns the assistance for request r (staff only).
func (s *Service) Assist(ctx context.Context, p model.Principal, r *model.Request) (*Assistance, error) {
	if !p.Can(model.PermKBRead) {
		return nil, forbidden()
	}
	text := r.Subject + "\n" + r.Description
	if n := []rune(text); len(n) > MaxQuery {
		text = string(n[:MaxQuery])
	}
	out := &Assistance{}
	var err error
	if out.Articles, err = s.Search(ctx, p, Query{Text: text, Limit: 3}); err != nil {
		return nil, err
	}
	h, err := s.learnt(ctx)
	if err != nil {
		return nil, err
	}
	own := termSet(r.Subject + " " + r.Description)
	type scored struct {
		i     int
		score float64
	}
	var best []scored
	self := -1 // r itself, when it is in the history: never similar to itself, never learnt from
	for i, pr := range h.past {
		if pr.ID == r.ID {
			self = i
			continue
		}
		if sc := cosine(own, h.docs[i]); sc >= 0.2 {
			best = append(best, scored{i, sc})
		}
	}
	sort.SliceStable(best, func(a, b int) bool { return best[a].score > best[b].score })
	for _, b := range best[:min(3, len(best))] {
		pr := h.past[b.i]
		res, err := s.store.LastStaffReply(ctx, pr.ID)
		if err != nil {
			return nil, err
		}
		out.Similar = append(out.Similar, Similar{Number: pr.Number, Subject: pr.Subject, Status: pr.Status,
			Resolution: res, Score: b.score})
	}
	n := len(h.past)
	if self >= 0 {
		n--
	}
	if n >= minHistory {
		out.Learnt = n
		guess := func(nb *bayes, label func(pr *store.PastRequest) string) *Guess {
			var v string
			var p float64
			if self >= 0 {
				v, p = nb.bestWithout(own, label(&h.past[self]), h.docs[self])
			} else {
				v, p = nb.best(own)
			}
			return &Guess{Value: v, P: p}
		}
		out.Type = guess(h.typ, func(pr *store.PastRequest) string { return string(pr.Type) })
		out.Priority = guess(h.priority, func(pr *store.PastRequest) string { return string(pr.Priority) })
		out.Category = guess(h.category, categoryLabel)
	}
	return out, nil
}

func termSet(text string) map[string]bool {
	out := map[string]bool{}
	for _, t := range tokenize.Terms(strings.ToLower(text)) {
		out[t] = true
	}
	return out
}

func cosine(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return float64(n) / math.Sqrt(float64(len(a))*float64(len(b)))
}

// bayes is a multinomial naive Bayes classifier over term sets with
// Laplace smoothing.
type bayes struct {
	docs  map[string]int
	terms map[string]map[string]int
	total map[string]int
	vocab map[string]bool
	n     int
}

func newBayes() *bayes {
	return &bayes{docs: map[string]int{}, terms: map[string]map[string]int{}, total: map[string]int{}, vocab: map[string]bool{}}
}

func (b *bayes) add(label string, doc map[string]bool) {
	b.n++
	b.docs[label]++
	if b.terms[label] == nil {
		b.terms[label] = map[string]int{}
	}
	for t := range doc {
		b.terms[label][t]++
		b.total[label]++
		b.vocab[t] = true
	}
}

// best returns the most probable label of doc and its posterior.
func (b *bayes) best(doc map[string]bool) (string, float64) { return b.bestWithout(doc, "", nil) }

// bestWithout is best as if the document without (labelled exLabel) had
// not been learnt: the trained counts are shared, so it is left out of
// them on the fly rather than untrained.
func (b *bayes) bestWithout(doc map[string]bool, exLabel string, without map[string]bool) (string, float64) {
	labels := make([]string, 0, len(b.docs))
	for l, n := range b.docs {
		if without != nil && l == exLabel && n == 1 {
			continue // its only document is the one left out
		}
		labels = append(labels, l)
	}
	if len(labels) == 0 {
		return "", 0
	}
	sort.Strings(labels)
	logp := make([]float64, len(labels))
	v := float64(len(b.vocab))
	n := b.n
	if without != nil {
		n--
	}
	for i, l := range labels {
		docs, total := b.docs[l], b.total[l]
		ex := without != nil && l == exLabel
		if ex {
			docs, total = docs-1, total-len(without)
		}
		lp := math.Log(float64(docs) / float64(n))
		for t := range doc {
			if !b.vocab[t] {
				continue
			}
			c := b.terms[l][t]
			if ex && without[t] {
				c--
			}
			lp += math.Log((float64(c) + 1) / (float64(total) + v))
		}
		logp[i] = lp
	}
	top, mx := 0, math.Inf(-1)
	for i, lp := range logp {
		if lp > mx {
			top, mx = i, lp
		}
	}
	sum := 0.0
	for _, lp := range logp {
		sum += math.Exp(lp - mx)
	}
	return labels[top], 1 / sum
}
