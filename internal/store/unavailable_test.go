package store_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// within runs fn and fails tb if it has not returned after 20 s: a store
// call must fail, not stall, when the database is gone. (No context
// deadline is used on purpose: it would turn a stall into a timeout
// error and hide it.)
func within(tb testing.TB, what string, fn func() error) error {
	tb.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		tb.Fatalf("%s: no answer after 20 s", what)
		return nil
	}
}

// TestPostgresGoesAway takes the PostgreSQL server away from an open
// store (through a proxy) and brings it back: while it is away, reads
// and transactions fail with EUNAVAILABLE (a 503 for users, not a 500);
// when it is back, the same store works again without being reopened.
func TestPostgresGoesAway(t *testing.T) {
	ctx := context.Background()
	dbURL, proxy := storetest.ProxiedPostgresURL(t)
	s := storetest.OpenWith(t, store.Options{DatabaseURL: dbURL})
	c := &model.Customer{Name: "before"}
	if err := s.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	sys := store.Actor{Kind: model.AuthorSystem, Name: "test", Channel: model.ChannelAPI}
	r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
		Channel: model.ChannelAPI, Subject: "x", CustomerID: c.ID}, sys)
	if err != nil {
		t.Fatal(err)
	}

	// A result set cut off mid-way: far more rows than the sockets buffer.
	rows, err := s.Read().Query(ctx, "SELECT generate_series(1, 2000000)")
	if err != nil || !rows.Next() {
		t.Fatalf("start a long result set: %v", err)
	}
	proxy.Down()
	for rows.Next() {
	}
	rows.Close()
	if got := model.ErrorCode(rows.Err()); got != model.EUNAVAILABLE {
		t.Errorf("result set cut off by the outage: got code %q (%v), want %q", got, rows.Err(), model.EUNAVAILABLE)
	}

	ops := []struct {
		name string
		fn   func() error
	}{
		{"ping", func() error { return s.Ping(ctx) }},
		{"read one row", func() error { _, err := s.RequestByNumber(ctx, r.Number); return err }},
		{"read rows", func() error { _, err := s.Messages(ctx, r.ID, true); return err }},
		{"transaction", func() error { return s.CreateCustomer(ctx, &model.Customer{Name: "while down"}) }},
		{"transaction with reads", func() error {
			return s.AddMessage(ctx, r.Number, &model.Message{AuthorKind: model.AuthorSystem, Visibility: model.VisibilityPublic,
				Channel: model.ChannelAPI, Body: "while down"}, nil, nil, sys, store.UploadLimits{})
		}},
	}
	for round := range 2 { // the first round meets the dropped connections, the second refused connects
		for _, op := range ops {
			err := within(t, op.name, op.fn)
			if got := model.ErrorCode(err); got != model.EUNAVAILABLE {
				t.Errorf("round %d, %s while down: got code %q (%v), want %q", round, op.name, got, err, model.EUNAVAILABLE)
			}
		}
	}

	proxy.Up(t)
	// The pool may still hold a connection dropped by the outage; a call
	// that meets it fails as unavailable and the next one reconnects.
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		err := within(t, "create after the outage", func() error {
			return s.CreateCustomer(ctx, &model.Customer{Name: fmt.Sprintf("after %d", i)})
		})
		if err == nil {
			break
		}
		if code := model.ErrorCode(err); code != model.EUNAVAILABLE || time.Now().After(deadline) {
			t.Fatalf("create after the outage: got %q (%v), want success", code, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got, err := s.RequestByNumber(ctx, r.Number); err != nil || got.Subject != "x" {
		t.Fatalf("read after the outage: got %+v, %v", got, err)
	}
}

// TestConnectTimeout opens a store on a server that accepts connections
// and never answers: Open must give up with EUNAVAILABLE (the connect
// timeout) instead of waiting forever.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn // accepted, never answered
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	err = within(t, "open on a silent server", func() error {
		s, err := store.Open(context.Background(), store.Options{
			DatabaseURL:    "postgres://nobody@" + ln.Addr().String() + "/none?sslmode=disable",
			ConnectTimeout: 200 * time.Millisecond,
		})
		if err == nil {
			s.Close()
		}
		return err
	})
	if got := model.ErrorCode(err); got != model.EUNAVAILABLE {
		t.Fatalf("open on a silent server: got code %q (%v), want %q", got, err, model.EUNAVAILABLE)
	}
}
