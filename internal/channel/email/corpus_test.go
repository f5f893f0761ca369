package email

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// corpusWant is what a person reading each message of the seed corpus
// (testdata/corpus, sources in its README) expects Aftercare to take from
// it.
type corpusWant struct {
	from, subject, visible string // visible: a substring of the shown text
	hidden                 string // text that must be folded away ("" none)
	kind                   string // "person", "auto" or "bounce"
	files                  []string
	original               string // bounces: the Message-ID of the undelivered mail
}

func corpus() map[string]corpusWant {
	return map[string]corpusWant{
		"outlook-zh-gb2312.eml": {from: "wangfang@example.cn", subject: "回复: 洗衣机漏水的问题",
			visible: "请安排师傅上门。\n\n王芳", hidden: "请先更换进水管试试", kind: "person"},
		"foxmail-gbk-8bit.eml": {from: "zhangwei@example.cn", subject: "退货申请", visible: "联系人：𠮷田",
			hidden: "请提供订单号", kind: "person"},
		"gmail-reply-qp.eml": {from: "jane.doe@example.org", subject: "Re: [SR-2026-000043] Camera does not turn on",
			visible: "The LED blinks red three times.", hidden: "at least 8 hours", kind: "person"},
		"iphone-html-only.eml": {from: "tom@example.net", subject: "Re: Installation appointment",
			visible: "Thursday afternoon works, thanks!", hidden: "Which day suits you?", kind: "person"},
		"qq-mail-reply.eml": {from: "12345678@qq.example", subject: "回复：[SR-2026-000050] 手机屏幕碎了",
			visible: "好的，我明天寄过去。", hidden: "请把手机寄到维修中心", kind: "person"},
		"exchange-out-of-office.eml": {from: "p.miller@example.de", visible: "Müller", kind: "auto"},
		"zh-auto-reply.eml":          {from: "zhaomin@163.example", subject: "自动回复：您的维修单已完成", kind: "auto"},
		"mailing-list.eml":           {from: "news@vendor.example", kind: "auto"},
		"postfix-dsn.eml":            {kind: "bounce", original: "sr-2026-000045.1@aftercare.example.com"},
		"exchange-ndr.eml":           {kind: "bounce", original: "sr-2026-000046.4@aftercare.example.com"},
		"qmail-failure-notice.eml":   {kind: "bounce", original: "sr-2026-000047.2@aftercare.example.com"},
		"rfc2231-filenames.eml": {from: "lina@example.com", visible: "photo of the damage", kind: "person",
			files: []string{"发票—2026.pdf", "损坏照片.png", "包装箱.png", "setup.exe"}},
		"broken-folding-long-subject.eml": {from: "chenjing@example.com", subject: "空调不制冷，遥控器也坏了",
			visible: "空调开机后只吹热风。", kind: "person"},
		"missing-boundary-bare-cr.eml": {from: "ravi@example.in", subject: "Fridge noise",
			visible: "loud noise at night", kind: "person", files: []string{"log.txt"}},
		"web-form-utf8-base64.eml":           {from: "customer-7781@example.com", visible: "¿Se puede?", kind: "person"},
		"enmime-bad-final-boundary.eml":      {from: "james@makita.skynet", visible: "A text section", kind: "person"},
		"enmime-bad-header-wrap.eml":         {from: "james@makita.skynet", visible: "A text section", kind: "person"},
		"enmime-incorrect-charset.eml":       {from: "james@makita.skynet", visible: "∮ E⋅da = Q", kind: "person"},
		"enmime-malformed-base64-attach.eml": {from: "james@makita.skynet", visible: "A text section", kind: "person"},
		"enmime-mime-bad-8bit-filename.eml":  {from: "pavel.bazika@some.domain", kind: "person", files: []string{"管理.doc"}},
		"enmime-unk-charset-part.eml":        {from: "james@makita.skynet", visible: "A text section", kind: "person"},
	}
}

func readCorpus(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.eml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("corpus: %v (%d files)", err, len(files))
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

// TestCorpus parses every message of the seed corpus and checks it the
// way a person would read it.
func TestCorpus(t *testing.T) {
	want := corpus()
	for name, raw := range readCorpus(t) {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expectation in corpus(); say what it should become", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			m := Parse(raw)
			kind := "person"
			if m.Auto != "" {
				kind = "auto"
			}
			if m.Bounce != nil {
				kind = "bounce"
				if !slices.Contains(m.Bounce.OriginalIDs, w.original) || !m.Bounce.Permanent {
					t.Errorf("bounce: got %+v, want a permanent failure of %s", m.Bounce, w.original)
				}
			}
			if kind != w.kind {
				t.Errorf("kind: got %s (auto %q), want %s", kind, m.Auto, w.kind)
			}
			if w.from != "" && m.From.Email != w.from {
				t.Errorf("from: got %q, want %q", m.From.Email, w.from)
			}
			if w.subject != "" && m.Subject != w.subject {
				t.Errorf("subject: got %q, want %q", m.Subject, w.subject)
			}
			if !strings.Contains(m.Visible, w.visible) {
				t.Errorf("visible text: got %q, want it to contain %q", m.Visible, w.visible)
			}
			if w.hidden != "" && (strings.Contains(m.Visible, w.hidden) || !strings.Contains(m.Text, w.hidden)) {
				t.Errorf("quoted history %q: want it folded away from %q and kept in the whole text", w.hidden, m.Visible)
			}
			var names []string
			for _, f := range m.Files {
				names = append(names, f.Name)
			}
			if w.files != nil && !slices.Equal(names, w.files) {
				t.Errorf("files: got %q, want %q", names, w.files)
			}
		})
	}
	for name := range want {
		if _, ok := readCorpus(t)[name]; !ok {
			t.Errorf("corpus() lists %s, which testdata/corpus lacks", name)
		}
	}
}

// FuzzParse feeds Parse the seed corpus and mutations of it. Parse must
// never panic, must return valid UTF-8 without NUL characters (both
// databases must be able to store it) and must keep its bounds.
func FuzzParse(f *testing.F) {
	for _, raw := range readCorpus(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw)
		strs := append([]string{m.MessageID, m.Key, m.From.Name, m.From.Email, m.Subject, m.Number, m.Text, m.Visible, m.Auto},
			m.Refs...)
		for _, fl := range m.Files {
			strs = append(strs, fl.Name, fl.ContentType)
		}
		if m.Bounce != nil {
			strs = append(append(append(strs, m.Bounce.Diagnostic), m.Bounce.OriginalIDs...), m.Bounce.Recipients...)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("got %q, want valid UTF-8 without NUL", s)
			}
		}
		if len(m.MessageID) > maxIDLen+7 || len(m.Refs) > maxRefs || len(m.Files) > maxFiles ||
			utf8.RuneCountInString(m.Subject) > maxSubjectRunes {
			t.Fatalf("bounds: id %d bytes, %d refs, %d files, subject %d runes", len(m.MessageID), len(m.Refs), len(m.Files),
				utf8.RuneCountInString(m.Subject))
		}
		if m.Key == "" {
			t.Fatalf("no duplicate key")
		}
		if m.Auto != "" && m.Bounce != nil {
			t.Fatalf("both automatic (%q) and a bounce", m.Auto)
		}
	})
}
