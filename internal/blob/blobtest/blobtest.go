// Package blobtest checks that a blob.Store keeps its promises; every
// implementation's tests run it.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"testing"

	"github.com/aftercare/aftercare/internal/blob"
)

// Run checks s: content comes back byte-identical (also from an offset,
// as an HTTP range asks), Put replaces, a failed Put leaves nothing, Delete
// removes and is idempotent, and keys cannot escape.
func Run(t *testing.T, s blob.Store) {
	t.Helper()
	ctx := context.Background()
	big := make([]byte, 3<<20+12345) // several chunks and a partial one
	rand.Read(big)
	if err := s.Put(ctx, "7/abc-1", bytes.NewReader(big)); err != nil {
		t.Fatalf("put: %v", err)
	}
	if got := read(t, s, "7/abc-1"); !bytes.Equal(got, big) {
		t.Fatalf("read back %d bytes, want the %d put (byte-identical)", len(got), len(big))
	}
	f, err := s.Open(ctx, "7/abc-1")
	if err != nil {
		t.Fatal(err)
	}
	if f.Size() != int64(len(big)) {
		t.Errorf("size: got %d, want %d", f.Size(), len(big))
	}
	for _, off := range []int64{0, 1, 256<<10 - 1, 256 << 10, 2<<20 + 7, int64(len(big)) - 3} {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			t.Fatalf("seek %d: %v", off, err)
		}
		buf := make([]byte, 1000)
		n, err := io.ReadFull(f, buf)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("read at %d: %v", off, err)
		}
		if !bytes.Equal(buf[:n], big[off:min(off+1000, int64(len(big)))]) {
			t.Errorf("read at %d: bytes differ", off)
		}
	}
	if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(big)) {
		t.Errorf("seek end: got %d, %v; want %d", end, err, len(big))
	}
	f.Close()

	if err := s.Put(ctx, "7/abc-1", bytes.NewReader([]byte("short"))); err != nil {
		t.Fatal(err)
	}
	if got := read(t, s, "7/abc-1"); string(got) != "short" {
		t.Errorf("after replacing: got %d bytes, want %q", len(got), "short")
	}
	if err := s.Put(ctx, "7/empty", bytes.NewReader(nil)); err != nil {
		t.Fatal(err)
	}
	if got := read(t, s, "7/empty"); len(got) != 0 {
		t.Errorf("empty file: got %d bytes", len(got))
	}

	broken := io.MultiReader(bytes.NewReader(big[:1<<20]), failing{})
	if err := s.Put(ctx, "7/broken", broken); err == nil {
		t.Error("put from a failing reader: got nil, want an error")
	}
	if _, err := s.Open(ctx, "7/broken"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open after a failed put: got %v, want not found (nothing half-written)", err)
	}

	if err := s.Delete(ctx, "7/abc-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "7/abc-1"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open after delete: got %v, want not found", err)
	}
	if err := s.Delete(ctx, "7/abc-1"); err != nil {
		t.Errorf("delete twice: %v", err)
	}
	for _, bad := range []string{"", "../x", "/etc/passwd", "a/../../x", `a\b`} {
		if err := s.Put(ctx, bad, bytes.NewReader([]byte("x"))); err == nil {
			t.Errorf("put %q: got nil, want refused", bad)
		}
	}
}

func read(t *testing.T, s blob.Store, key string) []byte {
	t.Helper()
	f, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
