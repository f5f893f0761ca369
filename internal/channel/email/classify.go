package email

import (
	"regexp"
	"strings"
)

// Automatic mail must never open a request or get a reply: that is how
// two auto-responders ping-pong forever. The signals are those of RFC 3834
// (Auto-Submitted), the de-facto Precedence and Microsoft headers, the
// null sender of bounces and auto-replies, delivery-status reports, the
// mailer-daemon and postmaster senders, and the subjects that common
// clients give their automatic replies.

var (
	autoSubject = regexp.MustCompile(`(?i)^\s*(automatic reply|auto[- ]?reply|autoreply|auto response|out of (the )?office|abwesenheitsnotiz|réponse automatique|自动回复|自動回覆|自动答复|自動回復|休假回复|离开回复)\s*[:：]?`)
	// bounceSubject matches the subjects of non-standard bounces.
	bounceSubject = regexp.MustCompile(`(?i)^\s*(undeliverable|undelivered mail|delivery status notification \((failure|delay)\)|mail delivery (failed|failure|subsystem)|returned mail|delivery failure|failure notice|系统退信|退信|邮件投递失败|无法投递)`)
	bounceSender  = regexp.MustCompile(`(?i)^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@`)
	statusCode    = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
	smtpPermanent = regexp.MustCompile(`\b5\d\d[ -]`)
	bodyMessageID = regexp.MustCompile(`(?im)^\s*message-id\s*:\s*<([^<>\s]{1,500})>`)
)

// classify sets m.Auto or m.Bounce from the header h and the parts read.
func classify(m *Message, h header, p *partWalker) {
	returnPath := strings.TrimSpace(unfold(h.get("return-path")))
	nullSender := h.has("return-path") && (returnPath == "<>" || returnPath == "")
	if p.report || len(p.dsn) > 0 || bounceSender.MatchString(m.From.Email) ||
		(bounceSubject.MatchString(m.Subject) && (nullSender || m.From.Email == "")) {
		m.Bounce = readBounce(m, h, p)
		return
	}
	switch {
	case h.has("auto-submitted") && !strings.EqualFold(headerWord(h.get("auto-submitted")), "no"):
		m.Auto = "Auto-Submitted: " + shortValue(h.get("auto-submitted"))
	case isBulk(h.get("precedence")):
		m.Auto = "Precedence: " + shortValue(h.get("precedence"))
	case h.has("x-auto-response-suppress"):
		m.Auto = "X-Auto-Response-Suppress: " + shortValue(h.get("x-auto-response-suppress"))
	case h.has("x-autoreply") || h.has("x-autorespond") || h.has("x-autoresponder"):
		m.Auto = "X-Autoreply header"
	case nullSender:
		m.Auto = "empty Return-Path"
	case autoSubject.MatchString(m.Subject):
		m.Auto = "automatic-reply subject"
	}
}

// NullSender marks m as sent with the null envelope sender (SMTP
// "MAIL FROM:<>"), which only bounces and automatic replies use.
func (m *Message) NullSender() {
	if m.Bounce != nil || m.Auto != "" {
		return
	}
	if bounceSubject.MatchString(m.Subject) {
		m.Bounce = &Bounce{OriginalIDs: m.Refs, Permanent: smtpPermanent.MatchString(m.Text) || statusCode.MatchString(m.Text)}
		return
	}
	m.Auto = "null envelope sender (MAIL FROM:<>)"
}

// shortValue is a header value fit to show in the log: decoded, on one
// line, at most 100 bytes.
func shortValue(v string) string { return clip(oneLine(decodeHeader(v)), 100) }

func headerWord(v string) string {
	v = strings.TrimSpace(unfold(v))
	if i := strings.IndexAny(v, ";( \t"); i >= 0 {
		v = v[:i]
	}
	return v
}

func isBulk(v string) bool {
	switch strings.ToLower(headerWord(v)) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	return false
}

// readBounce reads a delivery-status notification: the Message-IDs of the
// undelivered mail (from the returned headers, the report's own
// In-Reply-To/References, or "Message-ID:" lines in the text), the failed
// recipients and whether the failure is permanent.
func readBounce(m *Message, h header, p *partWalker) *Bounce {
	b := &Bounce{}
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] && len(b.OriginalIDs) < maxRefs {
			seen[id] = true
			b.OriginalIDs = append(b.OriginalIDs, id)
		}
	}
	for _, oh := range p.origHeader {
		for _, id := range messageIDs(oh.get("message-id")) {
			add(id)
		}
	}
	for _, id := range m.Refs {
		add(id)
	}
	if len(b.OriginalIDs) == 0 {
		for _, sm := range bodyMessageID.FindAllStringSubmatch(clip(m.Text, 1<<20), maxRefs) {
			add(normalizeID(sm[1]))
		}
	}
	action := ""
	for _, d := range p.dsn {
		for _, line := range fieldLines(d) {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "final-recipient", "original-recipient":
				if _, addr, ok := strings.Cut(v, ";"); ok {
					v = addr
				}
				if a := parseAddress(v); a.Email != "" && !contains(b.Recipients, a.Email) && len(b.Recipients) < 50 {
					b.Recipients = append(b.Recipients, a.Email)
				}
			case "action":
				if action != "failed" {
					action = strings.ToLower(v)
				}
			case "status":
				if strings.HasPrefix(v, "5") {
					b.Permanent = true
				}
			case "diagnostic-code":
				if b.Diagnostic == "" {
					b.Diagnostic = clip(v, 500)
				}
			}
		}
	}
	switch {
	case action == "failed":
		b.Permanent = true
	case action == "delayed" || action == "delivered" || action == "relayed" || action == "expanded":
		b.Permanent = false
	case len(p.dsn) == 0:
		text := clip(m.Text, 1<<20)
		if sm := statusCode.FindStringSubmatch(text); sm != nil {
			b.Permanent = sm[1] == "5"
		} else {
			b.Permanent = smtpPermanent.MatchString(text)
		}
	}
	if b.Diagnostic == "" {
		if sm := statusCode.FindString(clip(m.Text, 1<<20)); sm != "" {
			b.Diagnostic = sm
		}
	}
	return b
}

// fieldLines splits "Name: value" lines, joining continuation lines.
func fieldLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0 {
			out[len(out)-1] += " " + strings.TrimSpace(l)
			continue
		}
		out = append(out, l)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// clip shortens s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
