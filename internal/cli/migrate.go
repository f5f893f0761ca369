package cli

import (
	"context"
	"errors"
)

func runMigrate(ctx context.Context, env Env, args []string) error {
	return errors.New("migrate: not implemented yet")
}
