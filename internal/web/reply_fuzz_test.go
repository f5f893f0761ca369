package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/testenv"
)

// replySite is the app a reply fuzz target posts to: booted once per
// process, with an agent logged in (a session cookie in hc's jar) and a
// request to reply to.
type replySite struct {
	m        *app.Main
	agent    model.Principal
	customer model.Principal
	number   string
	hc       *http.Client
}

// newRequest opens a fresh request to reply to: the request page grows
// with every reply, and a page of thousands of messages would make each
// fuzz input slower than the last.
func (s *replySite) newRequest(tb testing.TB) {
	tb.Helper()
	r, err := s.m.Requests.Create(context.Background(), s.customer, request.CreateInput{Type: model.TypeRepair, Subject: "Fuzzed replies"})
	if err != nil {
		tb.Fatal(err)
	}
	s.number = r.Number
}

// startReplySites boots one site on SQLite and, when a PostgreSQL server
// is configured (see storetest.PostgresURL), one on PostgreSQL:
// PostgreSQL refuses some text SQLite takes, so an input may fail on one
// store only.
func startReplySites(f *testing.F) []*replySite {
	f.Helper()
	sites := []*replySite{startReplySite(f, "")}
	if os.Getenv("AFTERCARE_TEST_PG_URL") != "" || testenv.Required("pg") {
		sites = append(sites, startReplySite(f, storetest.PostgresURL(f)))
	}
	return sites
}

func startReplySite(tb testing.TB, databaseURL string) *replySite {
	tb.Helper()
	m := apptest.Start(tb, apptest.Options{DatabaseURL: databaseURL})
	ctx := context.Background()
	const pw = "fuzzing-password-1"
	hash, err := auth.HashPassword(pw)
	if err != nil {
		tb.Fatal(err)
	}
	u := &model.User{Email: "fuzz-agent@example.com", Name: "Fuzz Agent", Role: model.RoleAgent, PasswordHash: hash, Active: true}
	if err := m.Store.CreateUser(ctx, u); err != nil {
		tb.Fatalf("create user: %v", err)
	}
	c := &model.Customer{Name: "Fuzz Customer", Email: "fuzz-customer@example.com"}
	if err := m.Store.CreateCustomer(ctx, c); err != nil {
		tb.Fatalf("create customer: %v", err)
	}
	jar, _ := cookiejar.New(nil)
	// Every answer has a deadline, so an input that hangs the server fails
	// the test instead of hanging it.
	s := &replySite{m: m, agent: model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Role: u.Role},
		customer: model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name},
		hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	s.newRequest(tb)
	res, _ := s.send(tb, "POST", "/login", "application/x-www-form-urlencoded",
		[]byte(url.Values{"login": {u.Email}, "password": {pw}}.Encode()))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/queue" {
		tb.Fatalf("staff login: got %d → %q, want 303 → /queue", res.StatusCode, res.Header.Get("Location"))
	}
	return s
}

// send makes one request with the session and returns the answer and its
// body; a transport error (a hang past the deadline, a dropped
// connection) fails tb.
func (s *replySite) send(tb testing.TB, method, path, ct string, body []byte) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, s.m.URL()+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Accept-Language", "en")
	res, err := s.hc.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read answer: %v", method, path, err)
	}
	return res, data
}

// replyFiles reads body the way the reply form does and returns the
// contents of its "file" parts that carry a file name, in order.
func replyFiles(ct string, body []byte) [][]byte {
	r := &http.Request{Method: "POST", Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(bytes.NewReader(body))}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil
	}
	var files [][]byte
	for {
		part, err := mr.NextPart()
		if err != nil {
			return files
		}
		if part.FormName() == "file" && part.FileName() != "" {
			b, _ := io.ReadAll(part)
			files = append(files, b)
		}
	}
}

// replyForm builds a multipart reply as a browser sends it: fields in
// order, then the files (name, content pairs).
func replyForm(tb testing.TB, boundary string, fields []string, files ...string) (string, []byte) {
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
	for i := 0; i+1 < len(files); i += 2 {
		w, err := mw.CreateFormFile("file", files[i])
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(w, files[i+1])
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

var messageAnchor = regexp.MustCompile(`^/requests/([A-Z0-9-]+)#m([0-9]+)$`)

// FuzzReplyUpload posts arbitrary bodies and content types to the staff
// reply form: the server never answers 5xx and never hangs, and when it
// takes the reply (303 to the new message) the message carries every file
// of the body, each downloading with the bytes sent.
func FuzzReplyUpload(f *testing.F) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00", 600)
	add := func(ct string, body []byte) { f.Add(ct, body) }
	add(replyForm(f, "b0undary", []string{"body", "See the attached log.", "visibility", "public"}, "log.txt", "lens error E:01\n"))
	add(replyForm(f, "b0undary", []string{"body", "内部备注", "visibility", "internal"}, "photo 照片.png", png, "second.txt", "two files"))
	add(replyForm(f, "b0undary", []string{"body", "no file chosen", "visibility", "public"}, "", ""))
	add(replyForm(f, "b0undary", []string{"body", "  ", "visibility", "public"}, "log.txt", "blank reply"))
	add(replyForm(f, "b0undary", []string{"visibility", "public"}, "log.txt", "file before the body")) // body field missing
	add(replyForm(f, "b0undary", []string{"body", "refused type"}, "x.exe", "MZ\x90\x00"+strings.Repeat("\x00", 600)))
	add(replyForm(f, "b0undary", []string{"body", "empty file"}, "empty.txt", ""))
	add(replyForm(f, "b0undary", []string{"body", "odd names"}, `..\..\evil.txt`, "x", ".", "dot"))
	ct, body := replyForm(f, "b0undary", []string{"body", "cut short", "visibility", "public"}, "cut.png", png)
	add(ct, body[:len(body)-200])
	add(ct, body[:len(body)-4])
	add("multipart/form-data", body)
	add("multipart/form-data; boundary=other", body)
	add("application/x-www-form-urlencoded", []byte("body=plain+form&visibility=internal"))
	add("application/x-www-form-urlencoded", []byte("body=%zz"))
	add("application/x-www-form-urlencoded", []byte("body=NUL%00inside"))
	add("application/x-www-form-urlencoded", []byte("body=%B1%A8%B8%E6")) // 报告 in GBK: not UTF-8
	add(replyForm(f, "b0undary", []string{"body", "GBK file name"}, "\xb1\xa8\xb8\xe6.txt", "report"))
	add("", []byte("body=no+content+type"))
	add("text/plain", []byte("body"))
	sites := startReplySites(f)
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		for i := 0; i < len(ct); i++ {
			if b := ct[i]; b < ' ' && b != '\t' || b == 0x7f {
				t.Skip("the HTTP client refuses to send this header")
			}
		}
		for _, site := range sites {
			checkReply(t, site, ct, body)
		}
	})
}

// checkReply posts one fuzzed reply to site and checks the answer; a
// reply it takes must carry every file of the body, each downloading with
// the bytes sent.
func checkReply(t *testing.T, site *replySite, ct string, body []byte) {
	t.Helper()
	res, page := site.send(t, "POST", "/requests/"+site.number+"/reply", ct, body)
	if res.StatusCode >= 500 {
		t.Fatalf("got %d, want no server error:\n%.2000s", res.StatusCode, page)
	}
	if res.StatusCode != http.StatusSeeOther {
		return
	}
	defer site.newRequest(t)
	m := messageAnchor.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil || m[1] != site.number {
		t.Fatalf("got 303 to %q, want the new message of %s", res.Header.Get("Location"), site.number)
	}
	id, _ := strconv.ParseInt(m[2], 10, 64)
	v, err := site.m.Requests.Get(context.Background(), site.agent, site.number)
	if err != nil {
		t.Fatal(err)
	}
	var msg *model.Message
	for i := range v.Messages {
		if v.Messages[i].ID == id {
			msg = &v.Messages[i]
		}
	}
	if msg == nil {
		t.Fatalf("message %d is not on the request", id)
	}
	want := replyFiles(ct, body)
	if len(msg.Attachments) != len(want) {
		t.Fatalf("got %d attachments on the message, want the %d files sent", len(msg.Attachments), len(want))
	}
	for i, a := range msg.Attachments {
		res, got := site.send(t, "GET", fmt.Sprintf("/attachments/%d", a.ID), "", nil)
		if res.StatusCode != http.StatusOK || !bytes.Equal(got, want[i]) {
			t.Fatalf("attachment %d: got %d with %d bytes, want 200 with the %d bytes sent", i, res.StatusCode, len(got), len(want[i]))
		}
	}
}

// TestReplyUploadCutShort is the regression test for a reply whose file
// ends before its multipart boundary: it answered 500; it is the
// sender's error, so the page comes back (422) with the text as typed
// and the reason at the file field, and nothing is posted.
func TestReplyUploadCutShort(t *testing.T) {
	site := startReplySite(t, "")
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00", 5000)
	ct, body := replyForm(t, "b0undary", []string{"body", "Text typed before the cut", "visibility", "public"}, "cut.png", png)
	res, page := site.send(t, "POST", "/requests/"+site.number+"/reply", ct, body[:len(body)/2])
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422:\n%.2000s", res.StatusCode, page)
	}
	for _, want := range []string{"Text typed before the cut", "cut off before its end"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	v, err := site.m.Requests.Get(context.Background(), site.agent, site.number)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Messages) != 0 {
		t.Errorf("got %d messages, want none", len(v.Messages))
	}
}
