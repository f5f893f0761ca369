package request

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxAttachmentSize is the largest file accepted (20 MiB).
const MaxAttachmentSize = 20 << 20

// AllowedTypes are the content types accepted as attachments, detected
// from the file's first bytes (the client's claim is not trusted).
var AllowedTypes = []string{
	"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf",
	"text/plain", "video/mp4", "application/zip",
	// Phones: iPhone photos (HEIC/HEIF) and videos (MOV).
	"image/heic", "image/heif", "video/quicktime",
}

// TypeRefused is the format of the error refusing a file of a kind not in
// AllowedTypes (its arguments: the detected type, the allowed ones). The
// API answers it with 415 and the types, for programs; pages say it to
// people in plain words (see IsTypeRefused).
const TypeRefused = "type %s is not allowed; allowed: %s"

// IsTypeRefused reports whether err refuses a file for its kind.
func IsTypeRefused(err error) bool {
	var me *model.Error
	return errors.As(err, &me) && me.Code == model.EINVALID && me.Format == TypeRefused
}

// DetectType names the content type of a file from its first bytes
// (up to 512): http.DetectContentType, plus the ISO media files phones
// write, which it does not know (HEIC/HEIF photos, QuickTime videos).
func DetectType(head []byte) string {
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis":
			return "image/heic"
		case "mif1", "msf1", "heif":
			return "image/heif"
		case "qt  ":
			return "video/quicktime"
		}
	}
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i > 0 {
		ct = ct[:i]
	}
	return ct
}

// Limits bound what may be uploaded, so that no one fills the disk.
type Limits struct {
	// FilesPerRequest is the most files a request may hold.
	FilesPerRequest int
	// BytesPerRequest is the most bytes of files a request may hold.
	BytesPerRequest int64
	// CustomerBytesPerDay is the most a customer may upload per calendar
	// day in the store's time zone.
	CustomerBytesPerDay int64
}

// DefaultLimits are 50 files and 200 MiB per request, and 100 MiB per
// customer per day.
func DefaultLimits() Limits {
	return Limits{FilesPerRequest: 50, BytesPerRequest: 200 << 20, CustomerBytesPerDay: 100 << 20}
}

// UnlinkedUploadTTL is how long an upload never linked to a message is
// kept before the clean-up job deletes it.
const UnlinkedUploadTTL = 24 * time.Hour

// uploadLimits are the limits in the store's terms, with today's start in
// the store's time zone.
func (s *Service) uploadLimits() store.UploadLimits {
	y, m, d := s.now().In(s.store.Location()).Date()
	return store.UploadLimits{MaxFiles: s.limits.FilesPerRequest, MaxRequestBytes: s.limits.BytesPerRequest,
		MaxCustomerDayBytes: s.limits.CustomerBytesPerDay, DayStart: time.Date(y, m, d, 0, 0, 0, 0, s.store.Location())}
}

// CheckNewFiles says whether n files may come with a new request: no more
// than a request may hold (ETOOLARGE at the field "file" beyond), so that
// a client sending more is stopped before the rest is received. The
// transaction that stores them checks every limit again.
func (s *Service) CheckNewFiles(n int) error {
	if most := s.limits.FilesPerRequest; most > 0 && n > most {
		return model.FieldError("file", "a request can hold at most %d files", most).WithField(model.ETOOLARGE, "file")
	}
	return nil
}

// Staged is a received file checked for type and size and held in a
// temporary file until the message or upload it belongs to is stored.
type Staged struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	tmp         string
}

// Discard removes the temporary file; it is safe to call twice.
func (f *Staged) Discard() {
	if f != nil && f.tmp != "" {
		os.Remove(f.tmp)
		f.tmp = ""
	}
}

func discardAll(files []*Staged) {
	for _, f := range files {
		f.Discard()
	}
}

func (s *Service) stagingDir() string { return filepath.Join(s.attachDir, ".staging") }

// Stage receives a file: the name is cleaned, the type is detected from
// the content (not the name) and must be one of AllowedTypes, and the
// size must not pass MaxAttachmentSize. Nothing is kept of a refused file.
// The caller passes the result to Reply, or discards it.
func (s *Service) Stage(filename string, content io.Reader) (*Staged, error) {
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
	if err := os.MkdirAll(s.stagingDir(), 0o750); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	tmp, err := os.CreateTemp(s.stagingDir(), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	f := &Staged{Filename: filename, tmp: tmp.Name()}
	ok := false
	defer func() {
		tmp.Close()
		if !ok {
			f.Discard()
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
	ct := DetectType(head)
	if !slices.Contains(AllowedTypes, ct) {
		return nil, model.FieldError("file", TypeRefused, ct, strings.Join(AllowedTypes, ", "))
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
	f.ContentType, f.Size, f.SHA256 = ct, size, hex.EncodeToString(h.Sum(nil))
	ok = true
	return f, nil
}

// place stores staged files of request r in the file store under
// unique keys and returns their attachment records. The files are stored
// before the rows are written, so that a committed row always has its
// file; if the transaction then fails, unplace removes them.
func (s *Service) place(ctx context.Context, r *model.Request, files []*Staged) ([]*model.Attachment, error) {
	return s.placeIn(ctx, fmt.Sprint(r.ID), r.ID, files)
}

// placeIn is place under folder (a key prefix in the file store).
func (s *Service) placeIn(ctx context.Context, folder string, requestID int64, files []*Staged) ([]*model.Attachment, error) {
	var out []*model.Attachment
	for _, f := range files {
		suffix := make([]byte, 8)
		rand.Read(suffix)
		rel := path.Join(folder, f.SHA256+"-"+hex.EncodeToString(suffix))
		if err := s.keep(ctx, rel, f); err != nil {
			s.unplace(context.WithoutCancel(ctx), out)
			return nil, fmt.Errorf("upload: %w", err)
		}
		out = append(out, &model.Attachment{RequestID: requestID, Filename: f.Filename, ContentType: f.ContentType,
			Size: f.Size, SHA256: f.SHA256, Path: rel})
	}
	return out, nil
}

// KeepFile stores a staged file under folder in the file store under a
// unique name, as attachments are kept, and returns its
// record (RequestID zero). Other capabilities keep their uploads this way
// (a unit's proof of purchase); DropFile undoes it when their row is not
// written.
func (s *Service) KeepFile(ctx context.Context, folder string, f *Staged) (*model.Attachment, error) {
	out, err := s.placeIn(ctx, folder, 0, []*Staged{f})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// OpenFile opens a file kept by KeepFile (its Path), for the domain that
// owns its row and has checked who may read it.
func (s *Service) OpenFile(ctx context.Context, key string) (blob.File, error) {
	f, err := s.blobs.Open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("open file: %w", err)
	}
	return f, nil
}

// DropFile removes a file kept by KeepFile whose row was not written.
func (s *Service) DropFile(ctx context.Context, a *model.Attachment) {
	s.unplace(ctx, []*model.Attachment{a})
}

// keep copies staged file f into the file store under key and discards
// the staged copy.
func (s *Service) keep(ctx context.Context, key string, f *Staged) error {
	src, err := os.Open(f.tmp)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := s.blobs.Put(ctx, key, src); err != nil {
		return err
	}
	f.Discard()
	return nil
}

// unplace removes placed files whose rows were not written; it runs
// even when the caller's context has ended.
func (s *Service) unplace(ctx context.Context, files []*model.Attachment) {
	ctx = context.WithoutCancel(ctx)
	for _, a := range files {
		_ = s.blobs.Delete(ctx, a.Path)
	}
}

// CheckUpload says whether p could upload one more file to the request,
// before the file is received (limits, a cancelled request), so that a
// large body that would be refused is not read.
func (s *Service) CheckUpload(ctx context.Context, p model.Principal, number string) error {
	_, err := s.checkUpload(ctx, p, number)
	return err
}

func (s *Service) checkUpload(ctx context.Context, p model.Principal, number string) (*model.Request, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	if !p.Can(model.PermAttachmentUpload) {
		return nil, forbidden()
	}
	return r, s.store.CheckUpload(ctx, r.ID, ActorOf(p, ""), s.uploadLimits())
}

// Upload stores a file for a request the principal may see, not yet on a
// message; the uploader may then link it to a message (Reply). The type
// and size rules are Stage's; the request's and the customer's limits and
// a cancelled request are checked when the file is recorded. Nothing is
// kept of a refused file. Unlinked uploads are deleted after
// UnlinkedUploadTTL.
func (s *Service) Upload(ctx context.Context, p model.Principal, number, filename string, content io.Reader, ch model.Channel) (*model.Attachment, error) {
	r, err := s.checkUpload(ctx, p, number)
	if err != nil {
		return nil, err
	}
	f, err := s.Stage(filename, content)
	if err != nil {
		return nil, err
	}
	defer f.Discard()
	placed, err := s.place(ctx, r, []*Staged{f})
	if err != nil {
		return nil, err
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	a := placed[0]
	if err := s.store.CreateAttachment(ctx, r.Number, a, ActorOf(p, ch), s.uploadLimits()); err != nil {
		s.unplace(ctx, placed)
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

// Open returns an attachment's content if p may see it: staff see every
// file of the requests they may read; a customer sees, on its own
// requests, the files on public messages and its own uploads — never a
// staff upload that is on an internal note or on no message yet.
func (s *Service) Open(ctx context.Context, p model.Principal, id int64) (*model.Attachment, blob.File, error) {
	notFound := func() error { return model.Errorf(model.ENOTFOUND, "attachment not found") }
	a, err := s.store.AttachmentByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	number, err := s.store.RequestNumberByID(ctx, a.RequestID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.get(ctx, p, number); err != nil {
		return nil, nil, notFound()
	}
	if p.IsCustomer() {
		own := a.UploaderKind == model.AuthorCustomer && a.UploaderID != nil && *a.UploaderID == p.ID
		public, err := s.store.AttachmentOnPublicMessage(ctx, a)
		if err != nil {
			return nil, nil, err
		}
		if !own && !public {
			return nil, nil, notFound()
		}
	}
	f, err := s.blobs.Open(ctx, a.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("open attachment: %w", err)
	}
	return a, f, nil
}

// DeleteUnlinked removes uploads never linked to a message that are older
// than UnlinkedUploadTTL, and staged files left behind by a crash; it
// returns how many files were removed. The clean-up job calls it.
func (s *Service) DeleteUnlinked(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-UnlinkedUploadTTL)
	removed := 0
	for {
		rows, paths, err := s.store.DeleteUnlinkedAttachments(ctx, cutoff, 500)
		if err != nil {
			return removed, err
		}
		for _, p := range paths {
			if err := s.blobs.Delete(ctx, p); err == nil {
				removed++
			}
		}
		if rows < 500 {
			break
		}
	}
	entries, _ := os.ReadDir(s.stagingDir())
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			if os.Remove(filepath.Join(s.stagingDir(), e.Name())) == nil {
				removed++
			}
		}
	}
	return removed, nil
}
