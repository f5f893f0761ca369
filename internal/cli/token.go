package cli

import (
	"context"
	"errors"
)

func runToken(ctx context.Context, env Env, args []string) error {
	return errors.New("token: not implemented yet")
}
