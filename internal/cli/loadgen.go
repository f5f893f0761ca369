package cli

import (
	"context"
	"errors"
)

func runLoadgen(ctx context.Context, env Env, args []string) error {
	return errors.New("loadgen: not implemented yet")
}
