package cli

import (
	"context"
	"errors"

	"github.com/aftercare/aftercare/internal/analyze"
)

// runAnalyze runs "aftercare analyze <method>"; the toolkit lives in
// internal/analyze.
func runAnalyze(ctx context.Context, env Env, args []string) error {
	err := analyze.Run(ctx, args, env.Stdin, env.Stdout, env.Stderr)
	if errors.Is(err, analyze.ErrUsage) {
		return errUsage
	}
	return err
}
