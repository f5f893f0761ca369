package cli

import (
	"context"
	"errors"
)

// runTrain runs "aftercare train sentiment --data DIR".
func runTrain(ctx context.Context, env Env, args []string) error {
	return errors.New("train: not implemented yet")
}
