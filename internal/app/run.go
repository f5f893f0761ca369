// Running and stopping: serve until the context ends, then drain and
// stop gracefully.

package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/aftercare/aftercare/internal/live"
)

// Run starts background jobs and serves HTTP (and SMTP, with
// --smtp-listen) until ctx ends, then stops gracefully (see stop).
func (m *Main) Run(ctx context.Context) error {
	if pg, ok := m.Live.(*live.Postgres); ok {
		// Listen before serving, so that a page that opens its event
		// stream hears every change made after it (on any node).
		lctx, stop := context.WithCancel(ctx)
		defer stop()
		go pg.Listen(lctx)
		if err := pg.WaitReady(ctx, 10*time.Second); err != nil {
			m.Logger.Warn("live updates across nodes are not flowing yet", "err", err)
		}
	}
	if err := m.jobs.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	// Start-up (migrations, templates checked, models decoded) allocated
	// several times what the idle server keeps (a peak of 44 MB against
	// 7 MB live): give it back now, not whenever the scavenger gets to it.
	debug.FreeOSMemory()
	// And the code it ran once: most of the binary's resident pages
	// (README "Memory").
	if n, err := releaseCode(); err != nil {
		m.Logger.Debug("code pages kept", "err", err)
	} else {
		m.Logger.Debug("code pages released", "mapped_bytes", n)
	}
	idleCtx, stopIdle := context.WithCancel(ctx)
	defer stopIdle()
	go releaseWhenIdle(idleCtx)
	errc := make(chan error, 2)
	go func() { errc <- m.server.Serve(m.listener) }()
	if m.smtp != nil {
		go func() {
			if err := m.smtp.Serve(); err != nil {
				errc <- fmt.Errorf("smtp: %w", err)
			}
		}()
	}
	var runErr error
	select {
	case runErr = <-errc:
	case <-ctx.Done():
		m.drain(errc)
	}
	err := m.stop(context.WithoutCancel(ctx))
	if runErr != nil && !errors.Is(runErr, http.ErrServerClosed) {
		err = errors.Join(runErr, err) // a listener failed: the app stops
	}
	return err
}

// drain is the first step of a graceful stop: for --drain-delay /healthz
// answers 503 "draining" while everything else is still served, so that a
// load balancer's health checks take the node out before it stops
// accepting. A listener failing meanwhile cuts the wait short.
func (m *Main) drain(errc <-chan error) {
	m.draining.Store(true)
	if m.Config.DrainDelay <= 0 {
		return
	}
	m.Logger.Info("draining: /healthz answers 503", "for", m.Config.DrainDelay)
	t := time.NewTimer(m.Config.DrainDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case err := <-errc:
		m.Logger.Warn("listener failed while draining", "err", err)
	}
}

// stop closes the listeners and answers every connection's last request
// with "Connection: close"; open event streams end at once (clients
// reconnect, through the balancer, to another node); requests in flight
// get --shutdown-timeout to finish, after which their connections are
// closed; then the background jobs stop (River lets running jobs finish
// within what is left of the timeout).
func (m *Main) stop(ctx context.Context) error {
	m.draining.Store(true)
	shutdown, cancel := context.WithTimeout(ctx, m.Config.ShutdownTimeout)
	defer cancel()
	m.Logger.Info("stopping: finishing requests in flight", "timeout", m.Config.ShutdownTimeout)
	err := m.server.Shutdown(shutdown)
	if err != nil {
		m.Logger.Warn("requests still in flight at the shutdown timeout: closing their connections", "err", err)
		err = errors.Join(fmt.Errorf("shutdown: %w", err), m.server.Close())
	}
	if m.smtp != nil {
		err = errors.Join(err, m.smtp.Shutdown(shutdown))
	}
	if jerr := m.jobs.Stop(shutdown); jerr != nil && !errors.Is(jerr, context.Canceled) {
		err = errors.Join(err, jerr)
	}
	return err
}

// Close releases the store.
func (m *Main) Close() error {
	if m.endStreams != nil {
		m.endStreams()
	}
	if m.listener != nil {
		m.listener.Close()
	}
	if m.smtp != nil {
		m.smtp.Close()
	}
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}
