package email

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/aftercare/aftercare/internal/model"
)

// SMTPServer receives mail on --smtp-listen, typically from the company's
// MTA. A message is answered 250 only once it is committed to the inbound
// log; if it cannot be stored the answer is a temporary failure (451), so
// the sending MTA keeps it and tries again: nothing is lost either way.
type SMTPServer struct {
	srv *smtp.Server
	ln  net.Listener
	log *slog.Logger
}

// processTimeout bounds the work done for one message before its 250.
const processTimeout = 2 * time.Minute

// ListenSMTP binds addr (only that address) and returns a server ready to
// Serve. Messages over svc.MaxBytes() are refused with 552.
func ListenSMTP(svc *Service, addr string, log *slog.Logger) (*SMTPServer, error) {
	if log == nil {
		log = slog.Default()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp listen: %w", err)
	}
	srv := smtp.NewServer(&backend{svc: svc, log: log})
	srv.Domain = "aftercare"
	srv.MaxMessageBytes = svc.MaxBytes()
	srv.MaxRecipients = 100
	// Long lines (a 200 KB subject without folding) are stored as they
	// are, not refused: the parser copes with them.
	srv.MaxLineLength = 1 << 20
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = 5 * time.Minute
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = slogPrinter{log}
	return &SMTPServer{srv: srv, ln: ln, log: log}, nil
}

// Addr is the address the listener is bound to (useful with port 0).
func (s *SMTPServer) Addr() string { return s.ln.Addr().String() }

// Serve accepts connections until Shutdown.
func (s *SMTPServer) Serve() error {
	err := s.srv.Serve(s.ln)
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting mail and waits for conversations in progress
// (until ctx ends, then closes them: a message not yet answered 250 is
// the sender's to retry).
func (s *SMTPServer) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		_ = s.srv.Close()
	}
	if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Close closes the listener (for a server that never served).
func (s *SMTPServer) Close() error { return s.ln.Close() }

type backend struct {
	svc *Service
	log *slog.Logger
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{b: b, remote: c.Conn().RemoteAddr().String()}, nil
}

// session is one SMTP conversation; it may carry several messages.
type session struct {
	b      *backend
	remote string
	from   string
	null   bool
	rcpts  int
}

func (s *session) Reset() { s.from, s.null, s.rcpts = "", false, 0 }

func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from, s.null = from, from == ""
	return nil
}

func (s *session) Rcpt(string, *smtp.RcptOptions) error {
	s.rcpts++
	return nil
}

// Data stores the message, then processes it; see SMTPServer.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // too large (552) or the connection broke: nothing accepted
	}
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	defer cancel()
	if _, _, err := s.b.svc.Receive(ctx, Source{Kind: model.MailSourceSMTP, EnvelopeFrom: s.from, NullSender: s.null}, raw); err != nil {
		s.b.log.Error("inbound mail: cannot store message; answered 451", "remote", s.remote, "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "Cannot store the message now; try again later"}
	}
	return nil
}

// slogPrinter adapts the SMTP server's error log to slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Printf(format string, v ...any) {
	p.log.Warn("smtp: " + fmt.Sprintf(format, v...))
}

func (p slogPrinter) Println(v ...any) { p.log.Warn("smtp: " + fmt.Sprint(v...)) }
