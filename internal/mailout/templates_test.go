package mailout

import (
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestBuiltinTemplates: every kind has a built-in text in both languages
// that passes the checks an admin's edit must pass.
func TestBuiltinTemplates(t *testing.T) {
	for _, k := range model.MailKinds() {
		for _, l := range Locales() {
			tpl := Default(k, l)
			if tpl.Subject == "" || tpl.Body == "" {
				t.Errorf("%s/%s: no built-in text", k, l)
				continue
			}
			if err := Check(tpl); err != nil {
				t.Errorf("%s/%s: %v", k, l, err)
			}
		}
	}
}

// TestTemplateSafety: a template cannot run away (output is bounded), a
// subject stays one line, and an unknown placeholder is named.
func TestTemplateSafety(t *testing.T) {
	huge := model.MailTemplate{Kind: model.MailReply, Subject: "x", Body: "{{range 100000000}}xxxxxxxxxx{{end}}"}
	if err := Check(huge); err == nil || !strings.Contains(err.Error(), "longer") {
		t.Errorf("runaway template: %v", err)
	}
	subject, _, err := render(model.MailTemplate{Subject: "a\r\nBcc: x {{.RequestSubject}}", Body: "b"},
		Data{RequestSubject: "s\nt"})
	if err != nil || subject != "a Bcc: x s t" {
		t.Errorf("subject %q (%v), want one line", subject, err)
	}
	err = Check(model.MailTemplate{Kind: model.MailReply, Subject: "x", Body: "{{.Customer.Password}}"})
	var e *model.Error
	if !asError(err, &e) || e.Field != "body" || !strings.Contains(err.Error(), "{{.Customer}}") {
		t.Errorf("unknown placeholder: %v", err)
	}
}

func asError(err error, target **model.Error) bool {
	e, ok := err.(*model.Error)
	if ok {
		*target = e
	}
	return ok
}
