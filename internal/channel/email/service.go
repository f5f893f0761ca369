package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
)

// DefaultMaxBytes is the largest message accepted (30 MiB) unless
// configured otherwise.
const DefaultMaxBytes = 30 << 20

// Retry policy: a failed message is tried again after 1, 2, 4 … minutes
// (at most an hour apart), MaxAttempts times in all; then it stays failed
// in the log for an admin to look at (and retry).
const (
	MaxAttempts = 10
	// receivedGrace is how long a stored message may wait for the node
	// that received it to process it before the retry sweep takes it.
	receivedGrace = 5 * time.Minute
)

// Service receives inbound mail: it logs each message, then turns it
// into a request, a reply, or nothing (duplicate, automatic, bounce).
type Service struct {
	store    *store.Store
	requests *request.Service
	log      *slog.Logger
	maxBytes int64
}

// NewService returns the inbound mail service. maxBytes bounds a message
// (0: DefaultMaxBytes).
func NewService(st *store.Store, requests *request.Service, log *slog.Logger, maxBytes int64) *Service {
	if log == nil {
		log = slog.Default()
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Service{store: st, requests: requests, log: log, maxBytes: maxBytes}
}

// MaxBytes is the largest message accepted.
func (s *Service) MaxBytes() int64 { return s.maxBytes }

// Source says where a message came from.
type Source struct {
	Kind string // model.MailSourceSMTP or model.MailSourceIMAP
	// Ref names an IMAP message; see store.NewInbound.SourceRef.
	Ref string
	// EnvelopeFrom is the SMTP MAIL FROM address; NullSender is true for
	// "MAIL FROM:<>".
	EnvelopeFrom string
	NullSender   bool
}

// Receive logs a message and then processes it. It returns an error only
// when the message could not be stored — then it must not be
// acknowledged (the sender or the IMAP server keeps it and we try again).
// Once stored, a failure to process is recorded in the log and retried
// later; Receive still succeeds. stored is false when the message was
// taken before (the same IMAP message, by another node).
func (s *Service) Receive(ctx context.Context, src Source, raw []byte) (id int64, stored bool, err error) {
	in := s.newInbound(src, raw)
	id, stored, err = s.store.LogInbound(ctx, in)
	if err != nil || !stored || in.Outcome != model.MailReceived {
		return id, stored, err
	}
	if _, err := s.Process(ctx, id); err != nil && !errors.Is(err, store.ErrProcessed) {
		s.log.Warn("inbound mail: processing failed; will retry", "id", id, "err", err)
	}
	return id, true, nil
}

// newInbound is the log row for a received message, to be processed (or
// rejected at once when it is larger than MaxBytes).
func (s *Service) newInbound(src Source, raw []byte) store.NewInbound {
	in := store.NewInbound{Source: src.Kind, SourceRef: src.Ref, EnvelopeFrom: src.EnvelopeFrom,
		Outcome: model.MailReceived, RetryAt: s.store.Now().Add(receivedGrace), Raw: raw}
	if src.NullSender {
		in.EnvelopeFrom = "<>"
	}
	s.peek(raw, &in)
	if int64(len(raw)) > s.maxBytes {
		in.Outcome, in.Reason = model.MailRejected, fmt.Sprintf("larger than %d bytes", s.maxBytes)
	}
	return in
}

// logTooLarge records an IMAP message larger than MaxBytes as rejected,
// with its header only (the mailbox keeps the whole message).
func (s *Service) logTooLarge(ctx context.Context, ref string, head []byte, size int64) (int64, bool, error) {
	in := s.newInbound(Source{Kind: model.MailSourceIMAP, Ref: ref}, head)
	in.Outcome = model.MailRejected
	in.Reason = fmt.Sprintf("%d bytes, larger than %d; only the header is stored, the message stays in the mailbox", size, s.maxBytes)
	return s.store.LogInbound(ctx, in)
}

// peek fills the log's display fields from the headers alone; a message
// that cannot even be peeked at is still stored.
func (s *Service) peek(raw []byte, in *store.NewInbound) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("inbound mail: header peek panicked", "panic", v)
		}
	}()
	head := raw
	if i := bytes.Index(head, []byte("\n\n")); i >= 0 {
		head = head[:i+1]
	} else if i := bytes.Index(head, []byte("\r\n\r\n")); i >= 0 {
		head = head[:i+2]
	}
	h, _ := splitMessage(normalizeEOL(head))
	if ids := messageIDs(h.get("message-id")); len(ids) > 0 {
		in.MessageID = ids[0]
	}
	in.From = parseAddress(h.get("from")).Email
	in.Subject = clip(oneLine(decodeHeader(h.get("subject"))), 1000)
}

// Process turns logged message id into what it should become, records the
// outcome, and returns it. A message processed before is
// store.ErrProcessed. Failures are recorded for a retry and returned.
func (s *Service) Process(ctx context.Context, id int64) (res store.InboundResult, err error) {
	row, err := s.store.InboundByID(ctx, id)
	if err != nil {
		return res, err
	}
	if row.Outcome != model.MailReceived && row.Outcome != model.MailFailed {
		return res, store.ErrProcessed
	}
	raw, err := s.store.InboundRaw(ctx, id)
	if err != nil {
		return res, s.fail(ctx, row, err)
	}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("inbound mail: processing panicked", "id", id, "panic", v)
			err = s.fail(ctx, row, fmt.Errorf("processing panicked: %v", v))
		}
	}()
	m := Parse(raw)
	if row.Source == model.MailSourceSMTP && row.EnvelopeFrom == "<>" {
		m.NullSender()
	}
	res, err = s.apply(ctx, row, m)
	if err != nil {
		if errors.Is(err, store.ErrProcessed) {
			return res, err
		}
		return res, s.fail(ctx, row, err)
	}
	s.log.Info("inbound mail", "id", id, "outcome", res.Outcome, "request", res.RequestNumber)
	return res, nil
}

// fail records a failed attempt with its retry time and returns err.
func (s *Service) fail(ctx context.Context, row *model.InboundMail, err error) error {
	attempts := row.Attempts + 1
	var retry *time.Time
	if attempts < MaxAttempts {
		t := s.store.Now().Add(min(time.Minute<<(attempts-1), time.Hour))
		retry = &t
	}
	reason := clip(err.Error(), 1000)
	if ferr := s.store.FailInbound(context.WithoutCancel(ctx), row.ID, reason, retry); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

// apply decides what m becomes and applies it in one transaction.
func (s *Service) apply(ctx context.Context, row *model.InboundMail, m *Message) (store.InboundResult, error) {
	plan := store.InboundPlan{InboundID: row.ID, MessageID: m.Key}
	switch {
	case m.Bounce != nil:
		plan.Outcome = model.MailBounce
		plan.Bounce = &store.BounceReport{OriginalIDs: m.Bounce.OriginalIDs, Recipients: m.Bounce.Recipients,
			Permanent: m.Bounce.Permanent, Diagnostic: m.Bounce.Diagnostic}
		return s.store.ApplyInbound(ctx, plan)
	case m.Auto != "":
		plan.Outcome, plan.Reason = model.MailAutoReply, m.Auto
		return s.store.ApplyInbound(ctx, plan)
	case m.From.Email == "":
		plan.Outcome, plan.Reason = model.MailRejected, "no usable sender address (From)"
		return s.store.ApplyInbound(ctx, plan)
	}
	thread, err := s.store.ThreadRequest(ctx, m.Refs)
	if err != nil {
		return store.InboundResult{}, err
	}
	if thread == 0 && m.Number != "" {
		if thread, err = s.store.RequestIDByNumber(ctx, m.Number); err != nil {
			return store.InboundResult{}, err
		}
	}
	plan.Outcome, plan.ThreadRequestID = model.MailCreated, thread
	plan.Sender = store.InboundSender{Email: m.From.Email, Name: senderName(m.From), Locale: guessLocale(m.Subject + m.Visible)}
	plan.Subject, plan.Type = requestSubject(m.Subject), model.TypeInquiry
	files, notes := s.stage(m.Files)
	plan.Body = messageBody(m, notes)
	if len(notes) > 0 {
		plan.Reason = strings.Join(notes, "; ")
	}
	atts, undo, err := s.requests.PlaceFiles(ctx, fmt.Sprintf("mail/%d", row.ID), files)
	if err != nil {
		return store.InboundResult{}, err
	}
	plan.Files, plan.Limits = atts, s.requests.UploadLimits()
	res, err := s.store.ApplyInbound(ctx, plan)
	if errors.Is(err, store.ErrMessageIDRace) {
		res, err = s.store.ApplyInbound(ctx, plan) // now a duplicate
	}
	if err != nil && len(atts) > 0 && isUploadLimit(err) {
		// The request holds as many files as it may: keep the mail, without them.
		note := fmt.Sprintf("%d attachment(s) not kept: %s", len(atts), model.ErrorMessage(err))
		plan.Files, plan.Body = nil, messageBody(m, append(notes, note))
		plan.Reason = strings.Join(append(notes, note), "; ")
		res, err = s.store.ApplyInbound(ctx, plan)
	}
	if err != nil || res.Outcome == model.MailDuplicate || len(plan.Files) == 0 {
		undo()
	}
	return res, err
}

// stage checks each attachment with the request rules (type detected from
// the content, size); refused files are named in notes, and stay in the
// stored original.
func (s *Service) stage(files []File) ([]*request.Staged, []string) {
	var staged []*request.Staged
	var notes []string
	for _, f := range files {
		st, err := s.requests.Stage(f.Name, bytes.NewReader(f.Content))
		if err != nil {
			notes = append(notes, fmt.Sprintf("attachment %q not kept: %s", f.Name, model.ErrorMessage(err)))
			continue
		}
		staged = append(staged, st)
	}
	return staged, notes
}

func isUploadLimit(err error) bool {
	var e *model.Error
	return errors.As(err, &e) && e.Field == "file"
}

// messageBody is the text a request shows for m: what the sender wrote
// this time (quoted history folded away), within the message size limit,
// followed by notes about files that were not kept.
func messageBody(m *Message, notes []string) string {
	body := m.Visible
	if strings.TrimSpace(body) == "" {
		body = "(no text)"
	}
	limit := request.MaxBody - 500
	if utf8.RuneCountInString(body) > limit {
		body = string([]rune(body)[:limit]) + "\n\n[… shortened; the whole message is in the inbound mail log]"
	}
	if len(notes) > 0 {
		body += "\n\n[" + strings.Join(notes, "]\n[") + "]"
	}
	return body
}

// requestSubject is the subject of a request opened by mail.
func requestSubject(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(no subject)"
	}
	if utf8.RuneCountInString(s) > request.MaxSubject {
		s = string([]rune(s)[:request.MaxSubject-1]) + "…"
	}
	return s
}

// senderName is the name a new customer gets: the display name, else the
// address's local part.
func senderName(a Address) string {
	if n := strings.TrimSpace(a.Name); n != "" && !strings.Contains(n, "@") {
		return clip(n, 200)
	}
	local, _, _ := strings.Cut(a.Email, "@")
	return clip(local, 200)
}

// guessLocale is zh-CN for mail with Chinese characters, else en.
func guessLocale(text string) string {
	for i, r := range text {
		if i > 4000 {
			break
		}
		if unicode.Is(unicode.Han, r) {
			return "zh-CN"
		}
	}
	return "en"
}

// RetryDue processes the messages whose retry time has come; the periodic
// job calls it (on one node). It returns how many it processed.
func (s *Service) RetryDue(ctx context.Context) (int, error) {
	ids, err := s.store.DueInbound(ctx, s.store.Now(), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		if _, err := s.Process(ctx, id); err == nil {
			n++
		} else if !errors.Is(err, store.ErrProcessed) && model.ErrorCode(err) == model.EUNAVAILABLE {
			return n, err
		}
	}
	return n, nil
}

// Retry makes a failed message due again now and processes it (an admin's
// retry); other outcomes are ECONFLICT.
func (s *Service) Retry(ctx context.Context, p model.Principal, id int64) (store.InboundResult, error) {
	if !p.Can(model.PermMailRead) {
		return store.InboundResult{}, forbidden()
	}
	if err := s.store.RetryInbound(ctx, id); err != nil {
		return store.InboundResult{}, err
	}
	return s.Process(ctx, id)
}

// forbidden is the answer to a principal without model.PermMailRead.
func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// List returns one page of the inbound mail log, newest first (admins:
// model.PermMailRead).
func (s *Service) List(ctx context.Context, p model.Principal, f model.InboundFilter) (model.InboundPage, error) {
	if !p.Can(model.PermMailRead) {
		return model.InboundPage{}, forbidden()
	}
	if f.Limit < 0 {
		return model.InboundPage{}, model.FieldError("limit", "must be between 1 and %d", store.MaxPageSize)
	}
	return s.store.ListInbound(ctx, f)
}

// Get returns one row of the inbound mail log (model.PermMailRead).
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.InboundMail, error) {
	if !p.Can(model.PermMailRead) {
		return nil, forbidden()
	}
	return s.store.InboundByID(ctx, id)
}

// Raw returns a logged message exactly as received (model.PermMailRead).
func (s *Service) Raw(ctx context.Context, p model.Principal, id int64) ([]byte, error) {
	if !p.Can(model.PermMailRead) {
		return nil, forbidden()
	}
	return s.store.InboundRaw(ctx, id)
}
