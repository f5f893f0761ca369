package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestBlobsImport: an install moving to PostgreSQL's file store copies
// the files of its data directory into the database once; staged uploads
// are left out, and a second run copies nothing again.
func TestBlobsImport(t *testing.T) {
	url := storetest.PostgresURL(t)
	dir := t.TempDir()
	files := map[string]string{"12/aaa-01": "photo one", "units/bbb-02": "receipt", "mail/3/ccc-03": "invoice"}
	for k, v := range files {
		p := filepath.Join(dir, "attachments", filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	staged := filepath.Join(dir, "attachments", ".staging", "upload-1")
	os.MkdirAll(filepath.Dir(staged), 0o750)
	os.WriteFile(staged, []byte("half"), 0o640)

	code, out, stderr := run(t, "", "blobs", "import", "--database-url", url, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "imported 3 files") {
		t.Fatalf("blobs import: exit %d, out %q, stderr %q; want 3 files imported", code, out, stderr)
	}
	code, out, _ = run(t, "", "blobs", "import", "--database-url", url, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "imported 0 files") || !strings.Contains(out, "3 were already") {
		t.Errorf("second import: exit %d, out %q; want nothing imported again", code, out)
	}
	st := storetest.OpenWith(t, store.Options{DatabaseURL: url})
	ctx := context.Background()
	for k, v := range files {
		if b, err := blob.ReadAll(ctx, st.Blobs(), k); err != nil || string(b) != v {
			t.Errorf("%s in the database: got %q, %v; want %q", k, b, err, v)
		}
	}
	if has, _ := st.Blobs().Has(ctx, ".staging/upload-1"); has {
		t.Error("a staged upload was imported")
	}
}
