package catalog_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestCustomerEveryFieldAtOnce: a customer's contact data with several
// bad fields is refused naming every one of them at once, each with a
// whole sentence in both languages, and nothing is saved, on a new
// customer and on an edit alike; a mobile number another customer has is
// refused at the phone field with a sentence, however it is written.
func TestCustomerEveryFieldAtOnce(t *testing.T) {
	eachStore(t, time.Now, func(t *testing.T, st *store.Store, svc *catalog.Service, b *i18n.Bundle) {
		ctx := context.Background()
		agent := model.Principal{Kind: model.KindStaff, ID: 2, Role: model.RoleAgent}
		count := func() int {
			t.Helper()
			page, err := st.ListCustomers(ctx, store.CustomerFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items)
		}
		li, err := svc.CreateCustomer(ctx, agent, catalog.CustomerInput{Name: "李四", Phone: "138-0000-1111", Email: "li@example.com"})
		if err != nil {
			t.Fatal(err)
		}

		bad := catalog.CustomerInput{Name: "  ", Email: "not-an-email", Phone: "call me", Locale: "fr",
			Address: strings.Repeat("路", 501), City: strings.Repeat("城", 101)}
		want := map[string]map[string]string{
			"name":    {"en": "Enter the customer's name.", "zh-CN": "请填写客户姓名。"},
			"email":   {"en": "Enter a valid e-mail address, such as name@example.com.", "zh-CN": "请填写有效的电子邮件地址，例如 name@example.com。"},
			"phone":   {"en": "Enter a valid mobile number, such as 138 0013 8000 (a number abroad starts with +).", "zh-CN": "请填写有效的手机号码，例如 138 0013 8000（境外号码以 + 开头）。"},
			"locale":  {"en": "Choose Chinese or English as the customer's language.", "zh-CN": "请选择中文或英文作为客户的语言。"},
			"address": {"en": "The address is too long: keep it to 500 characters or fewer.", "zh-CN": "地址太长了，请不要超过 500 个字。"},
			"city":    {"en": "The city is too long: keep it to 100 characters or fewer.", "zh-CN": "城市名称太长了，请不要超过 100 个字。"},
		}
		check := func(what string, err error) { t.Helper(); checkFields(t, b, what, err, want) }
		n := count()
		_, err = svc.CreateCustomer(ctx, agent, bad)
		check("new customer", err)
		_, err = svc.UpdateCustomer(ctx, agent, li.ID, bad)
		check("edit", err)
		if got := count(); got != n {
			t.Errorf("after refused input: %d customers, want %d", got, n)
		}
		if c, err := st.CustomerByID(ctx, li.ID); err != nil || c.Name != "李四" || c.Phone != "13800001111" {
			t.Errorf("after a refused edit: %+v, %v; want it unchanged", c, err)
		}
		long := catalog.CustomerInput{Name: strings.Repeat("名", 201)}
		if _, err := svc.CreateCustomer(ctx, agent, long); b.Error("en", err) != "The customer's name is too long: keep it to 200 characters or fewer." {
			t.Errorf("long name: %q", b.Error("en", err))
		}

		// The number and address another customer has, written otherwise.
		for _, c := range []struct {
			in            catalog.CustomerInput
			field, en, zh string
		}{
			{catalog.CustomerInput{Name: "王五", Phone: "+86 138 0000 1111"}, "phone",
				"This mobile number is already used by another customer.", "这个手机号码已被另一位客户使用。"},
			{catalog.CustomerInput{Name: "王五", Email: "li@example.com"}, "email",
				"This e-mail address is already used by another customer.", "这个电子邮件地址已被另一位客户使用。"},
		} {
			_, err := svc.CreateCustomer(ctx, agent, c.in)
			var e *model.Error
			if model.ErrorCode(err) != model.ECONFLICT || !asError(err, &e) || e.Field != c.field {
				t.Fatalf("taken %s: got %v, want a conflict at %s", c.field, err, c.field)
			}
			if en, zh := b.Error("en", err), b.Error("zh-CN", err); en != c.en || zh != c.zh {
				t.Errorf("taken %s: %q / %q", c.field, en, zh)
			}
		}
		if got := count(); got != n {
			t.Errorf("after taken numbers: %d customers, want %d", got, n)
		}
	})
}

func asError(err error, target **model.Error) bool { return errors.As(err, target) }

// checkFields fails t unless err is EINVALID reporting every field of
// want at once, each with its sentence in each language of want[field].
func checkFields(t *testing.T, b *i18n.Bundle, what string, err error, want map[string]map[string]string) {
	t.Helper()
	if model.ErrorCode(err) != model.EINVALID {
		t.Fatalf("%s: got %v, want invalid", what, err)
	}
	got := map[string]bool{}
	for _, e := range model.AllErrors(err) {
		got[e.Field] = true
		for lang, msg := range want[e.Field] {
			if text := b.Error(lang, e); text != msg {
				t.Errorf("%s: %s in %s: got %q, want %q", what, e.Field, lang, text, msg)
			}
		}
	}
	for f := range want {
		if !got[f] {
			t.Errorf("%s: %s not reported (got %v)", what, f, got)
		}
	}
}

// eachStore runs fn on a fresh store of each dialect with a catalog
// service on clock now and the catalogs of both languages.
func eachStore(t *testing.T, now func() time.Time, fn func(t *testing.T, st *store.Store, svc *catalog.Service, b *i18n.Bundle)) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			st := storetest.OpenWith(t, storetest.Options(t, d))
			fn(t, st, catalog.NewService(st, now), b)
		})
	}
}
