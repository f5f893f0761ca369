package config

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func parse(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c Config
	c.Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c, c.Validate()
}

func TestFlagsAndEnvironment(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil || c.Listen != "127.0.0.1:8080" || c.DataDir != "./aftercare-data" || c.IsPostgres() || c.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	env := map[string]string{"AFTERCARE_LISTEN": "127.0.0.1:9000", "AFTERCARE_DATABASE_URL": "postgres://u@h/db", "AFTERCARE_REOPEN_DAYS": "14"}
	c, err = parse(t, env)
	if err != nil || c.Listen != "127.0.0.1:9000" || !c.IsPostgres() || c.ReopenDays != 14 {
		t.Fatalf("environment: %+v %v", c, err)
	}
	c, _ = parse(t, env, "--listen", "127.0.0.1:9100")
	if c.Listen != "127.0.0.1:9100" {
		t.Fatalf("a flag must win over the environment: %s", c.Listen)
	}
	if c.Currency != "CNY" {
		t.Errorf("currency: got %q, want the default CNY", c.Currency)
	}
	if c, _ := parse(t, map[string]string{"AFTERCARE_CURRENCY": "USD"}); c.Currency != "USD" {
		t.Errorf("AFTERCARE_CURRENCY=USD: got %q", c.Currency)
	}
	if c.SQLitePath() != "aftercare-data/aftercare.db" {
		t.Errorf("sqlite path: %s", c.SQLitePath())
	}
}

func TestValidateNamesTheFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--listen", "nonsense"}, "--listen"},
		{[]string{"--database-url", "mysql://x"}, "--database-url"},
		{[]string{"--time-zone", "Mars/Olympus"}, "--time-zone"},
		{[]string{"--reopen-days", "-1"}, "--reopen-days"},
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--data-dir", ""}, "--data-dir"},
		{[]string{"--trusted-proxies", "10.0.0.0/33"}, "--trusted-proxies"},
		{[]string{"--trusted-proxies", "proxy.local"}, "--trusted-proxies"},
		{[]string{"--base-url", "ftp://x"}, "--base-url"},
		{[]string{"--currency", "cny"}, "--currency"},
		{[]string{"--currency", "YUAN"}, "--currency"},
	} {
		_, err := parse(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want an error naming %s", c.args, err, c.want)
		}
	}
}

// TestHardeningFlags checks the security settings reach the
// configuration: trusted proxies and the metrics token from flags or the
// environment, and Secure cookies whenever the public URL is https.
func TestHardeningFlags(t *testing.T) {
	c, err := parse(t, map[string]string{"AFTERCARE_METRICS_TOKEN": "tok"}, "--trusted-proxies", "10.0.0.0/8,127.0.0.1")
	if err != nil || c.TrustedProxies != "10.0.0.0/8,127.0.0.1" || c.MetricsToken != "tok" || c.SecureCookies {
		t.Fatalf("got %+v %v", c, err)
	}
	c, err = parse(t, nil, "--base-url", "https://help.example.com/")
	if err != nil || !c.SecureCookies || c.BaseURL != "https://help.example.com" {
		t.Fatalf("https base URL: secure %v, base %q, %v", c.SecureCookies, c.BaseURL, err)
	}
}

// TestWebhookAllowPrivate checks that private webhook addresses stay
// refused unless the flag or its variable says otherwise.
func TestWebhookAllowPrivate(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want bool
	}{
		{nil, nil, false},
		{nil, []string{"--webhook-allow-private"}, true},
		{map[string]string{"AFTERCARE_WEBHOOK_ALLOW_PRIVATE": "true"}, nil, true},
		{map[string]string{"AFTERCARE_WEBHOOK_ALLOW_PRIVATE": "true"}, []string{"--webhook-allow-private=false"}, false},
	} {
		got, err := parse(t, c.env, c.args...)
		if err != nil || got.WebhookAllowPrivate != c.want {
			t.Errorf("env %v args %v: got %v (%v), want %v", c.env, c.args, got.WebhookAllowPrivate, err, c.want)
		}
	}
}
