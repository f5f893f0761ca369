package blobtest

import (
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3Server is a real S3 protocol server (gofakes3 over memory) on
// 127.0.0.1 with one empty bucket, closed when the test ends. It does not
// check signatures: the signer has its own test against AWS's published
// examples.
type S3Server struct {
	// URL is a --blob-url for the bucket, with the key prefix "files/"
	// ("s3://test:test-secret@127.0.0.1:…/bucket/files?tls=false").
	URL    string
	Bucket string
	mem    *s3mem.Backend
}

// StartS3 starts an S3Server.
func StartS3(tb testing.TB) *S3Server {
	tb.Helper()
	mem := s3mem.New()
	const bucket = "aftercare-test"
	if err := mem.CreateBucket(bucket); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	tb.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	return &S3Server{URL: "s3://test:test-secret@" + host + "/" + bucket + "/files?tls=false", Bucket: bucket, mem: mem}
}

// Objects lists the keys of the bucket's objects, sorted.
func (s *S3Server) Objects(tb testing.TB) []string {
	tb.Helper()
	list, err := s.mem.ListBucket(s.Bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		tb.Fatalf("list bucket: %v", err)
	}
	var keys []string
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	sort.Strings(keys)
	return keys
}
