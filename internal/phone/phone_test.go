package phone

import "testing"

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"13800138000", "13800138000"},
		{"+8613800138000", "13800138000"},
		{"+86 138-0013-8000", "13800138000"},
		{"138-0013-8000", "13800138000"},
		{"138.0013.8000", "13800138000"},
		{"(+86) 138 0013 8000", "13800138000"},
		{"008613800138000", "13800138000"},
		{"8613800138000", "13800138000"},
		{"＋86 138 0013 8000", "13800138000"},
		{"  +86 199 1234 5678 ", "19912345678"},
		{"+49 151 1234 5678", "+4915112345678"},
		{"0049 151 1234 5678", "+4915112345678"},
		{"+86 10 6552 9988", "+861065529988"}, // a Beijing landline stays international
		{"010-6552-9988", "01065529988"},
		{"+8612800138000", "+8612800138000"}, // 12… is no mobile
		{"", ""},
		{"abc", "abc"},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestValid(t *testing.T) {
	for in, want := range map[string]bool{
		"13800138000": true, "+4915112345678": true, "123456": true,
		"12345": false, "+1234567890123456": false, "abc": false, "+": false, "": false, "+86abc": false,
	} {
		if got := Valid(in); got != want {
			t.Errorf("Valid(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestLooks(t *testing.T) {
	for in, want := range map[string]bool{
		"13800138000": true, "+8613800138000": true, "+86 138 0013 8000": true, "138-0013-8000": true,
		"0086 138 0013 8000": true, "+49 151 1234 5678": true,
		"2026": false, "0013": false, "12345678": false, "屏幕": false, "SR-2026-000123": false,
		"138 screen": false, "": false,
	} {
		if got := Looks(in); got != want {
			t.Errorf("Looks(%q) = %v, want %v", in, got, want)
		}
	}
}
