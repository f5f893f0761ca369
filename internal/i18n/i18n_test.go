package i18n

import (
	"strings"
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

// TestErrorNamesStatuses: a refused move reads as a sentence with the
// statuses' names in the reader's language, never their codes.
func TestErrorNamesStatuses(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang string
		err  error
		want string
	}{
		{ZhCN, model.Conflict("status", "cannot change status from %s to %s", model.StatusClosed, model.StatusPending), "状态为“已关闭”时不能改为“待客户回复”。"},
		{En, model.Conflict("status", "cannot change status from %s to %s", model.StatusClosed, model.StatusPending), "A request that is “Closed” cannot be moved to “Pending customer”."},
		{ZhCN, model.Conflict("stage", "cannot move a repair from %s to %s", model.StageReceived, model.StageReady), "维修单处于“已收机”阶段，不能改为“待交还”。"},
		{En, model.Conflict("status", "cannot move a return from %s to %s", model.Term{Key: "return.status.", Value: "refunded"}, model.Term{Key: "return.status.", Value: "replaced"}), ""},
	} {
		got := b.Error(c.lang, c.err)
		if c.want != "" && got != c.want {
			t.Errorf("%s: got %q, want %q", c.lang, got, c.want)
		}
		for _, raw := range []string{"closed", "pending", "received", "ready", "refunded", "replaced"} {
			if strings.Contains(got, "“"+raw+"”") {
				t.Errorf("%s: %q shows the code %q", c.lang, got, raw)
			}
		}
	}
}
