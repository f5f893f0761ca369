package config

import (
	"strings"
	"testing"
)

// TestBlobURL: --blob-url (or AFTERCARE_BLOB_URL) names an object store;
// keys come from the URL or from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY; a bad one is a start-up error naming the flag
// that never shows the secret, nor does --help.
func TestBlobURL(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil || c.BlobURL != "" {
		t.Fatalf("default: got %q, %v; want no object store", c.BlobURL, err)
	}
	c, err = parse(t, map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "s3cr3t-key"},
		"--blob-url", "s3://minio.internal:9000/aftercare?tls=false")
	if err != nil {
		t.Fatalf("keys from the environment: %v", err)
	}
	if s, err := c.BlobStore(); err != nil || s.String() != "http://minio.internal:9000/aftercare" {
		t.Errorf("store: got %v, %v", s, err)
	}
	if c, err := parse(t, map[string]string{"AFTERCARE_BLOB_URL": "s3://AK:s3cr3t-key@h/bucket"}); err != nil || c.BlobURL == "" {
		t.Errorf("AFTERCARE_BLOB_URL: got %q, %v", c.BlobURL, err)
	}
	for _, bad := range []string{
		"https://AK:s3cr3t-key@h/bucket", "s3://AK:s3cr3t-key@h/", "s3://AK:s3cr3t-key@h/bucket?tls=no-way",
		"s3://h/bucket", "s3://AK:s3cr3t-key@h:x:y/bucket", "s3://AK:s3cr3t-key@h/bucket?acl=public",
	} {
		_, err := parse(t, nil, "--blob-url", bad)
		if err == nil || !strings.Contains(err.Error(), "--blob-url") {
			t.Errorf("%s: got %v, want an error naming --blob-url", bad, err)
		} else if strings.Contains(err.Error(), "s3cr3t-key") {
			t.Errorf("%s: the error shows the secret: %v", bad, err)
		}
	}

	_, _, help := helpWith("AFTERCARE_BLOB_URL", "s3://AK:s3cr3t-key@h/bucket")
	if strings.Contains(help, "s3cr3t-key") || !strings.Contains(help, "-blob-url") {
		t.Errorf("--help: got\n%s\nwant --blob-url without the secret", help)
	}
}
