package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/store"
)

const blobsUsage = `blobs import [flags]

Copies files into the store every serve node reads them from: with
--blob-url, into that object store (from the data directory's attachments
folder and, on PostgreSQL, from the database); without it, into the
PostgreSQL database (--database-url), from the data directory. Run it once
when an install that kept its files on disk moves to several nodes (or
upgrades to this version), or before its nodes start with --blob-url: a
file already there is skipped, so running it again is harmless. The
sources are left in place; delete them once the import has been checked.`

// importTarget is where blobs import copies to.
type importTarget interface {
	blob.Store
	Has(ctx context.Context, key string) (bool, error)
}

func runBlobs(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "--help" && args[0] != "-h") {
		fmt.Fprintln(env.Stderr, "Usage: aftercare "+strings.SplitN(blobsUsage, "\n", 2)[0])
		return errUsage
	}
	if args[0] != "import" {
		args = append([]string{"import"}, args...)
	}
	fset := newFlagSet(env, "blobs import", blobsUsage)
	cfg := configFlags(fset, env)
	if err := parseFlags(fset, args[1:]); err != nil {
		return err
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	var to importTarget
	where := "the database"
	if s, ok := m.Files.(*blob.S3); ok {
		if err := s.Check(ctx); err != nil {
			return fmt.Errorf("blobs import: --blob-url: %w", err)
		}
		to, where = s, "the object store"
	} else if m.Store.Dialect() == store.Postgres {
		to = m.Store.Blobs()
	} else {
		return errors.New("blobs import: needs --database-url or --blob-url: on SQLite alone the files stay in the data directory")
	}
	root := cfg.AttachmentDir()
	imported, skipped, bytes, err := importDir(ctx, to, root)
	if err != nil {
		return fmt.Errorf("blobs import: %w", err)
	}
	fmt.Fprintf(env.Stdout, "imported %d files (%d bytes) from %s; %d were already in %s\n",
		imported, bytes, root, skipped, where)
	if _, ok := to.(*blob.S3); ok && m.Store.Dialect() == store.Postgres {
		imported, skipped, bytes, err := importDatabase(ctx, to, m.Store.Blobs())
		if err != nil {
			return fmt.Errorf("blobs import: %w", err)
		}
		fmt.Fprintf(env.Stdout, "imported %d files (%d bytes) from the database; %d were already in %s\n",
			imported, bytes, skipped, where)
	}
	return nil
}

// importDir copies the files under root (but staged uploads and other
// dot-files) to to, keyed by their slash-separated path below root.
func importDir(ctx context.Context, to importTarget, root string) (imported, skipped int, bytes int64, err error) {
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") { // staged uploads, temporary files
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if has, err := to.Has(ctx, key); err != nil {
			return err
		} else if has {
			skipped++
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := to.Put(ctx, key, f); err != nil {
			return err
		}
		if st, err := f.Stat(); err == nil {
			bytes += st.Size()
		}
		imported++
		return nil
	})
	return imported, skipped, bytes, err
}

// importDatabase copies the files kept in PostgreSQL to to, a page of
// keys at a time.
func importDatabase(ctx context.Context, to importTarget, db *store.Blobs) (imported, skipped int, bytes int64, err error) {
	after := ""
	for {
		keys, err := db.Keys(ctx, after, 500)
		if err != nil {
			return imported, skipped, bytes, err
		}
		if len(keys) == 0 {
			return imported, skipped, bytes, nil
		}
		for _, key := range keys {
			if has, err := to.Has(ctx, key); err != nil {
				return imported, skipped, bytes, err
			} else if has {
				skipped++
				continue
			}
			f, err := db.Open(ctx, key)
			if err != nil {
				return imported, skipped, bytes, err
			}
			err = to.Put(ctx, key, f)
			f.Close()
			if err != nil {
				return imported, skipped, bytes, err
			}
			bytes += f.Size()
			imported++
		}
		after = keys[len(keys)-1]
	}
}
