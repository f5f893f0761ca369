package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// upload posts fields and one file in field fileField as
// multipart/form-data (fields first, as browsers send them).
func (c *client) upload(path string, fields [][2]string, fileField, filename string, content []byte) response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range fields {
		_ = w.WriteField(kv[0], kv[1])
	}
	if filename != "" {
		fw, _ := w.CreateFormFile(fileField, filename)
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// receiptJPEG is a small file a browser would send as a JPEG photo.
func receiptJPEG() []byte {
	return append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0x42}, 600)...)
}

// receiptHEIC starts like an iPhone photo (ISO box "ftyp", brand heic).
func receiptHEIC() []byte {
	return append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), bytes.Repeat([]byte{0}, 600)...)
}

// TestPortalRegisterProduct: a customer registers a produced serial with
// the purchase date and a photo of the receipt, sees it under My products
// by its name with its warranty, and opens a request with it chosen.
// Refusals say what is wrong beside the field, keep what was typed, and
// register nothing; another customer's product stays theirs.
func TestPortalRegisterProduct(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.m.Store.CreateProduct(ctx, &model.Product{SKU: "CAM-7", Name: "Travel Camera 7", WarrantyMonths: 24}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Store.AddSerials(ctx, "CAM-7", []string{"C7-0001", "C7-0002"}); err != nil {
		t.Fatal(err)
	}
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	expect(t, "no products yet", alice.get("/portal/products"), http.StatusOK,
		[]string{"You have not registered a product yet", `href="/portal/products/register"`}, nil)

	bought := time.Now().AddDate(0, -2, 0).Format(time.DateOnly)
	for _, tc := range []struct {
		name    string
		fields  [][2]string
		file    string
		content []byte
		status  int
		want    []string
	}{
		{"unknown serial", [][2]string{{"serial", "C7-9999"}, {"purchased_at", bought}}, "r.jpg", receiptJPEG(),
			http.StatusUnprocessableEntity, []string{"We do not know this serial number", `value="C7-9999"`, `value="` + bought + `"`}},
		{"no date", [][2]string{{"serial", "C7-0001"}, {"purchased_at", ""}}, "r.jpg", receiptJPEG(),
			http.StatusUnprocessableEntity, []string{"Please enter the date you bought it.", `value="C7-0001"`}},
		{"future date", [][2]string{{"serial", "C7-0001"}, {"purchased_at", time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}}, "r.jpg", receiptJPEG(),
			http.StatusUnprocessableEntity, []string{"The purchase date cannot be in the future."}},
		{"no proof", [][2]string{{"serial", "C7-0001"}, {"purchased_at", bought}}, "", nil,
			http.StatusUnprocessableEntity, []string{"Please add a photo of the receipt or the invoice"}},
		{"text as proof", [][2]string{{"serial", "C7-0001"}, {"purchased_at", bought}}, "r.txt", []byte("just some words"),
			http.StatusUnprocessableEntity, []string{"The proof of purchase must be a photo or a PDF."}},
	} {
		res := alice.upload("/portal/products/register", tc.fields, "proof", tc.file, tc.content)
		expect(t, tc.name, res, tc.status, tc.want, []string{"text/plain", "image/jpeg"})
	}
	if units, _ := f.m.Store.UnitsByCustomer(ctx, f.alice.ID); len(units) != 0 {
		t.Fatalf("after refusals: %d units registered, want none", len(units))
	}

	res := alice.upload("/portal/products/register", [][2]string{{"serial", " C7-0001 "}, {"purchased_at", bought}}, "proof",
		"IMG_0042.HEIC", receiptHEIC())
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/products#unit-") {
		t.Fatalf("register: %d → %q, want a redirect to My products (%s)", res.status, res.location, res.body)
	}
	until := time.Now().AddDate(0, -2, 0).AddDate(2, 0, -1).Format(time.DateOnly)
	expect(t, "my products", alice.get("/portal/products"), http.StatusOK,
		[]string{"Your product is registered.", "Travel Camera 7", "C7-0001", "In warranty until " + until,
			`href="/portal/requests/new?serial=C7-0001"`}, nil)
	expect(t, "the request form with the product chosen", alice.get("/portal/requests/new?serial=C7-0001"), http.StatusOK,
		[]string{`<option value="C7-0001" selected>Travel Camera 7 (C7-0001)</option>`}, []string{"CAM-7"})
	u, err := f.m.Store.UnitBySerial(ctx, "C7-0001")
	if err != nil {
		t.Fatal(err)
	}
	proofs, err := f.m.Store.UnitProofs(ctx, u.ID)
	if err != nil || len(proofs) != 1 || proofs[0].ContentType != "image/heic" || proofs[0].Filename != "IMG_0042.HEIC" {
		t.Errorf("proof kept: %+v (%v); want the HEIC photo", proofs, err)
	}
	// The desk sees the proof on the customer's page and opens it; the
	// customer cannot reach it through the staff address.
	if len(proofs) == 1 {
		desk := newClient(t, f.m, "en")
		desk.loginStaff()
		link := fmt.Sprintf(`href="/admin/proofs/%d"`, proofs[0].ID)
		expect(t, "the customer page", desk.get(fmt.Sprintf("/admin/customers/%d", f.alice.ID)), http.StatusOK,
			[]string{link, "Proof of purchase: IMG_0042.HEIC"}, nil)
		got := desk.get(fmt.Sprintf("/admin/proofs/%d", proofs[0].ID))
		if got.status != http.StatusOK || got.body != string(receiptHEIC()) {
			t.Errorf("the desk opens the proof: %d, %d bytes; want 200 and the photo as uploaded", got.status, len(got.body))
		}
		if res := alice.get(fmt.Sprintf("/admin/proofs/%d", proofs[0].ID)); res.status == http.StatusOK {
			t.Errorf("a customer opened the staff proof address: %d", res.status)
		}
		expect(t, "no such proof", desk.get("/admin/proofs/999999"), http.StatusNotFound, nil, nil)
	}

	bob := newClient(t, f.m, "zh-CN")
	bob.loginCustomer("bob@example.com")
	expect(t, "Alice's product, for Bob", bob.upload("/portal/products/register",
		[][2]string{{"serial", "C7-0001"}, {"purchased_at", bought}}, "proof", "r.jpg", receiptJPEG()),
		http.StatusConflict, []string{"这件产品已由他人登记"}, nil)
	expect(t, "Bob's products", bob.get("/portal/products"), http.StatusOK, []string{"您还没有登记产品"}, []string{"C7-0001"})
	expect(t, "again, for Alice", alice.upload("/portal/products/register",
		[][2]string{{"serial", "C7-0001"}, {"purchased_at", bought}}, "proof", "r.jpg", receiptJPEG()),
		http.StatusConflict, []string{"You have already registered this product."}, nil)
}
