package web

import (
	"io/fs"
	"net/http"
	"strings"
)

// routes builds the mux and wraps it in the middleware every request
// passes: panic recovery, security headers, CSRF protection for unsafe
// methods, sessions, the principal and the display language.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(s.static)))

	// Visitors.
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /portal/login", s.portalLoginForm)
	mux.HandleFunc("POST /portal/login", s.portalLoginSubmit)
	mux.HandleFunc("POST /portal/logout", s.logout)
	mux.HandleFunc("GET /portal/invite/{secret}", s.inviteForm)
	mux.HandleFunc("POST /portal/invite/{secret}", s.inviteSubmit)
	mux.HandleFunc("POST /lang", s.switchLang)

	// Staff.
	mux.HandleFunc("GET /{$}", s.home)
	mux.Handle("GET /queue", s.staffOnly(s.queue))
	mux.Handle("GET /queue/export", s.staffOnly(s.queueExport))
	mux.Handle("GET /requests/new", s.staffOnly(s.requestNewForm))
	mux.Handle("POST /requests/new", s.staffOnly(s.requestNewSubmit))
	mux.Handle("GET /requests/{number}", s.staffOnly(s.requestShow))
	mux.Handle("POST /requests/{number}/reply", s.staffOnly(s.requestReply))
	mux.Handle("POST /requests/{number}/status", s.staffOnly(s.requestStatus))
	mux.Handle("POST /requests/{number}/update", s.staffOnly(s.requestUpdate))
	mux.Handle("POST /requests/{number}/invite", s.staffOnly(s.requestInvite))

	// Staff and customers (the domain service decides what each may see).
	mux.HandleFunc("GET /attachments/{id}", s.attachment)

	// Customers.
	mux.Handle("GET /portal", s.customerOnly(s.portalList))
	mux.Handle("GET /portal/requests/new", s.customerOnly(s.portalNewForm))
	mux.Handle("POST /portal/requests/new", s.customerOnly(s.portalNewSubmit))
	mux.Handle("GET /portal/requests/{number}", s.customerOnly(s.portalShow))
	mux.Handle("POST /portal/requests/{number}/reply", s.customerOnly(s.portalReply))
	mux.Handle("POST /portal/requests/{number}/status", s.customerOnly(s.portalStatus))

	mux.HandleFunc("/", s.notFound)

	var h http.Handler = mux
	h = withLang(h)
	h = s.loadPrincipal(h)
	h = s.sessions.LoadAndSave(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	return s.recoverPanics(h)
}

// home sends staff to the queue, customers to the portal and visitors to
// the staff login.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	switch {
	case p == nil:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	case p.IsCustomer():
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
	}
}

// staticHandler serves the embedded CSS and vendored scripts.
func staticHandler(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // the URL changes with the content
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
}
