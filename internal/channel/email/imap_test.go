package email_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/testenv"
)

const imapPassword = "s3cret pass/wörd"

// imapServer is an in-memory IMAP server on 127.0.0.1 with one user and
// its INBOX.
type imapServer struct {
	addr string
	user *imapmemserver.User
}

func startIMAP(t *testing.T) *imapServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("support", imapPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return &imapServer{addr: ln.Addr().String(), user: user}
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// url is the --imap-url of the server's INBOX.
func (s *imapServer) url() string {
	return "imap://" + url.UserPassword("support", imapPassword).String() + "@" + s.addr + "/INBOX"
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// deliver appends a message to the INBOX, unseen.
func (s *imapServer) deliver(t *testing.T, msg string) {
	t.Helper()
	if _, err := s.user.Append("INBOX", literal{bytes.NewReader([]byte(strings.ReplaceAll(msg, "\n", "\r\n")))}, &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// unseen counts the INBOX's unseen messages.
func (s *imapServer) unseen(t *testing.T) int {
	t.Helper()
	c, err := imapclient.DialInsecure(s.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("support", imapPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return len(data.AllUIDs())
}

func startPollingNode(t *testing.T, dbURL, imapURL string, logs *testenv.Buffer) *app.Main {
	t.Helper()
	return apptest.Start(t, apptest.Options{
		DatabaseURL: dbURL,
		Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Configure:   func(c *config.Config) { c.IMAPURL = imapURL; c.LogLevel = "debug" },
		Prepare:     func(m *app.Main) { m.IMAPPollEvery = 200 * time.Millisecond },
	})
}

// TestIMAPPolling: nodes that poll one mailbox (two on PostgreSQL, by
// River's periodic job and by polls started at the same moment) take each
// message exactly once, mark it seen only after it is stored, and never
// log the password.
func TestIMAPPolling(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		srv := startIMAP(t)
		logs := &testenv.Buffer{}
		nodes := []*app.Main{startPollingNode(t, dbURL, srv.url(), logs)}
		if dbURL != "" {
			nodes = append(nodes, startPollingNode(t, dbURL, srv.url(), logs))
		}
		m := nodes[0]
		const first = 5
		for i := range first {
			srv.deliver(t, fmt.Sprintf("From: c%d@example.com\nSubject: imap %d\nMessage-ID: <imap-%d@x>\n\nbody %d\n", i, i, i, i))
		}
		waitFor(t, func() bool { return count(t, m, "mail_inbound") >= first && srv.unseen(t) == 0 },
			"River's poll to take the first messages")

		// Polls started together on every node: each message still once.
		const more = 6
		for i := first; i < first+more; i++ {
			srv.deliver(t, fmt.Sprintf("From: c%d@example.com\nSubject: imap %d\nMessage-ID: <imap-%d@x>\n\nbody %d\n", i, i, i, i))
		}
		var wg sync.WaitGroup
		for _, n := range nodes {
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := n.IMAP.Poll(context.Background()); err != nil {
						t.Errorf("poll: %v", err)
					}
				}()
			}
		}
		wg.Wait()
		// A node that finds a message already taken marks it seen at once,
		// while the node that took it may still be turning it into a
		// request: wait for the requests too, not just the log and flags.
		waitFor(t, func() bool {
			return count(t, m, "mail_inbound") >= first+more && srv.unseen(t) == 0 && count(t, m, "requests") >= first+more
		}, "every message taken and processed")
		if n := count(t, m, "mail_inbound"); n != first+more {
			t.Errorf("inbound log: got %d entries, want %d (each message once)", n, first+more)
		}
		if n := count(t, m, "requests"); n != first+more {
			t.Errorf("requests: got %d, want %d", n, first+more)
		}
		page, err := m.Store.ListInbound(context.Background(), model.InboundFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			if e.Source != model.MailSourceIMAP || e.Outcome != model.MailCreated {
				t.Errorf("entry %d: got %s %s, want imap created", e.ID, e.Source, e.Outcome)
			}
		}

		// A wrong password fails the poll without showing either password.
		cfg, err := email.ParseIMAPURL("imap://support:wrong-secret@" + srv.addr + "/INBOX")
		if err != nil {
			t.Fatal(err)
		}
		_, err = email.NewPoller(m.Inbound, cfg, nil).Poll(context.Background())
		if err == nil || strings.Contains(err.Error(), "wrong-secret") {
			t.Errorf("poll with a wrong password: got %v, want an error without the password", err)
		}
		for _, secret := range []string{imapPassword, url.QueryEscape(imapPassword), url.PathEscape(imapPassword), "s3cret"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the logs show the IMAP password (%q)", secret)
			}
		}
	})
}

// waitFor polls cond until it holds, failing after 30 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
