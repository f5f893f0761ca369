package loadgen

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// The API shapes the generator uses (a subset of each answer).
type (
	customerIn struct {
		Name  string `json:"name"`
		Email string `json:"email,omitempty"`
		Phone string `json:"phone,omitempty"`
	}
	idOut struct {
		ID int64 `json:"id"`
	}
	productIn struct {
		SKU            string `json:"sku"`
		Name           string `json:"name"`
		Brand          string `json:"brand"`
		Category       string `json:"category"`
		WarrantyMonths int    `json:"warranty_months"`
	}
	unitIn struct {
		Serial      string `json:"serial"`
		SKU         string `json:"sku"`
		CustomerID  int64  `json:"customer_id"`
		PurchasedAt string `json:"purchased_at"`
	}
	requestIn struct {
		Type        string `json:"type"`
		Subject     string `json:"subject"`
		Description string `json:"description"`
		CustomerID  int64  `json:"customer_id"`
		Channel     string `json:"channel"`
		Priority    string `json:"priority"`
	}
	requestOut struct {
		Number string `json:"number"`
		Status string `json:"status"`
	}
	listOut struct {
		Items      []requestOut `json:"items"`
		NextCursor string       `json:"next_cursor"`
	}
)

// opFunc is one operation of the timed phase; i counts from 0.
type opFunc func(ctx context.Context, i int) error

// getPool is how many requests a get run opens in turn.
const getPool = 50

// filterQueries are the filtered queue views a filter run asks for in
// turn: the shapes of the agent console's tabs and saved views.
func filterQueries() []string {
	return []string{
		"status=open,pending&priority=high",
		"status=new&type=repair",
		"status=open&sort=updated",
		"status=on_hold,pending&priority=urgent",
		"type=complaint&status=new,open,pending",
		"priority=low&sort=priority",
	}
}

// searchWords are what a search run looks for in turn: two-character
// Chinese words and English words of the demo's conversations.
func searchWords() []string {
	return []string{"漏水", "battery", "屏幕", "refund", "退款", "screen", "电池", "warranty", "充电", "noise"}
}

// prepare creates (through the API) what the operation needs and returns
// it. Names carry a timestamp so that runs never collide.
func (c *client) prepare(ctx context.Context, op string) (opFunc, error) {
	switch op {
	case OpList:
		return func(ctx context.Context, _ int) error {
			return c.do(ctx, "GET", "/api/v1/requests?limit=25", nil, nil)
		}, nil
	case OpFilter:
		views := filterQueries()
		return func(ctx context.Context, i int) error {
			return c.do(ctx, "GET", "/api/v1/requests?limit=25&"+views[i%len(views)], nil, nil)
		}, nil
	case OpSearch:
		words := searchWords()
		return func(ctx context.Context, i int) error {
			return c.do(ctx, "GET", "/api/v1/requests?limit=25&q="+url.QueryEscape(words[i%len(words)]), nil, nil)
		}, nil
	case OpCreate:
		cust, err := c.setupCustomer(ctx)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, i int) error {
			if c.ack == nil {
				return c.create(ctx, cust, i, nil)
			}
			var out requestOut
			if err := c.create(ctx, cust, i, &out); err != nil {
				return err
			}
			c.ack(out.Number)
			return nil
		}, nil
	}
	var page listOut
	if err := c.do(ctx, "GET", "/api/v1/requests?limit="+fmt.Sprint(getPool), nil, &page); err != nil {
		return nil, fmt.Errorf("loadgen: set-up: %w", err)
	}
	var numbers []string
	for _, it := range page.Items {
		if it.Number != "" {
			numbers = append(numbers, it.Number)
		}
	}
	if len(numbers) < 10 {
		cust, err := c.setupCustomer(ctx)
		if err != nil {
			return nil, err
		}
		for i := range 20 {
			var out requestOut
			if err := c.create(ctx, cust, i, &out); err != nil {
				return nil, fmt.Errorf("loadgen: set-up: %w", err)
			}
			numbers = append(numbers, out.Number)
		}
	}
	return func(ctx context.Context, i int) error {
		return c.do(ctx, "GET", "/api/v1/requests/"+url.PathEscape(numbers[i%len(numbers)]), nil, nil)
	}, nil
}

// setupCustomer creates a customer with a product model and a unit, as a
// real caller (an order system) would before filing requests.
func (c *client) setupCustomer(ctx context.Context) (int64, error) {
	stamp := time.Now().UTC().Format("20060102150405.000000")
	tag := stamp[:14] + stamp[15:]
	var cust idOut
	if err := c.do(ctx, "POST", "/api/v1/customers", customerIn{Name: "Loadgen " + tag,
		Email: "loadgen-" + tag + "@example.test"}, &cust); err != nil {
		return 0, fmt.Errorf("loadgen: set-up: create customer: %w", err)
	}
	if cust.ID == 0 {
		return 0, fmt.Errorf("loadgen: set-up: create customer: the answer has no id")
	}
	sku := "LG-" + tag
	if err := c.do(ctx, "POST", "/api/v1/products", productIn{SKU: sku, Name: "Loadgen test camera " + tag,
		Brand: "Loadgen", Category: "camera", WarrantyMonths: 12}, nil); err != nil {
		return 0, fmt.Errorf("loadgen: set-up: create product: %w", err)
	}
	if err := c.do(ctx, "POST", "/api/v1/units", unitIn{Serial: "LG" + tag, SKU: sku, CustomerID: cust.ID,
		PurchasedAt: time.Now().AddDate(0, -2, 0).Format(time.DateOnly)}, nil); err != nil {
		return 0, fmt.Errorf("loadgen: set-up: create unit: %w", err)
	}
	return cust.ID, nil
}

// create files one repair request for customer.
func (c *client) create(ctx context.Context, customer int64, i int, out *requestOut) error {
	in := requestIn{Type: "repair", Subject: fmt.Sprintf("Loadgen: lens focus fault #%d", i+1),
		Description: "Created by aftercare loadgen: autofocus hunts and misses in low light.",
		CustomerID:  customer, Channel: "api", Priority: "normal"}
	var o requestOut
	if err := c.do(ctx, "POST", "/api/v1/requests", in, &o); err != nil {
		return err
	}
	if o.Number == "" {
		return fmt.Errorf("POST /api/v1/requests: the answer has no number")
	}
	if out != nil {
		*out = o
	}
	return nil
}
