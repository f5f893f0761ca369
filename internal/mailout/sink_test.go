package mailout_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// received is one message the sink accepted.
type received struct {
	From string
	To   []string
	Raw  []byte
	Msg  *mail.Message
	Body string
}

// sink is a real SMTP server on 127.0.0.1 that keeps what it is sent; it
// can answer the first messages with a temporary (451) or permanent (550)
// refusal.
type sink struct {
	mu        sync.Mutex
	msgs      []received
	tempFails int  // answer this many DATA commands with 451 first
	reject    bool // answer every DATA with 550
	arrived   chan struct{}
	addr      string
	server    *smtp.Server
	attempts  int
	taken     int // messages next has returned
}

func startSink(t *testing.T) *sink {
	t.Helper()
	s := &sink{arrived: make(chan struct{}, 100)}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.example"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr, s.server = ln.Addr().String(), srv
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// NewSession implements smtp.Backend.
func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }

type sinkSession struct {
	s    *sink
	from string
	to   []string
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error { ss.from = from; return nil }
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *sinkSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *sinkSession) Logout() error { return nil }

func (ss *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.reject {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	if s.tempFails > 0 {
		s.tempFails--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return errors.New("unreadable message")
	}
	body, _ := io.ReadAll(m.Body)
	s.msgs = append(s.msgs, received{From: ss.from, To: ss.to, Raw: raw, Msg: m, Body: string(body)})
	s.arrived <- struct{}{}
	return nil
}

// next waits for the next message, in the order they arrived.
func (s *sink) next(t *testing.T) received {
	t.Helper()
	select {
	case <-s.arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("no mail reached the sink within 30 s")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.taken++
	return s.msgs[s.taken-1]
}

// count is how many messages the sink accepted.
func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

func (s *sink) set(fn func(*sink)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}
