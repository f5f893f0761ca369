package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// uploadBodyLimit bounds an upload request: the file limit plus room for
// the multipart framing. A file over request.MaxAttachmentSize is refused
// by the service even when the request fits.
const uploadBodyLimit = request.MaxAttachmentSize + 64<<10

const uploadPath = "/api/v1/requests/{number}/attachments"

type uploadInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
}

type attachmentOutput struct {
	Body Attachment
}

type attachmentIDInput struct {
	ID int64 `path:"id"`
}

func (s *server) registerAttachments() {
	upload := can(model.PermAttachmentUpload)
	upload.bodyLimit = uploadBodyLimit
	register(s, huma.Operation{
		OperationID: "upload-attachment", Method: http.MethodPost, Path: uploadPath,
		Summary: "Upload a file to a request", Tags: []string{"requests"}, DefaultStatus: http.StatusCreated,
		Description: "multipart/form-data with the file in the field \"file\"; at most 20 MiB (413 beyond). " +
			"The type is detected from the content; types other than " + joinTypes() +
			" are 415 Unsupported Media Type (location body.file). Link the upload to a message with attachment_ids.",
		Errors: []int{http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity},
	}, upload, func(ctx context.Context, in *uploadInput) (*attachmentOutput, error) {
		r := httpRequestFrom(ctx)
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, newProblem(ctx, http.StatusUnsupportedMediaType, "request must be multipart/form-data with a \"file\" field")
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil, model.FieldError("file", "is required")
			}
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return nil, tooLarge()
				}
				return nil, model.FieldError("file", "is required")
			}
			if part.FormName() != "file" {
				continue
			}
			a, err := s.d.Requests.Upload(ctx, principalFrom(ctx), in.Number, part.FileName(), part, model.ChannelAPI)
			var me *model.Error
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &mbe):
				return nil, tooLarge()
			case request.IsTypeRefused(err) && errors.As(err, &me) && me.Field == "file":
				return nil, &statusOverride{status: http.StatusUnsupportedMediaType, err: err}
			case err != nil:
				return nil, err
			}
			return &attachmentOutput{Body: toAttachment(a)}, nil
		}
	})
	// The handler streams the multipart body itself, so the request body is
	// documented only now: declared at registration, huma would read it.
	s.api.OpenAPI().Paths[uploadPath].Post.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{Type: huma.TypeObject, Required: []string{"file"},
			Properties: map[string]*huma.Schema{"file": {Type: huma.TypeString, Format: "binary"}}}},
	}}

	register(s, huma.Operation{
		OperationID: "download-attachment", Method: http.MethodGet, Path: "/api/v1/attachments/{id}",
		Summary: "Download an attachment", Tags: []string{"requests"},
		Description: "Same visibility as its request; a customer cannot open the attachments of internal notes (404).",
		Errors:      []int{http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment.",
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}},
	}, can(model.PermRequestRead), func(ctx context.Context, in *attachmentIDInput) (*huma.StreamResponse, error) {
		a, f, err := s.d.Requests.Open(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			defer f.Close()
			hctx.SetHeader("Content-Type", a.ContentType)
			hctx.SetHeader("Content-Length", strconv.FormatInt(a.Size, 10))
			hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
			hctx.SetHeader("X-Content-Type-Options", "nosniff")
			hctx.SetHeader("Cache-Control", "private, no-store")
			hctx.SetStatus(http.StatusOK)
			if _, err := io.Copy(hctx.BodyWriter(), f); err != nil {
				s.log.Warn("api: send attachment", "id", a.ID, "err", err)
			}
		}}, nil
	})
}

func tooLarge() error {
	return &model.Error{Code: model.ETOOLARGE, Field: "file", Message: "file is larger than 20 MiB", Format: "file is larger than 20 MiB"}
}

func joinTypes() string {
	out := ""
	for i, t := range request.AllowedTypes {
		if i > 0 {
			out += ", "
		}
		out += t
	}
	return out
}
