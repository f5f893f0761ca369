package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/request"
)

// sentFile is one part "files" of a multipart new request.
type sentFile struct {
	name    string
	content []byte
}

// createWithFiles posts a new request as multipart/form-data: the JSON
// body in the part "request" (none when body is nil), then the files.
func createWithFiles(t *testing.T, f *fixture, token string, body map[string]any, files ...sentFile) *apitest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		if err := mw.WriteField("request", string(b)); err != nil {
			t.Fatal(err)
		}
	}
	for _, sf := range files {
		w, err := mw.CreateFormFile("files", sf.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(sf.content)
	}
	mw.Close()
	req, err := http.NewRequest("POST", f.URL()+"/api/v1/requests", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", "en")
	res, err := f.Client.Do(req)
	if err != nil {
		t.Fatalf("create with files: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &apitest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// pdfBytes is a small PDF file.
func pdfBytes() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// requestSeq is the running number of a request number (SR-2026-000042 → 42).
func requestSeq(t *testing.T, number string) int {
	t.Helper()
	n, err := strconv.Atoi(number[strings.LastIndexByte(number, '-')+1:])
	if err != nil {
		t.Fatalf("request number %q: %v", number, err)
	}
	return n
}

// TestCreateRequestWithFiles: POST /api/v1/requests as multipart/form-data
// opens the request with its files in one go; a refused file, too many or
// too large files, or a refused request leave nothing behind: no request,
// no message, no attachment row, no stored file, no request number used.
func TestCreateRequestWithFiles(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		photo, receipt := pngBytes(4000), pdfBytes()
		res := createWithFiles(t, f, f.alice, map[string]any{"type": "repair", "subject": "Drum does not turn",
			"description": "photo and receipt attached", "serial": f.serial},
			sentFile{"drum 滚筒.png", photo}, sentFile{"receipt.pdf", receipt})
		if res.Status != http.StatusCreated {
			t.Fatalf("customer's multipart create: got %d, want 201: %s", res.Status, res.Body)
		}
		var created api.CreatedRequest
		res.JSON(t, &created)
		if created.CustomerID != f.aliceID || created.Channel != "api" || created.Serial != f.serial || created.Number == "" {
			t.Errorf("created request: got %+v", created.Request)
		}
		if len(created.Attachments) != 2 || created.Attachments[0].Filename != "drum 滚筒.png" ||
			created.Attachments[0].ContentType != "image/png" || created.Attachments[1].ContentType != "application/pdf" {
			t.Fatalf("attachments in the answer: got %+v, want the PNG and the PDF", created.Attachments)
		}
		for i, want := range [][]byte{photo, receipt} {
			for _, token := range []string{f.alice, f.agent} {
				got := f.mustStatus(t, http.StatusOK, "GET", created.Attachments[i].URL, token, nil)
				if !bytes.Equal(got.Body, want) {
					t.Errorf("download %s: got %d bytes, want the file sent", created.Attachments[i].Filename, len(got.Body))
				}
			}
			f.mustStatus(t, http.StatusNotFound, "GET", created.Attachments[i].URL, f.bob, nil)
		}
		// The files are on the customer's first, public message.
		d := f.getRequest(t, f.agent, created.Number)
		if len(d.Messages) != 1 || d.Messages[0].AuthorKind != "customer" || len(d.Messages[0].Attachments) != 2 {
			t.Errorf("messages: got %+v, want one of the customer with the two files", d.Messages)
		}

		// Staff open a request for a customer with a file, as with JSON.
		res = createWithFiles(t, f, f.agent, map[string]any{"type": "support", "subject": "Called about noise",
			"customer_id": f.bobID, "channel": "phone"}, sentFile{"noise.png", pngBytes(700)})
		if res.Status != http.StatusCreated {
			t.Fatalf("staff multipart create: got %d, want 201: %s", res.Status, res.Body)
		}
		var byStaff api.CreatedRequest
		res.JSON(t, &byStaff)
		if byStaff.CustomerID != f.bobID || len(byStaff.Attachments) != 1 {
			t.Errorf("staff's request: got customer %d with %d files, want Bob's with one", byStaff.CustomerID, len(byStaff.Attachments))
		}

		// A JSON body still works, and answers no attachments.
		var plain api.CreatedRequest
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.alice,
			map[string]any{"type": "inquiry", "subject": "Manual in Chinese?"}).JSON(t, &plain)
		if plain.Attachments == nil || len(plain.Attachments) != 0 {
			t.Errorf("JSON create: got attachments %v, want an empty list", plain.Attachments)
		}
		last := plain.Number

		requests, messages, attachments := f.count(t, "requests"), f.count(t, "messages"), f.count(t, "attachments")
		kept := attachmentFiles(t, f)
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 600)...)
		many := make([]sentFile, 51)
		for i := range many {
			many[i] = sentFile{fmt.Sprintf("p%d.png", i), pngBytes(200 + i)}
		}
		big := pngBytes(16 << 20)
		valid := map[string]any{"type": "repair", "subject": "Door seal"}
		for _, c := range []struct {
			name     string
			token    string
			body     map[string]any
			files    []sentFile
			status   int
			location string
		}{
			{"a refused file among good ones", f.alice, valid,
				[]sentFile{{"ok.png", pngBytes(300)}, {"setup.exe", exe}, {"after.png", pngBytes(400)}},
				http.StatusUnsupportedMediaType, "body.files[1]"},
			{"an empty file", f.alice, valid, []sentFile{{"empty.png", nil}}, http.StatusUnprocessableEntity, "body.files[0]"},
			{"a file over 20 MiB", f.alice, valid,
				[]sentFile{{"ok.png", pngBytes(300)}, {"big.png", pngBytes(request.MaxAttachmentSize + 1)}},
				http.StatusRequestEntityTooLarge, "body.files[1]"},
			{"more files than a request holds", f.alice, valid, many, http.StatusRequestEntityTooLarge, "body.files[50]"},
			{"over 60 MiB in all", f.agent, map[string]any{"type": "repair", "subject": "Video", "customer_id": f.aliceID},
				[]sentFile{{"a.png", big}, {"b.png", big}, {"c.png", big}, {"d.png", big}}, http.StatusRequestEntityTooLarge, "body"},
			{"a customer for another customer", f.alice, map[string]any{"type": "repair", "subject": "For Bob", "customer_id": f.bobID},
				[]sentFile{{"ok.png", pngBytes(300)}}, http.StatusUnprocessableEntity, "body.customer_id"},
			// The files are in the file store when the transaction fails on
			// the serial: they are removed again.
			{"another customer's serial", f.alice, map[string]any{"type": "repair", "subject": "Old one", "serial": f.oldSerial},
				[]sentFile{{"ok.png", pngBytes(300)}}, http.StatusUnprocessableEntity, "body.serial"},
			{"a request part that fails validation", f.alice, map[string]any{"type": "repair", "subject": strings.Repeat("x", 201)},
				[]sentFile{{"ok.png", pngBytes(300)}}, http.StatusUnprocessableEntity, "body.subject"},
			{"no request part", f.alice, nil, []sentFile{{"ok.png", pngBytes(300)}}, http.StatusUnprocessableEntity, "body.request"},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := createWithFiles(t, f, c.token, c.body, c.files...)
				if res.Status != c.status {
					t.Fatalf("got %d, want %d: %s", res.Status, c.status, res.Body)
				}
				if p := decodeProblem(t, res); len(p.Errors) == 0 || p.Errors[0].Location != c.location {
					t.Errorf("errors: got %+v, want location %s", p.Errors, c.location)
				}
				for table, want := range map[string]int{"requests": requests, "messages": messages, "attachments": attachments} {
					if n := f.count(t, table); n != want {
						t.Errorf("%s: got %d rows, want %d (nothing written)", table, n, want)
					}
				}
				if got := attachmentFiles(t, f); !maps.Equal(got, kept) {
					t.Errorf("stored files: got %v, want only the earlier ones %v", got, kept)
				}
			})
		}

		// The refused attempts used no request number.
		var next api.CreatedRequest
		res = createWithFiles(t, f, f.alice, valid, sentFile{"ok.png", pngBytes(300)})
		if res.Status != http.StatusCreated {
			t.Fatalf("create after the refusals: got %d: %s", res.Status, res.Body)
		}
		res.JSON(t, &next)
		if got, want := requestSeq(t, next.Number), requestSeq(t, last)+1; got != want {
			t.Errorf("number after refused creates: got %s, want the one after %s", next.Number, last)
		}
	})
}
