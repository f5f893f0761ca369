package web_test

import (
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// TestPortalInstallable: the portal links a manifest whose icons exist
// and are the sizes it says, a service worker scoped to /portal (so that
// it covers the start page /portal as well as every page under it) that
// pre-caches only the offline page and the stylesheet, and an offline page
// that names nobody (it is cached for whoever uses the browser).
func TestPortalInstallable(t *testing.T) {
	f := newFixture(t)
	alice := newClient(t, f.m, "zh-CN")
	alice.loginCustomer("alice@example.com")
	expect(t, "portal head", alice.get("/portal"), http.StatusOK,
		[]string{`<link rel="manifest" href="/portal/manifest.webmanifest">`, "/static/portal.js?v="}, nil)

	res := alice.get("/portal/manifest.webmanifest")
	var m struct {
		Name, StartURL, Scope, Display string
		Icons                          []struct{ Src, Sizes, Type string }
	}
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/manifest+json") {
		t.Fatalf("manifest: %d %q", res.status, res.header.Get("Content-Type"))
	}
	if err := json.Unmarshal([]byte(strings.NewReplacer(`"start_url"`, `"StartURL"`).Replace(res.body)), &m); err != nil {
		t.Fatal(err)
	}
	if m.StartURL != "/portal" || !strings.HasPrefix(m.StartURL, m.Scope) || m.Display != "standalone" || !strings.Contains(m.Name, "售后") || len(m.Icons) < 2 {
		t.Errorf("manifest: %+v", m)
	}
	for _, ic := range m.Icons {
		r, err := http.Get(f.m.URL() + ic.Src)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r.Body)
		r.Body.Close()
		if err != nil {
			t.Errorf("icon %s: %v", ic.Src, err)
			continue
		}
		if got := img.Bounds().Dx(); ic.Sizes != itoa(int64(got))+"x"+itoa(int64(got)) {
			t.Errorf("icon %s: %d px, manifest says %s", ic.Src, got, ic.Sizes)
		}
	}
	expect(t, "other icon sizes", alice.get("/portal/icons/64.png"), http.StatusNotFound, nil, nil)

	sw := alice.get("/portal/sw.js")
	expect(t, "service worker", sw, http.StatusOK, []string{`const OFFLINE = "/portal/offline"`, `"/static/app.css?v=`, `req.mode === "navigate"`}, nil)
	// Served from /portal/, the worker may control /portal only when the
	// response allows it, and the page must register it with that scope.
	if got := sw.header.Get("Service-Worker-Allowed"); !strings.HasPrefix(m.StartURL, got) || got == "" {
		t.Errorf("service worker: Service-Worker-Allowed %q does not cover the start page %s", got, m.StartURL)
	}
	if js := alice.get("/static/portal.js"); !strings.Contains(js.body, `scope: "`+m.Scope+`"`) {
		t.Errorf("portal.js does not register the worker with the manifest's scope %q", m.Scope)
	}
	if !strings.HasPrefix(sw.header.Get("Content-Type"), "text/javascript") {
		t.Errorf("service worker type: %q", sw.header.Get("Content-Type"))
	}
	if strings.Contains(sw.body, "/portal/requests") || strings.Contains(sw.body, "/attachments") {
		t.Error("the service worker mentions private pages")
	}
	offline := alice.get("/portal/offline")
	expect(t, "offline page, signed in", offline, http.StatusOK, []string{"当前没有网络"}, []string{"Alice Chen", "alice@example.com"})
	visitor := newClient(t, f.m, "en").get("/portal/offline")
	expect(t, "offline page, visitor", visitor, http.StatusOK, []string{"You are offline"}, nil)
	// The worker keeps the offline page in the reader's language: it
	// compares the cached page's Content-Language with the language each
	// page tells it, and fetches the page again when they differ.
	for _, c := range []struct {
		res  response
		want string
	}{{offline, "zh-CN"}, {visitor, "en"}} {
		if got := c.res.header.Get("Content-Language"); got != c.want {
			t.Errorf("offline page Content-Language: got %q, want %q", got, c.want)
		}
	}
	if !strings.Contains(sw.body, `addEventListener("message"`) || !strings.Contains(sw.body, `headers.get("Content-Language")`) {
		t.Error("the service worker does not refresh the offline page in the language pages tell it")
	}
	if js := alice.get("/static/portal.js"); !strings.Contains(js.body, "postMessage({ lang: document.documentElement.lang })") {
		t.Error("portal.js does not tell the worker the page's language")
	}
}
