package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestUnlinkedUploadJob checks the wiring of finding 1's clean-up: a
// served app deletes, through its River job, an upload that was never
// linked to a message and is more than a day old.
func TestUnlinkedUploadJob(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	cfg.DataDir, cfg.Listen = dir, "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	setup := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := setup.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}
	c := &model.Customer{Name: "C", Email: "c@example.com"}
	if err := setup.Store.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	p := model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: "C"}
	r, err := setup.Requests.Create(ctx, p, request.CreateInput{Type: model.TypeRepair, Subject: "x", Via: model.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	a, err := setup.Requests.Upload(ctx, p, r.Number, "p.png", bytes.NewReader([]byte("\x89PNG\r\n\x1a\n0000")), "")
	if err != nil {
		t.Fatal(err)
	}
	setup.Close()

	m := apptest.Start(t, apptest.Options{
		Configure: func(c *config.Config) { c.DataDir = dir },
		Prepare:   func(m *app.Main) { m.Now = func() time.Time { return time.Now().Add(25 * time.Hour) } },
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := m.Store.AttachmentByID(ctx, a.ID)
		if model.IsNotFound(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the unlinked upload is still there after a minute: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
