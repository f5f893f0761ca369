package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

const tokenUsage = `token create --email E [--name LABEL] [--expires 90d] [--customer] [flags]
       aftercare token create --device NAME [--name LABEL] [--expires 90d] [flags]
       aftercare token list [flags]
       aftercare token revoke ID [flags]

Manages API tokens. "create" prints the new token as the last line of
standard output; it is shown once and stored only as a SHA-256 hash. The
e-mail names a staff user or a customer (staff wins when both exist, unless
--customer is given). --device NAME makes a device token instead: it may
only post device events (POST /api/v1/devices/events); every other
endpoint refuses it.`

func runToken(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "Usage: aftercare "+tokenUsage)
		return errUsage
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, env, args[1:])
	case "list":
		return tokenList(ctx, env, args[1:])
	case "revoke":
		return tokenRevoke(ctx, env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(env.Stderr, "Usage: aftercare "+tokenUsage)
		return nil
	}
	fmt.Fprintf(env.Stderr, "aftercare token: unknown subcommand %q\n\nUsage: aftercare %s\n", args[0], tokenUsage)
	return errUsage
}

// parseTTL parses durations like 90d, 12h, 30m; "" or "never" is no expiry.
func parseTTL(s string) (time.Duration, error) {
	switch s {
	case "", "never", "0":
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--expires %q: want a number of days like 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: want e.g. 90d, 12h or never", s)
	}
	return d, nil
}

func tokenCreate(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "token create", tokenUsage)
	cfg := configFlags(fs, env)
	email := fs.String("email", "", "e-mail of the staff user or customer the token acts as")
	name := fs.String("name", "", "a label to recognise the token by")
	expires := fs.String("expires", "", "lifetime, e.g. 90d, 12h; default never")
	customer := fs.Bool("customer", false, "issue the token for the customer with this e-mail even if a staff user has it too")
	device := fs.String("device", "", "make a device token for the device NAME: it may only post device events")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*email == "") == (*device == "") {
		fs.Usage()
		return errUsage
	}
	ttl, err := parseTTL(*expires)
	if err != nil {
		return err
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	secret, t, err := m.Auth.CreateToken(operatorCtx(ctx), operator(env), auth.TokenOwner{Email: *email, Customer: *customer, Device: *device}, *name, ttl)
	if err != nil {
		return fmt.Errorf("token create: %v", model.ErrorMessage(err))
	}
	kind, who := "staff", *email
	if t.CustomerID != nil {
		kind = "customer"
	}
	if t.Device != "" {
		kind, who = "device", t.Device
	}
	exp := "never"
	if t.ExpiresAt != nil {
		exp = t.ExpiresAt.Format(time.RFC3339)
	}
	fmt.Fprintf(env.Stdout, "token %d for %s %s (expires %s); it is shown only now:\n%s\n", t.ID, kind, who, exp, secret)
	return nil
}

func tokenList(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "token list", tokenUsage)
	cfg := configFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	tokens, err := m.Store.ListTokens(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tOWNER\tKIND\tNAME\tCREATED\tEXPIRES\tLAST USED\tSTATE")
	ts := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	now := time.Now()
	for _, t := range tokens {
		kind := "staff"
		if t.CustomerID != nil {
			kind = "customer"
		}
		if t.Device != "" {
			kind = "device"
		}
		state := "active"
		switch {
		case t.RevokedAt != nil:
			state = "revoked"
		case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
			state = "expired"
		}
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Owner, kind, t.Name,
			ts(&t.CreatedAt), ts(t.ExpiresAt), ts(t.LastUsedAt), state)
	}
	return tw.Flush()
}

func tokenRevoke(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "token revoke", tokenUsage)
	cfg := configFlags(fs, env)
	// Accept the ID before or after the flags.
	var rest []string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		rest, args = args[:1], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest = append(rest, fs.Args()...)
	if len(rest) != 1 {
		fs.Usage()
		return errUsage
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil {
		return fmt.Errorf("token revoke: %q is not a token id (see token list)", rest[0])
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.Auth.RevokeToken(operatorCtx(ctx), operator(env), id); err != nil {
		return fmt.Errorf("token revoke: %v", model.ErrorMessage(err))
	}
	fmt.Fprintf(env.Stdout, "token %d revoked\n", id)
	return nil
}
