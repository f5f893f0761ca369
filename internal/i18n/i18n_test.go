package i18n

import (
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

func TestCatalogsLoadAndMatch(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if got := b.T(ZhCN, "internal error"); got != "内部错误" {
		t.Errorf("zh: got %q", got)
	}
	if got := b.Error(En, model.FieldError("x", "no such id %d", 3)); got != "no such id 3" {
		t.Errorf("untranslated error: got %q", got)
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"", ZhCN},
		{"en-US,en;q=0.9", En},
		{"zh-CN,zh;q=0.9,en;q=0.8", ZhCN},
		{"fr-FR, en;q=0.5, zh;q=0.7", ZhCN},
		{"fr-FR, en;q=0.5", En},
		{"de", ZhCN},
	} {
		if got := Match(c.header); got != c.want {
			t.Errorf("Match(%q): got %s, want %s", c.header, got, c.want)
		}
	}
}
