package demo

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// checkSearch: every seeded request and message has its search document,
// written as CreateRequest and AddMessage write theirs, so an agent's
// search finds seeded requests: a parcel's tracking number (a word in one
// conversation) finds exactly the requests whose messages carry it, and
// a two-character Chinese word finds requests that contain it.
func checkSearch(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	docs := "request_search_docs"
	if st.Dialect() == store.Postgres {
		docs = "request_search"
	}
	if n := count(t, st, "SELECT COUNT(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM "+docs+" d WHERE d.doc_id = -r.id)"); n != 0 {
		t.Errorf("%d seeded requests have no search document", n)
	}
	// A message without a word worth indexing ("Got it, thank you!") has
	// no document, as putSearchDoc leaves it.
	for _, body := range strs(t, st, "SELECT body FROM messages m WHERE NOT EXISTS (SELECT 1 FROM "+docs+" d WHERE d.doc_id = m.id)") {
		if terms := tokenize.SearchTerms(body); len(terms) > 0 {
			t.Errorf("seeded message %q (terms %v) has no search document", body, terms)
			break
		}
	}

	bodies := strs(t, st, "SELECT body FROM messages WHERE body LIKE '%SF1%' ORDER BY id LIMIT 1")
	if len(bodies) == 0 {
		t.Fatal("no seeded message names a tracking number")
	}
	tracking := regexp.MustCompile(`SF\d{13}`).FindString(bodies[0])
	want := strs(t, st, "SELECT DISTINCT r.number FROM requests r JOIN messages m ON m.request_id = r.id WHERE m.body LIKE '%"+tracking+"%' ORDER BY r.number")
	page, err := st.ListRequests(ctx, model.RequestFilter{Query: tracking, Limit: 50})
	if err != nil {
		t.Fatalf("search %s: %v", tracking, err)
	}
	var got []string
	for _, r := range page.Items {
		got = append(got, r.Number)
	}
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("search for tracking number %s: got %v, want %v", tracking, got, want)
	}

	const word = "漏水"
	page, err = st.ListRequests(ctx, model.RequestFilter{Query: word, Limit: 10})
	if err != nil {
		t.Fatalf("search %s: %v", word, err)
	}
	if len(page.Items) == 0 {
		t.Fatalf("search for %s found no seeded request", word)
	}
	for _, r := range page.Items {
		texts := strs(t, st, "SELECT subject || ' ' || description FROM requests WHERE number = '"+r.Number+"' UNION ALL "+
			"SELECT m.body FROM messages m JOIN requests q ON q.id = m.request_id WHERE q.number = '"+r.Number+"'")
		if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, word) }) {
			t.Errorf("search for %s found %s, which does not contain it", word, r.Number)
		}
	}
}
