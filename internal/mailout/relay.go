package mailout

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"time"
)

// Relay is the SMTP server outbound mail is handed to (--smtp-relay).
// Its password is never logged: String leaves it out.
type Relay struct {
	// Host and Port of the relay.
	Host, Port string
	// ImplicitTLS is smtps:// (TLS from the first byte, usually port 465).
	ImplicitTLS bool
	// StartTLS is "required" (refuse to send without it), "none" (never)
	// or "" (use it when the relay offers it: the default of smtp://).
	StartTLS string
	// User and Password authenticate with AUTH PLAIN, only over TLS
	// (implicit or STARTTLS): without TLS nothing is sent.
	User, Password string
	// Timeout bounds one conversation with the relay.
	Timeout time.Duration
	// TLSConfig, when set, replaces the default TLS settings (tests
	// trust their own certificate with it).
	TLSConfig *tls.Config
}

// ParseRelay reads --smtp-relay: smtp://host[:port] (port 587 by
// default; STARTTLS when offered, "?starttls=required" or
// "?starttls=none" to insist or to skip it) or smtps://host[:port] (port
// 465, implicit TLS), with optional user:password in the URL. user and
// password, when not empty, come from --smtp-relay-user and
// --smtp-password-file and take precedence. Errors never quote the URL:
// it may hold a password.
func ParseRelay(raw, user, password string) (*Relay, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL; want smtp://host:port or smtps://host:port")
	}
	r := &Relay{Host: u.Hostname(), Port: u.Port(), Timeout: time.Minute}
	switch u.Scheme {
	case "smtp":
		if r.Port == "" {
			r.Port = "587"
		}
	case "smtps":
		r.ImplicitTLS = true
		if r.Port == "" {
			r.Port = "465"
		}
	default:
		return nil, errors.New("want smtp://host:port (STARTTLS when offered) or smtps://host:port (implicit TLS)")
	}
	if r.Host == "" {
		return nil, errors.New("no host; want smtp://host:port")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("a relay URL has no path")
	}
	switch v := u.Query().Get("starttls"); v {
	case "", "required", "none":
		r.StartTLS = v
	default:
		return nil, errors.New(`starttls must be "required" or "none"`)
	}
	if r.ImplicitTLS && r.StartTLS != "" {
		return nil, errors.New("starttls does not apply to smtps://")
	}
	if u.User != nil {
		r.User = u.User.Username()
		r.Password, _ = u.User.Password()
	}
	if user != "" {
		r.User = user
	}
	if password != "" {
		r.Password = password
	}
	if r.Password != "" && r.User == "" {
		return nil, errors.New("a password without a user name")
	}
	return r, nil
}

// String names the relay without its password.
func (r *Relay) String() string {
	scheme := "smtp"
	if r.ImplicitTLS {
		scheme = "smtps"
	}
	s := scheme + "://" + net.JoinHostPort(r.Host, r.Port)
	if r.User != "" {
		s = scheme + "://" + url.User(r.User).String() + "@" + net.JoinHostPort(r.Host, r.Port)
	}
	return s
}

// PermanentError is a relay's 5xx answer: trying again will not help.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Send hands one message to the relay: envelope sender from, one
// recipient to. A 5xx answer is a *PermanentError.
func (r *Relay) Send(ctx context.Context, helo, from, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	addr := net.JoinHostPort(r.Host, r.Port)
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("relay %s: %w", addr, err)
	}
	// The whole conversation is bounded by ctx: a stuck relay cannot hold
	// a send job forever.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	tlsConf := r.tlsConfig()
	if r.ImplicitTLS {
		conn = tls.Client(conn, tlsConf)
	}
	c, err := smtp.NewClient(conn, r.Host)
	if err != nil {
		conn.Close()
		return classify(addr, err)
	}
	defer c.Close()
	if err := c.Hello(helo); err != nil {
		return classify(addr, err)
	}
	if !r.ImplicitTLS && r.StartTLS != "none" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConf); err != nil {
				return fmt.Errorf("relay %s: STARTTLS: %w", addr, err)
			}
		} else if r.StartTLS == "required" {
			return fmt.Errorf("relay %s does not offer STARTTLS, and ?starttls=required", addr)
		}
	}
	if r.User != "" {
		// The password never crosses the network in plain text, not even
		// to a loopback relay (net/smtp would allow that): no TLS, no AUTH.
		// Retrying will not help until the relay or the URL changes.
		if _, secure := c.TLSConnectionState(); !secure {
			return &PermanentError{Err: fmt.Errorf("relay %s: not sending the password without TLS: the relay offers no STARTTLS (use smtps:// or a relay with TLS)", addr)}
		}
		if err := c.Auth(smtp.PlainAuth("", r.User, r.Password, r.Host)); err != nil {
			return classify(addr, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return classify(addr, err)
	}
	if err := c.Rcpt(to); err != nil {
		return classify(addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return classify(addr, err)
	}
	if _, err := w.Write(msg); err != nil {
		return classify(addr, err)
	}
	if err := w.Close(); err != nil {
		return classify(addr, err)
	}
	_ = c.Quit()
	return nil
}

func (r *Relay) tlsConfig() *tls.Config {
	if r.TLSConfig != nil {
		c := r.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = r.Host
		}
		return c
	}
	return &tls.Config{ServerName: r.Host, MinVersion: tls.VersionTLS12}
}

// classify names the relay and marks a 5xx answer permanent.
func classify(addr string, err error) error {
	err = fmt.Errorf("relay %s: %w", addr, err)
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return &PermanentError{Err: err}
	}
	return err
}

// compose renders m as an RFC 5322 message (CRLF line ends; the UTF-8
// text and its HTML rendering as multipart/alternative, both
// quoted-printable).
func compose(m *composed) []byte {
	var b bytes.Buffer
	m.write(&b)
	return b.Bytes()
}
