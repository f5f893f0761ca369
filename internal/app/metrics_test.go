package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
)

// TestMetricsAccess guards finding 10: /metrics answers clients on this
// machine, or anyone with the metrics token; a request forwarded by a
// proxy (from elsewhere) without the token gets 403.
func TestMetricsAccess(t *testing.T) {
	get := func(t *testing.T, url string, headers ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url+"/metrics", nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	t.Run("default", func(t *testing.T) {
		m := apptest.Start(t, apptest.Options{})
		if code, body := get(t, m.URL()); code != 200 || !strings.Contains(body, "go_goroutines") {
			t.Errorf("local client: got %d", code)
		}
		for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-IP"} {
			if code, _ := get(t, m.URL(), h, "203.0.113.9"); code != http.StatusForbidden {
				t.Errorf("forwarded with %s: got %d, want 403", h, code)
			}
		}
	})
	t.Run("token", func(t *testing.T) {
		m := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.MetricsToken = "s3cret-metrics" }})
		if code, _ := get(t, m.URL(), "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer s3cret-metrics"); code != 200 {
			t.Errorf("remote with the token: got %d, want 200", code)
		}
		if code, _ := get(t, m.URL(), "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer wrong"); code != http.StatusForbidden {
			t.Errorf("remote with a wrong token: got %d, want 403", code)
		}
	})
}
