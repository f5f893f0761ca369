package blob_test

import (
	"context"
	"net"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/blob/blobtest"
)

func newS3(t *testing.T, raw string) *blob.S3 {
	t.Helper()
	s, err := blob.NewS3(raw, blob.Credentials{})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	s.TempDir = t.TempDir()
	return s
}

// TestS3: the object store keeps the blob promises against a real S3
// protocol server, under the URL's key prefix.
func TestS3(t *testing.T) {
	srv := blobtest.StartS3(t)
	s := newS3(t, srv.URL+"&region=eu-west-1")
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("check: %v", err)
	}
	blobtest.Run(t, s)

	if err := s.Put(context.Background(), "9/x-1", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	if got := srv.Objects(t); !slices.Contains(got, "files/9/x-1") {
		t.Errorf("objects %v: want files/9/x-1 (under the prefix)", got)
	}
	if got, err := blob.ReadAll(context.Background(), s, "9/x-1"); err != nil || string(got) != "hello" {
		t.Errorf("read back %q, %v; want hello", got, err)
	}
	if entries, _ := os.ReadDir(s.TempDir); len(entries) != 0 {
		t.Errorf("spool directory keeps %d files, want none", len(entries))
	}
}

// TestS3Check: a missing bucket fails at start-up with its name.
func TestS3Check(t *testing.T) {
	srv := blobtest.StartS3(t)
	s := newS3(t, strings.Replace(srv.URL, "/"+srv.Bucket+"/", "/nosuchbucket/", 1))
	if err := s.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "nosuchbucket") {
		t.Errorf("check of a missing bucket: got %v, want an error naming it", err)
	}
}

// TestNewS3: the URL form, its defaults and its errors; the secret is
// never in an error or the description.
func TestNewS3(t *testing.T) {
	env := blob.Credentials{AccessKey: "ENVKEY", SecretKey: "envsecret"}
	for raw, want := range map[string]string{
		"s3://K:topsecret@minio.local:9000/files?tls=false": "http://minio.local:9000/files",
		"s3://minio.local/files/a/b":                        "https://minio.local/files",
		"s3://s3.example.com/files?style=virtual":           "https://files.s3.example.com/",
		"s3://K:topsecret@h/files?region=cn-north-1":        "https://h/files",
	} {
		s, err := blob.NewS3(raw, env)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if s.String() != want {
			t.Errorf("%s: described as %q, want %q", raw, s.String(), want)
		}
	}
	for raw, want := range map[string]string{
		"https://K:topsecret@h/files":             "scheme",
		"s3://K:topsecret@h/":                     "bucket",
		"s3://K:topsecret@h/Files":                "bucket",
		"s3://K:topsecret@h/files?tls=maybe":      "tls",
		"s3://K:topsecret@h/files?regoin=x":       "regoin",
		"s3://K:topsecret@h/files?style=sideways": "style",
		"s3://K:topsecret@h/files/../x":           "prefix",
		"s3://K:topsecret@h/files?region=":        "region",
		"s3://K:@h/files":                         "ACCESS_KEY:SECRET",
		"s3://K:topsecret@[::1/files":             "URL",
		"s3://K:topsecret@/files":                 "host",
	} {
		_, err := blob.NewS3(raw, env)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error about %s", raw, err, want)
		} else if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%s: the error shows the secret: %v", raw, err)
		}
	}
	if _, err := blob.NewS3("s3://h/files", blob.Credentials{}); err == nil || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("no credentials anywhere: got %v, want an error naming AWS_ACCESS_KEY_ID", err)
	}
}

// TestS3VirtualHosted: with style=virtual the bucket is in the host name
// (bucket.s3.test), as Amazon S3 prefers; the test server takes the bucket
// from the host name, and every name is dialled at it on 127.0.0.1.
func TestS3VirtualHosted(t *testing.T) {
	mem := s3mem.New()
	if err := mem.CreateBucket("vbucket"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem, gofakes3.WithHostBucket(true)).Server())
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	s := newS3(t, "s3://k:secret@s3.test:"+port+"/vbucket/p?tls=false&style=virtual")
	asked := blob.DialAll(s, srv.Listener.Addr().String())
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("check: %v", err)
	}
	blobtest.Run(t, s)
	for _, h := range *asked {
		if h != "vbucket.s3.test:"+port {
			t.Errorf("dialled %s, want the bucket's host vbucket.s3.test:%s", h, port)
		}
	}
	list, err := mem.ListBucket("vbucket", nil, gofakes3.ListBucketPage{})
	if err != nil || len(list.Contents) == 0 || !strings.HasPrefix(list.Contents[0].Key, "p/") {
		t.Errorf("objects in the bucket: %v, %v; want them under p/", list, err)
	}
}
