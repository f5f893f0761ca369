// Package config holds Aftercare's configuration, read from command-line
// flags with AFTERCARE_* environment variables as defaults. A Config is
// passed explicitly; there is no global configuration.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the store's time zone must load on machines without tzdata

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/clientip"
)

// Config is the configuration shared by every subcommand that touches the
// store or serves HTTP.
type Config struct {
	// Listen is the HTTP listen address.
	Listen string
	// DataDir holds the SQLite file and attachments.
	DataDir string
	// DatabaseURL selects PostgreSQL when it is a postgres:// URL; empty
	// means embedded SQLite in DataDir.
	DatabaseURL string
	// BlobURL, when set, is an S3-compatible bucket (blob.S3URLForm) that
	// keeps the files (attachments, proofs of purchase) instead of the
	// database or the data directory. It may hold a secret: never logged.
	BlobURL string
	// BlobCredentials are the object store's keys when BlobURL has none,
	// from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Never logged.
	BlobCredentials blob.Credentials
	// TimeZone is the store's time zone: warranty end dates and the
	// request-number year are computed in it.
	TimeZone string
	// ReopenDays is how long after closing a customer or agent may
	// reopen a request.
	ReopenDays int
	// AutoCloseDays closes resolved requests after this many days (0: never).
	AutoCloseDays int
	// BaseURL is the public URL used in invite links; default http://Listen.
	BaseURL string
	// SecureCookies marks session cookies Secure (behind HTTPS). It is
	// set automatically when BaseURL is https.
	SecureCookies bool
	// DrainDelay is how long a stopping server keeps serving while
	// /healthz answers 503, so that a load balancer stops sending first.
	DrainDelay time.Duration
	// ShutdownTimeout bounds the wait for requests in flight at a stop.
	ShutdownTimeout time.Duration
	// TrustedProxies lists the addresses and CIDR ranges of reverse
	// proxies whose X-Forwarded-For is believed (comma-separated).
	TrustedProxies string
	// MetricsToken, when set, lets /metrics be read from anywhere with
	// "Authorization: Bearer <token>"; without it /metrics answers only
	// clients on this machine. It is a secret: never logged.
	MetricsToken string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// WebhookAllowPrivate lets webhooks reach loopback, private and
	// link-local addresses. Off by default: a webhook URL must not turn the
	// server into a proxy into its own network.
	WebhookAllowPrivate bool
	// SMTPListen, when set, is the address of the inbound SMTP listener
	// (mail from the company's MTA); empty means no listener.
	SMTPListen string
	// SMTPMaxBytes is the largest inbound message accepted (SMTP and IMAP).
	SMTPMaxBytes int64
	// IMAPURL, when set, is a mailbox polled for inbound mail
	// (imaps://user:pass@host/INBOX). It holds a password: never logged.
	IMAPURL string
	// SMTPRelay, when set, is where outbound mail is sent
	// (smtp://host:port, STARTTLS when offered, or smtps://host:port); it
	// may hold user:password: never logged. Without it no mail is queued.
	SMTPRelay string
	// SMTPRelayUser and SMTPPasswordFile authenticate with the relay
	// (instead of user:password in the URL; the file keeps the password
	// out of the process list).
	SMTPRelayUser    string
	SMTPPasswordFile string
	// MailFrom is the sender of outbound mail, e.g. "Support
	// <support@example.com>"; replies to it must reach the inbound
	// listener or mailbox.
	MailFrom string

	// Feedback (surveys, follow-up calls, complaints).

	// SurveyDelay is how long after a request is resolved its survey
	// invitation goes out (0: at once).
	SurveyDelay time.Duration
	// SurveyCooldownDays allows at most one invitation per customer per
	// this many days (0: no limit).
	SurveyCooldownDays int
	// FollowupDays is when a follow-up call is due after resolving.
	FollowupDays int
	// FollowupShare is the share (0…1) of resolved requests that get a
	// follow-up call; complaints always do.
	FollowupShare float64
	// ComplaintHours are the hours to a complaint's deadline for
	// severities 1, 2 and 3, comma-separated ("24,72,168").
	ComplaintHours string
	// CompensationApprovalThreshold: compensation above this amount, in
	// minor units of Currency, needs a manager or admin.
	CompensationApprovalThreshold int64

	// Knowledge base and assistant.

	// LLMURL, when set, is an OpenAI-compatible endpoint (…/v1) that
	// phrases the assistant's answers from the retrieved articles; without
	// it the assistant answers extractively, offline.
	LLMURL string
	// LLMModel is the model name sent to LLMURL.
	LLMModel string
	// LLMKey is the endpoint's API key, from AFTERCARE_LLM_KEY only (no
	// flag: it would show in the process list). Never logged.
	LLMKey string

	// Currency is the ISO 4217 code of every price, cost and amount
	// (parts, extended-warranty plans, repairs, compensation); amounts are
	// kept in its minor units.
	Currency string
}

// DefaultSMTPMaxBytes is --smtp-max-bytes' default, 30 MiB.
const DefaultSMTPMaxBytes = 30 << 20

// Default returns the defaults documented in --help.
func Default() Config {
	return Config{
		Listen:        "127.0.0.1:8080",
		DataDir:       "./aftercare-data",
		TimeZone:      "Asia/Shanghai",
		ReopenDays:    30,
		AutoCloseDays: 7,
		LogLevel:      "info",
		SMTPMaxBytes:  DefaultSMTPMaxBytes,
		Currency:      "CNY",

		ShutdownTimeout: DefaultShutdownTimeout,

		SurveyDelay:                   2 * time.Hour,
		SurveyCooldownDays:            30,
		FollowupDays:                  3,
		FollowupShare:                 0.2,
		ComplaintHours:                "24,72,168",
		CompensationApprovalThreshold: 50000,
	}
}

// Register adds the configuration flags to fs. Each flag's default comes
// from its AFTERCARE_* variable (getenv) when set, else from Default().
func (c *Config) Register(fs *flag.FlagSet, getenv func(string) string) {
	d := Default()
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envInt := func(name string, def int) int {
		if v, err := strconv.Atoi(getenv(name)); err == nil {
			return v
		}
		return def
	}
	fs.StringVar(&c.Listen, "listen", env("AFTERCARE_LISTEN", d.Listen), "HTTP listen address (AFTERCARE_LISTEN)")
	fs.StringVar(&c.DataDir, "data-dir", env("AFTERCARE_DATA_DIR", d.DataDir), "directory for the SQLite store and attachments (AFTERCARE_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("AFTERCARE_DATABASE_URL", ""), "postgres:// URL selects PostgreSQL; empty means embedded SQLite (AFTERCARE_DATABASE_URL)")
	c.BlobURL = env("AFTERCARE_BLOB_URL", "")
	c.BlobCredentials = blob.Credentials{AccessKey: getenv("AWS_ACCESS_KEY_ID"), SecretKey: getenv("AWS_SECRET_ACCESS_KEY")}
	fs.Var(secret{&c.BlobURL}, "blob-url", "the `URL` of an S3-compatible bucket for the files (attachments, proofs of purchase) instead of the database or data directory, for large installations: "+
		blob.S3URLForm+"; without KEY:SECRET@ the keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AFTERCARE_BLOB_URL)")
	fs.StringVar(&c.TimeZone, "time-zone", env("AFTERCARE_TIME_ZONE", d.TimeZone), "the store's time zone for dates and request numbers (AFTERCARE_TIME_ZONE)")
	fs.IntVar(&c.ReopenDays, "reopen-days", envInt("AFTERCARE_REOPEN_DAYS", d.ReopenDays), "days after closing during which a request may be reopened (AFTERCARE_REOPEN_DAYS)")
	fs.IntVar(&c.AutoCloseDays, "auto-close-days", envInt("AFTERCARE_AUTO_CLOSE_DAYS", d.AutoCloseDays), "close resolved requests after this many days, 0 never (AFTERCARE_AUTO_CLOSE_DAYS)")
	fs.StringVar(&c.BaseURL, "base-url", env("AFTERCARE_BASE_URL", ""), "public base URL for links in invites; default http://<listen> (AFTERCARE_BASE_URL)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("AFTERCARE_SECURE_COOKIES", "") == "true", "mark session cookies Secure, for HTTPS; automatic when --base-url is https (AFTERCARE_SECURE_COOKIES)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("AFTERCARE_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is trusted (AFTERCARE_TRUSTED_PROXIES)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("AFTERCARE_METRICS_TOKEN", ""), "bearer token that opens /metrics to non-local clients; default: local clients only (AFTERCARE_METRICS_TOKEN)")
	fs.BoolVar(&c.WebhookAllowPrivate, "webhook-allow-private", env("AFTERCARE_WEBHOOK_ALLOW_PRIVATE", "") == "true", "let webhook URLs reach loopback, private and link-local addresses (AFTERCARE_WEBHOOK_ALLOW_PRIVATE)")
	envInt64 := func(name string, def int64) int64 {
		if v, err := strconv.ParseInt(getenv(name), 10, 64); err == nil {
			return v
		}
		return def
	}
	fs.StringVar(&c.SMTPListen, "smtp-listen", env("AFTERCARE_SMTP_LISTEN", ""), "address of the inbound SMTP listener, e.g. 127.0.0.1:2525 behind the company's MTA; empty: none (AFTERCARE_SMTP_LISTEN)")
	fs.Int64Var(&c.SMTPMaxBytes, "smtp-max-bytes", envInt64("AFTERCARE_SMTP_MAX_BYTES", d.SMTPMaxBytes), "largest inbound message accepted, in bytes (AFTERCARE_SMTP_MAX_BYTES)")
	c.IMAPURL = env("AFTERCARE_IMAP_URL", "")
	fs.Var(secret{&c.IMAPURL}, "imap-url", "the `URL` of a mailbox to poll for inbound mail, imaps://user:pass@host/INBOX; empty: none (AFTERCARE_IMAP_URL)")
	c.SMTPRelay = env("AFTERCARE_SMTP_RELAY", "")
	fs.Var(secret{&c.SMTPRelay}, "smtp-relay", "the `URL` of the SMTP relay for outbound mail: smtp://host:port (STARTTLS when offered; ?starttls=required or none) or smtps://host:port, optionally with user:pass@; empty: no outbound mail is queued (AFTERCARE_SMTP_RELAY)")
	fs.StringVar(&c.SMTPRelayUser, "smtp-relay-user", env("AFTERCARE_SMTP_RELAY_USER", ""), "user name for the SMTP relay (AFTERCARE_SMTP_RELAY_USER)")
	fs.StringVar(&c.SMTPPasswordFile, "smtp-password-file", env("AFTERCARE_SMTP_PASSWORD_FILE", ""), "file holding the SMTP relay's password (AFTERCARE_SMTP_PASSWORD_FILE)")
	fs.StringVar(&c.MailFrom, "mail-from", env("AFTERCARE_MAIL_FROM", ""), "sender of outbound mail, e.g. \"Support <support@example.com>\"; required with --smtp-relay (AFTERCARE_MAIL_FROM)")
	fs.StringVar(&c.LLMURL, "llm-url", env("AFTERCARE_LLM_URL", ""), "an OpenAI-compatible `URL` (…/v1) that phrases the assistant's answers from the retrieved articles; empty: extractive answers, offline (AFTERCARE_LLM_URL; key in AFTERCARE_LLM_KEY)")
	fs.StringVar(&c.LLMModel, "llm-model", env("AFTERCARE_LLM_MODEL", ""), "the model name sent to --llm-url (AFTERCARE_LLM_MODEL)")
	c.LLMKey = getenv("AFTERCARE_LLM_KEY")
	fs.StringVar(&c.Currency, "currency", env("AFTERCARE_CURRENCY", d.Currency), "ISO 4217 currency of prices, costs and compensation, kept in minor units (AFTERCARE_CURRENCY)")
	fs.StringVar(&c.LogLevel, "log-level", env("AFTERCARE_LOG_LEVEL", d.LogLevel), "debug, info, warn or error (AFTERCARE_LOG_LEVEL)")
	envDuration := func(name string, def time.Duration) time.Duration {
		if v, err := time.ParseDuration(getenv(name)); err == nil {
			return v
		}
		return def
	}
	envFloat := func(name string, def float64) float64 {
		if v, err := strconv.ParseFloat(getenv(name), 64); err == nil {
			return v
		}
		return def
	}
	c.registerShutdown(fs, envDuration)
	fs.DurationVar(&c.SurveyDelay, "survey-delay", envDuration("AFTERCARE_SURVEY_DELAY", d.SurveyDelay), "send the satisfaction survey this long after a request is resolved, 0 at once (AFTERCARE_SURVEY_DELAY)")
	fs.IntVar(&c.SurveyCooldownDays, "survey-cooldown-days", envInt("AFTERCARE_SURVEY_COOLDOWN_DAYS", d.SurveyCooldownDays), "at most one survey per customer per this many days, 0 no limit (AFTERCARE_SURVEY_COOLDOWN_DAYS)")
	fs.IntVar(&c.FollowupDays, "followup-days", envInt("AFTERCARE_FOLLOWUP_DAYS", d.FollowupDays), "follow-up calls are due this many days after resolving (AFTERCARE_FOLLOWUP_DAYS)")
	fs.Float64Var(&c.FollowupShare, "followup-share", envFloat("AFTERCARE_FOLLOWUP_SHARE", d.FollowupShare), "share 0…1 of resolved requests that get a follow-up call; complaints always do (AFTERCARE_FOLLOWUP_SHARE)")
	fs.StringVar(&c.ComplaintHours, "complaint-hours", env("AFTERCARE_COMPLAINT_HOURS", d.ComplaintHours), "hours to a complaint's deadline for severities 1,2,3 (AFTERCARE_COMPLAINT_HOURS)")
	fs.Int64Var(&c.CompensationApprovalThreshold, "compensation-approval-threshold", envInt64("AFTERCARE_COMPENSATION_APPROVAL_THRESHOLD", d.CompensationApprovalThreshold), "compensation above this amount in minor units (fen, cents) needs a manager or admin (AFTERCARE_COMPENSATION_APPROVAL_THRESHOLD)")
}

// Validate checks the configuration and fills derived defaults.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("--listen %q: %w", c.Listen, err))
	}
	if c.DatabaseURL != "" && !c.IsPostgres() {
		errs = append(errs, fmt.Errorf("--database-url must start with postgres:// or postgresql://"))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data-dir must not be empty"))
	}
	if c.BlobURL != "" {
		if _, err := c.BlobStore(); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("--time-zone %q: %w", c.TimeZone, err))
	}
	if c.ReopenDays < 0 || c.AutoCloseDays < 0 {
		errs = append(errs, errors.New("--reopen-days and --auto-close-days must not be negative"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.Currency == "" {
		c.Currency = Default().Currency
	}
	if !validCurrency(c.Currency) {
		errs = append(errs, fmt.Errorf("--currency %q: want a 3-letter ISO 4217 code such as CNY", c.Currency))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Listen
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--base-url %q: want an http:// or https:// URL", c.BaseURL))
	} else if u.Scheme == "https" {
		c.SecureCookies = true
	}
	if c.SMTPListen != "" {
		if _, _, err := net.SplitHostPort(c.SMTPListen); err != nil {
			errs = append(errs, fmt.Errorf("--smtp-listen %q: %w", c.SMTPListen, err))
		}
	}
	if c.SMTPMaxBytes < 1024 {
		errs = append(errs, fmt.Errorf("--smtp-max-bytes %d: want at least 1024", c.SMTPMaxBytes))
	}
	if c.LLMURL != "" {
		if u, err := url.Parse(c.LLMURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("--llm-url: want an http:// or https:// URL"))
		}
		if c.LLMModel == "" {
			errs = append(errs, errors.New("--llm-model is required with --llm-url"))
		}
	}
	if c.IMAPURL != "" {
		if err := checkIMAPURL(c.IMAPURL); err != nil {
			errs = append(errs, fmt.Errorf("--imap-url: %w", err))
		}
	}
	errs = append(errs, c.validateRelay()...)
	if _, err := clientip.Parse(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies: %w", err))
	}
	errs = append(errs, c.validateFeedback()...)
	errs = append(errs, c.validateShutdown()...)
	return errors.Join(errs...)
}

// validateFeedback checks the feedback settings.
func (c *Config) validateFeedback() []error {
	var errs []error
	if c.SurveyDelay < 0 {
		errs = append(errs, errors.New("--survey-delay must not be negative"))
	}
	if c.SurveyCooldownDays < 0 {
		errs = append(errs, errors.New("--survey-cooldown-days must not be negative"))
	}
	if c.FollowupDays < 0 {
		errs = append(errs, errors.New("--followup-days must not be negative"))
	}
	if c.FollowupShare < 0 || c.FollowupShare > 1 || c.FollowupShare != c.FollowupShare {
		errs = append(errs, fmt.Errorf("--followup-share %v: want a share between 0 and 1", c.FollowupShare))
	}
	if _, err := c.ComplaintDeadlines(); err != nil {
		errs = append(errs, err)
	}
	if c.CompensationApprovalThreshold < 0 {
		errs = append(errs, errors.New("--compensation-approval-threshold must not be negative"))
	}
	return errs
}

// ComplaintDeadlines parses ComplaintHours: three positive hour counts,
// for severities 1, 2 and 3.
func (c *Config) ComplaintDeadlines() ([3]int, error) {
	var out [3]int
	parts := strings.Split(c.ComplaintHours, ",")
	if len(parts) != 3 {
		return out, fmt.Errorf("--complaint-hours %q: want three hour counts like 24,72,168", c.ComplaintHours)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return out, fmt.Errorf("--complaint-hours %q: want three positive hour counts like 24,72,168", c.ComplaintHours)
		}
		out[i] = n
	}
	return out, nil
}

// IsPostgres reports whether the store is PostgreSQL.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is the SQLite database file.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "aftercare.db") }

// BlobStore is the object store --blob-url names (an error when it is
// not set). The error names the flag and never repeats the URL (it may
// hold a secret).
func (c *Config) BlobStore() (*blob.S3, error) {
	if c.BlobURL == "" {
		return nil, errors.New("--blob-url is not set")
	}
	s, err := blob.NewS3(c.BlobURL, c.BlobCredentials)
	if err != nil {
		return nil, fmt.Errorf("--blob-url: %w", err)
	}
	return s, nil
}

// AttachmentDir is where attachment files are kept.
func (c *Config) AttachmentDir() string { return filepath.Join(c.DataDir, "attachments") }

// Location returns the store's time zone (Validate has checked it).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// checkIMAPURL checks the shape of --imap-url without ever quoting it:
// it holds a password.
func checkIMAPURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("not a URL; want imaps://user:pass@host/INBOX")
	case u.Scheme != "imaps" && u.Scheme != "imap":
		return errors.New("want imaps:// (or imap:// for a server without TLS)")
	case u.Hostname() == "":
		return errors.New("no host; want imaps://user:pass@host/INBOX")
	case u.User == nil || u.User.Username() == "":
		return errors.New("no user; want imaps://user:pass@host/INBOX")
	}
	if _, ok := u.User.Password(); !ok {
		return errors.New("no password; want imaps://user:pass@host/INBOX")
	}
	return nil
}

// validateRelay checks the outbound mail settings without ever quoting
// --smtp-relay (it may hold a password).
func (c *Config) validateRelay() []error {
	var errs []error
	if c.SMTPRelay != "" {
		u, err := url.Parse(c.SMTPRelay)
		switch {
		case err != nil:
			errs = append(errs, errors.New("--smtp-relay: not a URL; want smtp://host:port or smtps://host:port"))
		case u.Scheme != "smtp" && u.Scheme != "smtps":
			errs = append(errs, errors.New("--smtp-relay: want smtp://host:port (STARTTLS when offered) or smtps://host:port"))
		case u.Hostname() == "":
			errs = append(errs, errors.New("--smtp-relay: no host; want smtp://host:port"))
		}
		if c.MailFrom == "" {
			errs = append(errs, errors.New("--mail-from: required with --smtp-relay (the sender of outbound mail)"))
		}
	}
	if c.MailFrom != "" {
		if a, err := mail.ParseAddress(c.MailFrom); err != nil || !strings.Contains(a.Address, "@") {
			errs = append(errs, fmt.Errorf("--mail-from %q: want an address like support@example.com or \"Support <support@example.com>\"", c.MailFrom))
		}
	}
	if c.SMTPPasswordFile != "" {
		if _, err := os.Stat(c.SMTPPasswordFile); err != nil {
			errs = append(errs, fmt.Errorf("--smtp-password-file: %w", err))
		}
	}
	return errs
}

// RelayPassword reads --smtp-password-file ("" without one), trimming a
// final line break.
func (c *Config) RelayPassword() (string, error) {
	if c.SMTPPasswordFile == "" {
		return "", nil
	}
	b, err := os.ReadFile(c.SMTPPasswordFile)
	if err != nil {
		return "", fmt.Errorf("--smtp-password-file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// secret is a flag value that never shows what it holds: --help prints
// each flag's default, and a default from the environment may hold a
// password.
type secret struct{ p *string }

func (s secret) String() string {
	if s.p == nil || *s.p == "" {
		return ""
	}
	return "(set)"
}

func (s secret) Set(v string) error {
	*s.p = v
	return nil
}

// validCurrency reports whether c is three upper-case letters (ISO 4217).
func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
