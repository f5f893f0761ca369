package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aftercare/aftercare/internal/store"
)

const blobsUsage = `blobs import [flags]

Copies the files under the data directory's attachments folder into the
PostgreSQL database (--database-url), where every serve node reads them.
Run it once when an install that kept its files on disk moves to several
nodes (or upgrades to this version): a file already in the database is
skipped, so running it again is harmless. The files on disk are left in
place; delete them once the import has been checked.`

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
	if m.Store.Dialect() != store.Postgres {
		return errors.New("blobs import: needs --database-url: on SQLite the files stay in the data directory")
	}
	root := cfg.AttachmentDir()
	db := m.Store.Blobs()
	var imported, skipped int
	var bytes int64
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
		if has, err := db.Has(ctx, key); err != nil {
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
		if err := db.Put(ctx, key, f); err != nil {
			return err
		}
		if st, err := f.Stat(); err == nil {
			bytes += st.Size()
		}
		imported++
		return nil
	})
	if err != nil {
		return fmt.Errorf("blobs import: %w", err)
	}
	fmt.Fprintf(env.Stdout, "imported %d files (%d bytes) from %s; %d were already in the database\n",
		imported, bytes, root, skipped)
	return nil
}
