package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/live"
	"github.com/aftercare/aftercare/internal/model"
)

// eventStream is GET /api/v1/events/stream for a signed-in browser (the
// API serves the same path to bearer tokens): the request page's
// EventSource listens to it.
func (s *server) eventStream(w http.ResponseWriter, r *http.Request) {
	live.Serve(w, r, s.d.Live, *principalOf(r), s.d.LiveHeartbeat)
}

// requestTyping tells the other staff on the request's page that this
// agent is writing a reply (the page sends it at most every 5 seconds
// while typing).
func (s *server) requestTyping(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	req, err := s.d.Requests.Find(r.Context(), *p, r.PathValue("number"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.d.Typing != nil {
		if ok, _, err := s.d.Typing.Take(r.Context(), itoa(p.ID)); err != nil {
			s.fail(w, r, err)
			return
		} else if !ok { // too many pings: this one is dropped
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	if err := s.d.Live.Publish(r.Context(), model.LiveEvent{Type: model.LiveRequestTyping, Number: req.Number, RequestID: req.ID,
		CustomerID: req.CustomerID, ByKind: model.AuthorStaff, ByID: p.ID, ByName: p.Name, At: s.d.Store.Now()}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
