package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestUnitAndProductEveryFieldAtOnce: registering a unit or adding or
// changing a product model with several bad fields is refused naming
// every one at once, each with a whole sentence in both languages, and
// nothing is saved; a taken serial or SKU, and an unknown one, are
// sentences too.
func TestUnitAndProductEveryFieldAtOnce(t *testing.T) {
	now := time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)
	eachStore(t, func() time.Time { return now }, func(t *testing.T, st *store.Store, svc *catalog.Service, b *i18n.Bundle) {
		ctx := context.Background()
		admin := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAdmin}
		pr, err := svc.CreateProduct(ctx, admin, catalog.ProductInput{SKU: "WM-8", Name: "Washer", WarrantyMonths: 12})
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.CreateCustomer(ctx, admin, catalog.CustomerInput{Name: "李四"})
		if err != nil {
			t.Fatal(err)
		}

		_, err = svc.CreateUnit(ctx, admin, catalog.UnitInput{Serial: " ", PurchasedAt: "2026-07-01", DeliveredAt: "1 May"})
		checkFields(t, b, "unit", err, map[string]map[string]string{
			"serial":       {"en": "Enter the serial number printed on the product.", "zh-CN": "请填写产品上印的序列号。"},
			"sku":          {"en": "Choose the product model.", "zh-CN": "请选择产品型号。"},
			"customer_id":  {"en": "Choose the customer who bought the product.", "zh-CN": "请选择购买该产品的客户。"},
			"purchased_at": {"en": "The purchase date cannot be in the future.", "zh-CN": "购买日期不能晚于今天。"},
			"delivered_at": {"en": "Enter the delivery date, such as 2026-03-01.", "zh-CN": "请填写收货日期，例如 2026-03-01。"},
		})
		_, err = svc.CreateUnit(ctx, admin, catalog.UnitInput{Serial: "HX1", SKU: "WM-8", CustomerID: c.ID,
			PurchasedAt: "2026-03-01", DeliveredAt: "2026-02-27"})
		checkFields(t, b, "delivered before bought", err, map[string]map[string]string{
			"delivered_at": {"en": "The delivery date cannot be before the purchase date.", "zh-CN": "收货日期不能早于购买日期。"}})

		_, err = svc.CreateProduct(ctx, admin, catalog.ProductInput{SKU: strings.Repeat("X", 65), Name: "",
			Brand: strings.Repeat("牌", 101), WarrantyMonths: 241})
		want := map[string]map[string]string{
			"sku":             {"en": "The product code (SKU) is too long: keep it to 64 characters or fewer.", "zh-CN": "产品型号代码（SKU）太长了，请不要超过 64 个字符。"},
			"name":            {"en": "Enter the product's name.", "zh-CN": "请填写产品名称。"},
			"brand":           {"en": "The brand is too long: keep it to 100 characters or fewer.", "zh-CN": "品牌名称太长了，请不要超过 100 个字。"},
			"warranty_months": {"en": "Enter the warranty as a number of months from 0 to 240.", "zh-CN": "请填写保修期的月数，范围为 0 到 240。"},
		}
		checkFields(t, b, "new product", err, want)
		delete(want, "sku")
		_, err = svc.UpdateProduct(ctx, admin, pr.ID, catalog.ProductChange{Brand: strings.Repeat("牌", 101), WarrantyMonths: -1})
		checkFields(t, b, "product edit", err, want)
		if got, err := st.ProductByID(ctx, pr.ID); err != nil || got.Name != "Washer" || got.WarrantyMonths != 12 {
			t.Errorf("after a refused edit: %+v, %v; want it unchanged", got, err)
		}
		if ps, err := st.ListProducts(ctx); err != nil || len(ps) != 1 {
			t.Errorf("after refused products: %d products, %v; want 1", len(ps), err)
		}

		// Taken and unknown codes, in sentences without the raw code.
		if _, err := svc.CreateUnit(ctx, admin, catalog.UnitInput{Serial: "HX1", SKU: "WM-8", CustomerID: c.ID, PurchasedAt: "2026-03-01"}); err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			what   string
			err    error
			code   string
			field  string
			en, zh string
		}{
			{"taken serial", second(svc.CreateUnit(ctx, admin, catalog.UnitInput{Serial: "HX1", SKU: "WM-8", CustomerID: c.ID, PurchasedAt: "2026-03-01"})),
				model.ECONFLICT, "serial", "This serial number is already registered.", "这个序列号已经登记过了。"},
			{"unknown SKU", second(svc.CreateUnit(ctx, admin, catalog.UnitInput{Serial: "HX2", SKU: "NOPE-9", CustomerID: c.ID, PurchasedAt: "2026-03-01"})),
				model.EINVALID, "sku", "There is no product model with this code (SKU); choose one from the list.", "没有使用这个代码（SKU）的产品型号，请从列表中选择。"},
			{"taken SKU", second(svc.CreateProduct(ctx, admin, catalog.ProductInput{SKU: "WM-8", Name: "Dryer", WarrantyMonths: 12})),
				model.ECONFLICT, "sku", "Another product model already has this code (SKU).", "已有另一个产品型号使用这个代码（SKU）。"},
		} {
			all := model.AllErrors(x.err)
			if model.ErrorCode(x.err) != x.code || len(all) != 1 || all[0].Field != x.field {
				t.Errorf("%s: got %v, want %s at %s", x.what, x.err, x.code, x.field)
				continue
			}
			if en, zh := b.Error("en", x.err), b.Error("zh-CN", x.err); en != x.en || zh != x.zh {
				t.Errorf("%s: %q / %q", x.what, en, zh)
			}
		}
	})
}

// second is the error of a (value, error) call.
func second[T any](_ T, err error) error { return err }
