package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// readChecked reads body through the duplicate check as huma would and
// returns what it read and the error it stopped on.
func readChecked(tb testing.TB, body io.Reader) ([]byte, error) {
	tb.Helper()
	b := &dupCheckedBody{src: io.NopCloser(body)}
	return io.ReadAll(b)
}

func TestFindDuplicate(t *testing.T) {
	many := func(dup bool) string { // an object past smallObject names
		var b strings.Builder
		b.WriteString("{")
		for i := range 40 {
			fmt.Fprintf(&b, `"k%d":%d,`, i, i)
		}
		if dup {
			b.WriteString(`"k3":0,`)
		}
		b.WriteString(`"end":true}`)
		return b.String()
	}
	for _, c := range []struct {
		name, body string
		want       string // the duplicate's field; "" for none
	}{
		{"no duplicate", `{"type":"repair","subject":"a","customer_id":1}`, ""},
		{"top level", `{"subject":"a","subject":"b"}`, "subject"},
		{"same value is still a duplicate", `{"subject":"a","type":"repair","subject":"a"}`, "subject"},
		{"escaped name", `{"subject":"a","sub\u006aect":"b"}`, "subject"},
		{"names differ in case", `{"subject":"a","Subject":"b"}`, "Subject"},
		{"Kelvin sign folds to k", `{"k":1,"\u212a":2}`, "\u212a"},
		{"long s folds to s", `{"S":1,"\u017f":2}`, "\u017f"},
		{"dotted capital I does not fold to i", `{"i":1,"\u0130":2}`, ""},
		{"different names, same length", `{"ab":1,"aB ":2,"Ab":3}`, "Ab"},
		{"nested", `{"dimensions":{"price":1,"size":2,"price":3}}`, "dimensions.price"},
		{"after a nested object", `{"a":{"b":1},"a":2}`, "a"},
		{"in an array element", `{"items":[{"sku":"a"},{"sku":"b","sku":"c"}]}`, "items[1].sku"},
		{"nested arrays", `{"m":[[1],[2,{"x":1,"x":2}]]}`, "m[1][1].x"},
		{"root array", `[{"a":1},{"a":1,"a":1}]`, "[1].a"},
		{"same name in sibling objects", `[{"a":1},{"a":1}]`, ""},
		{"same name at two depths", `{"a":{"a":{"a":1}}}`, ""},
		{"names equal to values", `{"a":"a","b":"a","c":["a","a"]}`, ""},
		{"after a number that overflows float64", `{"n":1e999,"a":1,"a":2}`, "a"},
		{"many names", many(false), ""},
		{"many names, one repeated", many(true), "k3"},
		{"many names, one in another case", strings.Replace(many(true), `"k3":0`, `"K3":0`, 1), "K3"},
		{"many names, one with the Kelvin sign", strings.Replace(many(true), `"k3":0`, `"\u212a3":0`, 1), "\u212a3"},
		{"empty object", `{}`, ""},
		{"empty name twice", `{"":1,"":2}`, `""`},
		{"empty name nested", `{"a":{"":1,"":2}}`, `a.""`},
		{"malformed before the duplicate", `{"a":1,,"a":2}`, ""},
		{"only the first value counts", `{"a":1}{"a":1,"a":2}`, ""},
		{"not JSON", `--boundary`, ""},
		{"empty", ``, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := readChecked(t, strings.NewReader(c.body))
			var me *model.Error
			switch {
			case c.want == "" && err != nil:
				t.Errorf("got error %v, want none", err)
			case c.want != "" && !errors.As(err, &me):
				t.Errorf("got error %v, want a field error at %s", err, c.want)
			case c.want != "" && (me.Field != c.want || me.Code != model.EINVALID):
				t.Errorf("got %s error at %q, want invalid at %q", me.Code, me.Field, c.want)
			}
		})
	}
}

// failOnce fails the first Read with err and ends the stream after it,
// so that only a reader that keeps the error passes it on.
type failOnce struct {
	err  error
	done bool
}

func (f *failOnce) Read([]byte) (int, error) {
	if f.done {
		return 0, io.EOF
	}
	f.done = true
	return 0, f.err
}

// TestDupCheckedBodyKeepsBytes checks that a body without duplicates
// reads exactly as sent, whatever its size or syntax, and that a read
// error of the client's body still reaches the reader after the bytes
// that came before it.
func TestDupCheckedBodyKeepsBytes(t *testing.T) {
	big := `{"description":"` + strings.Repeat("长", MaxBodyBytes/2) + `"}`
	errCut := errors.New("connection cut")
	for _, c := range []struct {
		name    string
		body    io.Reader
		want    string
		wantErr error
	}{
		{"object", strings.NewReader(`{"a":1,"b":[1,2]}`), `{"a":1,"b":[1,2]}`, nil},
		{"trailing data", strings.NewReader(`{"a":1} {"a":1,"a":2}`), `{"a":1} {"a":1,"a":2}`, nil},
		{"larger than the limit", strings.NewReader(big), big, nil},
		{"not JSON", strings.NewReader("--b\r\nContent-Disposition: form-data\r\n"), "--b\r\nContent-Disposition: form-data\r\n", nil},
		{"read error", io.MultiReader(strings.NewReader(`{"a":`), &failOnce{err: errCut}), `{"a":`, errCut},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := readChecked(t, c.body)
			if !errors.Is(err, c.wantErr) {
				t.Errorf("got error %v, want %v", err, c.wantErr)
			}
			if string(got) != c.want {
				t.Errorf("got %d bytes %.40q…, want %d bytes %.40q…", len(got), got, len(c.want), c.want)
			}
		})
	}
}

// countingReader yields n bytes of an endless JSON string and counts what
// was read.
type countingReader struct{ n, read int }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(len(p), c.n-c.read)
	for i := range p[:k] {
		p[i] = 'x'
		if c.read+i < 6 {
			p[i] = `{"a":"`[c.read+i]
		}
	}
	c.read += k
	return k, nil
}

// TestDupCheckedBodyScansAtMostTheLimit checks the scan stops after
// MaxBodyBytes+1 bytes, however long the body: a larger body is refused
// (413) by huma, and the scan must not hold more than that in memory.
func TestDupCheckedBodyScansAtMostTheLimit(t *testing.T) {
	src := &countingReader{n: 8 * MaxBodyBytes}
	b := &dupCheckedBody{src: io.NopCloser(src)}
	if _, err := b.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if src.read > MaxBodyBytes+1 {
		t.Errorf("the scan read %d bytes, want at most %d", src.read, MaxBodyBytes+1)
	}
}

// firstDuplicate is an independent oracle for the fuzz test: a recursive
// walk over json.RawMessage values that returns the path of the first
// member name in document order that repeats an earlier one of its object
// (compared with strings.EqualFold, as encoding/json matches fields).
func firstDuplicate(raw json.RawMessage, prefix string) (string, bool) {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	join := func(k string) string {
		if k == "" {
			k = `""`
		}
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch {
	case len(raw) > 0 && raw[0] == '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return "", false
		}
		var seen []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return "", false
			}
			k, _ := tok.(string)
			for _, s := range seen {
				if strings.EqualFold(s, k) {
					return join(k), true
				}
			}
			seen = append(seen, k)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return "", false
			}
			if p, ok := firstDuplicate(v, join(k)); ok {
				return p, true
			}
		}
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return "", false
		}
		for i, v := range items {
			if p, ok := firstDuplicate(v, fmt.Sprintf("%s[%d]", prefix, i)); ok {
				return p, true
			}
		}
	}
	return "", false
}

// FuzzFindDuplicate feeds arbitrary bytes through the duplicate check:
// it never panics, a body it lets through reads back byte for byte, and
// on valid JSON it refuses exactly the bodies the oracle finds a repeated
// name in, at the same location.
func FuzzFindDuplicate(f *testing.F) {
	for _, s := range []string{
		`{"type":"repair","subject":"a","customer_id":1}`,
		`{"subject":"a","subject":"b"}`,
		`{"subject":"a","sub\u006aect":"b"}`,
		`{"subject":"a","SUBJECT":"b"}`,
		`{"k":1,"\u212a":2,"\u017f":3}`,
		`{"dimensions":{"price":1,"price":2}}`,
		`{"items":[{"sku":"a"},{"sku":"b","sku":"c"}]}`,
		`[[{"":1,"":2}]]`,
		`{"n":1e999,"a":1,"a":2}`,
		"\uFEFF{\"a\":1}",
		"{\"\xff\":1,\"\xfe\":2}",
		`{"a":"\ud800","b":"\udc00"}`,
		`{"a":1}{"a":2}`,
		`{"a":[1,2,{"b":{"c":[]}}],"d":null,"e":true,"f":-0.5e+3}`,
		`{"a":`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readChecked(t, bytes.NewReader(data))
		var me *model.Error
		switch {
		case err == nil && !bytes.Equal(got, data):
			t.Fatalf("got %q back, want the body as sent %q", got, data)
		case err != nil && (!errors.As(err, &me) || me.Code != model.EINVALID || me.Field == ""):
			t.Fatalf("got error %v, want a field error at a named location", err)
		}
		if !json.Valid(data) {
			return
		}
		want, dup := firstDuplicate(data, "")
		switch {
		case dup && err == nil:
			t.Fatalf("%q: got no error, want a duplicate at %q", data, want)
		case !dup && err != nil:
			t.Fatalf("%q: got a duplicate at %q, want none", data, me.Field)
		case dup && me.Field != want:
			t.Fatalf("%q: got a duplicate at %q, want %q", data, me.Field, want)
		}
	})
}

// BenchmarkDuplicateScan measures reading a typical body and 1 MiB bodies
// (the largest the API takes) through the duplicate check, against a
// plain read and against the json.Unmarshal that huma does on every body
// anyway.
func BenchmarkDuplicateScan(b *testing.B) {
	var members strings.Builder // many small objects: the scan's worst case
	members.WriteString(`{"items":[`)
	for i := 0; members.Len() < MaxBodyBytes-100; i++ {
		fmt.Fprintf(&members, `{"sku":"WM-%d","qty":%d,"note":"ok"},`, i, i%7)
	}
	members.WriteString(`{}]}`)
	bodies := []struct{ name, body string }{
		{"typical", `{"type":"repair","subject":"Lens error on power-up","description":"The camera shows E:01.","customer_id":42,"channel":"phone","priority":"high"}`},
		{"one_string", `{"type":"repair","subject":"x","description":"` + strings.Repeat("a", MaxBodyBytes-100) + `"}`},
		{"many_members", members.String()},
	}
	for _, c := range bodies {
		data := []byte(c.body)
		b.Run(c.name+"/plain_read", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := io.Copy(io.Discard, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/checked_read", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := io.Copy(io.Discard, &dupCheckedBody{src: io.NopCloser(bytes.NewReader(data))}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/unmarshal", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
