package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// Message is a public reply or an internal note.
type Message struct {
	ID          int64            `json:"id"`
	AuthorKind  model.AuthorKind `json:"author_kind" enum:"staff,customer,system"`
	AuthorName  string           `json:"author_name"`
	Visibility  model.Visibility `json:"visibility" enum:"public,internal"`
	Channel     model.Channel    `json:"channel"`
	Body        string           `json:"body"`
	CreatedAt   time.Time        `json:"created_at"`
	Attachments []Attachment     `json:"attachments"`
}

func toMessage(m *model.Message) Message {
	out := Message{ID: m.ID, AuthorKind: m.AuthorKind, AuthorName: m.AuthorName, Visibility: m.Visibility,
		Channel: m.Channel, Body: m.Body, CreatedAt: m.CreatedAt, Attachments: make([]Attachment, len(m.Attachments))}
	for i := range m.Attachments {
		out.Attachments[i] = toAttachment(&m.Attachments[i])
	}
	return out
}

// Attachment is an uploaded file of a request.
type Attachment struct {
	ID          int64     `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	URL         string    `json:"url" doc:"Where to download it (with the same token)."`
	CreatedAt   time.Time `json:"created_at"`
}

func toAttachment(a *model.Attachment) Attachment {
	return Attachment{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256,
		URL: "/api/v1/attachments/" + strconv.FormatInt(a.ID, 10), CreatedAt: a.CreatedAt}
}

type replyInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
	Body   struct {
		Body          string           `json:"body,omitempty" maxLength:"20000" doc:"Required unless macro_id is sent."`
		Visibility    model.Visibility `json:"visibility,omitempty" enum:"public,internal" doc:"Default public; customers may write only public messages."`
		AttachmentIDs []int64          `json:"attachment_ids,omitempty" doc:"Your own uploads to this request not yet on a message (staff: any staff upload)."`
		Channel       model.Channel    `json:"channel,omitempty" enum:"web,email,phone,api,device" doc:"Staff only; default web."`
		MacroID       int64            `json:"macro_id,omitempty" doc:"Staff: a macro whose status, priority and tags change with the message, in one transaction; an empty body takes the macro's text in the customer's language. One you may not use is 422 at body.macro_id."`
	}
}

type messageOutput struct {
	Body Message
}

func (s *server) registerMessages() {
	register(s, huma.Operation{
		OperationID: "add-message", Method: http.MethodPost, Path: "/api/v1/requests/{number}/messages",
		Summary: "Reply or add an internal note", Tags: []string{"requests"}, DefaultStatus: http.StatusCreated,
		Description: "Customers may post only public messages on their own requests (internal is 403), " +
			"may not set the channel (422; theirs is api), and may link only their own uploads.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermRequestReply), func(ctx context.Context, in *replyInput) (*messageOutput, error) {
		b := in.Body
		m, err := s.d.Requests.Reply(ctx, principalFrom(ctx), in.Number, request.ReplyInput{Body: b.Body,
			Visibility: b.Visibility, Channel: b.Channel, Via: model.ChannelAPI, Link: b.AttachmentIDs, MacroID: b.MacroID})
		if err != nil {
			return nil, err
		}
		return &messageOutput{Body: toMessage(m)}, nil
	})
}
