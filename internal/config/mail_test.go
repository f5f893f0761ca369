package config

import (
	"flag"
	"strings"
	"testing"
)

func TestMailFlags(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil || c.SMTPListen != "" || c.IMAPURL != "" || c.SMTPMaxBytes != 30<<20 {
		t.Fatalf("defaults: got listen %q, imap %q, max %d (%v); want none, none, 30 MiB", c.SMTPListen, c.IMAPURL, c.SMTPMaxBytes, err)
	}
	c, err = parse(t, map[string]string{"AFTERCARE_SMTP_MAX_BYTES": "1048576", "AFTERCARE_IMAP_URL": "imaps://u:p@imap.example.com/INBOX"},
		"--smtp-listen", "127.0.0.1:2525")
	if err != nil || c.SMTPListen != "127.0.0.1:2525" || c.SMTPMaxBytes != 1<<20 || c.IMAPURL != "imaps://u:p@imap.example.com/INBOX" {
		t.Fatalf("got listen %q, max %d, imap %q (%v)", c.SMTPListen, c.SMTPMaxBytes, c.IMAPURL, err)
	}
}

// TestIMAPURLErrorsHideThePassword: a bad --imap-url is named, and its
// password never appears in the message (it ends up in logs).
func TestIMAPURLErrorsHideThePassword(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-listen", "nonsense"}, "--smtp-listen"},
		{[]string{"--smtp-max-bytes", "10"}, "--smtp-max-bytes"},
		{[]string{"--imap-url", "pop3://u:s3cr3t-pw@host/INBOX"}, "--imap-url"},
		{[]string{"--imap-url", "imaps://u:s3cr3t-pw@/INBOX"}, "--imap-url"},
		{[]string{"--imap-url", "imaps://host/INBOX"}, "--imap-url"},
		{[]string{"--imap-url", "imaps://u@host/INBOX"}, "no password"},
		{[]string{"--imap-url", "imaps://u:s3cr3t-pw@host:x:y/INBOX"}, "--imap-url"},
	} {
		_, err := parse(t, nil, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want an error naming %s", c.args, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("%v: error %q shows the password", c.args, err)
		}
	}
}

// TestHelpHidesTheIMAPPassword: --help shows defaults, which come from
// the environment; the IMAP URL's password must not appear.
func TestHelpHidesTheIMAPPassword(t *testing.T) {
	c, fs, help := helpWith("AFTERCARE_IMAP_URL", "imaps://u:s3cr3t-pw@imap.example.com/INBOX")
	if strings.Contains(help, "s3cr3t-pw") || !strings.Contains(help, "imap-url") {
		t.Errorf("--help: got\n%s\nwant the flag without its password", help)
	}
	if c.IMAPURL != "imaps://u:s3cr3t-pw@imap.example.com/INBOX" {
		t.Errorf("from the environment: got %q", c.IMAPURL)
	}
	if err := fs.Parse([]string{"--imap-url", "imap://a:b@127.0.0.1/INBOX"}); err != nil || c.IMAPURL != "imap://a:b@127.0.0.1/INBOX" {
		t.Errorf("flag: got %q (%v)", c.IMAPURL, err)
	}
}

// helpWith registers the flags with the environment variable name set to
// value and returns the configuration, the flags and their --help text.
func helpWith(name, value string) (*Config, *flag.FlagSet, string) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := new(Config)
	c.Register(fs, func(k string) string {
		if k == name {
			return value
		}
		return ""
	})
	var help strings.Builder
	fs.SetOutput(&help)
	fs.PrintDefaults()
	return c, fs, help.String()
}
