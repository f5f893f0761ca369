package mailout

import (
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
)

// DecodeParts checks that msg is multipart/alternative with UTF-8,
// quoted-printable parts, and returns them decoded, by media type (tests
// of this package and of mailout_test share it).
func DecodeParts(t *testing.T, msg *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pt, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ps["charset"] != "UTF-8" || p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("part %s: header %v", pt, p.Header)
		}
		b, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		out[pt] = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	return out
}
