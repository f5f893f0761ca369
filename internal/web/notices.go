package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/aftercare/aftercare/internal/model"
)

// noticesPage lists the signed-in staff user's in-app notifications,
// newest first.
type noticesPage struct {
	Base
	Items []model.Notice
}

// unreadNotices is the header's count of the principal's unread
// notifications (0 for customers, visitors, or when it cannot be read:
// the header never fails a page).
func (s *server) unreadNotices(r *http.Request, p *model.Principal) int {
	if p == nil || !p.IsStaff() || s.d.Inbox == nil {
		return 0
	}
	n, err := s.d.Inbox.Unread(r.Context(), *p)
	if err != nil {
		s.log.Warn("unread notifications", "user", p.ID, "error", err)
		return 0
	}
	return n
}

// noticeList renders /notifications.
func (s *server) noticeList(w http.ResponseWriter, r *http.Request) {
	items, unread, err := s.d.Inbox.List(r.Context(), *principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The header counts as the list does: one count per page, not two.
	page := noticesPage{Base: s.baseUnread(r, "notifications", unread), Items: items}
	s.render(w, r, http.StatusOK, "notices", page)
}

// noticeOpen marks one of the user's notifications read and goes to its
// request; someone else's is not found.
func (s *server) noticeOpen(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	n, err := s.d.Inbox.Open(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/requests/"+url.PathEscape(n.RequestNumber), http.StatusSeeOther)
}

// noticesRead marks all the user's notifications read.
func (s *server) noticesRead(w http.ResponseWriter, r *http.Request) {
	n, err := s.d.Inbox.MarkRead(r.Context(), *principalOf(r), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n > 0 {
		s.flash(r, "flash.notices_read")
	} else {
		s.flash(r, "flash.notices_none")
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}
