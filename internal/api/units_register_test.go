package api_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// registerUnit posts a product registration as token (multipart: serial,
// purchased_at, then the proof file when content is not nil).
func registerUnit(t *testing.T, f *fixture, token, serial, bought, filename string, content []byte) *apitest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("serial", serial)
	_ = mw.WriteField("purchased_at", bought)
	if content != nil {
		w, _ := mw.CreateFormFile("proof", filename)
		w.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.URL()+"/api/v1/units/register", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", "en")
	res, err := f.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &apitest.Response{Status: res.StatusCode, Header: res.Header, Body: body}
}

// TestRegisterUnitAPI: a customer registers a produced serial with a
// proof of purchase and gets its product's name and warranty; bad input
// is a problem naming the field, a taken serial 409, and no refusal
// writes a unit or a proof. On both stores.
func TestRegisterUnitAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		if _, err := f.Store.AddSerials(context.Background(), "WM-100", []string{"WM-NEW-1"}); err != nil {
			t.Fatal(err)
		}
		bought := time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
		for _, tc := range []struct {
			name, serial, date, file string
			content                  []byte
			status                   int
			field                    string
		}{
			{"unknown serial", "WM-404", bought, "r.png", pngBytes(300), http.StatusUnprocessableEntity, "body.serial"},
			{"bad date", "WM-NEW-1", "yesterday", "r.png", pngBytes(300), http.StatusUnprocessableEntity, "body.purchased_at"},
			{"no proof", "WM-NEW-1", bought, "", nil, http.StatusUnprocessableEntity, "body.proof"},
			{"zip as proof", "WM-NEW-1", bought, "r.zip", append([]byte("PK\x03\x04"), make([]byte, 100)...), http.StatusUnprocessableEntity, "body.proof"},
			{"someone else's", f.oldSerial, bought, "r.png", pngBytes(300), http.StatusConflict, "body.serial"},
		} {
			res := registerUnit(t, f, f.alice, tc.serial, tc.date, tc.file, tc.content)
			if res.Status != tc.status || !bytes.Contains(res.Body, []byte(`"location":"`+tc.field+`"`)) {
				t.Errorf("%s: got %d %s, want %d naming %s", tc.name, res.Status, res.Body, tc.status, tc.field)
			}
		}
		if n := f.count(t, "unit_proofs"); n != 0 {
			t.Fatalf("after refusals: %d proofs stored, want none", n)
		}
		res := registerUnit(t, f, f.alice, "WM-NEW-1", bought, "receipt.png", pngBytes(300))
		var u api.RegisteredUnit
		if res.Status != http.StatusCreated {
			t.Fatalf("register: got %d %s", res.Status, res.Body)
		}
		res.JSON(t, &u)
		if u.ProductName != "Washer 100" || u.SKU != "WM-100" || !u.InWarranty || u.PurchasedAt != bought {
			t.Errorf("registered: %+v; want Washer 100 bought %s, in warranty", u, bought)
		}
		var e api.Entitlement
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/units/WM-NEW-1/entitlement", f.alice, nil).JSON(t, &e)
		if !e.InWarranty {
			t.Errorf("Alice's new unit: %+v, want in warranty", e)
		}
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/units/WM-NEW-1/entitlement", f.bob, nil)
		if res := registerUnit(t, f, f.bob, "WM-NEW-1", bought, "r.png", pngBytes(300)); res.Status != http.StatusConflict {
			t.Errorf("Bob registers Alice's unit: got %d, want 409", res.Status)
		}
		if n := f.count(t, "unit_proofs"); n != 1 {
			t.Errorf("proofs stored: %d, want 1", n)
		}
	})
}
