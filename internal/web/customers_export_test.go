package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestCustomersExport: the customer list downloads as CSV (with a BOM,
// headings in the reader's language, only the customers the search
// finds) and XLSX, and the download is in the audit log; a technician,
// who may not export, gets neither the links nor the file.
func TestCustomersExport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mgr := staffClient(t, f, model.RoleManager, "lead@example.com", "zh-CN", nil)
	expect(t, "links", mgr.get("/admin/customers?q=alice"), http.StatusOK,
		[]string{`href="/admin/customers/export?format=csv&amp;q=alice"`, `href="/admin/customers/export?format=xlsx&amp;q=alice"`}, nil)
	res := mgr.get("/admin/customers/export?format=csv&q=alice")
	expect(t, "csv", res, http.StatusOK, []string{"\ufeff", "姓名", "Alice Chen", "13800000001", "alice@example.com"}, []string{"Bob Li"})
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("csv content type %q", ct)
	}
	all := mgr.get("/admin/customers/export?format=csv")
	expect(t, "all", all, http.StatusOK, []string{"Alice Chen", "Bob Li"}, nil)
	x := mgr.get("/admin/customers/export?format=xlsx")
	if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
		t.Errorf("xlsx: %d, starts %q", x.status, x.body[:min(4, len(x.body))])
	}
	entries, err := f.m.Store.ListAudit(ctx, model.AuditFilter{Action: model.AuditExportDone, Limit: 10})
	if err != nil || len(entries.Items) != 3 || !strings.Contains(entries.Items[len(entries.Items)-1].Target, "customers q=alice") {
		t.Errorf("audit: %+v, %v; want three customer exports, the first with its search", entries, err)
	}
	tech := staffClient(t, f, model.RoleTechnician, "tech@example.com", "en", nil)
	if res := tech.get("/admin/customers/export?format=csv"); res.status != http.StatusForbidden || strings.Contains(res.body, "Alice") {
		t.Errorf("technician export: %d", res.status)
	}
}
