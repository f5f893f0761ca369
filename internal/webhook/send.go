package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// The headers of every delivery.
const (
	HeaderEvent     = "X-Aftercare-Event"     // the event type, e.g. request.created
	HeaderDelivery  = "X-Aftercare-Delivery"  // the delivery's id: the same for its retries and redeliveries
	HeaderTimestamp = "X-Aftercare-Timestamp" // Unix seconds when the attempt was signed
	HeaderSignature = "X-Aftercare-Signature" // sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
)

// DefaultTimeout is how long an attempt waits for an answer.
const DefaultTimeout = 10 * time.Second

// DefaultSchedule is how long after a failed attempt the next one is
// made: after about 5 s, 30 s, 2 min, 10 min, 1 h, 6 h and 24 h, so a
// delivery is tried 8 times over about 31 hours before it fails.
func DefaultSchedule() []time.Duration {
	return []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour,
		6 * time.Hour, 24 * time.Hour}
}

// Backoff is the wait after failed attempt number attempt (from 1) under
// schedule; past its end the last step repeats.
func Backoff(schedule []time.Duration, attempt int) time.Duration {
	if len(schedule) == 0 {
		return 0
	}
	return schedule[min(max(attempt, 1), len(schedule))-1]
}

// Sign returns the X-Aftercare-Signature value of body sent at ts:
// "sha256=" and the hex HMAC-SHA256 with secret over the decimal
// timestamp, a dot and the body. Signing the timestamp lets a receiver
// refuse old requests replayed at it.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Envelope is the JSON body of every delivery. ID is the event's id: one
// event sent to several webhooks has one id (each delivery has its own
// X-Aftercare-Delivery).
type Envelope struct {
	ID         int64           `json:"id"`
	Event      model.EventType `json:"event"`
	OccurredAt time.Time       `json:"occurred_at"`
	Data       json.RawMessage `json:"data"`
}

// Body is the exact bytes sent (and signed) for an outbound delivery;
// every attempt sends the same bytes.
func Body(o *model.Outbound) ([]byte, error) {
	return json.Marshal(Envelope{ID: o.EventID, Event: o.Event, OccurredAt: o.OccurredAt.UTC(), Data: o.Data})
}

// newClient is the HTTP client of deliveries: no proxy from the
// environment (it would bypass the guard), the guard's dialer, a timeout
// for the whole exchange, and redirects never followed (a 3xx answer is a
// failed attempt).
func newClient(g *Guard, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           g.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          64,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   timeout,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// send makes one attempt at o and fills the outcome into a.
func (s *Service) send(ctx context.Context, o *model.Outbound, a *model.DeliveryAttempt) {
	body, err := Body(o)
	if err != nil {
		a.ErrorKind, a.Error = model.AttemptConnect, "cannot build the body: "+err.Error()
		return
	}
	ts := s.now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(body))
	if err != nil {
		a.ErrorKind, a.Error = model.AttemptConnect, err.Error()
		return
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Aftercare-Webhooks/1")
	h.Set(HeaderEvent, string(o.Event))
	h.Set(HeaderDelivery, strconv.FormatInt(o.DeliveryID, 10))
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, Sign(o.Secret, ts, body))
	start := time.Now()
	res, err := s.client.Do(req)
	if err == nil {
		// Read a little of the answer so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		res.Body.Close()
	}
	a.Duration = time.Since(start)
	if err != nil {
		a.ErrorKind, a.Error = classify(err, s.timeout)
		return
	}
	code := res.StatusCode
	a.StatusCode = &code
	switch {
	case code >= 200 && code < 300:
	case code >= 300 && code < 400:
		a.ErrorKind, a.Error = model.AttemptStatus, fmt.Sprintf("HTTP %d %s (redirects are not followed)", code, http.StatusText(code))
	default:
		a.ErrorKind, a.Error = model.AttemptStatus, fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	}
}

// classify turns a transport error into an attempt error.
func classify(err error, timeout time.Duration) (model.AttemptError, string) {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return model.AttemptRefused, refused.Error()
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return model.AttemptTimeout, fmt.Sprintf("no answer within %s", timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the URL is on the page already
	}
	return model.AttemptConnect, err.Error()
}

// Attempt says which try a background job is making at a delivery.
type Attempt struct {
	// Manual is a redelivery asked for by hand: sent once, whatever the
	// delivery's status.
	Manual bool
	// Final is the last automatic attempt: failing it fails the delivery.
	Final bool
	// Next is when the next automatic attempt is due if this one fails.
	Next time.Time
}

// FailedError is a failed attempt; the job runner retries on it.
type FailedError struct{ Attempt model.DeliveryAttempt }

func (e *FailedError) Error() string {
	return fmt.Sprintf("webhook delivery %d attempt %d: %s", e.Attempt.DeliveryID, e.Attempt.Attempt, e.Attempt.Error)
}

// Deliver makes one attempt at a delivery and logs it. It returns a
// *FailedError when the attempt failed, so that the job is retried, and
// nil when it succeeded or there is nothing to send: the webhook was
// deleted, an automatic retry finds the delivery already delivered by a
// redelivery, or the webhook is paused (logged as a failed attempt that a
// redelivery can repeat).
func (s *Service) Deliver(ctx context.Context, deliveryID int64, at Attempt) error {
	o, err := s.store.Outbound(ctx, deliveryID)
	if model.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if !at.Manual && o.Status != model.DeliveryPending {
		return nil
	}
	a := model.DeliveryAttempt{DeliveryID: deliveryID, Manual: at.Manual, At: s.now()}
	final := at.Final
	if !o.Active && !at.Manual {
		a.ErrorKind, a.Error, final = model.AttemptPaused, "not sent: the webhook is paused", true
	} else {
		s.send(ctx, o, &a)
	}
	var next *time.Time
	if !at.Next.IsZero() {
		next = &at.Next
	}
	if err := s.store.RecordAttempt(ctx, &a, final, next); err != nil {
		if model.IsNotFound(err) {
			return nil // deleted while sending
		}
		return err
	}
	if a.OK() || a.ErrorKind == model.AttemptPaused {
		return nil
	}
	s.log.Debug("webhook attempt failed", "delivery", deliveryID, "attempt", a.Attempt, "error", a.Error)
	return &FailedError{Attempt: a}
}
