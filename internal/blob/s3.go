package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// S3 keeps files as objects of one bucket of an S3-compatible object
// store (Amazon S3, MinIO, Ceph RGW, SeaweedFS, Garage…), under an
// optional key prefix: the store of large installations, shared by every
// node. It speaks the S3 REST protocol on net/http, signing each request
// with AWS Signature Version 4; nothing is held in memory whole.
type S3 struct {
	base    url.URL // scheme and host of the bucket's address
	bucket  string
	prefix  string // "" or "dir/…/" (ends with a slash)
	virtual bool   // bucket in the host name, not the path
	sig     signer
	client  *http.Client
	// TempDir is where Put spools content to learn its length and hash
	// ("" is os.TempDir()).
	TempDir string
	// Now is the signing clock (time.Now when nil).
	Now func() time.Time
}

// Credentials are an access key and its secret (the secret is never
// logged nor put in an error).
type Credentials struct {
	AccessKey, SecretKey string
}

// S3URLForm documents the --blob-url form, for usage and error texts.
const S3URLForm = "s3://[ACCESS_KEY:SECRET@]host[:port]/bucket[/prefix][?region=us-east-1&tls=false&style=virtual]"

// NewS3 returns the store a URL of S3URLForm names. Without
// ACCESS_KEY:SECRET in the URL the credentials are env's (from
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). region defaults to
// us-east-1, tls to true (https; false: http), style to path (the bucket
// is the first path element, as MinIO, Ceph, SeaweedFS and Garage expect;
// virtual: bucket.host). Errors never repeat the URL, which may hold the
// secret.
func NewS3(raw string, env Credentials) (*S3, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL; want " + S3URLForm)
	}
	if u.Scheme != "s3" {
		return nil, fmt.Errorf("scheme %q: want %s", u.Scheme, S3URLForm)
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, errors.New("no host; want " + S3URLForm)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = time.Minute // a store that stops answering fails the request
	s := &S3{client: &http.Client{Transport: tr}}
	s.base = url.URL{Scheme: "https", Host: u.Host}
	s.sig = signer{accessKey: env.AccessKey, secret: env.SecretKey, region: "us-east-1", service: "s3"}
	if u.User != nil {
		pass, ok := u.User.Password()
		if !ok || u.User.Username() == "" || pass == "" {
			return nil, errors.New("credentials in the URL must be ACCESS_KEY:SECRET")
		}
		s.sig.accessKey, s.sig.secret = u.User.Username(), pass
	}
	if s.sig.accessKey == "" || s.sig.secret == "" {
		return nil, errors.New("no credentials: put ACCESS_KEY:SECRET@ in the URL or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	path := strings.Trim(u.Path, "/")
	s.bucket, s.prefix, _ = strings.Cut(path, "/")
	if !validBucket(s.bucket) {
		return nil, fmt.Errorf("bucket %q: want 3 to 63 lower-case letters, digits, dots and hyphens after the host", s.bucket)
	}
	if s.prefix != "" {
		if err := CheckKey(s.prefix); err != nil {
			return nil, fmt.Errorf("key prefix %q: not a clean relative path", s.prefix)
		}
		s.prefix += "/"
	}
	for name, vs := range u.Query() {
		v := vs[len(vs)-1]
		switch name {
		case "region":
			if v == "" {
				return nil, errors.New("region must not be empty")
			}
			s.sig.region = v
		case "tls":
			tls, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("tls=%q: want true or false", v)
			}
			if !tls {
				s.base.Scheme = "http"
			}
		case "style":
			switch v {
			case "path":
			case "virtual":
				s.virtual = true
			default:
				return nil, fmt.Errorf("style=%q: want path or virtual", v)
			}
		default:
			return nil, fmt.Errorf("unknown parameter %q: want region, tls or style", name)
		}
	}
	return s, nil
}

func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for _, c := range b {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// String describes the store without its credentials, for logs.
func (s *S3) String() string {
	return s.objectURL("").String()
}

// objectURL is the address of the object at key; "" is the bucket's.
func (s *S3) objectURL(key string) *url.URL {
	u := s.base
	p := "/"
	if key != "" {
		p += s.prefix + key
	}
	if s.virtual {
		u.Host = s.bucket + "." + u.Host
	} else {
		p = "/" + s.bucket + strings.TrimSuffix(p, "/")
	}
	u.Path = p
	u.RawPath = canonicalPath(&u)
	return &u
}

func (s *S3) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// do signs and sends a request for key without a body.
func (s *S3) do(ctx context.Context, method, key string, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.objectURL(key).String(), nil)
	if err != nil {
		return nil, fmt.Errorf("blob: s3 %s %s: %w", method, key, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return s.send(req, key, emptySHA256)
}

// send signs req (payloadHash is its body's hex SHA-256) and sends it.
func (s *S3) send(req *http.Request, key, payloadHash string) (*http.Response, error) {
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	s.sig.sign(req, payloadHash, s.now())
	resp, err := s.client.Do(req)
	if err != nil {
		// A *url.Error names the address (never the credentials: they
		// are not in it); say which object.
		return nil, fmt.Errorf("blob: s3 %s %s: %w", req.Method, key, err)
	}
	return resp, nil
}

// Check asks the store whether the bucket is there and the credentials
// open it: a start-up check, so that a wrong URL fails at once.
func (s *S3) Check(ctx context.Context) error {
	resp, err := s.do(ctx, http.MethodHead, "", nil)
	if err != nil {
		return err
	}
	defer drain(resp)
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("blob: s3 bucket %q does not exist at %s", s.bucket, s.base.Host)
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("blob: s3 bucket %q: %s (check the access key %s and its secret, and the region %s)",
			s.bucket, resp.Status, s.sig.accessKey, s.sig.region)
	}
	return fmt.Errorf("blob: s3 bucket %q: %s", s.bucket, resp.Status)
}

// Put implements Store. The content is spooled to a temporary file first,
// hashing it on the way: S3 wants the length before the body, and the
// hash signs the body (x-amz-content-sha256), so the store refuses a body
// changed or cut short on the way, also without TLS. A PUT is atomic: the
// object is replaced whole or not at all, and a reader that fails leaves
// nothing sent.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.TempDir, ".s3put-*")
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return fmt.Errorf("blob: write %s: %w", key, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.objectURL(key).String(), nil)
	if err != nil {
		return fmt.Errorf("blob: s3 put %s: %w", key, err)
	}
	req.ContentLength = n
	req.Body = http.NoBody
	if n > 0 {
		req.Body = io.NopCloser(io.NewSectionReader(tmp, 0, n))
		req.GetBody = func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(tmp, 0, n)), nil
		}
	}
	resp, err := s.send(req, key, sum)
	if err != nil {
		return err
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return s3Error(resp, "put", key)
	}
	return nil
}

// Open implements Store: a HEAD learns the size; the content is fetched
// when read, from the read position on (a Seek elsewhere starts a new
// ranged GET), so serving an HTTP range fetches only that range. ctx
// bounds the reads too.
func (s *S3) Open(ctx context.Context, key string) (File, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	resp, err := s.do(ctx, http.MethodHead, key, nil)
	if err != nil {
		return nil, err
	}
	defer drain(resp)
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("blob: open %s: %w", key, fs.ErrNotExist)
	}
	if resp.StatusCode/100 != 2 {
		return nil, s3Error(resp, "open", key)
	}
	if resp.ContentLength < 0 {
		return nil, fmt.Errorf("blob: open %s: the store sent no Content-Length", key)
	}
	return &s3File{ctx: ctx, s: s, key: key, size: resp.ContentLength, etag: resp.Header.Get("ETag")}, nil
}

// Has reports whether key is stored (an import skips what it already
// copied).
func (s *S3) Has(ctx context.Context, key string) (bool, error) {
	f, err := s.Open(ctx, key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	f.Close()
	return true, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	resp, err := s.do(ctx, http.MethodDelete, key, nil)
	if err != nil {
		return err
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotFound {
		return s3Error(resp, "delete", key)
	}
	return nil
}

// s3File reads an object lazily: body is the open response of a ranged
// GET positioned at off, or nil until the next Read.
type s3File struct {
	ctx  context.Context // Open's: a download ends with its request
	s    *S3
	key  string
	size int64
	etag string
	off  int64
	body io.ReadCloser
}

func (f *s3File) Size() int64 { return f.size }

func (f *s3File) Read(p []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if f.body == nil {
		if err := f.fetch(); err != nil {
			return 0, err
		}
	}
	n, err := f.body.Read(p)
	f.off += int64(n)
	switch {
	case err == io.EOF && f.off < f.size:
		f.closeBody()
		return n, fmt.Errorf("blob: read %s: object ended at %d of %d bytes: %w", f.key, f.off, f.size, io.ErrUnexpectedEOF)
	case err == io.EOF:
		f.closeBody()
		return n, nil // the next Read reports EOF from the size
	case err != nil:
		f.closeBody()
		return n, fmt.Errorf("blob: read %s: %w", f.key, err)
	}
	return n, nil
}

// fetch starts a GET from off to the end. If-Match keeps every range of
// one File from one version of the object: a replaced object fails the
// read rather than mixing versions.
func (f *s3File) fetch() error {
	h := http.Header{"Range": {"bytes=" + strconv.FormatInt(f.off, 10) + "-"}}
	if f.etag != "" {
		h.Set("If-Match", f.etag)
	}
	resp, err := f.s.do(f.ctx, http.MethodGet, f.key, h)
	if err != nil {
		return err
	}
	switch resp.StatusCode {
	case http.StatusPartialContent:
		if total := contentRangeTotal(resp.Header.Get("Content-Range")); total != f.size {
			drain(resp)
			return fmt.Errorf("blob: read %s: object is now %d bytes, was %d", f.key, total, f.size)
		}
	case http.StatusOK: // a store that ignores Range sends it all
		if _, err := io.CopyN(io.Discard, resp.Body, f.off); err != nil {
			drain(resp)
			return fmt.Errorf("blob: read %s: %w", f.key, err)
		}
	case http.StatusNotFound:
		drain(resp)
		return fmt.Errorf("blob: read %s: %w", f.key, fs.ErrNotExist)
	default:
		defer drain(resp)
		return s3Error(resp, "read", f.key)
	}
	f.body = resp.Body
	return nil
}

// contentRangeTotal is the complete length of "bytes a-b/total", -1 if
// absent or unknown.
func contentRangeTotal(v string) int64 {
	_, total, ok := strings.Cut(v, "/")
	if !ok {
		return -1
	}
	n, err := strconv.ParseInt(total, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func (f *s3File) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.off + offset
	case io.SeekEnd:
		abs = f.size + offset
	default:
		return 0, fmt.Errorf("blob: seek %s: bad whence %d", f.key, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("blob: seek %s: negative position %d", f.key, abs)
	}
	if abs != f.off {
		f.closeBody()
		f.off = abs
	}
	return abs, nil
}

func (f *s3File) Close() error {
	f.closeBody()
	return nil
}

func (f *s3File) closeBody() {
	if f.body != nil {
		f.body.Close()
		f.body = nil
	}
}

// s3Error turns a refusal into an error with the store's code (from its
// XML error body), e.g. "blob: s3 put 7/a: 403 Forbidden SignatureDoesNotMatch".
func s3Error(resp *http.Response, op, key string) error {
	var body struct {
		Code string `xml:"Code"`
	}
	_ = xml.NewDecoder(io.LimitReader(resp.Body, 8<<10)).Decode(&body)
	return fmt.Errorf("blob: s3 %s %s: %s %s", op, key, resp.Status, body.Code)
}

// drain reads a little of a response's rest, so the connection can be
// reused, and closes it.
func drain(resp *http.Response) {
	io.CopyN(io.Discard, resp.Body, 8<<10)
	resp.Body.Close()
}
