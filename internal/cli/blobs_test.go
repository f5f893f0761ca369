package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/blob/blobtest"
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
	writeAttachments(t, dir, files)
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

// TestBlobsImportToObjectStore: before nodes start with --blob-url, the
// files of the data directory and, on PostgreSQL, those kept in the
// database are copied into the object store once; a second run copies
// nothing again.
func TestBlobsImportToObjectStore(t *testing.T) {
	ctx := context.Background()
	t.Run("SQLite", func(t *testing.T) {
		s3 := blobtest.StartS3(t)
		dir := t.TempDir()
		writeAttachments(t, dir, map[string]string{"12/aaa-01": "photo one", "units/bbb-02": "receipt"})
		code, out, stderr := run(t, "", "blobs", "import", "--blob-url", s3.URL, "--data-dir", dir)
		if code != 0 || !strings.Contains(out, "imported 2 files") || !strings.Contains(out, "object store") {
			t.Fatalf("blobs import: exit %d, out %q, stderr %q; want 2 files imported into the object store", code, out, stderr)
		}
		if got := s3.Objects(t); !slices.Equal(got, []string{"files/12/aaa-01", "files/units/bbb-02"}) {
			t.Errorf("objects: got %v", got)
		}
		code, out, _ = run(t, "", "blobs", "import", "--blob-url", s3.URL, "--data-dir", dir)
		if code != 0 || !strings.Contains(out, "imported 0 files") || !strings.Contains(out, "2 were already") {
			t.Errorf("second import: exit %d, out %q; want nothing imported again", code, out)
		}
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		s3 := blobtest.StartS3(t)
		st := storetest.OpenWith(t, store.Options{DatabaseURL: url})
		if err := st.Blobs().Put(ctx, "7/in-db-01", strings.NewReader("kept in PostgreSQL")); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeAttachments(t, dir, map[string]string{"12/aaa-01": "photo one"})
		code, out, stderr := run(t, "", "blobs", "import", "--database-url", url, "--blob-url", s3.URL, "--data-dir", dir)
		if code != 0 || !strings.Contains(out, "imported 1 files (9 bytes) from "+filepath.Join(dir, "attachments")) ||
			!strings.Contains(out, "imported 1 files (18 bytes) from the database") {
			t.Fatalf("blobs import: exit %d, out %q, stderr %q; want one file from each", code, out, stderr)
		}
		if got := s3.Objects(t); !slices.Equal(got, []string{"files/12/aaa-01", "files/7/in-db-01"}) {
			t.Errorf("objects: got %v", got)
		}
		code, out, _ = run(t, "", "blobs", "import", "--database-url", url, "--blob-url", s3.URL, "--data-dir", dir)
		if code != 0 || strings.Count(out, "imported 0 files") != 2 {
			t.Errorf("second import: exit %d, out %q; want nothing imported again", code, out)
		}
	})
}

func writeAttachments(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for k, v := range files {
		p := filepath.Join(dir, "attachments", filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBlobURLInHelp: serve, demo and blobs import document --blob-url.
func TestBlobURLInHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "demo", "blobs"} {
		_, out, stderr := run(t, "", cmd, "--help")
		if !strings.Contains(out+stderr, "-blob-url") || !strings.Contains(out+stderr, "AWS_ACCESS_KEY_ID") {
			t.Errorf("%s --help does not document --blob-url:\n%s", cmd, out+stderr)
		}
	}
}
