package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/config"
)

// configFlags registers the shared configuration flags on fs and returns
// the config they fill.
func configFlags(fs *flag.FlagSet, env Env) *config.Config {
	cfg := config.Default()
	cfg.Register(fs, env.Getenv)
	return &cfg
}

// newLogger returns a JSON logger on stderr at cfg's level.
func newLogger(env Env, cfg *config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
}

// openStore validates cfg and opens (and migrates) the store only, for
// administrative commands. The caller closes the returned Main.
func openStore(ctx context.Context, env Env, cfg *config.Config) (*app.Main, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := app.New(*cfg, newLogger(env, cfg))
	if err := m.OpenStore(ctx); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "serve", "serve [flags]\n\nRuns the web UI, the JSON API (/api/v1, OpenAPI at /api/openapi.json) and background jobs.")
	cfg := configFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	m := app.New(*cfg, newLogger(env, cfg))
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	m.SetReady(true)
	m.Logger.Info("aftercare serving", "url", m.URL(), "store", m.Store.Dialect())
	fmt.Fprintf(env.Stdout, "Aftercare is running at %s (store: %s)\n", m.URL(), m.Store.Dialect())
	return m.Run(ctx)
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "migrate", "migrate [flags]\n\nApplies pending database migrations (Aftercare's, then River's) and exits.")
	cfg := configFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	fmt.Fprintf(env.Stdout, "migrations applied (%s)\n", m.Store.Dialect())
	return nil
}

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "backup", "backup --out FILE [flags]\n\nWrites a consistent copy of the SQLite store (VACUUM INTO), safe while serve runs.\nFor PostgreSQL use pg_dump.")
	cfg := configFlags(fs, env)
	out := fs.String("out", "", "file to write (must not exist)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Store.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup written to %s\n", *out)
	return nil
}
