package rules_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// The active rules are kept between changes, yet a rule created, changed
// or deleted through another handle on the same database (another node)
// is what the very next request gets.
func TestRuleChangedElsewhereUsedNext(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			opts := storetest.Options(t, d)
			st := storetest.OpenWith(t, opts)
			rules.New(st, nil, nil, nil).Start()
			other, err := store.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			elsewhere := rules.New(other, nil, nil, nil) // the other node's service
			c := &model.Customer{Name: "C", Phone: "13800000001", Locale: "en"}
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			tags := func() []string {
				t.Helper()
				r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
					Channel: model.ChannelWeb, Subject: "Broken", CustomerID: c.ID}, customer)
				if err != nil {
					t.Fatal(err)
				}
				return r.Tags
			}
			in := rules.Input{Name: "Tag", Position: 1, Active: true, Trigger: model.TriggerRequestCreated,
				Actions: []model.RuleAction{{Type: model.ActAddTag, Tag: "first"}}}
			if got := tags(); len(got) != 0 {
				t.Errorf("no rule yet: tags %v", got)
			}
			r, err := elsewhere.Create(ctx, admin, in)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second from the kept rules
				if got := tags(); !slices.Equal(got, []string{"first"}) {
					t.Errorf("after the rule was created elsewhere: tags %v, want [first]", got)
				}
			}
			in.Actions[0].Tag = "second"
			if _, err := elsewhere.Update(ctx, admin, r.ID, r.Version, in); err != nil {
				t.Fatal(err)
			}
			if got := tags(); !slices.Equal(got, []string{"second"}) {
				t.Errorf("after the rule was changed elsewhere: tags %v, want [second]", got)
			}
			if err := elsewhere.Delete(ctx, admin, r.ID); err != nil {
				t.Fatal(err)
			}
			if got := tags(); len(got) != 0 {
				t.Errorf("after the rule was deleted elsewhere: tags %v, want none", got)
			}
		})
	}
}
