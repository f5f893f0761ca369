package web

import (
	"mime"
	"net/http"
	"strconv"
)

// attachment downloads a file if the viewer may see its request (and,
// for customers, its message). It is always sent as a download with the
// sniffed type and nosniff, so an uploaded file never runs as a page.
func (s *server) attachment(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if p == nil {
		redirectToLogin(w, r, "/login")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return
	}
	a, f, err := s.d.Requests.Open(r.Context(), *p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", a.CreatedAt, f) // a stored file never changes
}

// itoa formats an id.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }
