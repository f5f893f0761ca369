package web_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestPortalPhoneMedia: a customer replies from a phone with what a phone
// makes — an iPhone video (QuickTime MOV) and photo (HEIC) — and each is
// kept with its kind; a file of a kind nobody can open here is refused in
// a sentence of the reader's language naming what may be sent, never a
// MIME type, and the reply typed stays in the box. Nothing of a refused
// reply is stored.
func TestPortalPhoneMedia(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mov := append([]byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "), bytes.Repeat([]byte{0}, 600)...)
	heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), bytes.Repeat([]byte{0}, 600)...)
	cust := newClient(t, f.m, "en")
	cust.loginCustomer("alice@example.com")
	page := "/portal/requests/" + f.aliceReq.Number
	for _, file := range []struct {
		name, kind string
		content    []byte
	}{{"IMG_0001.MOV", "video/quicktime", mov}, {"IMG_0002.HEIC", "image/heic", heic}} {
		if res := cust.multipart(page+"/reply", map[string]string{"body": "See " + file.name}, file.name, file.content); res.status != http.StatusSeeOther {
			t.Fatalf("reply with %s: got %d, want 303\n%.2000s", file.name, res.status, res.body)
		}
	}
	atts, err := f.m.Store.Attachments(ctx, f.aliceReq.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, a := range atts {
		kinds = append(kinds, a.Filename+" "+a.ContentType)
	}
	slices.Sort(kinds)
	if want := []string{"IMG_0001.MOV video/quicktime", "IMG_0002.HEIC image/heic"}; !slices.Equal(kinds, want) {
		t.Errorf("attachments kept: %v, want %v", kinds, want)
	}
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 600)...)
	for lang, want := range map[string]string{"en": "This kind of file cannot be attached. Send a photo", "zh-CN": "无法添加这种文件。请发送照片"} {
		c := newClient(t, f.m, lang)
		c.loginCustomer("alice@example.com")
		res := c.multipart(page+"/reply", map[string]string{"body": "Here is the tool " + lang}, "setup.exe", exe)
		expect(t, lang+" refused file", res, http.StatusUnprocessableEntity, []string{want, "Here is the tool " + lang}, nil)
		for _, msg := range regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<`).FindAllStringSubmatch(res.body, -1) {
			if strings.Contains(msg[1], "/") {
				t.Errorf("%s: the refusal names a MIME type: %q", lang, msg[1])
			}
		}
	}
	if after, err := f.m.Store.Attachments(ctx, f.aliceReq.ID); err != nil || len(after) != len(atts) {
		t.Errorf("attachments after the refused replies: %d %v, want %d", len(after), err, len(atts))
	}
}
