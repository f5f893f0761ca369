package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestProductEditAndRemove: a product model's name and warranty change
// together (the policy with it); a model a unit refers to is kept, and
// the refusal says how many units; an unused one goes with its policy.
func TestProductEditAndRemove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		used := &model.Product{SKU: "ED-1", Name: "Kettle", WarrantyMonths: 12}
		spare := &model.Product{SKU: "ED-2", Name: "Toaster", WarrantyMonths: 12}
		for _, p := range []*model.Product{used, spare} {
			if err := s.CreateProduct(ctx, p, nil); err != nil {
				t.Fatal(err)
			}
		}
		c := &model.Customer{Name: "Edit Owner", Email: "edit-owner@example.com"}
		if err := s.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUnit(ctx, &model.Unit{Serial: "ED-1-0001", SKU: "ED-1", CustomerID: c.ID, PurchasedAt: time.Now().AddDate(0, -1, 0)}); err != nil {
			t.Fatal(err)
		}
		used.Name, used.Brand, used.WarrantyMonths = "Kettle Pro", "Brew", 36
		if err := s.UpdateProduct(ctx, used, model.Coverage{Parts: true}); err != nil {
			t.Fatal(err)
		}
		got, err := s.ProductByID(ctx, used.ID)
		if err != nil || got.Name != "Kettle Pro" || got.Brand != "Brew" || got.WarrantyMonths != 36 || got.SKU != "ED-1" {
			t.Errorf("after the change: %+v %v", got, err)
		}
		pol, err := s.WarrantyPolicy(ctx, used.ID)
		if err != nil || pol.Months != 36 || !pol.CoversParts || pol.CoversLabour || pol.CoversShipping {
			t.Errorf("the policy after the change: %+v %v, want 36 months, parts only", pol, err)
		}
		err = s.DeleteProduct(ctx, used.ID)
		if model.ErrorCode(err) != model.ECONFLICT || !strings.Contains(err.Error(), "1 units") {
			t.Errorf("removing a model with a unit: %v, want a conflict naming 1 unit", err)
		}
		if _, err := s.ProductByID(ctx, used.ID); err != nil {
			t.Errorf("the refused model is gone: %v", err)
		}
		if err := s.DeleteProduct(ctx, spare.ID); err != nil {
			t.Fatalf("removing an unused model: %v", err)
		}
		if _, err := s.ProductByID(ctx, spare.ID); !model.IsNotFound(err) {
			t.Errorf("the removed model: %v, want not found", err)
		}
		if _, err := s.WarrantyPolicy(ctx, spare.ID); !model.IsNotFound(err) {
			t.Errorf("the removed model's policy: %v, want not found", err)
		}
	})
}

// TestCategoryEditAndRemove: a category is renamed and moved, never under
// itself or its own subcategory; one with a subcategory or an SLA policy
// naming it is kept with the reason; an unused one goes.
func TestCategoryEditAndRemove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		top := &model.Category{NameZh: "电器", NameEn: "Appliances"}
		if err := s.CreateCategory(ctx, top); err != nil {
			t.Fatal(err)
		}
		kid := &model.Category{ParentID: &top.ID, NameZh: "水壶", NameEn: "Kettles"}
		if err := s.CreateCategory(ctx, kid); err != nil {
			t.Fatal(err)
		}
		other := &model.Category{NameZh: "其他", NameEn: "Other"}
		if err := s.CreateCategory(ctx, other); err != nil {
			t.Fatal(err)
		}
		for _, parent := range []int64{top.ID, kid.ID} {
			err := s.UpdateCategory(ctx, &model.Category{ID: top.ID, ParentID: &parent, NameZh: "电器", NameEn: "Appliances"})
			var e *model.Error
			if !asModelError(err, &e) || e.Field != "parent_id" {
				t.Errorf("moving a category under %d (itself or its child): %v, want an error on parent_id", parent, err)
			}
		}
		if err := s.UpdateCategory(ctx, &model.Category{ID: kid.ID, ParentID: &other.ID, NameZh: "电水壶", NameEn: "Electric kettles"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.CategoryByID(ctx, kid.ID)
		if err != nil || got.NameEn != "Electric kettles" || got.ParentID == nil || *got.ParentID != other.ID {
			t.Errorf("after the move: %+v %v", got, err)
		}
		err = s.DeleteCategory(ctx, other.ID)
		if model.ErrorCode(err) != model.ECONFLICT || !strings.Contains(err.Error(), "1 subcategories") {
			t.Errorf("removing a category with a subcategory: %v, want a conflict naming it", err)
		}
		// An SLA policy's conditions name the top category.
		cal := officeCalendar("Edit cal")
		if err := s.CreateCalendar(ctx, cal); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSLAPolicy(ctx, &model.SLAPolicy{Name: "Edit policy", Position: 1, Conditions: model.SLAConditions{CategoryID: top.ID},
			CalendarID: cal.ID, FirstResponseMinutes: 60, ResolutionMinutes: 600}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCategory(ctx, &model.Category{ID: kid.ID, ParentID: &other.ID, NameZh: "电水壶", NameEn: "Electric kettles"}); err != nil {
			t.Fatal(err)
		}
		err = s.DeleteCategory(ctx, top.ID)
		if model.ErrorCode(err) != model.ECONFLICT || !strings.Contains(err.Error(), "1 SLA policies") {
			t.Errorf("removing a category an SLA policy names: %v, want a conflict naming the policy", err)
		}
		if err := s.DeleteCategory(ctx, kid.ID); err != nil {
			t.Fatalf("removing an unused category: %v", err)
		}
		if _, err := s.CategoryByID(ctx, kid.ID); !model.IsNotFound(err) {
			t.Errorf("the removed category: %v, want not found", err)
		}
	})
}
