package web

import (
	"net/http"
	"time"

	"github.com/aftercare/aftercare/internal/i18n"
)

// switchLang handles the header's language switcher: it remembers the
// choice in a cookie (and in the profile when logged in, so it follows
// the user to other devices) and returns to the page it came from.
func (s *server) switchLang(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	lang := i18n.Normalize(r.PostForm.Get("lang"))
	back := localPath(r.PostForm.Get("back"), "/")
	if lang == "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: s.d.SecureCookies, SameSite: http.SameSiteLaxMode})
	if p := principalOf(r); p != nil {
		var err error
		if p.IsStaff() {
			err = s.d.Store.SetUserLocale(r.Context(), p.ID, lang)
		} else {
			err = s.d.Store.SetCustomerLocale(r.Context(), p.ID, lang)
		}
		if err != nil {
			s.log.Warn("web: save locale", "err", err) // the cookie still works
		}
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
