package i18n

import (
	"regexp"
	"testing"
)

// TestNoFragmentMessages: the error texts that used to reach people as
// fragments ("must be a date like …", "no customer with id 3", "unknown
// status \"x\"") are whole sentences naming the field now; a catalog
// text of one of those shapes ("no part with number …") means a fragment
// came back. Each
// replacement is a sentence in both languages: a capital letter and a
// full stop in English, a full stop (。) in Chinese.
func TestNoFragmentMessages(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fragment := regexp.MustCompile(`^(must be a date like|no [a-z -]+ (with |%)|no such (id|user)|unknown (status|type|priority) %q|no view %d you may use|must be a version like|is not a valid e-mail address|must not be in the future)`)
	sentence := map[string]*regexp.Regexp{En: regexp.MustCompile(`^[A-Z].*\.$`), ZhCN: regexp.MustCompile(`。$`)}
	for key, text := range b.catalogs[En] {
		if fragment.MatchString(text) {
			t.Errorf("%q reads %q, a fragment; write it as a sentence naming the field", key, text)
		}
	}
	for _, key := range []string{
		"There is no customer with id %d; choose the customer again.",
		"There is no team with id %d; choose one of the teams.",
		"The start date (from) must be a date such as 2026-03-01.",
		"The status filter names an unknown status, “%s”.",
		"No registered product has the serial number “%s”; check the number, or register the product first.",
		"There is no service centre with the code “%s”; choose one of the centres.",
		"The login or the password is wrong; check both and try again.",
		"Too many login attempts; wait %s and try again.",
	} {
		for _, lang := range Languages() {
			if got := b.catalogs[lang][key]; !sentence[lang].MatchString(got) {
				t.Errorf("%s: %q is %q, not a sentence", lang, key, got)
			}
		}
	}
}
