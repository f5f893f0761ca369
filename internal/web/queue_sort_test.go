package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestQueueSortHeads: the queue's Number, Priority, Due and Updated
// column heads are links that sort the queue by their column (newest,
// highest, soonest, most recent first, as the store's keyset pagination
// orders), keeping the other filters and dropping the page's cursor; the
// current order's head carries aria-sort, the others none, and the sort
// select stays for pages without scripts. In both languages.
func TestQueueSortHeads(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 28 { // 28 inquiries: two pages
		if _, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeInquiry,
			Subject: fmt.Sprintf("Question %02d", i), CustomerID: f.alice.ID}); err != nil {
			t.Fatal(err)
		}
	}
	b := bundle(t)
	head := regexp.MustCompile(`<th( aria-sort="([a-z]+)")?><a class="sort-link[^"]*" href="([^"]+)" title="([^"]+)">`)
	next := regexp.MustCompile(`id="pager-next" href="([^"]+)"`)
	want := map[string]string{ // the link of each order, from the inquiries' second page
		"created":  "/queue?type=inquiry&view=all",
		"updated":  "/queue?sort=updated&type=inquiry&view=all",
		"priority": "/queue?sort=priority&type=inquiry&view=all",
		"due":      "/queue?sort=due&type=inquiry&view=all",
	}
	dir := map[string]string{"created": "descending", "updated": "descending", "priority": "descending", "due": "ascending"}
	for _, lang := range []string{"en", i18n.ZhCN} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		for order, link := range want {
			first := c.get(link)
			m := next.FindStringSubmatch(first.body)
			if first.status != http.StatusOK || m == nil {
				t.Fatalf("%s %s: %d, no next page", lang, link, first.status)
			}
			page := c.get(html.UnescapeString(m[1])) // the second page, with a cursor
			heads := head.FindAllStringSubmatch(page.body, -1)
			if len(heads) != 4 {
				t.Fatalf("%s %s: %d sorting heads, want 4\n%.3000s", lang, order, len(heads), page.body)
			}
			seen := map[string]bool{}
			for _, h := range heads {
				href := html.UnescapeString(h[3])
				var so string
				for k, v := range want {
					if v == href {
						so = k
					}
				}
				if so == "" {
					t.Errorf("%s sorted by %s: a head links to %q, not to one of the orders with the filter kept and no cursor", lang, order, href)
					continue
				}
				seen[so] = true
				if h[4] != html.EscapeString(b.T(lang, "queue.sort_by."+so)) {
					t.Errorf("%s: the %s head says %q", lang, so, h[4])
				}
				switch {
				case so == order && h[2] != dir[so]:
					t.Errorf("%s sorted by %s: its head has aria-sort %q, want %q", lang, order, h[2], dir[so])
				case so != order && h[1] != "":
					t.Errorf("%s sorted by %s: the %s head has%s", lang, order, so, h[1])
				}
			}
			if len(seen) != 4 {
				t.Errorf("%s sorted by %s: heads link to %v, want all four orders", lang, order, seen)
			}
			expect(t, lang+" "+order+" select", page, http.StatusOK, []string{`<option value="` + order + `" selected>`}, nil)
		}
	}
}
