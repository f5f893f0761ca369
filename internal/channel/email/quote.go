package email

import (
	"regexp"
	"strings"
)

// Quoted history and signatures are folded away from the text a request
// shows (the stored original keeps them): a reply shows what the customer
// wrote this time, not the whole thread again.

var (
	// replyHeader matches the line a mail client puts above the quoted
	// original, in English and Chinese clients.
	replyHeader = regexp.MustCompile(`(?i)^(on .{1,400}wrote:|.{0,300}(于|在|於).{0,300}(写道|寫道)\s*[:：]|-{2,}\s*(original message|原始邮件|原始郵件|forwarded message|转发邮件|转发的邮件)\s*-{2,}|_{10,})\s*$`)
	// outlookFrom and outlookSent are Outlook's header block of the
	// quoted original ("From: … Sent: …", "发件人: … 发送时间: …").
	outlookFrom = regexp.MustCompile(`(?i)^\*?(from|发件人|寄件者)\s*\*?\s*[:：]`)
	outlookSent = regexp.MustCompile(`(?i)^\*?(sent|date|发送时间|日期|寄件日期|时间)\s*\*?\s*[:：]`)
	// mobileSignature matches the one-line signatures of phone mail apps.
	mobileSignature = regexp.MustCompile(`(?i)^(sent from my .{1,40}|sent from (mail|outlook) for .{1,40}|get outlook for .{1,40}|发自我的.{1,20}|来自我的.{1,20}|发自.{1,10}邮箱.{0,20})$`)
)

// foldQuoted returns text without the quoted history below a reply header,
// a trailing block of ">" lines, and the signature. When nothing would be
// left (a mail that is all quote), the text is returned whole.
func foldQuoted(text string) string {
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || len(t) > 1000 { // reply headers are short lines
			continue
		}
		if replyHeader.MatchString(t) {
			cut = i
			break
		}
		// "On Mon, 1 Jan 2026, Li Lei <li@example.com>\nwrote:" split over two lines.
		if i+1 < len(lines) && strings.HasPrefix(strings.ToLower(t), "on ") &&
			strings.EqualFold(strings.TrimSpace(lines[i+1]), "wrote:") {
			cut = i
			break
		}
		if i > 0 && outlookFrom.MatchString(t) && outlookBlock(lines[i+1:]) {
			cut = i
			break
		}
		if t == "--" || l == "-- " || l == "--\r" {
			cut = i
			break
		}
	}
	lines = lines[:cut]
	// A trailing block of quoted lines (">"), with the blank lines around it.
	end := len(lines)
	for end > 0 {
		t := strings.TrimSpace(lines[end-1])
		if t == "" || strings.HasPrefix(t, ">") {
			end--
			continue
		}
		break
	}
	if end < len(lines) && end < lastQuoted(lines)+1 {
		lines = lines[:end]
	}
	// A phone app's one-line signature at the end.
	for n := len(lines) - 1; n >= 0; n-- {
		t := strings.TrimSpace(lines[n])
		if t == "" {
			continue
		}
		if len(t) < 200 && mobileSignature.MatchString(t) {
			lines = lines[:n]
		}
		break
	}
	out := strings.TrimSpace(strings.Join(lines, "\n"))
	if out == "" {
		return strings.TrimSpace(text)
	}
	return out
}

// outlookBlock reports whether a "Sent:" or "Date:" line follows within the
// next few lines (so "From:" starts Outlook's quoted header block).
func outlookBlock(next []string) bool {
	for i := 0; i < len(next) && i < 4; i++ {
		if outlookSent.MatchString(strings.TrimSpace(next[i])) {
			return true
		}
	}
	return false
}

// lastQuoted returns the index of the last ">" line, -1 when there is none.
func lastQuoted(lines []string) int {
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), ">") {
			return i
		}
	}
	return -1
}
