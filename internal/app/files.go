package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/store"
)

// fileStore is where files live: in the S3-compatible bucket of
// --blob-url when set (large installations, many nodes); else in the
// database on PostgreSQL, so that every node serves every file and
// pg_dump backs them up; else in the data directory on SQLite (one node).
func (m *Main) fileStore() (blob.Store, error) {
	if m.Config.BlobURL != "" {
		s, err := m.Config.BlobStore()
		if err != nil {
			return nil, err
		}
		// Spool uploads beside the staged ones, on the data disk: /tmp
		// may be a RAM disk.
		s.TempDir = filepath.Join(m.Config.AttachmentDir(), ".staging")
		if err := os.MkdirAll(s.TempDir, 0o750); err != nil {
			return nil, fmt.Errorf("--blob-url: spool directory: %w", err)
		}
		return s, nil
	}
	if m.Store.Dialect() == store.Postgres {
		return m.Store.Blobs(), nil
	}
	return blob.NewDir(m.Config.AttachmentDir()), nil
}

// checkFiles fails start-up when the object store of --blob-url does not
// answer or refuses its credentials, rather than at the first upload.
func (m *Main) checkFiles(ctx context.Context) error {
	s, ok := m.Files.(*blob.S3)
	if !ok {
		return nil
	}
	if err := s.Check(ctx); err != nil {
		return fmt.Errorf("--blob-url: %w", err)
	}
	m.Logger.Info("files are kept in an object store", "bucket", s.String())
	return nil
}
