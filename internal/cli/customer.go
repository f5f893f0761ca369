package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

const customerUsage = `customer reset-link --email E [flags]

Issues a single-use link (valid 24 hours) with which the customer with this
e-mail (or mobile number) sets a new portal password. Setting it ends the
customer's other links, sessions and API tokens. The link is the last line of
standard output; pass it on to the customer yourself. It is shown only here:
never in the web UI, never in logs (the audit log records that it was issued).
Until outbound mail is configured, this is how customers who forgot their
password get back in.`

func runCustomer(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(env.Stderr, "Usage: aftercare "+customerUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "reset-link" {
		fmt.Fprintf(env.Stderr, "aftercare customer: unknown subcommand %q\n\nUsage: aftercare %s\n", args[0], customerUsage)
		return errUsage
	}
	fs := newFlagSet(env, "customer reset-link", customerUsage)
	cfg := configFlags(fs, env)
	email := fs.String("email", "", "e-mail or mobile number of the customer")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errUsage
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	link, err := m.Auth.ResetLink(operatorCtx(ctx), operator(env), *email)
	if err != nil {
		return fmt.Errorf("customer reset-link: %v", model.ErrorMessage(err))
	}
	fmt.Fprintf(env.Stdout, "password-reset link for %s (expires %s); it is shown only now:\n%s\n",
		*email, link.ExpiresAt.Format(time.RFC3339), link.URL)
	return nil
}

// operator is the audit log's actor for commands run at the server: the
// operating-system user and host.
func operator(env Env) model.Principal {
	user := env.Getenv("USER")
	if user == "" {
		user = "unknown"
	}
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	return model.Principal{Kind: model.KindOperator, Name: user + "@" + host}
}

// operatorCtx marks audit entries made by a command as coming from the
// command line.
func operatorCtx(ctx context.Context) context.Context { return model.WithClientAddr(ctx, "cli") }
