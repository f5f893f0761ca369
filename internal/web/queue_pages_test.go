package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestQueueCountAndPreviousPage: the queue says how many requests its
// filter finds, and from the second page a "previous page" link leads
// back to the first page, which has none; in both languages.
func TestQueueCountAndPreviousPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 28 { // 30 with the fixture's two: two pages of 25
		if _, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeInquiry,
			Subject: fmt.Sprintf("Question %02d", i), CustomerID: f.alice.ID}); err != nil {
			t.Fatal(err)
		}
	}
	b := bundle(t)
	link := regexp.MustCompile(`id="pager-(prev|next)" href="([^"]+)"`)
	links := func(body string) map[string]string {
		out := map[string]string{}
		for _, m := range link.FindAllStringSubmatch(body, -1) {
			out[m[1]] = html.UnescapeString(m[2])
		}
		return out
	}
	rows := regexp.MustCompile(`<tr data-number="([^"]+)"`)
	numbers := func(body string) string {
		var out []string
		for _, m := range rows.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return strings.Join(out, ",")
	}
	for _, lang := range []string{"en", "zh-CN"} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		first := c.get("/queue?view=all")
		expect(t, lang+": first page", first, http.StatusOK, []string{html.EscapeString(b.T(lang, "queue.count.other", "30"))}, []string{`id="pager-prev"`})
		next := links(first.body)["next"]
		if next == "" {
			t.Fatalf("%s: no next page link", lang)
		}
		second := c.get(next)
		expect(t, lang+": second page", second, http.StatusOK, []string{html.EscapeString(b.T(lang, "queue.count.other", "30")), b.T(lang, "pager.prev")}, nil)
		prev := links(second.body)["prev"]
		if prev == "" {
			t.Fatalf("%s: no previous page link on page 2", lang)
		}
		back := c.get(prev)
		if got, want := numbers(back.body), numbers(first.body); got != want || got == "" {
			t.Errorf("%s: back on page 1: %s, want %s", lang, got, want)
		}
		expect(t, lang+": back on page 1", back, http.StatusOK, nil, []string{`id="pager-prev"`})
		expect(t, lang+": one", c.get("/queue?view=all&q="+f.bobReq.Number), http.StatusOK, []string{html.EscapeString(b.T(lang, "queue.count.one"))}, nil)
	}
}
