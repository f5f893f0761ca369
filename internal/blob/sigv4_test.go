package blob

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSignerPublishedVectors: requests are signed exactly as AWS
// documents, so a real S3-compatible store accepts them (the in-process
// test server does not check signatures). The expected values are AWS's
// published examples:
//   - "get-vanilla" of the Signature Version 4 test suite
//     (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html,
//     files get-vanilla.req and get-vanilla.authz; also in
//     aws/aws-sdk-* and awslabs/aws-c-auth test data);
//   - "Example: GET Object" and "Example: PUT Object" of "Signature
//     Calculations for the Authorization Header: Transferring Payload in
//     a Single Chunk" in the Amazon S3 API Reference
//     (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
func TestSignerPublishedVectors(t *testing.T) {
	s3Example := signer{accessKey: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "s3"}
	s3Day := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, method, url string
		header            map[string]string
		sig               signer
		payload           string
		at                time.Time
		want              string
	}{{
		name: "get-vanilla", method: "GET", url: "https://example.amazonaws.com/",
		sig:     signer{accessKey: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "service"},
		payload: emptySHA256, at: time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC),
		want: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
			"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
	}, {
		name: "S3 GET Object", method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
		header: map[string]string{"Range": "bytes=0-9", "X-Amz-Content-Sha256": emptySHA256},
		sig:    s3Example, payload: emptySHA256, at: s3Day,
		want: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
			"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
	}, {
		// Body "Welcome to Amazon S3."; the path's "$" is encoded.
		name: "S3 PUT Object", method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test$file.text",
		header: map[string]string{"Date": "Fri, 24 May 2013 00:00:00 GMT", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY",
			"X-Amz-Content-Sha256": "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"},
		sig: s3Example, payload: "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", at: s3Day,
		want: "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
			"SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
	}} {
		req, err := http.NewRequest(c.method, c.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		c.sig.sign(req, c.payload, c.at)
		if got := req.Header.Get("Authorization"); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
		if got := req.Header.Get("X-Amz-Date"); got != c.at.Format("20060102T150405Z") {
			t.Errorf("%s: X-Amz-Date %q", c.name, got)
		}
	}
}

// TestUriEncode: SigV4 keeps only the unreserved characters and writes
// upper-case hex, one byte at a time (UTF-8 of 维修 too).
func TestUriEncode(t *testing.T) {
	for in, want := range map[string]string{
		"abc-XYZ_0.9~": "abc-XYZ_0.9~", "a b": "a%20b", "$": "%24", "+/=": "%2B%2F%3D", "维": "%E7%BB%B4",
	} {
		if got := uriEncode(in); got != want {
			t.Errorf("uriEncode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := canonicalQuery(map[string][]string{"a-b": {"1"}, "a": {"2", "1"}}); !strings.HasPrefix(got, "a=1&a=2&a-b=1") {
		t.Errorf("canonical query %q: want sorted by name, then value", got)
	}
}
