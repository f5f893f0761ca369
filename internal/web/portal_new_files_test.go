package web_test

import (
	"bytes"
	"context"
	"io/fs"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/i18n"
)

// upload is a file sent with a form.
type upload struct {
	name    string
	content []byte
}

// multipartFiles posts fields (in the order given: name, value, …) and
// files under the field "file", as a browser sends a form with a
// multiple file input.
func (c *client) multipartFiles(path string, fields []string, files ...upload) response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = w.WriteField(fields[i], fields[i+1])
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile("file", f.name)
		_, _ = fw.Write(f.content)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// TestPortalNewRequestWithFiles: a customer opens a request with a photo
// and a video from a phone; both are on its timeline and the customer
// downloads them, another customer gets not found. A form with one file of
// a kind that cannot be attached comes back in the reader's language,
// naming the file in plain words (no MIME type), with what was typed, and
// nothing is stored: no request, no attachment row, no file.
func TestPortalNewRequestWithFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := bundle(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 900)...)
	mov := append([]byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "), bytes.Repeat([]byte{0}, 600)...)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 600)...)

	stored := func() (requests, atts, files int) {
		if err := f.m.Store.Read().QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM requests), (SELECT COUNT(*) FROM attachments)").Scan(&requests, &atts); err != nil {
			t.Fatal(err)
		}
		root := f.m.Config.AttachmentDir()
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.Contains(p, string(filepath.Separator)+".staging"+string(filepath.Separator)) {
				files++
			}
			return nil
		})
		return requests, atts, files
	}

	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	res := alice.multipartFiles("/portal/requests/new", []string{"type", "repair", "subject", "Cracked screen", "description", "Dropped it."},
		upload{"IMG_0001.PNG", png}, upload{"IMG_0002.MOV", mov})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/requests/SR-") {
		t.Fatalf("new request with two files: got %d → %q, want 303 to the request\n%.2000s", res.status, res.location, res.body)
	}
	page := alice.get(res.location)
	expect(t, "the new request's page", page, http.StatusOK, []string{"IMG_0001.PNG", "IMG_0002.MOV", "Cracked screen"}, nil)
	links := regexp.MustCompile(`href="(/attachments/\d+)"`).FindAllStringSubmatch(page.body, -1)
	if len(links) != 2 {
		t.Fatalf("download links on the timeline: %v, want 2", links)
	}
	bob := newClient(t, f.m, "en")
	bob.loginCustomer("bob@example.com")
	for i, l := range links {
		got := alice.get(l[1])
		if want := [][]byte{png, mov}[i]; got.status != http.StatusOK || got.body != string(want) {
			t.Errorf("the customer downloads %s: %d, %d bytes; want 200 and the file sent", l[1], got.status, len(got.body))
		}
		if got := bob.get(l[1]); got.status != http.StatusNotFound {
			t.Errorf("another customer downloads %s: %d, want 404", l[1], got.status)
		}
	}

	before := [3]int{}
	before[0], before[1], before[2] = stored()
	for _, lang := range []string{"en", i18n.ZhCN} {
		c := newClient(t, f.m, lang)
		c.loginCustomer("alice@example.com")
		subject := "Screen flickers " + lang
		res := c.multipartFiles("/portal/requests/new", []string{"type", "repair", "subject", subject, "description", "Since Monday " + lang},
			upload{"photo.png", png}, upload{"setup.exe", exe})
		want := b.T(lang, "portal.new.file_refused", "setup.exe", b.T(lang, "upload.type_refused"))
		expect(t, lang+": a refused file", res, http.StatusUnprocessableEntity,
			[]string{htmlEscape(want), subject, "Since Monday " + lang}, nil)
		for _, msg := range regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<`).FindAllStringSubmatch(res.body, -1) {
			if strings.Contains(msg[1], "application/") {
				t.Errorf("%s: the refusal names a MIME type: %q", lang, msg[1])
			}
		}
		after := [3]int{}
		after[0], after[1], after[2] = stored()
		if after != before {
			t.Errorf("%s: requests, attachment rows, files: %v → %v; want nothing added", lang, before, after)
		}
	}
}

// htmlEscape is s as html/template writes it in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
