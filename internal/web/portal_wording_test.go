package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPortalSaysServiceRequest: customers read one word for a request,
// 服务单, on every portal page (staff pages may say 工单): no message the
// portal templates show in Chinese says 工单.
func TestPortalSaysServiceRequest(t *testing.T) {
	b := bundle(t)
	files, err := filepath.Glob("templates/pages/portal_*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("portal templates: %v %v", files, err)
	}
	files = append(files, "templates/pages/survey.html")
	key := regexp.MustCompile(`\{\{-?\s*t\s+"([^"]+)"`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			if v := b.T("zh-CN", m[1]); strings.Contains(v, "工单") {
				t.Errorf("%s: %s reads %q: the portal says 服务单", filepath.Base(f), m[1], v)
			}
		}
	}
}
