package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

func testEnv(t *testing.T, lang string) context.Context {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatalf("load catalogs: %v", err)
	}
	return context.WithValue(context.Background(), envKey{}, &reqEnv{s: &server{bundle: b}, lang: lang})
}

// TestMessagesTranslated checks that every message this package surfaces
// has a catalog entry (the i18n test checks that zh-CN and en agree).
func TestMessagesTranslated(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatalf("load catalogs: %v", err)
	}
	for _, m := range append(humaMessages, "internal error", "your role may not do this", "file is larger than 20 MiB") {
		if !b.Has(m) {
			t.Errorf("errors.json lacks %q", m)
		}
	}
}

func TestNewProblem(t *testing.T) {
	zh, en := testEnv(t, i18n.ZhCN), testEnv(t, i18n.En)
	for _, c := range []struct {
		name       string
		ctx        context.Context
		status     int
		msg        string
		errs       []error
		wantStatus int
		wantDetail string
		wantLoc    string
		wantMsg    string
	}{
		{"domain field error", zh, 500, "", []error{model.FieldError("serial", "No registered product has the serial number “%s”; check the number, or register the product first.", "X")},
			422, `body.serial: 未找到序列号为“X”的已登记产品，请核对序列号，或先登记该产品。`, "body.serial", `未找到序列号为“X”的已登记产品，请核对序列号，或先登记该产品。`},
		{"query field", en, 500, "", []error{at("query", model.FieldError("limit", "must be at most %d", 100))},
			422, "query.limit: must be at most 100", "query.limit", "must be at most 100"},
		{"not found by message", zh, 500, "", []error{model.Errorf(model.ENOTFOUND, "%s not found", "unit")},
			404, "未找到设备", "", "未找到设备"},
		{"conflict", en, 500, "", []error{model.StaleVersion(3, "the request was changed meanwhile by someone else; reload it and make your change again")},
			409, "body.version: This request was changed meanwhile by someone else. Reload it to see their change, then make yours again.", "body.version", ""},
		{"override", en, 500, "", []error{&statusOverride{415, model.FieldError("file", "type %s is not allowed; allowed: %s", "x", "y")}},
			415, "body.file: type x is not allowed; allowed: y", "body.file", ""},
		{"internal hidden", zh, 500, "unexpected error occurred", []error{errors.New("pq: password authentication failed for 10.0.0.1")},
			500, "内部错误", "", ""},
		{"internal model error hidden", en, 500, "", []error{fmt.Errorf("x: %w", &model.Error{Code: model.EINTERNAL, Message: "db at 10.0.0.1 down"})},
			500, "internal error", "", ""},
		{"required property", zh, 422, "validation failed", []error{&huma.ErrorDetail{Location: "body", Message: "expected required property subject to be present", Value: map[string]any{"a": 1}}},
			422, "验证失败: body.subject: 缺少必需的属性 subject", "body.subject", "缺少必需的属性 subject"},
		{"number bound", zh, 422, "validation failed", []error{&huma.ErrorDetail{Location: "query.limit", Message: "expected number <= 100", Value: 101}},
			422, "验证失败: query.limit: 数值应 <= 100", "query.limit", "数值应 <= 100"},
		{"malformed JSON", en, 400, "validation failed", []error{&huma.ErrorDetail{Location: "body", Message: "invalid character '}'", Value: "{}"}},
			400, "malformed JSON: invalid character '}'", "body", "malformed JSON: invalid character '}'"},
		{"too large", zh, 413, "request body is too large limit=1048576 bytes", nil,
			413, "请求体过大，上限为 1048576 字节", "body", "请求体过大，上限为 1048576 字节"},
		{"max bytes", en, 500, "", []error{fmt.Errorf("upload: %w", &http.MaxBytesError{Limit: 10})},
			413, "body: request body is too large limit=10 bytes", "body", ""},
		{"no env", context.Background(), 422, "validation failed", []error{&huma.ErrorDetail{Location: "body.x", Message: "expected string"}},
			422, "validation failed: body.x: expected string", "body.x", "expected string"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newProblem(c.ctx, c.status, c.msg, c.errs...)
			if p.Status != c.wantStatus || p.Title != http.StatusText(c.wantStatus) {
				t.Errorf("status: got %d %q, want %d", p.Status, p.Title, c.wantStatus)
			}
			if p.Detail != c.wantDetail {
				t.Errorf("detail: got %q, want %q", p.Detail, c.wantDetail)
			}
			if c.wantLoc != "" && (len(p.Errors) == 0 || p.Errors[0].Location != c.wantLoc) {
				t.Errorf("location: got %+v, want %s", p.Errors, c.wantLoc)
			}
			if c.wantMsg != "" && (len(p.Errors) == 0 || p.Errors[0].Message != c.wantMsg) {
				t.Errorf("message: got %+v, want %q", p.Errors, c.wantMsg)
			}
			for _, e := range p.Errors {
				if e.Value != nil {
					t.Errorf("value echoed: %v", e.Value)
				}
				if strings.Contains(e.Message, "10.0.0.1") {
					t.Errorf("internal text leaked: %q", e.Message)
				}
			}
			if strings.Contains(p.Detail, "10.0.0.1") {
				t.Errorf("internal text leaked: %q", p.Detail)
			}
		})
	}
}

func TestParseETag(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{{`"3"`, 3, true}, {`W/"12"`, 12, true}, {`7`, 7, true}, {`"0"`, 0, false}, {`"x"`, 0, false}, {`*`, 0, false}} {
		got, err := parseETag(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseETag(%q): got %d, %v; want %d, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestJSONByDefault(t *testing.T) {
	var got string
	h := jsonByDefault(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Get("Content-Type") }))
	for _, c := range []struct{ method, ct, want string }{
		{"POST", "", "application/json"},
		{"PATCH", "application/x-www-form-urlencoded", "application/json"},
		{"POST", "multipart/form-data; boundary=x", "multipart/form-data; boundary=x"},
		{"GET", "", ""},
	} {
		r := httptest.NewRequest(c.method, "/api/v1/requests", nil)
		if c.ct != "" {
			r.Header.Set("Content-Type", c.ct)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s with %q: got %q, want %q", c.method, c.ct, got, c.want)
		}
	}
}
