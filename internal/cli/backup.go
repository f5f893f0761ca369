package cli

import (
	"context"
	"errors"
)

func runBackup(ctx context.Context, env Env, args []string) error {
	return errors.New("backup: not implemented yet")
}
