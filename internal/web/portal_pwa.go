package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
)

// The portal installs as a web app: a manifest, icons drawn here, and a
// service worker whose scope is /portal — the list at /portal itself and
// every page under it (a scope of /portal/ would leave out the start page). The worker caches only the
// offline page and static files, never a customer's pages or data: when
// the network is down, a page load shows the offline page.

// portalManifest serves the web app manifest in the reader's language.
func (s *server) portalManifest(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	m := map[string]any{
		"name":             s.i18n.T(lang, "portal.brand"),
		"short_name":       s.i18n.T(lang, "pwa.short_name"),
		"description":      s.i18n.T(lang, "pwa.description"),
		"lang":             lang,
		"start_url":        "/portal",
		"scope":            "/portal",
		"id":               "/portal",
		"display":          "standalone",
		"background_color": "#f4f6f9",
		"theme_color":      "#1d5fd1",
		"icons": []map[string]string{
			{"src": "/portal/icons/192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
			{"src": "/portal/icons/512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	}
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Vary", "Accept-Language, Cookie")
	_ = json.NewEncoder(w).Encode(m)
}

// portalIcon draws the app icon (192 or 512 pixels square): the brand's
// blue with a white rounded tile, safe inside the maskable area.
func (s *server) portalIcon(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("file"), ".png"))
	if err != nil || (size != 192 && size != 512) {
		s.notFound(w, r)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, drawIcon(size)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(buf.Bytes())
}

// drawIcon is the app icon at size × size pixels.
func drawIcon(size int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	blue := color.RGBA{0x1d, 0x5f, 0xd1, 0xff}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	lo, hi := size*3/10, size*7/10 // the tile, inside the 80% safe zone
	bar := size / 12               // a tick: "serviced"
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			c := blue
			if x >= lo && x < hi && y >= lo && y < hi {
				c = white
				// a blue tick across the tile
				if (y >= hi-bar*2-(x-lo)/2 && y < hi-bar-(x-lo)/2 && x > (lo+hi)/2-bar) ||
					(x <= (lo+hi)/2 && x >= lo+bar && y >= lo+(x-lo)+bar && y < lo+(x-lo)+bar*2) {
					c = blue
				}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// serviceWorker is the portal's service worker. It pre-caches the offline
// page and the stylesheet; it answers a failed page load with the offline
// page and serves /static/ files from the cache when it has them. Nothing
// else is stored: customers' pages and files always come from the server.
// The offline page is fetched once more whenever a page tells the worker
// a language (portal.js, on every page) other than the cached page's
// Content-Language: installed before the customer chose a language, it
// would otherwise stay in the browser's.
const serviceWorker = `const CACHE = "aftercare-portal-%s";
const OFFLINE = "/portal/offline";
self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll([OFFLINE, %q])).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("message", (e) => {
  const lang = e.data && e.data.lang;
  if (typeof lang !== "string" || lang === "") return;
  e.waitUntil(caches.open(CACHE).then((c) => c.match(OFFLINE).then((hit) => {
    if (hit && hit.headers.get("Content-Language") === lang) return;
    return c.add(OFFLINE);
  })).catch(() => {}));
});
self.addEventListener("fetch", (e) => {
  const req = e.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    e.respondWith(fetch(req).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    e.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
  }
});
`

// portalServiceWorker serves the service worker. Served from /portal/, it
// may control only /portal/… unless the response allows the wider scope
// /portal, which holds the portal's start page.
func (s *server) portalServiceWorker(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Service-Worker-Allowed", "/portal")
	w.Header().Set("Cache-Control", "no-cache")
	css := "/static/app.css?v=" + s.views.version
	_, _ = fmt.Fprintf(w, serviceWorker, s.views.version, css)
}

// portalOffline is the page the service worker shows without a network.
func (s *server) portalOffline(w http.ResponseWriter, r *http.Request) {
	page := s.base(r, "")
	page.Portal = true
	page.User = nil // cached for everyone: it names no one
	page.Flash = ""
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Language", langOf(r)) // the worker keeps it in the reader's language
	s.render(w, r, http.StatusOK, "portal_offline", page)
}
