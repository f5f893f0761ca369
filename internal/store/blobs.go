package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/aftercare/aftercare/internal/blob"
)

// blobChunkSize is the size of a file's chunks in blob_chunks: what a
// download holds in memory at a time. Each file records its own, so that
// changing it later leaves stored files readable.
const blobChunkSize = 256 << 10

// Blobs is the blob.Store in this database (the tables blobs and
// blob_chunks): the default file store on PostgreSQL, where every node
// must serve every file.
type Blobs struct{ s *Store }

// Blobs returns the store's files in the database.
func (s *Store) Blobs() *Blobs { return &Blobs{s: s} }

var _ blob.Store = (*Blobs)(nil)

// Put implements blob.Store: one transaction writes the file chunk by
// chunk as it is read, so that it is complete or absent. On SQLite the
// transaction holds the single writer while r is read: pass a file
// already received (a staged upload), never a client's body.
func (b *Blobs) Put(ctx context.Context, key string, r io.Reader) error {
	if err := blob.CheckKey(key); err != nil {
		return err
	}
	return b.s.Tx(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, "DELETE FROM blobs WHERE key = $1", key); err != nil {
			return fmt.Errorf("blob: %w", err)
		}
		if _, err := q.Exec(ctx, "INSERT INTO blobs (key, size, chunk_size, created_at) VALUES ($1, 0, $2, $3)",
			key, blobChunkSize, b.s.Now()); err != nil {
			return fmt.Errorf("blob: %w", err)
		}
		buf := make([]byte, blobChunkSize)
		var size int64
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				if _, err := q.Exec(ctx, "INSERT INTO blob_chunks (key, seq, data) VALUES ($1, $2, $3)",
					key, seq, buf[:n]); err != nil {
					return fmt.Errorf("blob: %w", err)
				}
				size += int64(n)
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("blob: read %s: %w", key, err)
			}
		}
		_, err := q.Exec(ctx, "UPDATE blobs SET size = $1 WHERE key = $2", size, key)
		return err
	})
}

// Open implements blob.Store: the file reads one chunk at a time from
// the read pool.
func (b *Blobs) Open(ctx context.Context, key string) (blob.File, error) {
	if err := blob.CheckKey(key); err != nil {
		return nil, err
	}
	f := &dbFile{ctx: ctx, s: b.s, key: key, seq: -1}
	err := b.s.Read().QueryRow(ctx, "SELECT size, chunk_size FROM blobs WHERE key = $1", key).Scan(&f.size, &f.chunk)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("blob: open %s: %w", key, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	return f, nil
}

// Delete implements blob.Store.
func (b *Blobs) Delete(ctx context.Context, key string) error {
	if err := blob.CheckKey(key); err != nil {
		return err
	}
	return b.s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "DELETE FROM blobs WHERE key = $1", key)
		return err
	})
}

// Has reports whether key is stored (the import of a data directory skips
// what it already copied).
func (b *Blobs) Has(ctx context.Context, key string) (bool, error) {
	var n int
	err := b.s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM blobs WHERE key = $1", key).Scan(&n)
	return n > 0, err
}

// Keys lists the stored keys in order, up to limit after the key after
// ("" from the start): a page of what to copy to an object store.
func (b *Blobs) Keys(ctx context.Context, after string, limit int) ([]string, error) {
	rows, err := b.s.Read().Query(ctx, "SELECT key FROM blobs WHERE key > $1 ORDER BY key LIMIT $2", after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// dbFile reads a stored file chunk by chunk.
type dbFile struct {
	ctx       context.Context
	s         *Store
	key       string
	size, off int64
	chunk     int64
	seq       int64
	buf       []byte
	closed    bool
}

func (f *dbFile) Size() int64 { return f.size }

func (f *dbFile) Read(p []byte) (int, error) {
	if f.closed {
		return 0, fs.ErrClosed
	}
	if f.off >= f.size {
		return 0, io.EOF
	}
	seq := f.off / f.chunk
	if seq != f.seq {
		f.buf = f.buf[:0]
		if err := f.s.Read().QueryRow(f.ctx, "SELECT data FROM blob_chunks WHERE key = $1 AND seq = $2",
			f.key, seq).Scan(&f.buf); err != nil {
			return 0, fmt.Errorf("blob: read %s chunk %d: %w", f.key, seq, err)
		}
		f.seq = seq
	}
	start := f.off - seq*f.chunk
	if start >= int64(len(f.buf)) {
		return 0, fmt.Errorf("blob: %s chunk %d is short: %w", f.key, seq, io.ErrUnexpectedEOF)
	}
	n := copy(p, f.buf[start:])
	f.off += int64(n)
	return n, nil
}

func (f *dbFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += f.size
	default:
		return 0, fmt.Errorf("blob: seek: bad whence %d", whence)
	}
	if offset < 0 {
		return 0, fmt.Errorf("blob: seek to %d: %w", offset, fs.ErrInvalid)
	}
	f.off = offset
	return offset, nil
}

func (f *dbFile) Close() error {
	f.closed, f.buf = true, nil
	return nil
}
