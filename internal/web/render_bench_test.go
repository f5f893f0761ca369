package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/demo"
)

// BenchmarkRenderPages measures the agent's two busiest pages, the queue
// and a request page, on the demo data at the README's scale (seeded
// once, SQLite): each operation is one GET over loopback, so ns/op is the
// server's time plus a loopback round trip. The target is under 50 ms.
//
//	go test -run '^$' -bench RenderPages -benchtime 50x ./internal/web/
func BenchmarkRenderPages(b *testing.B) {
	m := apptest.Start(b, apptest.Options{})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, m.Store, demo.Options{EventData: api.EventJSON}); err != nil {
		b.Fatalf("seed: %v", err)
	}
	var number string
	if err := m.Store.Read().QueryRow(ctx, `SELECT number FROM requests r WHERE (SELECT count(*) FROM messages m
		WHERE m.request_id = r.id) >= 4 ORDER BY id DESC LIMIT 1`).Scan(&number); err != nil {
		b.Fatalf("a request with a conversation: %v", err)
	}
	var agent demo.Login
	for _, l := range demo.Logins() {
		if l.Role == "agent" {
			agent = l
		}
	}
	c := newClient(b, m, "zh-CN")
	if res := c.post("/login", url.Values{"login": {agent.Email}, "password": {agent.Password}}); res.status != http.StatusSeeOther {
		b.Fatalf("login: %d", res.status)
	}
	for _, page := range []struct{ name, path string }{
		{"queue", "/queue"},
		{"request", "/requests/" + number},
	} {
		b.Run(page.name, func(b *testing.B) {
			for b.Loop() {
				if res := c.get(page.path); res.status != http.StatusOK {
					b.Fatalf("GET %s: %d", page.path, res.status)
				}
			}
		})
	}
}
