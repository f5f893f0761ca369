package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/aftercare/aftercare/internal/model"
)

// IMAPConfig is a mailbox to poll, from --imap-url
// (imaps://user:pass@host[:port]/MAILBOX). The password is a secret:
// String never shows it, and neither do errors.
type IMAPConfig struct {
	Addr     string // host:port
	TLS      bool   // imaps (implicit TLS); imap is plain, for a server on this machine or network
	User     string
	Password string
	Mailbox  string
}

// ParseIMAPURL reads an imaps:// (port 993) or imap:// (port 143) URL with
// the user and password and, as its path, the mailbox (default INBOX).
// Errors never contain the password.
func ParseIMAPURL(raw string) (IMAPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return IMAPConfig{}, errors.New("not a URL (imaps://user:pass@host/INBOX)")
	}
	var c IMAPConfig
	switch u.Scheme {
	case "imaps":
		c.TLS = true
	case "imap":
	default:
		return IMAPConfig{}, errors.New("scheme must be imaps:// (or imap:// for a server without TLS)")
	}
	if u.Hostname() == "" {
		return IMAPConfig{}, errors.New("no host")
	}
	c.Addr = u.Host
	if u.Port() == "" {
		port := "143"
		if c.TLS {
			port = "993"
		}
		c.Addr = net.JoinHostPort(u.Hostname(), port)
	}
	if u.User == nil || u.User.Username() == "" {
		return IMAPConfig{}, errors.New("no user (imaps://user:pass@host/INBOX)")
	}
	c.User = u.User.Username()
	pass, ok := u.User.Password()
	if !ok {
		return IMAPConfig{}, errors.New("no password (imaps://user:pass@host/INBOX)")
	}
	c.Password = pass
	c.Mailbox = strings.Trim(u.Path, "/")
	if c.Mailbox == "" {
		c.Mailbox = "INBOX"
	}
	return c, nil
}

// String shows the mailbox without its password.
func (c IMAPConfig) String() string {
	scheme := "imap"
	if c.TLS {
		scheme = "imaps"
	}
	return scheme + "://" + url.User(c.User).String() + "@" + c.Addr + "/" + c.Mailbox
}

// Poller fetches unseen mail from an IMAP mailbox into the inbound log.
// A message is marked \Seen only after it is stored; the log's unique
// source reference (server, mailbox, UIDVALIDITY, UID) makes sure that a
// message is taken once even if two nodes poll at the same time.
type Poller struct {
	svc *Service
	cfg IMAPConfig
	log *slog.Logger
	// Batch bounds the messages taken per poll.
	Batch int
}

// NewPoller returns a poller of cfg's mailbox.
func NewPoller(svc *Service, cfg IMAPConfig, log *slog.Logger) *Poller {
	if log == nil {
		log = slog.Default()
	}
	return &Poller{svc: svc, cfg: cfg, log: log, Batch: 100}
}

// Poll takes the unseen messages of the mailbox (up to Batch) and
// returns how many it stored. The periodic job calls it on one node.
func (p *Poller) Poll(ctx context.Context) (int, error) {
	c, err := p.dial(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(p.cfg.User, p.cfg.Password).Wait(); err != nil {
		return 0, fmt.Errorf("imap %s: login: %w", p.cfg, err)
	}
	sel, err := c.Select(p.cfg.Mailbox, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("imap %s: select: %w", p.cfg, err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("imap %s: search: %w", p.cfg, err)
	}
	uids := found.AllUIDs()
	if len(uids) > p.Batch {
		uids = uids[:p.Batch]
	}
	stored := 0
	for _, uid := range uids {
		if ctx.Err() != nil {
			break
		}
		ok, err := p.take(ctx, c, sel.UIDValidity, uid)
		if err != nil {
			return stored, err
		}
		if ok {
			stored++
		}
	}
	_ = c.Logout().Wait()
	return stored, nil
}

// take stores one message, marks it \Seen and processes it.
func (p *Poller) take(ctx context.Context, c *imapclient.Client, validity uint32, uid imap.UID) (bool, error) {
	set := imap.UIDSetNum(uid)
	whole := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return false, fmt.Errorf("imap %s: fetch size: %w", p.cfg, err)
	}
	if len(msgs) == 0 {
		return false, nil // expunged meanwhile
	}
	section, tooLarge := whole, msgs[0].RFC822Size > p.svc.MaxBytes()
	if tooLarge {
		section = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
	}
	msgs, err = c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return false, fmt.Errorf("imap %s: fetch: %w", p.cfg, err)
	}
	if len(msgs) == 0 {
		return false, nil
	}
	raw := msgs[0].FindBodySection(section)
	ref := fmt.Sprintf("imap:%s@%s/%s:%d:%d", p.cfg.User, p.cfg.Addr, p.cfg.Mailbox, validity, uid)
	var id int64
	var stored bool
	if tooLarge {
		id, stored, err = p.svc.logTooLarge(ctx, ref, raw, msgs[0].RFC822Size)
	} else {
		id, stored, err = p.svc.store.LogInbound(ctx, p.svc.newInbound(Source{Kind: model.MailSourceIMAP, Ref: ref}, raw))
	}
	if err != nil {
		return false, err // not stored: left unseen, taken at the next poll
	}
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		return stored, fmt.Errorf("imap %s: mark seen: %w", p.cfg, err)
	}
	if stored && !tooLarge {
		if _, err := p.svc.Process(ctx, id); err != nil {
			p.log.Warn("inbound mail: processing failed; will retry", "id", id, "err", err)
		}
	}
	return stored, nil
}

func (p *Poller) dial(ctx context.Context) (*imapclient.Client, error) {
	opts := &imapclient.Options{Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	if deadline, ok := ctx.Deadline(); ok {
		opts.Dialer.Deadline = deadline
	}
	var c *imapclient.Client
	var err error
	if p.cfg.TLS {
		host, _, _ := net.SplitHostPort(p.cfg.Addr)
		opts.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		c, err = imapclient.DialTLS(p.cfg.Addr, opts)
	} else {
		c, err = imapclient.DialInsecure(p.cfg.Addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("imap %s: connect: %w", p.cfg, err)
	}
	return c, nil
}
