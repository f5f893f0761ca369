package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// twoNodes boots two app nodes on one PostgreSQL database, each with its
// own data directory, as two `serve` processes on two machines would run.
func twoNodes(t *testing.T) (a, b *apitest.App) {
	t.Helper()
	url := storetest.PostgresURL(t)
	a = apitest.StartWith(t, apptest.Options{DatabaseURL: url})
	b = apitest.StartWith(t, apptest.Options{DatabaseURL: url})
	return a, b
}

// TestFilesAcrossNodes: a file uploaded through node A downloads through
// node B byte-identical because on PostgreSQL files
// live in the database, not in the data directory of the node that
// received them.
func TestFilesAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	ctx := context.Background()
	alice, c := a.Customer(t, "Alice", "alice@example.com")
	r, err := a.Requests.Create(ctx, model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: "Alice"},
		request.CreateInput{Type: model.TypeRepair, Subject: "Cracked lens", Via: model.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	content := make([]byte, 3<<20+777) // a photo of several chunks
	copy(content, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	rand.Read(content[16:])

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "lens.png")
	w.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", a.URL()+"/api/v1/requests/"+r.Number+"/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+alice)
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload through node A: got %d: %s", res.StatusCode, got)
	}
	var att struct{ ID int64 }
	if err := json.Unmarshal(got, &att); err != nil {
		t.Fatal(err)
	}
	if files := apptest.StoredFiles(t, a.Main); len(files) != 1 {
		t.Errorf("stored files: got %v, want the one upload, in the database", files)
	}

	req, _ = http.NewRequest("GET", fmt.Sprintf("%s/api/v1/attachments/%d", b.URL(), att.ID), nil)
	req.Header.Set("Authorization", "Bearer "+alice)
	res, err = b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if status := res.StatusCode; status != http.StatusOK || !bytes.Equal(data, content) {
		t.Fatalf("download through node B: got %d, %d bytes; want 200 and the %d bytes uploaded, byte-identical", status, len(data), len(content))
	}
	// Node B's data directory holds nothing: it read the file from the
	// database.
	for _, m := range []*apitest.App{a, b} {
		if files := apptest.StoredFiles(t, m.Main); len(files) != 1 {
			t.Errorf("%s: stored files: got %v, want only the database's one", m.URL(), files)
		}
	}
}
