package mailout

import (
	"bytes"
	"errors"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// Data is what a template may use. Templates are text/template over this
// struct alone: no functions beyond the built-in ones, no access to
// anything else, and output is bounded (MaxBody), so an admin's template
// can neither reach data it should not nor blow up a send job. Mail is
// plain text, so nothing needs HTML escaping; header values are kept to
// one line.
type Data struct {
	RecipientName  string // the customer's or staff user's name
	RequestNumber  string // SR-2026-000123
	RequestSubject string
	Message        string // the reply or the customer's message (reply, new_reply, mentioned)
	AuthorName     string // who wrote Message
	Status         string // the new status, in the recipient's language (status_changed)
	PreviousStatus string
	Link           string // the page to open: the request, the reset or the survey link
	ExpiresAt      string // when Link stops working (password_reset, survey_*)
	DueAt          string // the deadline (sla_warning)
	Code           string // the verification code (signup_code); a secret, never logged

	locale string // the recipient's language, for the code that fills Data
}

// Limits on templates and what they produce.
const (
	MaxSubject = 300
	MaxBody    = 64 << 10
)

type text struct{ subject, body string }

// builtins returns the built-in templates, by kind and locale.
func builtins() map[model.MailKind]map[string]text {
	return map[model.MailKind]map[string]text{
		model.MailReply: {
			"en":    {"Re: {{.RequestSubject}}", "{{.Message}}\n\n-- \n{{.AuthorName}}\n\nReply to this e-mail to add to request {{.RequestNumber}}, or follow it at {{.Link}}\n"},
			"zh-CN": {"回复：{{.RequestSubject}}", "{{.Message}}\n\n-- \n{{.AuthorName}}\n\n直接回复此邮件即可补充服务请求 {{.RequestNumber}}，也可在此查看进度：{{.Link}}\n"},
		},
		model.MailRequestCreated: {
			"en":    {"We received your request: {{.RequestSubject}}", "Hello {{.RecipientName}},\n\nthank you for contacting us. Your request has the number {{.RequestNumber}}; we will answer as soon as we can.\n\nReply to this e-mail to add information, or follow your request at {{.Link}}\n\nThis message was sent automatically.\n"},
			"zh-CN": {"我们已收到您的服务请求：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n感谢您联系我们。您的服务请求编号为 {{.RequestNumber}}，我们会尽快答复。\n\n如需补充信息，请直接回复此邮件；也可在此查看进度：{{.Link}}\n\n此邮件为系统自动发送。\n"},
		},
		model.MailStatusChanged: {
			"en":    {"{{.RequestSubject}}: {{.Status}}", "Hello {{.RecipientName}},\n\nyour request {{.RequestNumber}} is now: {{.Status}} (was: {{.PreviousStatus}}).\n\nFollow it at {{.Link}}\n\nThis message was sent automatically.\n"},
			"zh-CN": {"{{.RequestSubject}}：{{.Status}}", "{{.RecipientName}}，您好：\n\n您的服务请求 {{.RequestNumber}} 的状态已变为：{{.Status}}（原为：{{.PreviousStatus}}）。\n\n查看进度：{{.Link}}\n\n此邮件为系统自动发送。\n"},
		},
		model.MailPasswordReset: {
			"en":    {"Set a new password for the service portal", "Hello {{.RecipientName}},\n\nsomeone (we hope you) asked to set a new password for your service portal account. Open this link to choose one:\n\n{{.Link}}\n\nThe link works once and expires at {{.ExpiresAt}}. If you did not ask for it, ignore this e-mail: your password stays as it is.\n"},
			"zh-CN": {"重设服务门户密码", "{{.RecipientName}}，您好：\n\n有人（希望是您本人）申请重设您的服务门户密码。请打开以下链接设置新密码：\n\n{{.Link}}\n\n该链接只能使用一次，将于 {{.ExpiresAt}} 失效。如果不是您本人申请，请忽略此邮件，您的密码不会改变。\n"},
		},
		model.MailSurveyInvitation: {
			"en":    {"How did we do? {{.RequestSubject}}", "Hello {{.RecipientName}},\n\nyour request {{.RequestNumber}} is resolved. Would you tell us how we did? It takes a minute:\n\n{{.Link}}\n\nThe link works until {{.ExpiresAt}}.\n"},
			"zh-CN": {"邀请您评价本次服务：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n您的服务请求 {{.RequestNumber}} 已处理完毕。能否花一分钟评价本次服务？\n\n{{.Link}}\n\n链接有效期至 {{.ExpiresAt}}。\n"},
		},
		model.MailSurveyReminder: {
			"en":    {"A reminder: how did we do? {{.RequestSubject}}", "Hello {{.RecipientName}},\n\na short reminder: we would value your opinion of how we handled request {{.RequestNumber}}.\n\n{{.Link}}\n\nThe link works until {{.ExpiresAt}}.\n"},
			"zh-CN": {"提醒：请评价本次服务：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n温馨提醒：我们很想知道您对服务请求 {{.RequestNumber}} 的处理是否满意。\n\n{{.Link}}\n\n链接有效期至 {{.ExpiresAt}}。\n"},
		},
		model.MailSLAWarning: {
			"en":    {"Due soon: {{.RequestSubject}}", "Hello {{.RecipientName}},\n\nrequest {{.RequestNumber}} is due at {{.DueAt}}.\n\n{{.Link}}\n"},
			"zh-CN": {"即将超时：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n服务请求 {{.RequestNumber}} 将于 {{.DueAt}} 到期。\n\n{{.Link}}\n"},
		},
		model.MailAssigned: {
			"en":    {"Assigned to you: {{.RequestSubject}}", "Hello {{.RecipientName}},\n\nrequest {{.RequestNumber}} was assigned to you.\n\n{{.Link}}\n"},
			"zh-CN": {"分配给您：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n服务请求 {{.RequestNumber}} 已分配给您。\n\n{{.Link}}\n"},
		},
		model.MailMentioned: {
			"en":    {"You were mentioned: {{.RequestSubject}}", "Hello {{.RecipientName}},\n\n{{.AuthorName}} mentioned you on request {{.RequestNumber}}:\n\n{{.Message}}\n\n{{.Link}}\n"},
			"zh-CN": {"有人提到了您：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n{{.AuthorName}} 在服务请求 {{.RequestNumber}} 中提到了您：\n\n{{.Message}}\n\n{{.Link}}\n"},
		},
		model.MailSignupCode: {
			"en":    {"Your verification code for the service portal", "Hello {{.RecipientName}},\n\nyour verification code is:\n\n{{.Code}}\n\nType it on the registration page to set your password. It works once and expires at {{.ExpiresAt}}. If this address already has an account, the code sets a new password for it.\n\nIf you did not ask for it, ignore this e-mail: nothing changes.\n"},
			"zh-CN": {"服务门户注册验证码", "{{.RecipientName}}，您好：\n\n您的验证码是：\n\n{{.Code}}\n\n请在注册页面输入此验证码并设置密码。验证码只能使用一次，将于 {{.ExpiresAt}} 失效。如果此邮箱已有账户，验证码将为其设置新密码。\n\n如果不是您本人申请，请忽略此邮件，一切保持不变。\n"},
		},
		model.MailNewReply: {
			"en":    {"New reply: {{.RequestSubject}}", "Hello {{.RecipientName}},\n\n{{.AuthorName}} replied on request {{.RequestNumber}}:\n\n{{.Message}}\n\n{{.Link}}\n"},
			"zh-CN": {"客户有新回复：{{.RequestSubject}}", "{{.RecipientName}}，您好：\n\n{{.AuthorName}} 在服务请求 {{.RequestNumber}} 中回复：\n\n{{.Message}}\n\n{{.Link}}\n"},
		},
	}
}

// Locales are the languages mail is written in.
func Locales() []string { return []string{"zh-CN", "en"} }

// Locale is the template language for a recipient's locale: zh-CN for
// any Chinese, else English.
func Locale(l string) string {
	if strings.HasPrefix(strings.ToLower(l), "zh") {
		return "zh-CN"
	}
	return "en"
}

// Default returns the built-in template of kind in locale.
func Default(kind model.MailKind, locale string) model.MailTemplate {
	t := builtins()[kind][Locale(locale)]
	return model.MailTemplate{Kind: kind, Locale: Locale(locale), Subject: t.subject, Body: t.body}
}

// needsLink are the kinds whose mail is useless without its link.
func needsLink(k model.MailKind) bool {
	return k == model.MailPasswordReset || k == model.MailSurveyInvitation || k == model.MailSurveyReminder
}

// sampleData is the data templates are checked with when saved.
func sampleData() Data {
	return Data{RecipientName: "Li Na", RequestNumber: "SR-2026-000123", RequestSubject: "Screen flickers",
		Message: "Please bring the unit in.", AuthorName: "Wang Fang", Status: "Resolved", PreviousStatus: "Open",
		Link: "https://example.com/link-sample", ExpiresAt: "2026-12-01 10:00", DueAt: "2026-12-01 10:00", Code: "493027"}
}

// Check parses a template and renders it with sample data, returning an
// error naming the field (subject or body) that is wrong.
func Check(t model.MailTemplate) error {
	if strings.TrimSpace(t.Subject) == "" {
		return model.FieldError("subject", "must not be blank")
	}
	if utf8.RuneCountInString(t.Subject) > MaxSubject {
		return model.FieldError("subject", "must be at most %d characters", MaxSubject)
	}
	if strings.TrimSpace(t.Body) == "" {
		return model.FieldError("body", "must not be blank")
	}
	if len(t.Body) > MaxBody {
		return model.FieldError("body", "must be at most %d bytes", MaxBody)
	}
	sample := sampleData()
	subject, body, err := render(t, sample)
	if err != nil {
		return err
	}
	if strings.TrimSpace(subject) == "" {
		return model.FieldError("subject", "renders empty")
	}
	if needsLink(t.Kind) && !strings.Contains(body, sample.Link) {
		return model.FieldError("body", "must contain {{.Link}}: without it the mail is useless")
	}
	if t.Kind == model.MailSignupCode && !strings.Contains(body, sample.Code) {
		return model.FieldError("body", "must contain {{.Code}}: without it the mail is useless")
	}
	return nil
}

// RenderDefault renders the built-in template of kind in locale with d
// (demo data writes its outbound log with it).
func RenderDefault(kind model.MailKind, locale string, d Data) (subject, body string, err error) {
	return render(Default(kind, locale), d)
}

// render executes a template's subject and body with d. The subject is
// one line (line breaks become spaces).
func render(t model.MailTemplate, d Data) (subject, body string, err error) {
	subject, err = execute("subject", t.Subject, d, MaxSubject*4)
	if err != nil {
		return "", "", err
	}
	body, err = execute("body", t.Body, d, MaxBody)
	if err != nil {
		return "", "", err
	}
	return oneLine(subject), body, nil
}

var errTooLong = errors.New("output too long")

// limited is a writer that fails past its limit.
type limited struct {
	buf   bytes.Buffer
	limit int
}

func (w *limited) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.limit {
		return 0, errTooLong
	}
	return w.buf.Write(p)
}

func execute(field, src string, d Data, limit int) (string, error) {
	tpl, err := template.New(field).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", templateError(field, err)
	}
	w := &limited{limit: limit}
	if err := tpl.Execute(w, d); err != nil {
		if errors.Is(err, errTooLong) {
			return "", model.FieldError(field, "renders longer than %d bytes", limit)
		}
		return "", templateError(field, err)
	}
	return w.buf.String(), nil
}

// templateError turns text/template's messages ("template: body:1:2:
// executing … can't evaluate field X") into what an admin can act on.
func templateError(field string, err error) error {
	s := err.Error()
	if i := strings.Index(s, "can't evaluate field "); i >= 0 {
		if f := strings.Fields(s[i+len("can't evaluate field "):]); len(f) > 0 {
			return model.FieldError(field, "unknown placeholder %s; use %s", "{{."+f[0]+"}}", placeholders())
		}
	}
	return model.FieldError(field, "%s", strings.TrimPrefix(s, "template: "))
}

func placeholders() string {
	return ".RecipientName, .RequestNumber, .RequestSubject, .Message, .AuthorName, .Status, .PreviousStatus, .Link, .ExpiresAt, .DueAt, .Code"
}

// oneLine joins lines and trims: a header value never holds a line break.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
}
