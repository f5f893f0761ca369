package testenv

import (
	"context"
	"sync"
	"time"
)

// Inbox is an auth.SignupMailer for tests: it keeps the last verification
// code sent to each address, as the person's mailbox would, so a test can
// type it where the person would. Safe for concurrent use.
type Inbox struct {
	mu    sync.Mutex
	codes map[string]string
}

// SendSignupCode keeps code as the latest for email.
func (b *Inbox) SendSignupCode(_ context.Context, email, _, _, code string, _ time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.codes == nil {
		b.codes = map[string]string{}
	}
	b.codes[email] = code
	return nil
}

// Code returns the latest code sent to email, or "".
func (b *Inbox) Code(email string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.codes[email]
}
