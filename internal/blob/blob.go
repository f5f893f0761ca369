// Package blob keeps the files the app stores (attachments, proofs of
// purchase) by key, behind one seam, so that where they live follows the
// store: in the data directory with SQLite (one node), in the database
// with PostgreSQL (every node serves every file and pg_dump backs them
// up), or, with --blob-url, in an S3-compatible bucket (S3). Keys are relative, slash-separated paths such as "42/<sha>-<rand>",
// the values of the path columns of attachments and unit_proofs.
package blob

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// Store keeps files by key. Implementations stream: neither Put nor a
// File holds a whole file in memory.
type Store interface {
	// Put stores r's content under key, replacing any earlier content;
	// the key's content is complete or absent, never half-written.
	Put(ctx context.Context, key string, r io.Reader) error
	// Open returns key's content; an absent key is an error that
	// matches fs.ErrNotExist.
	Open(ctx context.Context, key string) (File, error)
	// Delete removes key; an absent key is not an error.
	Delete(ctx context.Context, key string) error
}

// File is a stored file's content, read (and sought, for HTTP ranges)
// until closed.
type File interface {
	io.ReadSeekCloser
	// Size is the content's length in bytes.
	Size() int64
}

// CheckKey refuses a key that could leave the store's namespace: empty,
// absolute, with "." or ".." elements, a backslash or a NUL.
func CheckKey(key string) error {
	if key == "" || strings.ContainsAny(key, "\\\x00") || strings.HasPrefix(key, "/") ||
		path.Clean(key) != key || key == "." || strings.HasPrefix(key, "../") || key == ".." {
		return fmt.Errorf("blob: bad key %q: %w", key, fs.ErrInvalid)
	}
	return nil
}

// ReadAll returns key's whole content (for tests and small files; serve
// downloads from Open).
func ReadAll(ctx context.Context, s Store, key string) ([]byte, error) {
	f, err := s.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("blob: read %s: %w", key, err)
	}
	return b, nil
}
