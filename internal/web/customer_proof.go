package web

import (
	"mime"
	"net/http"
	"slices"

	"github.com/aftercare/aftercare/internal/catalog"
)

// customerProof shows staff a proof of purchase a customer gave when
// registering a product: photos and PDFs open in the browser, in a
// sandbox that runs nothing.
func (s *server) customerProof(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	proof, err := s.d.Store.UnitProofByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.d.Requests.OpenFile(r.Context(), proof.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	disposition := "attachment"
	if slices.Contains(catalog.ProofTypes(), proof.ContentType) {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", proof.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": proof.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	http.ServeContent(w, r, "", proof.CreatedAt, f) // a kept file never changes
}
