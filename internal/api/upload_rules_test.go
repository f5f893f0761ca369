package api_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
)

// uploadOK uploads a small PNG as token and returns the attachment.
func uploadOK(t *testing.T, f *fixture, token, number, name string) api.Attachment {
	t.Helper()
	res := upload(t, f, token, number, name, pngBytes(300))
	if res.Status != http.StatusCreated {
		t.Fatalf("upload %s: got %d: %s", name, res.Status, res.Body)
	}
	var a api.Attachment
	res.JSON(t, &a)
	return a
}

// TestUploadVisibility guards finding 1: a customer may download only
// files on public messages and its own uploads, and may link only its own
// uploads; staff uploads for notes, or left unlinked, never reach the
// customer, whatever id the customer tries.
func TestUploadVisibility(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r := f.newRequest(t, f.aliceID, "Lens error")
		get := func(id int64) string { return fmt.Sprintf("/api/v1/attachments/%d", id) }

		// A staff upload not yet on any message (a note being written, or
		// a web reply that failed after the upload).
		pending := uploadOK(t, f, f.agent, r.Number, "internal-pricing.png")
		f.mustStatus(t, http.StatusNotFound, "GET", get(pending.ID), f.alice, nil)
		f.mustStatus(t, http.StatusOK, "GET", get(pending.ID), f.tech, nil)

		// The customer cannot link the staff upload into its own public
		// message (which would publish it), and nothing is written.
		msgs := f.count(t, "messages")
		f.Run(t, apitest.Scenario{Name: "customer links a staff upload", Method: "POST", Path: "/api/v1/requests/" + r.Number + "/messages",
			Token: f.alice, Body: map[string]any{"body": "look", "attachment_ids": []int64{pending.ID}},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.attachment_ids[0]"`}})
		if n := f.count(t, "messages"); n != msgs {
			t.Errorf("messages after a refused link: got %d, want %d", n, msgs)
		}
		f.mustStatus(t, http.StatusNotFound, "GET", get(pending.ID), f.alice, nil)

		// Staff put it on an internal note: still hidden from the customer.
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.agent,
			map[string]any{"body": "cost price list", "visibility": "internal", "attachment_ids": []int64{pending.ID}})
		f.mustStatus(t, http.StatusNotFound, "GET", get(pending.ID), f.alice, nil)

		// The customer's own upload: downloadable by the customer before it
		// is on a message, not linkable by staff (it is the customer's to
		// send), and once the customer sends it, public.
		own := uploadOK(t, f, f.alice, r.Number, "my-receipt.png")
		f.mustStatus(t, http.StatusOK, "GET", get(own.ID), f.alice, nil)
		f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/requests/"+r.Number+"/messages", f.agent,
			map[string]any{"body": "attaching the customer's file to a note", "visibility": "internal", "attachment_ids": []int64{own.ID}})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.alice,
			map[string]any{"body": "receipt", "attachment_ids": []int64{own.ID}})

		// Another customer never sees either.
		f.mustStatus(t, http.StatusNotFound, "GET", get(own.ID), f.bob, nil)
		f.mustStatus(t, http.StatusNotFound, "GET", get(pending.ID), f.bob, nil)

		// A staff file on a public reply is the customer's to read.
		shared := uploadOK(t, f, f.agent, r.Number, "label.png")
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.agent,
			map[string]any{"body": "print this label", "attachment_ids": []int64{shared.ID}})
		f.mustStatus(t, http.StatusOK, "GET", get(shared.ID), f.alice, nil)

		// Who uploaded each file is recorded.
		for id, want := range map[int64]model.AuthorKind{pending.ID: model.AuthorStaff, own.ID: model.AuthorCustomer} {
			a, err := f.Store.AttachmentByID(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if a.UploaderKind != want || a.UploaderID == nil {
				t.Errorf("attachment %d: uploader %s %v, want %s", id, a.UploaderKind, a.UploaderID, want)
			}
		}
	})
}

// TestUploadLimits guards finding 9: 50 files per request, 200 MiB per
// request, 100 MiB per customer per day, nothing to a cancelled request;
// each refusal is a clear problem and keeps nothing.
func TestUploadLimits(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r := f.newRequest(t, f.aliceID, "Many photos")
		for i := range 50 {
			uploadOK(t, f, f.alice, r.Number, fmt.Sprintf("p%02d.png", i))
		}
		rows := f.count(t, "attachments")
		res := upload(t, f, f.agent, r.Number, "p51.png", pngBytes(300))
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("51st file: got %d, want 422: %s", res.Status, res.Body)
		}
		if p := decodeProblem(t, res); len(p.Errors) == 0 || p.Errors[0].Location != "body.file" || p.Errors[0].Message != "a request can hold at most 50 files" {
			t.Errorf("51st file: got %+v", p.Errors)
		}
		if n := f.count(t, "attachments"); n != rows {
			t.Errorf("attachments after refusal: got %d, want %d", n, rows)
		}

		// Bytes per request: 190 MiB recorded (a file's row is what counts),
		// then a 11 MiB upload passes the limit.
		big := f.newRequest(t, f.bobID, "Video of the noise")
		agent := store.Actor{Kind: model.AuthorStaff, ID: &f.agentID, Name: "agent", Channel: model.ChannelAPI}
		if err := f.Store.CreateAttachment(ctx, big.Number, &model.Attachment{Filename: "video.mp4", ContentType: "video/mp4",
			Size: 190 << 20, SHA256: "x", Path: "none"}, agent, store.UploadLimits{}); err != nil {
			t.Fatal(err)
		}
		res = upload(t, f, f.agent, big.Number, "more.png", pngBytes(11<<20))
		if res.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("over 200 MiB per request: got %d, want 413: %s", res.Status, res.Body)
		}
		if p := decodeProblem(t, res); len(p.Errors) == 0 || p.Errors[0].Message != "a request can hold at most 200 MiB of files" {
			t.Errorf("over 200 MiB per request: got %+v", p.Errors)
		}
		uploadOK(t, f, f.agent, big.Number, "small.png") // what fits still goes in

		// Bytes per customer per day: Bob uploaded 95 MiB today elsewhere.
		other := f.newRequest(t, f.bobID, "Other request")
		bob := store.Actor{Kind: model.AuthorCustomer, ID: &f.bobID, Name: "Bob", Channel: model.ChannelAPI}
		if err := f.Store.CreateAttachment(ctx, other.Number, &model.Attachment{Filename: "a.mp4", ContentType: "video/mp4",
			Size: 95 << 20, SHA256: "y", Path: "none"}, bob, store.UploadLimits{}); err != nil {
			t.Fatal(err)
		}
		third := f.newRequest(t, f.bobID, "Third request")
		res = upload(t, f, f.bob, third.Number, "c.png", pngBytes(6<<20))
		if res.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("over 100 MiB a day: got %d, want 413: %s", res.Status, res.Body)
		}
		if p := decodeProblem(t, res); len(p.Errors) == 0 || p.Errors[0].Message != "you can upload at most 100 MiB of files a day" {
			t.Errorf("over 100 MiB a day: got %+v", p.Errors)
		}
		uploadOK(t, f, f.agent, third.Number, "staff-file.png") // staff uploads do not count against Bob

		// A cancelled request takes no files, from anyone.
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+third.Number+"/status", f.bob, map[string]any{"status": "cancelled"})
		for _, token := range []string{f.bob, f.agent} {
			res = upload(t, f, token, third.Number, "late.png", pngBytes(300))
			if res.Status != http.StatusConflict {
				t.Errorf("upload to a cancelled request: got %d, want 409: %s", res.Status, res.Body)
			}
		}
		// Nothing refused left a file behind.
		names := apptest.StoredFiles(t, f.Main)
		var stored int
		if err := f.Store.Read().QueryRow(ctx, "SELECT COUNT(*) FROM attachments WHERE path <> 'none'").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if len(names) != stored {
			t.Errorf("files on disk: got %d, want %d (one per stored attachment): %v", len(names), stored, names)
		}
	})
}

// TestUnlinkedUploadsCleanedUp guards finding 1's clean-up: uploads never
// linked to a message are deleted (row and file) after 24 hours; linked
// ones and recent ones stay.
func TestUnlinkedUploadsCleanedUp(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r := f.newRequest(t, f.aliceID, "Photos")
		stale := uploadOK(t, f, f.alice, r.Number, "forgotten.png")
		kept := uploadOK(t, f, f.alice, r.Number, "sent.png")
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.alice,
			map[string]any{"body": "photo", "attachment_ids": []int64{kept.ID}})
		path := func(id int64) string {
			a, err := f.Store.AttachmentByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return a.Path
		}
		stalePath, keptPath := path(stale.ID), path(kept.ID)

		// Nothing is old enough yet.
		if n, err := f.Requests.DeleteUnlinked(ctx); err != nil || n != 0 {
			t.Fatalf("clean-up of fresh uploads: removed %d, %v", n, err)
		}
		// A day later, the stale upload goes.
		later := request.NewService(f.Store, request.Options{AttachmentDir: f.Config.AttachmentDir(), Blobs: f.Files,
			Now: func() time.Time { return time.Now().Add(25 * time.Hour) }})
		if n, err := later.DeleteUnlinked(ctx); err != nil || n != 1 {
			t.Fatalf("clean-up a day later: removed %d, %v; want 1", n, err)
		}
		if _, err := f.Store.AttachmentByID(ctx, stale.ID); !model.IsNotFound(err) {
			t.Errorf("stale upload row: %v, want not found", err)
		}
		if _, err := f.Files.Open(ctx, stalePath); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale upload file: %v, want removed", err)
		}
		if _, err := blob.ReadAll(ctx, f.Files, keptPath); err != nil {
			t.Errorf("linked upload file: %v", err)
		}
		f.mustStatus(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/attachments/%d", kept.ID), f.alice, nil)
	})
}
