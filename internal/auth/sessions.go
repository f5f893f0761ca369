package auth

import (
	"context"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Session keys the web UI stores the logged-in principal under. The
// session store reads them to index sessions by principal.
const (
	SessionKind = "kind"
	SessionID   = "id"
)

// SessionStore keeps scs sessions in the Aftercare database, so sessions
// work across nodes on PostgreSQL. It stores only the SHA-256 of each
// session token (the token has 256 random bits, so a plain hash is enough
// and checks cost microseconds): whoever reads the database or a backup
// cannot reuse a live session. Each row also records whose session it is,
// so that a password reset can end all of a customer's sessions.
type SessionStore struct{ Store *store.Store }

// FindCtx implements scs.CtxStore.
func (s SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.Store.SessionFind(ctx, HashSecret(token))
}

// CommitCtx implements scs.CtxStore.
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	kind, id := sessionPrincipal(b)
	return s.Store.SessionCommit(ctx, HashSecret(token), b, expiry.UTC(), kind, id)
}

// DeleteCtx implements scs.CtxStore.
func (s SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.Store.SessionDelete(ctx, HashSecret(token))
}

// Find implements scs.Store.
func (s SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// sessionPrincipal reads whose session b is (scs's default gob encoding);
// a visitor's session, or one that does not decode, belongs to nobody.
func sessionPrincipal(b []byte) (model.PrincipalKind, int64) {
	_, values, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return "", 0
	}
	kind, _ := values[SessionKind].(string)
	id, _ := values[SessionID].(int64)
	if id == 0 {
		return "", 0
	}
	return model.PrincipalKind(kind), id
}
