package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/blob/blobtest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestFilesInObjectStore: with --blob-url an attachment uploaded through
// the API is an object in the bucket (not in the database nor the data
// directory) and downloads through the API byte-identical; on PostgreSQL
// through another node. (Ranges are blobtest.Run's: see TestS3.)
func TestFilesInObjectStore(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		s3 := blobtest.StartS3(t)
		a := apitest.StartWith(t, apptest.Options{Configure: func(c *config.Config) { c.BlobURL = s3.URL }})
		objectStoreRoundTrip(t, s3, a, a)
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		s3 := blobtest.StartS3(t)
		opts := apptest.Options{DatabaseURL: url, Configure: func(c *config.Config) { c.BlobURL = s3.URL }}
		objectStoreRoundTrip(t, s3, apitest.StartWith(t, opts), apitest.StartWith(t, opts))
	})
}

func objectStoreRoundTrip(t *testing.T, s3 *blobtest.S3Server, a, b *apitest.App) {
	alice, number := customerRequest(t, a)
	content := photo(1<<20 + 333)
	id := uploadFile(t, a, alice, number, content)
	objects := s3.Objects(t)
	if len(objects) != 1 || !strings.HasPrefix(objects[0], "files/") {
		t.Errorf("objects in the bucket: got %v, want the one upload under files/", objects)
	}
	for _, m := range []*apitest.App{a, b} {
		if files := apptest.StoredFiles(t, m.Main); len(files) != 0 {
			t.Errorf("%s: files in the database or data directory: got %v, want none", m.URL(), files)
		}
	}
	if status, data := downloadFile(t, b, alice, id); status != http.StatusOK || !bytes.Equal(data, content) {
		t.Fatalf("download: got %d, %d bytes; want 200 and the %d bytes uploaded, byte-identical", status, len(data), len(content))
	}
}

// TestObjectStoreDownAtStart: a --blob-url whose store does not answer, or
// has no such bucket, stops start-up with an error naming the flag, not
// the first upload.
func TestObjectStoreDownAtStart(t *testing.T) {
	s3 := blobtest.StartS3(t)
	for name, url := range map[string]string{
		"no bucket": strings.Replace(s3.URL, "/"+s3.Bucket+"/", "/other-bucket/", 1),
		"no server": "s3://test:test-secret@127.0.0.1:1/bucket?tls=false",
	} {
		cfg := config.Default()
		cfg.DataDir, cfg.Listen, cfg.BlobURL = t.TempDir(), "127.0.0.1:0", url
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		err := m.Open(context.Background())
		m.Close()
		if err == nil || !strings.Contains(err.Error(), "--blob-url") || strings.Contains(err.Error(), "test-secret") {
			t.Errorf("%s: open: got %v, want an error naming --blob-url (without the secret)", name, err)
		}
	}
}
