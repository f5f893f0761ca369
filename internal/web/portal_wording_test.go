package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPortalSaysServiceRequest: customers read one word for a request,
// 服务单, on every portal page: no message the portal templates show in
// Chinese says 工单.
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

// TestOneTermForServiceRequest: staff read the same word as customers.
// Every Chinese message (page texts and error sentences), every template
// and every e-mail says 服务单 for a service request — never 工单; a
// repair order is a 维修单.
func TestOneTermForServiceRequest(t *testing.T) {
	var paths []string
	for _, root := range []string{"../i18n/locales/zh-CN", "templates", "../mailout"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			paths = append(paths, p)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(paths) < 10 {
		t.Fatalf("only %d files to read: %v", len(paths), paths)
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "工单") {
				t.Errorf("%s:%d says 工单, not 服务单: %s", p, i+1, strings.TrimSpace(line))
			}
		}
	}
}
