package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

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
	// SLA is the clock of sla.warning and sla.breached.
	SLA *SLAEventClock `json:"sla,omitempty"`
}

// SLAEventClock names the clock an SLA event is about and its due time.
type SLAEventClock struct {
	Clock model.ClockKind `json:"clock" enum:"first_response,next_response,resolution"`
	DueAt time.Time       `json:"due_at"`
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
	if ev.SLAClock != "" {
		d.SLA = &SLAEventClock{Clock: model.ClockKind(ev.SLAClock), DueAt: ev.SLADueAt.UTC()}
	}
	for _, c := range ev.Changes {
		d.Changes = append(d.Changes, FieldChange{Field: c.Field, From: c.From, To: c.To})
	}
	return json.Marshal(d)
}

// EventPayload is the body of every webhook delivery, documented in the
// OpenAPI document's webhooks.
type EventPayload struct {
	ID         int64           `json:"id" doc:"The event's id: the same in every delivery of this event, to every webhook."`
	Event      model.EventType `json:"event" enum:"request.created,request.updated,request.status_changed,message.created,sla.warning,sla.breached,repair.stage_changed,survey.answered"`
	OccurredAt time.Time       `json:"occurred_at"`
	Data       EventData       `json:"data"`
}

// documentWebhooks lists each event type under the OpenAPI document's
// webhooks: a POST of EventPayload with the delivery headers, answered
// with any 2xx.
func (s *server) documentWebhooks() {
	oapi := s.api.OpenAPI()
	schema := oapi.Components.Schemas.Schema(reflect.TypeFor[EventPayload](), true, "")
	header := func(name, doc string) *huma.Param {
		return &huma.Param{Name: name, In: "header", Required: true, Description: doc, Schema: &huma.Schema{Type: "string"}}
	}
	params := []*huma.Param{
		header("X-Aftercare-Event", "The event type."),
		header("X-Aftercare-Delivery", "The delivery's id, the same for its retries and redeliveries: drop repeats."),
		header("X-Aftercare-Timestamp", "Unix seconds when the attempt was signed; refuse old ones."),
		header("X-Aftercare-Signature", `sha256=<hex HMAC-SHA256 with the webhook's secret over timestamp + "." + body>.`),
	}
	// The receiver authenticates a delivery by its signature header: say
	// so as a security scheme, so that every operation of the document
	// states how it is authenticated.
	oapi.Components.SecuritySchemes["webhookSignature"] = &huma.SecurityScheme{Type: "apiKey", In: "header",
		Name: "X-Aftercare-Signature", Description: "Webhook deliveries are signed with the webhook's secret " +
			"(HMAC-SHA256, see X-Aftercare-Signature); the receiver checks the signature."}
	security := []map[string][]string{{"webhookSignature": {}}}
	oapi.Webhooks = map[string]*huma.PathItem{}
	for _, e := range model.EventTypes() {
		oapi.Webhooks[string(e)] = &huma.PathItem{Post: &huma.Operation{
			OperationID: "webhook-" + strings.ReplaceAll(string(e), ".", "-"), Summary: string(e), Tags: []string{"webhooks"},
			Description: "Sent to every active webhook subscribed to " + string(e) + ". Any 2xx answer delivers it; " +
				"anything else, or no answer within 10 s, is retried after about 5 s, 30 s, 2 min, 10 min, 1 h, 6 h and 24 h.",
			Parameters:  params,
			Security:    security,
			RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"application/json": {Schema: schema}}},
			Responses:   map[string]*huma.Response{"2XX": {Description: "Delivered."}},
		}}
	}
}
