package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "--help" && args[0] != "-h") {
		fmt.Fprintln(env.Stderr, "Usage: aftercare user add --email E --name N --role admin|manager|agent|technician|centre_manager [--centre CODE] (--password P | --password-stdin) [flags]")
		return errUsage
	}
	if args[0] != "add" {
		args = append([]string{"add"}, args...)
	}
	fs := newFlagSet(env, "user add", "user add --email E --name N --role admin|manager|agent|technician|centre_manager [--centre CODE] (--password P | --password-stdin) [flags]\n\nCreates a staff user. --password-stdin reads the password from the first line of standard input,\nso it does not appear in the shell history or the process list.")
	cfg := configFlags(fs, env)
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "admin, manager, agent, technician or centre_manager")
	password := fs.String("password", "", "password (at least 8 characters)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	locale := fs.String("locale", "", "preferred language: zh-CN or en")
	centre := fs.String("centre", "", "code of the service centre a technician or centre manager works at (required for centre_manager)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *fromStdin {
		if *password != "" {
			return errors.New("user add: give either --password or --password-stdin")
		}
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("user add: read password: %w", err)
		}
		*password = strings.TrimRight(line, "\r\n")
	}
	var missing []string
	for flagName, v := range map[string]string{"--email": *email, "--name": *name, "--role": *role} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, flagName)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("user add: missing %s", strings.Join(missing, ", "))
	}
	if !model.Role(*role).Valid() {
		return fmt.Errorf("user add: --role %q: want admin, manager, agent, technician or centre_manager", *role)
	}
	m, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	u, err := m.Auth.CreateUser(operatorCtx(ctx), operator(env), auth.UserInput{Email: *email, Name: *name, Role: model.Role(*role), Password: *password, Locale: *locale,
		Centre: *centre})
	if err != nil {
		// Every bad flag at once, each with its sentence.
		var parts []string
		for _, me := range model.AllErrors(err) {
			if me.Field != "" {
				parts = append(parts, "--"+me.Field+": "+me.Message)
			}
		}
		if len(parts) > 0 {
			return fmt.Errorf("user add: %s", strings.Join(parts, " "))
		}
		return fmt.Errorf("user add: %v", model.ErrorMessage(err))
	}
	fmt.Fprintf(env.Stdout, "created %s user %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}
