package request_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// failingReader yields data, then fails with err.
func failingReader(data []byte, err error) io.Reader {
	return io.MultiReader(bytes.NewReader(data), readerFunc(func([]byte) (int, error) { return 0, err }))
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestUploadReadErrors checks that content the client cut short is the
// client's error (invalid, at the file field) rather than an internal
// one, that going over the request's size limit stays detectable as such
// (the handlers answer 413), and that nothing is kept either way.
func TestUploadReadErrors(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 2000)...)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			r, err := e.svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "x"})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name        string
				content     io.Reader
				wantCode    string
				wantMaxByte bool
			}{
				{"cut short in the first 512 bytes", failingReader(png[:100], io.ErrUnexpectedEOF), model.EINVALID, false},
				{"cut short later", failingReader(png[:1500], io.ErrUnexpectedEOF), model.EINVALID, false},
				{"connection reset", failingReader(png[:600], errors.New("connection reset by peer")), model.EINVALID, false},
				{"over the request limit", failingReader(png[:1500], &http.MaxBytesError{Limit: 1000}), model.EINTERNAL, true},
			} {
				t.Run(c.name, func(t *testing.T) {
					a, err := e.svc.Upload(ctx, e.alice, r.Number, "photo.png", c.content, model.ChannelWeb)
					if a != nil || err == nil {
						t.Fatalf("got %+v, %v, want an error", a, err)
					}
					var me *model.Error
					if got := model.ErrorCode(err); got != c.wantCode {
						t.Errorf("got code %q (%v), want %q", got, err, c.wantCode)
					}
					if c.wantCode == model.EINVALID && (!errors.As(err, &me) || me.Field != "file") {
						t.Errorf("got %v, want an error at the file field", err)
					}
					var mbe *http.MaxBytesError
					if got := errors.As(err, &mbe); got != c.wantMaxByte {
						t.Errorf("got MaxBytesError %v (%v), want %v", got, err, c.wantMaxByte)
					}
					var n int
					if err := e.st.Read().QueryRow(ctx, "SELECT count(*) FROM attachments").Scan(&n); err != nil || n != 0 {
						t.Errorf("attachments: got %d rows (%v), want 0", n, err)
					}
				})
			}
		})
	}
}

// TestUploadFileNameText checks that a file name PostgreSQL cannot store
// (bytes that are not UTF-8, as a GBK client sends, or a NUL) is refused
// at the file field before anything is written, on both stores.
func TestUploadFileNameText(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			r, err := e.svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "x"})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"\xb1\xa8\xb8\xe6.png", "photo\x00.png"} {
				_, err := e.svc.Upload(ctx, e.alice, r.Number, name, bytes.NewReader(png), model.ChannelWeb)
				var me *model.Error
				if !errors.As(err, &me) || me.Code != model.EINVALID || me.Field != "file" {
					t.Errorf("upload %q: got %v, want invalid at the file field", name, err)
				}
			}
			if a, err := e.svc.Upload(ctx, e.alice, r.Number, "报告.png", bytes.NewReader(png), model.ChannelWeb); err != nil || a.Filename != "报告.png" {
				t.Errorf("upload with a UTF-8 name: got %+v, %v", a, err)
			}
		})
	}
}
