package request_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// keysKept is a file store that remembers which keys it holds, so that a
// test sees a file left behind.
type keysKept struct {
	blob.Store
	mu   sync.Mutex
	keys map[string]bool
}

func (k *keysKept) Put(ctx context.Context, key string, r io.Reader) error {
	err := k.Store.Put(ctx, key, r)
	if err == nil {
		k.mu.Lock()
		k.keys[key] = true
		k.mu.Unlock()
	}
	return err
}

func (k *keysKept) Delete(ctx context.Context, key string) error {
	err := k.Store.Delete(ctx, key)
	if err == nil {
		k.mu.Lock()
		delete(k.keys, key)
		k.mu.Unlock()
	}
	return err
}

func (k *keysKept) held() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Sorted(maps.Keys(k.keys))
}

// TestCreateWithFiles: a request opened with files has them on its
// timeline (a first public message of the customer), readable by that
// customer and by no other; when the request cannot be written (a serial
// that is not the customer's, more files than a request may hold),
// nothing is: no request, no attachment row, no file in the file store.
func TestCreateWithFiles(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), bytes.Repeat([]byte{0}, 600)...)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			var files blob.Store = blob.NewDir(t.TempDir())
			if d == store.Postgres {
				files = e.st.Blobs()
			}
			kept := &keysKept{Store: files, keys: map[string]bool{}}
			newSvc := func(lim request.Limits) *request.Service {
				return request.NewService(e.st, request.Options{ReopenPeriod: 24 * time.Hour, AttachmentDir: t.TempDir(),
					Blobs: kept, Limits: lim, Now: func() time.Time { return *e.now }})
			}
			svc := newSvc(request.Limits{})
			stage := func(svc *request.Service) []*request.Staged {
				var out []*request.Staged
				for name, content := range map[string][]byte{"screen.png": png, "IMG_0042.HEIC": heic} {
					f, err := svc.Stage(name, bytes.NewReader(content))
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, f)
				}
				return out
			}
			r, err := svc.Create(ctx, e.alice, request.CreateInput{Type: model.TypeRepair, Subject: "屏幕碎了",
				Via: model.ChannelWeb, Files: stage(svc)})
			if err != nil {
				t.Fatal(err)
			}
			v, err := svc.Get(ctx, e.alice, r.Number)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Messages) != 1 || v.Messages[0].AuthorKind != model.AuthorCustomer || v.Messages[0].Visibility != model.VisibilityPublic {
				t.Fatalf("messages after creating with files: %+v", v.Messages)
			}
			var names []string
			for _, a := range v.Messages[0].Attachments {
				names = append(names, a.Filename)
				got, f, err := svc.Open(ctx, e.alice, a.ID)
				if err != nil {
					t.Fatalf("the customer opens %s: %v", a.Filename, err)
				}
				f.Close()
				if got.UploaderKind != model.AuthorCustomer {
					t.Errorf("%s uploaded by %s, want the customer", a.Filename, got.UploaderKind)
				}
				if _, _, err := svc.Open(ctx, e.bob, a.ID); !model.IsNotFound(err) {
					t.Errorf("another customer opens %s: %v, want not found", a.Filename, err)
				}
			}
			slices.Sort(names)
			if want := []string{"IMG_0042.HEIC", "screen.png"}; !slices.Equal(names, want) {
				t.Errorf("files on the timeline: %v, want %v", names, want)
			}
			if n := len(kept.held()); n != 2 {
				t.Errorf("files stored: %d, want 2", n)
			}

			count := func() (requests, atts int) {
				if err := e.st.Read().QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM requests), (SELECT COUNT(*) FROM attachments)").Scan(&requests, &atts); err != nil {
					t.Fatal(err)
				}
				return requests, atts
			}
			reqs, atts := count()
			held := kept.held()
			oneFile := newSvc(request.Limits{FilesPerRequest: 1, BytesPerRequest: 1 << 20, CustomerBytesPerDay: 1 << 20})
			for name, c := range map[string]struct {
				svc *request.Service
				in  request.CreateInput
			}{
				"a serial that is not hers": {svc, request.CreateInput{Type: model.TypeRepair, Subject: "x", Serial: "NOT-HERS"}},
				"more files than allowed":   {oneFile, request.CreateInput{Type: model.TypeRepair, Subject: "x"}},
			} {
				c.in.Files = stage(c.svc)
				if _, err := c.svc.Create(ctx, e.alice, c.in); model.ErrorCode(err) != model.EINVALID && model.ErrorCode(err) != model.ETOOLARGE {
					t.Errorf("%s: got %v, want refused", name, err)
				}
				if r2, a2 := count(); r2 != reqs || a2 != atts {
					t.Errorf("%s: requests %d → %d, attachment rows %d → %d; want none added", name, reqs, r2, atts, a2)
				}
				if after := kept.held(); !slices.Equal(after, held) {
					t.Errorf("%s: files left in the store: %v, want %v", name, after, held)
				}
			}
		})
	}
}
