package cli

import (
	"context"
	"errors"
)

func runUser(ctx context.Context, env Env, args []string) error {
	return errors.New("user: not implemented yet")
}
