package model

import "testing"

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		in       string
		currency string
		want     int64
		ok       bool
	}{
		{"880", "CNY", 88000, true},
		{"880.5", "CNY", 88050, true},
		{"880.05", "CNY", 88005, true},
		{"¥1,234.56", "CNY", 123456, true},
		{"0.01", "CNY", 1, true},
		{"-3.20", "CNY", -320, true},
		{"1200", "JPY", 1200, true},
		{"1.5", "JPY", 0, false}, // yen have no minor unit
		{"1.234", "CNY", 0, false},
		{"1.234", "KWD", 1234, true},
		{"12.", "CNY", 0, false},
		{"", "CNY", 0, false},
		{"1e3", "CNY", 0, false},
		{"abc", "CNY", 0, false},
	} {
		got, ok := ParseMajor(c.in, c.currency)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseMajor(%q, %s): got %d %v, want %d %v", c.in, c.currency, got, ok, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		amount   int64
		currency string
		want     string
	}{
		{88000, "CNY", "880.00"}, {5, "CNY", "0.05"}, {-320, "CNY", "-3.20"}, {0, "CNY", "0.00"}, {1200, "JPY", "1200"}, {1234, "KWD", "1.234"},
	} {
		if got := FormatMinor(c.amount, c.currency); got != c.want {
			t.Errorf("FormatMinor(%d, %s): got %q, want %q", c.amount, c.currency, got, c.want)
		}
	}
	if !ValidCurrency("CNY") || ValidCurrency("cny") || ValidCurrency("YUAN") {
		t.Error("ValidCurrency: want CNY only among CNY, cny, YUAN")
	}
}

func TestUserCentreRules(t *testing.T) {
	centre := int64(3)
	tech := User{Role: RoleTechnician, CentreID: &centre}
	agent := RoleAgent
	changes := UserPatch{Role: &agent}.Apply(&tech)
	if tech.CentreID != nil || len(changes) != 2 {
		t.Errorf("a technician made agent: got centre %v, changes %v; want the centre left", tech.CentreID, changes)
	}
	a := User{Role: RoleAgent}
	UserPatch{CentreID: &centre}.Apply(&a)
	if err := a.CheckCentre(); err == nil {
		t.Error("an agent at a centre: got no error")
	}
	cm := User{Role: RoleCentreManager}
	if err := cm.CheckCentre(); err == nil {
		t.Error("a centre manager without a centre: got no error")
	}
	if ParseRole("center_manager") != RoleCentreManager || !RoleCentreManager.Valid() {
		t.Error("center_manager should read as the valid centre_manager role")
	}
}
