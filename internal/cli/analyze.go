package cli

import (
	"context"
	"errors"
)

// runAnalyze runs "aftercare analyze <method>". Owned by the evaluation
// toolkit (internal/analyze).
func runAnalyze(ctx context.Context, env Env, args []string) error {
	return errors.New("analyze: not implemented yet")
}
