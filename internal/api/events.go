package api

import (
	"encoding/json"

	"github.com/aftercare/aftercare/internal/model"
)

// EventData is the "data" of a webhook payload: the request and message
// exactly as this API shows them, so a receiver parses one shape.
type EventData struct {
	// Request is the request after the change (every request.* and
	// message.* event).
	Request *Request `json:"request,omitempty"`
	// Message is the new public message (message.created).
	Message *Message `json:"message,omitempty"`
	// From and To are the statuses of request.status_changed.
	From model.Status `json:"from,omitempty"`
	To   model.Status `json:"to,omitempty"`
	// Changes are the fields request.updated changed.
	Changes []FieldChange `json:"changes,omitempty"`
}

// FieldChange is one field a request.updated event changed: priority, or
// a reference (category_id, team_id, assignee_id) as an id in text, ""
// for none.
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// EventJSON renders the data of a published event (store.EventSink's
// Render). An event whose subject this API does not know yet carries its
// own Data, rendered as it is.
func EventJSON(ev model.DomainEvent) (json.RawMessage, error) {
	if ev.Data != nil {
		return json.Marshal(ev.Data)
	}
	var d EventData
	if ev.Request != nil {
		r := toRequest(ev.Request)
		d.Request = &r
	}
	if ev.Message != nil {
		m := toMessage(ev.Message)
		d.Message = &m
	}
	d.From, d.To = ev.From, ev.To
	for _, c := range ev.Changes {
		d.Changes = append(d.Changes, FieldChange{Field: c.Field, From: c.From, To: c.To})
	}
	return json.Marshal(d)
}
