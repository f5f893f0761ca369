package blob_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/blob/blobtest"
)

// s3Server is a real S3 protocol server (gofakes3 over memory) on
// 127.0.0.1 with the bucket "files"; it does not check signatures (see
// TestSignerPublishedVectors for those).
func s3Server(t *testing.T) (*httptest.Server, *s3mem.Backend) {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("files"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	return srv, mem
}

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
// protocol server, under a key prefix, and the objects are where the
// prefix says.
func TestS3(t *testing.T) {
	srv, mem := s3Server(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	s := newS3(t, "s3://AK:SECRET@"+host+"/files/aftercare/prod?tls=false&region=eu-west-1")
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("check: %v", err)
	}
	blobtest.Run(t, s)

	if err := s.Put(context.Background(), "9/x-1", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	obj, err := mem.GetObject("files", "aftercare/prod/9/x-1", nil)
	if err != nil {
		t.Fatalf("object under the prefix: %v", err)
	}
	defer obj.Contents.Close()
	var got bytes.Buffer
	got.ReadFrom(obj.Contents)
	if got.String() != "hello" {
		t.Errorf("object content %q, want hello", got.String())
	}
}

// TestS3Check: a missing bucket fails at start-up with its name.
func TestS3Check(t *testing.T) {
	srv, _ := s3Server(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	s := newS3(t, "s3://AK:SECRET@"+host+"/nosuchbucket?tls=false")
	err := s.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "nosuchbucket") {
		t.Errorf("check of a missing bucket: got %v, want an error naming it", err)
	}
	if _, err := s.Open(context.Background(), "1/a"); err == nil {
		t.Errorf("open in a missing bucket: got %v", err)
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
