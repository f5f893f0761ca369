package api_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/request"
)

// pngBytes is the start of a PNG file followed by filler, size bytes long.
func pngBytes(size int) []byte {
	b := make([]byte, size)
	copy(b, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	return b
}

// upload posts content as the multipart field "file".
func upload(t *testing.T, f *fixture, token, number, filename string, content []byte, headers ...string) *apitest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("note", "ignored")
	w, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	mw.Close()
	req, err := http.NewRequest("POST", f.URL()+"/api/v1/requests/"+number+"/attachments", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", "en")
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	res, err := f.Client.Do(req)
	if err != nil {
		t.Fatalf("upload %s: %v", filename, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &apitest.Response{Status: res.StatusCode, Header: res.Header, Body: body}
}

// attachmentFiles lists the files the app keeps (in the database on
// PostgreSQL, in the data directory on SQLite) and returns their names
// (uploads are kept under their SHA-256), staged files included.
func attachmentFiles(t *testing.T, f *fixture) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, p := range apptest.StoredFiles(t, f.Main) {
		// Stored files are named by their SHA-256 and a random suffix.
		name, _, _ := strings.Cut(path.Base(p), "-")
		got[name] = true
	}
	return got
}

func TestAttachments(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r := f.newRequest(t, f.aliceID, "Broken door")
		other := f.newRequest(t, f.bobID, "Bob's door")
		files := f.count(t, "attachments")

		// A PNG is accepted and can be read back.
		res := upload(t, f, f.alice, r.Number, "photo 照片.png", pngBytes(5000))
		if res.Status != http.StatusCreated {
			t.Fatalf("upload png: got %d: %s", res.Status, res.Body)
		}
		var photo api.Attachment
		res.JSON(t, &photo)
		if photo.ContentType != "image/png" || photo.Size != 5000 || len(photo.SHA256) != 64 || photo.Filename != "photo 照片.png" {
			t.Errorf("attachment: got %+v", photo)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.alice,
			map[string]any{"body": "see photo", "attachment_ids": []int64{photo.ID}})
		res = f.mustStatus(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), f.agent, nil)
		if !bytes.Equal(res.Body, pngBytes(5000)) {
			t.Errorf("download: got %d bytes, want the upload", len(res.Body))
		}
		for h, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff"} {
			if got := res.Header.Get(h); got != want {
				t.Errorf("download %s: got %q, want %q", h, got, want)
			}
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("Content-Disposition: got %q", cd)
		}
		f.mustStatus(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), f.alice, nil)
		f.mustStatus(t, http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/attachments/%d", photo.ID), f.bob, nil)

		// Attachments of internal notes stay internal.
		res = upload(t, f, f.agent, r.Number, "internal-diagnosis.png", pngBytes(100))
		if res.Status != http.StatusCreated {
			t.Fatalf("staff upload: got %d: %s", res.Status, res.Body)
		}
		var diag api.Attachment
		res.JSON(t, &diag)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.agent,
			map[string]any{"body": "motor board fried", "visibility": "internal", "attachment_ids": []int64{diag.ID}})
		f.mustStatus(t, http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/attachments/%d", diag.ID), f.alice, nil)
		f.mustStatus(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/attachments/%d", diag.ID), f.tech, nil)
		f.Run(t, apitest.Scenario{Name: "customer view hides the note's file", Method: "GET", Path: "/api/v1/requests/" + r.Number,
			Token: f.alice, ExpectedStatus: http.StatusOK, ExpectedContent: []string{"photo 照片.png"},
			NotExpectedContent: []string{"internal-diagnosis", "motor board"}})
		f.Run(t, apitest.Scenario{Name: "staff view shows it", Method: "GET", Path: "/api/v1/requests/" + r.Number,
			Token: f.agent, ExpectedStatus: http.StatusOK, ExpectedContent: []string{"internal-diagnosis.png", "motor board"}})
		f.Run(t, apitest.Scenario{Name: "an attachment links once", Method: "POST", Path: "/api/v1/requests/" + r.Number + "/messages",
			Token: f.agent, Body: map[string]any{"body": "again", "attachment_ids": []int64{diag.ID}},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.attachment_ids[0]"`}})
		files += 2

		// The type comes from the content, not the name: PNG bytes called
		// x.exe are a PNG.
		res = upload(t, f, f.alice, r.Number, "x.exe", pngBytes(300))
		if res.Status != http.StatusCreated {
			t.Fatalf("png named x.exe: got %d, want 201: %s", res.Status, res.Body)
		}
		var exeNamed api.Attachment
		res.JSON(t, &exeNamed)
		if exeNamed.ContentType != "image/png" || exeNamed.Filename != "x.exe" {
			t.Errorf("png named x.exe: got %+v, want content type image/png", exeNamed)
		}
		files++
		// What is stored now is what refused uploads must leave as it is:
		// one file per upload (in the database on PostgreSQL).
		kept := attachmentFiles(t, f)
		if want := map[string]bool{photo.SHA256: true, diag.SHA256: true, exeNamed.SHA256: true}; !maps.Equal(kept, want) {
			t.Fatalf("stored files: got %v, want the three uploads %v", kept, want)
		}

		// Refused uploads keep nothing, in the database or on disk.
		for _, c := range []struct {
			name, token, number, filename string
			content                       []byte
			status                        int
		}{
			{"exe", f.alice, r.Number, "setup.exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 600)...), http.StatusUnsupportedMediaType},
			{"exe named photo.png", f.alice, r.Number, "photo.png", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 600)...), http.StatusUnsupportedMediaType},
			{"unknown binary", f.alice, r.Number, "blob.bin", bytes.Repeat([]byte{0, 1, 2, 0xfe}, 300), http.StatusUnsupportedMediaType},
			{"html", f.alice, r.Number, "x.html", []byte("<html><script>alert(1)</script></html>"), http.StatusUnsupportedMediaType},
			{"empty", f.alice, r.Number, "empty.png", nil, http.StatusUnprocessableEntity},
			{"just over 20 MiB", f.alice, r.Number, "big.png", pngBytes(request.MaxAttachmentSize + 1), http.StatusRequestEntityTooLarge},
			{"far over 20 MiB", f.alice, r.Number, "huge.png", pngBytes(request.MaxAttachmentSize + 1<<20), http.StatusRequestEntityTooLarge},
			{"other customer's request", f.alice, other.Number, "photo.png", pngBytes(100), http.StatusNotFound},
			{"no token", "", r.Number, "photo.png", pngBytes(100), http.StatusUnauthorized},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := upload(t, f, c.token, c.number, c.filename, c.content)
				if res.Status != c.status {
					t.Fatalf("got %d, want %d: %s", res.Status, c.status, res.Body)
				}
				p := decodeProblem(t, res)
				if c.status != http.StatusNotFound && c.status != http.StatusUnauthorized && (len(p.Errors) == 0 || p.Errors[0].Location != "body.file") {
					t.Errorf("errors: got %+v, want location body.file", p.Errors)
				}
				if n := f.count(t, "attachments"); n != files {
					t.Errorf("attachments: got %d rows, want %d", n, files)
				}
				if got := attachmentFiles(t, f); !maps.Equal(got, kept) {
					t.Errorf("files under the attachments folder: got %v, want only the earlier uploads %v", got, kept)
				}
			})
		}
		f.Run(t, apitest.Scenario{Name: "not multipart", Method: "POST", Path: "/api/v1/requests/" + r.Number + "/attachments",
			Token: f.alice, Body: `{"file":"x"}`, ExpectedStatus: http.StatusUnsupportedMediaType})
		f.Run(t, apitest.Scenario{Name: "unknown attachment", Method: "GET", Path: "/api/v1/attachments/999999",
			Token: f.agent, ExpectedStatus: http.StatusNotFound})
	})
}
