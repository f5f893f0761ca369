package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// maxScanDepth is where the duplicate scan gives up on nesting; it is
// encoding/json's own limit, so huma refuses such a body anyway.
const maxScanDepth = 10000

// refuseDuplicateMembers makes a JSON body in which an object names the
// same member twice ({"subject":"a","subject":"b"}) unreadable: parsers
// disagree on which one wins (encoding/json takes the last, others the
// first), so a proxy or audit log may see another request than the one
// the API acts on; and as encoding/json matches names to fields without
// regard to case while huma validates the exact name first,
// {"subject":"a","Subject":"b"} would be validated as "a" and stored as
// "b". Reading such a body fails with a 422 field error at the duplicate's
// location (body.subject, body.items[0].sku), which huma reports like any
// body error, so nothing is created.
//
// The check is lazy: it runs when the body is first read, which huma does
// after authentication and the role check, so a caller without a token
// still gets 401 and one without the right role 403, and rejected callers
// cost no scan. It reads at most MaxBodyBytes+1 bytes (a larger body is
// huma's 413) and hands on every byte it read. Multipart bodies (uploads)
// are not JSON and are left alone.
func refuseDuplicateMembers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody && !isMultipart(r.Header.Get("Content-Type")) {
			r.Body = &dupCheckedBody{src: r.Body}
		}
		next.ServeHTTP(w, r)
	})
}

// isMultipart reports whether net/http's MultipartReader would read a body
// of content type ct; huma never reads those as JSON (its JSON types have
// no "multipart/" prefix or a "+json" suffix).
func isMultipart(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "multipart/form-data" || mt == "multipart/mixed")
}

// dupCheckedBody scans its source on the first Read and then yields the
// same bytes, or the duplicate's error.
type dupCheckedBody struct {
	src  io.ReadCloser
	rest io.Reader // what remains to be read; nil before the scan
	err  error     // the duplicate found, returned by every Read
}

func (b *dupCheckedBody) Read(p []byte) (int, error) {
	if b.rest == nil {
		b.scan()
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.rest.Read(p)
}

func (b *dupCheckedBody) Close() error { return b.src.Close() }

// scan tokenizes the body's first JSON value. Whatever it read is kept and
// served again; a read error of the source is served after those bytes,
// so the reader sees the body exactly as sent.
func (b *dupCheckedBody) scan() {
	var seen bytes.Buffer
	src := &errRecorder{r: io.LimitReader(b.src, MaxBodyBytes+1)}
	dec := json.NewDecoder(io.TeeReader(src, &seen))
	dec.UseNumber() // numbers stay text: no overflow stops the scan
	b.err = findDuplicate(dec)
	var tail io.Reader = b.src
	if src.err != nil && !errors.Is(src.err, io.EOF) {
		tail = errReader{src.err}
	}
	b.rest = io.MultiReader(&seen, tail)
}

// errRecorder remembers the first error its reader returned.
type errRecorder struct {
	r   io.Reader
	err error
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// errReader fails every Read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// scanFrame is an object or array being read.
type scanFrame struct {
	object  bool
	wantKey bool                // object: the next token is a member name or '}'
	key     string              // object: the member whose value is being read
	index   int                 // array: the element being read
	keys    []string            // object: the names seen so far, while few
	folded  map[string]struct{} // object: the names seen so far (foldName), once many
}

// smallObject is how many member names an object keeps in a slice before
// it switches to a map: most API objects have a handful.
const smallObject = 16

// seen reports whether the object already has a member named k, and adds
// it. Names are compared the way encoding/json matches them to struct
// fields (bytes.EqualFold): {"subject":…,"Subject":…} is validated by huma
// as "subject" but decoded with the last value, so it is a duplicate too.
func (f *scanFrame) seen(k string) bool {
	if f.folded != nil {
		fk := foldName(k)
		if _, ok := f.folded[fk]; ok {
			return true
		}
		f.folded[fk] = struct{}{}
		return false
	}
	for _, s := range f.keys {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	f.keys = append(f.keys, k)
	if len(f.keys) > smallObject {
		f.folded = make(map[string]struct{}, 2*smallObject)
		for _, s := range f.keys {
			f.folded[foldName(s)] = struct{}{}
		}
		f.keys = nil
	}
	return false
}

// foldName returns the same string for two names exactly when
// strings.EqualFold says they are equal: each rune becomes the smallest
// rune of its case-folding orbit (ASCII letters their upper case, and
// 'k' and the Kelvin sign both 'K').
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// findDuplicate reads one JSON value from dec and returns a field error
// at the first member name an object repeats. Names are compared after
// unescaping ("a" and "\u0061" are the same name) and case folding (see
// seen). Syntax and read errors end the scan without an error: huma
// reports them when it parses.
func findDuplicate(dec *json.Decoder) error {
	var stack []scanFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			top := &stack[n-1]
			if k, ok := tok.(string); ok {
				if top.seen(k) {
					return model.FieldError(memberPath(stack[:n-1], k), "is given more than once (duplicate member name)")
				}
				top.key, top.wantKey = k, false
				continue
			}
			// Not a name: the '}' that ends the object.
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxScanDepth {
				return nil
			}
			stack = append(stack, scanFrame{object: tok == json.Delim('{'), wantKey: tok == json.Delim('{')})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value is complete.
		if len(stack) == 0 {
			return nil
		}
		if top := &stack[len(stack)-1]; top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
}

// memberPath names member k of the object inside parents the way huma
// names locations, without the leading "body.": "dimensions.price",
// "items[2].sku". An empty name is written "" so that the location still
// names it.
func memberPath(parents []scanFrame, k string) string {
	var b strings.Builder
	name := func(s string) {
		if s == "" {
			s = `""`
		}
		b.WriteString(s)
	}
	for _, f := range parents {
		if f.object {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			name(f.key)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(f.index))
			b.WriteByte(']')
		}
	}
	if b.Len() > 0 {
		b.WriteByte('.')
	}
	name(k)
	return b.String()
}
