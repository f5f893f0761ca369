package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Version is set at link time with -ldflags "-X ...cli.version=…"; it
// falls back to the module version from the build info.
var version = "dev"

func runVersion(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "version", "version [flags]\n\nPrints the version. The configuration flags are accepted (and ignored) like every command's.")
	configFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(env.Stdout, "aftercare %s\n", v)
	return nil
}
