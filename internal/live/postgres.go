package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aftercare/aftercare/internal/model"
)

// Channel is the PostgreSQL notification channel live events travel on.
const Channel = "aftercare_live"

// maxPayload is the most bytes of a NOTIFY payload PostgreSQL accepts
// (8000 by default), less a margin.
const maxPayload = 7900

// Postgres is the Broker of many nodes: Publish sends the event as JSON
// with pg_notify, and every node (this one too) hears it on a dedicated
// connection that LISTENs, and hands it to its own subscribers. Events
// are best effort, as with Memory: while a node's listening connection
// is being re-established it misses them (an open page catches up when
// it next loads).
type Postgres struct {
	pool  *pgxpool.Pool
	local *Memory
	log   *slog.Logger

	once  sync.Once
	ready chan struct{} // closed once the first LISTEN is in place
}

// NewPostgres returns a broker on the database of pool. Publish works at
// once (an administrative command announces its changes to the serving
// nodes); Listen must run for this node's subscribers to hear anything.
func NewPostgres(pool *pgxpool.Pool, logger *slog.Logger) *Postgres {
	if logger == nil {
		logger = slog.Default()
	}
	return &Postgres{pool: pool, local: NewMemory(), log: logger, ready: make(chan struct{})}
}

// Publish implements Broker: one NOTIFY, delivered after the publisher's
// transaction (there is none here: it is sent at once).
func (p *Postgres) Publish(ctx context.Context, ev model.LiveEvent) error {
	data, err := encode(ev)
	if err != nil {
		return err
	}
	if _, err := p.pool.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, data); err != nil {
		return fmt.Errorf("live: notify: %w", err)
	}
	return nil
}

// encode is ev's NOTIFY payload; a name that would make it too long is
// left out (the event still says what changed).
func encode(ev model.LiveEvent) (string, error) {
	data, err := json.Marshal(ev)
	if err == nil && len(data) > maxPayload {
		ev.ByName = ""
		data, err = json.Marshal(ev)
	}
	if err != nil {
		return "", fmt.Errorf("live: encode: %w", err)
	}
	if len(data) > maxPayload {
		return "", fmt.Errorf("live: event of %d bytes is too long to notify", len(data))
	}
	return string(data), nil
}

// Subscribe implements Broker: this node's subscribers.
func (p *Postgres) Subscribe(ctx context.Context) (<-chan model.LiveEvent, error) {
	return p.local.Subscribe(ctx)
}

// Subscribers returns how many subscriptions this node has open.
func (p *Postgres) Subscribers() int { return p.local.Subscribers() }

// Ready is closed once the node listens, so that a caller can wait
// before serving pages that expect to hear changes.
func (p *Postgres) Ready() <-chan struct{} { return p.ready }

// Listen receives notifications on a connection of its own (not one of
// the pool's) until ctx ends, and reconnects with a growing pause (up to
// 5 s) when the connection is lost. It returns nil when ctx ends.
func (p *Postgres) Listen(ctx context.Context) error {
	pause := 100 * time.Millisecond
	for {
		err := p.listenOnce(ctx, func() { pause = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return nil
		}
		p.log.Warn("live: listening connection lost; reconnecting", "err", err, "in", pause)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pause):
		}
		pause = min(pause*2, 5*time.Second)
	}
}

// listenOnce connects, LISTENs and delivers notifications until the
// connection fails; listening is called once LISTEN is in place.
func (p *Postgres) listenOnce(ctx context.Context, listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, p.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	listening()
	p.once.Do(func() { close(p.ready) })
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ev model.LiveEvent
		if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
			p.log.Warn("live: unreadable notification", "err", err)
			continue
		}
		_ = p.local.Publish(ctx, ev)
	}
}

// WaitReady waits up to d for the node to listen.
func (p *Postgres) WaitReady(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return fmt.Errorf("live: not listening after %s", d)
	}
}
