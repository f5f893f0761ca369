package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// roleTable renders the role matrix (model.Grants) as the Markdown table
// the README shows; a test keeps the two identical.
func roleTable() string {
	var b strings.Builder
	b.WriteString("| permission | allows |")
	for _, r := range model.Roles {
		b.WriteString(" " + strings.ReplaceAll(string(r), "_", " ") + " |")
	}
	b.WriteString(" customer |\n|" + strings.Repeat(" --- |", len(model.Roles)+3) + "\n")
	for _, p := range model.Permissions() {
		g := model.Grants(p)
		fmt.Fprintf(&b, "| `%s` | %s |", p, p.Summary())
		for _, r := range model.Roles {
			if slices.Contains(g.Roles, r) {
				b.WriteString(" ✓ |")
			} else {
				b.WriteString(" — |")
			}
		}
		if g.Own {
			b.WriteString(" own |\n")
		} else {
			b.WriteString(" — |\n")
		}
	}
	return b.String()
}

func runRoles(_ context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "roles", "roles\n\nPrints who may do what: the role matrix every API call and page checks, as a Markdown table.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprint(env.Stdout, roleTable())
	return err
}
