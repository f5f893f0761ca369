package request

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// MaxAttachmentSize is the largest file accepted (20 MiB).
const MaxAttachmentSize = 20 << 20

// AllowedTypes are the content types accepted as attachments, detected
// from the file's first bytes (the client's claim is not trusted).
var AllowedTypes = []string{
	"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf",
	"text/plain", "video/mp4", "application/zip",
}

func allowedType(ct string) bool {
	for _, t := range AllowedTypes {
		if ct == t {
			return true
		}
	}
	return false
}

// Upload stores a file for a request the principal may see and records
// it; the file can then be linked to a message. The content type is
// sniffed; files over MaxAttachmentSize or of other types are refused,
// and nothing is kept of a refused file.
func (s *Service) Upload(ctx context.Context, p model.Principal, number, filename string, content io.Reader, ch model.Channel) (*model.Attachment, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	filename = filepath.Base(strings.ReplaceAll(strings.TrimSpace(filename), `\`, "/"))
	if filename == "" || filename == "." || filename == "/" {
		return nil, model.FieldError("file", "has no file name")
	}
	if len(filename) > 255 {
		return nil, model.FieldError("file", "file name is too long")
	}
	if strings.IndexByte(filename, 0) >= 0 || !utf8.ValidString(filename) {
		return nil, model.FieldError("file", "file name must be UTF-8 without NUL characters")
	}
	dir := filepath.Join(s.attachDir, fmt.Sprint(r.ID))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	src := &contentReader{r: content}
	head := make([]byte, 512)
	n, err := io.ReadFull(src, head)
	if src.err != nil {
		return nil, src.failure()
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return nil, model.FieldError("file", "is empty")
	}
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i > 0 {
		ct = ct[:i]
	}
	if !allowedType(ct) {
		return nil, model.FieldError("file", "type %s is not allowed; allowed: %s", ct, strings.Join(AllowedTypes, ", "))
	}
	h := sha256.New()
	w := io.MultiWriter(tmp, h)
	if _, err := w.Write(head); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	size, err := io.Copy(w, io.LimitReader(src, MaxAttachmentSize-int64(n)+1))
	if src.err != nil {
		return nil, src.failure()
	}
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	size += int64(n)
	if size > MaxAttachmentSize {
		return nil, &model.Error{Code: model.ETOOLARGE, Field: "file", Message: "file is larger than 20 MiB", Format: "file is larger than 20 MiB"}
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	rel := filepath.Join(fmt.Sprint(r.ID), sum)
	if err := os.Rename(tmp.Name(), filepath.Join(s.attachDir, rel)); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	keep = true
	a := &model.Attachment{Filename: filename, ContentType: ct, Size: size, SHA256: sum, Path: rel}
	if ch == "" {
		ch = model.ChannelWeb
	}
	if err := s.store.CreateAttachment(ctx, r.Number, a, ActorOf(p, ch)); err != nil {
		return nil, err
	}
	return a, nil
}

// contentReader remembers the first error reading an upload's content
// returned, so that a body cut short or malformed (the client's fault) is
// told apart from a failure to write the file (the server's).
type contentReader struct {
	r   io.Reader
	err error
}

func (c *contentReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && c.err == nil {
		c.err = err
	}
	return n, err
}

// failure is the error for a content that could not be read to its end:
// over the request's size limit (the caller answers 413), or cut short.
func (c *contentReader) failure() error {
	var mbe *http.MaxBytesError
	if errors.As(c.err, &mbe) {
		return fmt.Errorf("upload: %w", c.err)
	}
	return model.FieldError("file", "was cut off before its end; send it again")
}

// Open returns an attachment's content if p may see its request.
func (s *Service) Open(ctx context.Context, p model.Principal, id int64) (*model.Attachment, *os.File, error) {
	a, err := s.store.AttachmentByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	number, err := s.store.RequestNumberByID(ctx, a.RequestID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.get(ctx, p, number); err != nil {
		return nil, nil, model.Errorf(model.ENOTFOUND, "attachment not found")
	}
	if p.IsCustomer() && a.MessageID != nil {
		// Attachments of internal notes stay internal.
		msgs, err := s.store.Messages(ctx, a.RequestID, false)
		if err != nil {
			return nil, nil, err
		}
		visible := false
		for _, m := range msgs {
			if m.ID == *a.MessageID {
				visible = true
			}
		}
		if !visible {
			return nil, nil, model.Errorf(model.ENOTFOUND, "attachment not found")
		}
	}
	f, err := os.Open(filepath.Join(s.attachDir, a.Path))
	if err != nil {
		return nil, nil, fmt.Errorf("open attachment: %w", err)
	}
	return a, f, nil
}
