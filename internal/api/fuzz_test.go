package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/testenv"
)

// fuzzAPI is the app a fuzz target sends its inputs to: booted once per
// process (the fuzzing engine runs each worker in a process of its own),
// with an agent's token and one request to act on.
type fuzzAPI struct {
	*apitest.App
	token  string
	number string
	client *http.Client
}

// startFuzzAPIs boots one app on SQLite and, when a PostgreSQL server is
// configured (see storetest.PostgresURL), one on PostgreSQL: PostgreSQL
// refuses some text SQLite takes, so an input may fail on one store only.
func startFuzzAPIs(f *testing.F) []*fuzzAPI {
	f.Helper()
	apps := []*fuzzAPI{startFuzzAPI(f, "")}
	if os.Getenv("AFTERCARE_TEST_PG_URL") != "" || testenv.Required("pg") {
		apps = append(apps, startFuzzAPI(f, storetest.PostgresURL(f)))
	}
	return apps
}

func startFuzzAPI(f *testing.F, databaseURL string) *fuzzAPI {
	f.Helper()
	a := apitest.Start(f, databaseURL)
	token, _ := a.Staff(f, model.RoleAgent, "fuzz-agent@example.com")
	_, c := a.Customer(f, "Fuzz Customer", "fuzz-customer@example.com")
	res := a.Do(f, "POST", "/api/v1/requests", token, map[string]any{"type": "repair", "subject": "fuzz target",
		"customer_id": c.ID})
	if res.Status != http.StatusCreated {
		f.Fatalf("create request: got %d: %s", res.Status, res.Body)
	}
	var r api.Request
	res.JSON(f, &r)
	// Every answer has a deadline, so an input that hangs the server fails
	// the test instead of hanging it.
	return &fuzzAPI{App: a, token: token, number: r.Number, client: &http.Client{Timeout: 30 * time.Second}}
}

// send posts body with content type ct (none when empty) and returns the
// answer; a transport error (a hang past the deadline, a dropped
// connection) fails t.
func (a *fuzzAPI) send(t *testing.T, method, path, ct, lang string, body []byte) *apitest.Response {
	t.Helper()
	req, err := http.NewRequest(method, a.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Accept-Language", lang)
	res, err := a.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", method, path, err)
	}
	return &apitest.Response{Status: res.StatusCode, Header: res.Header, Body: data}
}

// checkAnswer asserts what every API answer promises: never a 5xx (a
// panic is a 500 through the recoverer), every error an RFC 9457 problem
// document whose status is the HTTP status, every success JSON.
func checkAnswer(t *testing.T, res *apitest.Response) {
	t.Helper()
	if res.Status >= 500 {
		t.Fatalf("got %d, want no server error: %s", res.Status, res.Body)
	}
	ct := res.Header.Get("Content-Type")
	if res.Status >= 400 {
		if ct != "application/problem+json" {
			t.Fatalf("got %d with content type %q, want application/problem+json: %s", res.Status, ct, res.Body)
		}
		var p struct {
			Status *int   `json:"status"`
			Title  string `json:"title"`
		}
		if err := json.Unmarshal(res.Body, &p); err != nil || p.Status == nil || *p.Status != res.Status || p.Title == "" {
			t.Fatalf("got %d with problem %s (%v), want a problem with status %d and a title", res.Status, res.Body, err, res.Status)
		}
		return
	}
	if !strings.HasPrefix(ct, "application/json") || !json.Valid(res.Body) {
		t.Fatalf("got %d with content type %q and body %q, want JSON", res.Status, ct, res.Body)
	}
}

// jsonRoutes are the operations FuzzJSONBody sends bodies to.
var jsonRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/requests"},
	{"POST", "/api/v1/customers"},
	{"PATCH", "/api/v1/requests/{number}"},
}

// jsonContentTypes are the content types a JSON body may come with: the
// API reads all of them as JSON.
var jsonContentTypes = []string{"application/json", "", "application/x-www-form-urlencoded", "application/merge-patch+json"}

// FuzzJSONBody sends arbitrary bodies to the operations that create and
// change requests and customers: the server never answers 5xx, never
// hangs, and every refusal is a problem document.
// The op byte picks the route (op%3), the content type (op/3%4) and the
// language (op&0x80).
func FuzzJSONBody(f *testing.F) {
	for _, s := range []struct {
		op   uint8
		body string
	}{
		{0, `{"type":"repair","subject":"Lens error","description":"E:01","customer_id":1,"channel":"phone","priority":"high"}`},
		{1, `{"name":"李雷","email":"lilei@example.com","phone":"13900000000","locale":"zh-CN"}`},
		{2, `{"priority":"urgent","version":1}`},
		{0, `{"type":"repair","subject":"a","subject":"b","customer_id":1}`},
		{0x80, `{"type":"repair","subject":"a","customer_id":1,"Subject":"b"}`},
		{1, `{"name":"X","nickname":"unknown field"}`},
		{2, `{"priority":"high","version":1,"version":2}`},
		{2, `{"team_id":0,"assignee_id":0,"category_id":0,"version":99}`},
		{0, `{"type":"repair","subject":"x","customer_id":1,"meta":{"a":{"b":[1,{"c":1,"c":2}]}}}`},
		{3, `{"type":"repair","subject":"x","customer_id":1}`},
		{4, `{"name":"X"}`},
		{8, `{"priority":"low"}`},
		{0, `{"type":"repair","subject":"` + strings.Repeat("长", 300) + `","customer_id":1}`},
		{0, `{"type":"repair","subject":"x","customer_id":1,"description":"` + strings.Repeat("a", 1<<20) + `"}`},
		{1, `{"name":"` + strings.Repeat("[", 5000) + `"}`},
		{1, strings.Repeat("[", 20000)},
		{0, `{"type":"repair","subject":"x","customer_id":1e999}`},
		{0, `{"type":"repair","subject":"x","customer_id":-9223372036854775809}`},
		{0, "\uFEFF" + `{"type":"repair","subject":"x","customer_id":1}`},
		{0, `{"type":"repair","subject":"\u0000","customer_id":1}`},
		{1, "{\"name\":\"\xff\xfe\"}"},
		{0, `{"type":`},
		{1, ``},
		{2, `null`},
	} {
		f.Add(s.op, []byte(s.body))
	}
	apps := startFuzzAPIs(f)
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		route := jsonRoutes[int(op)%len(jsonRoutes)]
		ct := jsonContentTypes[int(op)/len(jsonRoutes)%len(jsonContentTypes)]
		lang := "en"
		if op&0x80 != 0 {
			lang = "zh-CN"
		}
		for _, a := range apps {
			path := strings.Replace(route.path, "{number}", a.number, 1)
			checkAnswer(t, a.send(t, route.method, path, ct, lang, body))
		}
	})
}

// firstFilePart reads body the way the upload endpoint does and returns
// the content of its first part named "file".
func firstFilePart(ct string, body []byte) ([]byte, bool) {
	r := &http.Request{Method: "POST", Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(bytes.NewReader(body))}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, false
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, false
		}
		if part.FormName() == "file" {
			b, err := io.ReadAll(part)
			return b, err == nil
		}
	}
}

// validHeaderValue reports whether net/http's client sends v as a header
// value: no control characters but the tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// multipartBody builds a well-formed upload: the fields in order, then
// the file (omitted when filename is empty and content nil).
func multipartBody(tb testing.TB, boundary string, fields []string, filename string, content []byte) (string, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(boundary); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			tb.Fatal(err)
		}
	}
	if filename != "" || content != nil {
		w, err := mw.CreateFormFile("file", filename)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(content)
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// FuzzUpload sends arbitrary multipart bodies and content types to the
// upload endpoint: the server never answers 5xx, never hangs, refuses
// with problem documents, and an upload it accepts downloads with the
// bytes of the body's "file" part.
func FuzzUpload(f *testing.F) {
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 600)...)
	seeds := [][2]string{}
	add := func(ct string, body []byte) { seeds = append(seeds, [2]string{ct, string(body)}) }
	add(multipartBody(f, "b0undary", nil, "photo 照片.png", png))
	add(multipartBody(f, "b0undary", []string{"note", "ignored"}, "log.txt", []byte("lens error E:01\r\n")))
	add(multipartBody(f, "b0undary", nil, "", []byte("no file name")))
	add(multipartBody(f, "b0undary", []string{"file", "a field, not a file"}, "", nil))
	add(multipartBody(f, "b0undary", nil, "empty.txt", []byte{}))
	add(multipartBody(f, "b0undary", nil, `..\..\evil.txt`, []byte("path in the name")))
	add(multipartBody(f, "b0undary", nil, strings.Repeat("n", 300)+".txt", []byte("long name")))
	add(multipartBody(f, "b0undary", nil, "\xb1\xa8\xb8\xe6.txt", []byte("GBK file name"))) // 报告
	add(multipartBody(f, "b0undary", nil, "x.exe", append([]byte("MZ\x90\x00"), make([]byte, 600)...)))
	ct, body := multipartBody(f, "b0undary", nil, "cut.png", png)
	add(ct, body[:len(body)/2]) // cut short
	add(ct, body[:len(body)-4]) // no final "--\r\n"
	add("multipart/form-data", body)
	add("multipart/form-data; boundary=", body)
	add("multipart/form-data; boundary=other", body)
	add("multipart/mixed; boundary=b0undary", body)
	add("application/json", []byte(`{"file":"x"}`))
	add("", body)
	for _, s := range seeds {
		f.Add(s[0], []byte(s[1]))
	}
	apps := startFuzzAPIs(f)
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		if !validHeaderValue(ct) {
			t.Skip("the HTTP client refuses to send this header")
		}
		for _, a := range apps {
			checkUpload(t, a, ct, body)
		}
	})
}

// checkUpload sends one fuzzed upload to a and checks the answer; an
// upload it accepts must download with the bytes of the body's "file"
// part.
func checkUpload(t *testing.T, a *fuzzAPI, ct string, body []byte) {
	t.Helper()
	res := a.send(t, "POST", "/api/v1/requests/"+a.number+"/attachments", ct, "en", body)
	checkAnswer(t, res)
	if res.Status >= 300 {
		return
	}
	want, ok := firstFilePart(ct, body)
	if !ok {
		t.Fatalf("got %d, but the body has no readable file part: %s", res.Status, res.Body)
	}
	var att api.Attachment
	res.JSON(t, &att)
	sum := sha256.Sum256(want)
	if att.Size != int64(len(want)) || att.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("got attachment of %d bytes with SHA-256 %s, want %d bytes with %x", att.Size, att.SHA256, len(want), sum)
	}
	got := a.send(t, "GET", fmt.Sprintf("/api/v1/attachments/%d", att.ID), "", "en", nil)
	if got.Status != http.StatusOK || !bytes.Equal(got.Body, want) {
		t.Fatalf("download: got %d with %d bytes, want 200 with the %d bytes uploaded", got.Status, len(got.Body), len(want))
	}
}

// TestUploadCutShort is the regression test for what FuzzUpload found
// first: a multipart body that ends inside the file answered 500. It is
// the client's error: 422 at body.file, and nothing is kept.
func TestUploadCutShort(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r := f.newRequest(t, f.aliceID, "Cut short")
		ct, body := multipartBody(t, "b0undary", nil, "photo.png", pngBytes(5000))
		for _, c := range []struct {
			name string
			body []byte
		}{
			{"inside the first 512 bytes", body[:300]},
			{"later in the file", body[:len(body)/2]},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := f.Do(t, "POST", "/api/v1/requests/"+r.Number+"/attachments", f.alice, c.body,
					"Content-Type: "+ct, "Accept-Language: en")
				if res.Status != http.StatusUnprocessableEntity {
					t.Fatalf("got %d, want 422: %s", res.Status, res.Body)
				}
				if p := decodeProblem(t, res); len(p.Errors) == 0 || p.Errors[0].Location != "body.file" ||
					!strings.Contains(p.Detail, "cut off") {
					t.Errorf("got problem %+v, want one at body.file saying the file was cut off", p)
				}
				if n := f.count(t, "attachments"); n != 0 {
					t.Errorf("attachments: got %d rows, want 0", n)
				}
			})
		}
	})
}
