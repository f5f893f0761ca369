package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// Customer is a customer as the API shows it.
type Customer struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone"`
	Locale    string    `json:"locale" enum:"zh-CN,en"`
	Address   string    `json:"address"`
	City      string    `json:"city"`
	CreatedAt time.Time `json:"created_at"`
	// EmailBouncing says mail Aftercare sent to Email bounced (filled
	// where the customer is read by id).
	EmailBouncing bool    `json:"email_bouncing" doc:"Mail Aftercare sent to this address bounced; reach the customer another way."`
	EmailBounce   *Bounce `json:"email_bounce,omitempty" doc:"The bounce, when email_bouncing."`
	// Tier is the customer's tier key (filled where the customer is read
	// by id).
	Tier string `json:"tier,omitempty" doc:"The customer's tier (its key); SLA policies match on it."`
}

// Bounce is a bounce of mail sent to a customer's address.
type Bounce struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

func toCustomer(c *model.Customer) Customer {
	return Customer{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, Locale: c.Locale,
		Address: c.Address, City: c.City, CreatedAt: c.CreatedAt}
}

type customerOutput struct {
	Body Customer
}

type createCustomerInput struct {
	Body struct {
		Name    string `json:"name" maxLength:"200" doc:"Full name or company name."`
		Email   string `json:"email,omitempty" doc:"Unique among customers when given."`
		Phone   string `json:"phone,omitempty" doc:"Mobile number, unique among customers when given. Spaces, dashes, dots and parentheses are dropped; a Chinese mainland mobile with +86, 0086 or 86 in front is stored as its 11 digits (\"+86 138-0013-8000\" → \"13800138000\"), another number with + or 00 as +digits."`
		Locale  string `json:"locale,omitempty" enum:"zh-CN,en" doc:"Default zh-CN."`
		Address string `json:"address,omitempty"`
		City    string `json:"city,omitempty"`
	}
}

type customerIDInput struct {
	ID int64 `path:"id"`
}

// Invite is a single-use portal invite link.
type Invite struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

type inviteOutput struct {
	Body Invite
}

func (s *server) registerCustomers() {
	register(s, huma.Operation{
		OperationID: "create-customer", Method: http.MethodPost, Path: "/api/v1/customers",
		Summary: "Create a customer", Tags: []string{"customers"}, DefaultStatus: http.StatusCreated,
		Description: "Bad fields are one 422 whose errors list every one of them at once, each with a sentence " +
			"(name, email, phone, locale, address, city). A duplicate e-mail or mobile number is 409 naming the field.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermCustomerCreate), func(ctx context.Context, in *createCustomerInput) (*customerOutput, error) {
		b := in.Body
		c, err := s.d.Catalog.CreateCustomer(ctx, principalFrom(ctx), catalog.CustomerInput{
			Name: b.Name, Email: b.Email, Phone: b.Phone, Locale: b.Locale, Address: b.Address, City: b.City})
		if err != nil {
			return nil, err
		}
		return &customerOutput{Body: toCustomer(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-customer", Method: http.MethodGet, Path: "/api/v1/customers/{id}",
		Summary: "Get a customer", Tags: []string{"customers"},
		Description: "A customer may read only itself; any other id is 404.",
		Errors:      []int{http.StatusNotFound},
	}, can(model.PermCustomerRead), func(ctx context.Context, in *customerIDInput) (*customerOutput, error) {
		p := principalFrom(ctx)
		if p.IsCustomer() && p.ID != in.ID {
			return nil, model.Errorf(model.ENOTFOUND, "customer not found")
		}
		c, err := s.d.Store.CustomerByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		out := &customerOutput{Body: toCustomer(c)}
		b, bouncing, err := s.d.Store.CustomerEmailBounce(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if bouncing {
			out.Body.EmailBouncing, out.Body.EmailBounce = true, &Bounce{At: b.BouncedAt, Reason: b.Reason}
		}
		out.Body.Tier, err = s.d.Store.CustomerTier(ctx, nil, c.ID)
		return out, err
	})

	register(s, huma.Operation{
		OperationID: "invite-customer", Method: http.MethodPost, Path: "/api/v1/customers/{id}/invite",
		Summary: "Create a portal invite link", Tags: []string{"customers"}, DefaultStatus: http.StatusCreated,
		Description: "Returns a single-use link (7 days) with which a customer who has no portal password yet sets one. " +
			"A customer who already has a password is 409: they reset it themselves from the portal login page.",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermCustomerInvite), func(ctx context.Context, in *customerIDInput) (*inviteOutput, error) {
		link, err := s.d.Auth.Invite(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &inviteOutput{Body: Invite{URL: link.URL, ExpiresAt: link.ExpiresAt}}, nil
	})
}
