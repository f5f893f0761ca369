package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// newRequestBodyLimit bounds a new request sent as multipart/form-data:
// as on the portal's form, 60 MiB of files in all (each up to 20 MiB),
// plus the request's JSON and the multipart framing.
const newRequestBodyLimit = 3*request.MaxAttachmentSize + MaxBodyBytes + 64<<10

// stagedFilesKey is the context key of the files received with a new
// request (see withNewRequestFiles).
type stagedFilesKey struct{}

// stagedFiles returns the files received with the new request in ctx
// (none for a JSON body).
func stagedFiles(ctx context.Context) []*request.Staged {
	files, _ := ctx.Value(stagedFilesKey{}).([]*request.Staged)
	return files
}

// errBadMultipart is a multipart body that cannot be read (the client's
// fault, 400).
var errBadMultipart = errors.New("cannot read request body")

// withNewRequestFiles is the middleware of POST /api/v1/requests that
// accepts multipart/form-data: the part "request" holds the JSON body,
// each part "files" a file. Every file is checked (type, size, count)
// into a temporary file before anything is written; a refused one answers
// at once (415, 413, 422 at body.files[i]). The JSON part then goes to
// the operation as its body, validated as a JSON request is, and the files
// go along in the context to be stored in the request's transaction. A
// JSON request passes through untouched.
func (s *server) withNewRequestFiles(hctx huma.Context, next func(huma.Context)) {
	if mt, _, _ := mime.ParseMediaType(hctx.Header("Content-Type")); mt != "multipart/form-data" {
		next(hctx)
		return
	}
	ctx := hctx.Context()
	if !principalFrom(ctx).Can(model.PermAttachmentUpload) {
		_ = huma.WriteErr(s.api, hctx, http.StatusInternalServerError, "", forbidden())
		return
	}
	r, w := humago.Unwrap(hctx)
	r.Body = http.MaxBytesReader(w, r.Body, newRequestBodyLimit)
	body, files, err := s.receiveNewRequest(r)
	defer func() {
		for _, f := range files {
			f.Discard() // Create stored them, or they are refused
		}
	}()
	switch {
	case errors.Is(err, errBadMultipart):
		_ = huma.WriteErr(s.api, hctx, http.StatusBadRequest, errBadMultipart.Error())
		return
	case err != nil:
		_ = huma.WriteErr(s.api, hctx, http.StatusInternalServerError, "", err)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Type", "application/json")
	next(huma.WithContext(hctx, context.WithValue(ctx, stagedFilesKey{}, files)))
}

// receiveNewRequest reads a multipart new request: the JSON of the part
// "request" and the files of the parts "files", staged. Other parts are
// skipped. On error the files received so far are returned, to be
// discarded.
func (s *server) receiveNewRequest(r *http.Request) (body []byte, files []*request.Staged, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, errBadMultipart
	}
	for {
		part, err := mr.NextPart()
		var mbe *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			if body == nil {
				return nil, files, model.FieldError("request", "is required")
			}
			return body, files, nil
		case errors.As(err, &mbe):
			return nil, files, err
		case err != nil:
			return nil, files, errBadMultipart
		}
		switch part.FormName() {
		case "request":
			if body, err = io.ReadAll(io.LimitReader(part, MaxBodyBytes+1)); err != nil {
				if errors.As(err, &mbe) {
					return nil, files, err
				}
				return nil, files, errBadMultipart
			}
			if len(body) > MaxBodyBytes {
				return nil, files, &http.MaxBytesError{Limit: MaxBodyBytes}
			}
		case "files":
			if err := s.d.Requests.CheckNewFiles(len(files) + 1); err != nil {
				return nil, files, atFile(err, len(files))
			}
			f, err := s.d.Requests.Stage(part.FileName(), part)
			switch {
			case errors.As(err, &mbe):
				return nil, files, mbe // all the files together are too large
			case request.IsTypeRefused(err):
				return nil, files, &statusOverride{status: http.StatusUnsupportedMediaType, err: atFile(err, len(files))}
			case err != nil:
				return nil, files, atFile(err, len(files))
			}
			files = append(files, f)
		}
	}
}

// atFile locates a refusal of a file (at the field "file") at the i-th
// part "files" (body.files[i]); other errors are returned as they are.
func atFile(err error, i int) error {
	var me *model.Error
	if !errors.As(err, &me) || me.Field != "file" {
		return err
	}
	return me.WithField(me.Code, fmt.Sprintf("files[%d]", i))
}

const createRequestPath = "/api/v1/requests"

// CreatedRequest is a request just opened, with the files sent along.
type CreatedRequest struct {
	Request
	Attachments []Attachment `json:"attachments" doc:"The files sent with the request (multipart/form-data), on its first message; empty for a JSON body."`
}

type createdRequestOutput struct {
	ETag string `header:"ETag" doc:"The quoted version, for If-Match."`
	Body CreatedRequest
}

// documentNewRequestFiles adds the multipart form of POST
// /api/v1/requests to its request body, beside the JSON one huma
// generated: the middleware reads it, so huma must not know it.
func documentNewRequestFiles(doc *huma.OpenAPI) {
	rb := doc.Paths[createRequestPath].Post.RequestBody
	js := rb.Content["application/json"].Schema
	rb.Content["multipart/form-data"] = &huma.MediaType{
		Schema: &huma.Schema{Type: huma.TypeObject, Required: []string{"request"}, Properties: map[string]*huma.Schema{
			"request": js,
			"files": {Type: huma.TypeArray, Description: "The files, one part each, all named files; at most 20 MiB each and 60 MiB in all.",
				Items: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
		}},
		Encoding: map[string]*huma.Encoding{"request": {ContentType: "application/json"}},
	}
}
