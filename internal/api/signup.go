package api

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/model"
)

// SignupStart is step one of customer self-registration.
type SignupStart struct {
	Name   string `json:"name" maxLength:"200" doc:"The customer's name"`
	Email  string `json:"email" maxLength:"254" doc:"Where the verification code is sent"`
	Locale string `json:"locale,omitempty" enum:"zh-CN,en" doc:"Language of the code's e-mail and of the account (default zh-CN)"`
}

// SignupSent says a code is on its way (whether or not the address
// already has an account: the answer does not tell).
type SignupSent struct {
	ExpiresAt time.Time `json:"expires_at" doc:"When the code stops working"`
}

// SignupVerify is step two: the code from the e-mail and the password.
type SignupVerify struct {
	Email    string `json:"email" maxLength:"254"`
	Code     string `json:"code" maxLength:"12" doc:"The six-digit code from the e-mail"`
	Password string `json:"password" maxLength:"1000" doc:"At least 8 characters"`
}

// SignupDone is the customer whose account is now set up.
type SignupDone struct {
	CustomerID int64  `json:"customer_id"`
	Name       string `json:"name"`
}

type signupStartInput struct {
	Body SignupStart
}

type signupStartOutput struct {
	Body SignupSent
}

type signupVerifyInput struct {
	Body SignupVerify
}

type signupVerifyOutput struct {
	Body SignupDone
}

// clientKeyOf is the rate-limiting key of the caller of ctx.
func clientKeyOf(ctx context.Context) string {
	if a, err := netip.ParseAddr(model.ClientAddr(ctx)); err == nil {
		return clientip.RateKey(a)
	}
	return "unknown"
}

func (s *server) registerSignup() {
	open := func(ctx context.Context, _ huma.Context) error {
		if !s.d.Auth.CanSelfRegister() {
			return model.Errorf(model.ECONFLICT, "self-registration needs outbound e-mail, which is not configured; ask customer service for an invitation")
		}
		return nil
	}
	const who = "anyone; rate-limited per client and per address, and only where outbound e-mail is configured (409 otherwise)"
	registerPublic(s, huma.Operation{
		OperationID: "portal-register", Method: http.MethodPost, Path: "/api/v1/portal/register",
		Summary: "Register as a customer: e-mail a verification code", Tags: []string{"portal"}, DefaultStatus: http.StatusAccepted,
		Description: "Sends a six-digit code to the address (valid 15 minutes, used once, at most 5 wrong tries, " +
			"at most 3 codes an hour per address). The answer is the same whether or not the address already has " +
			"an account; for an existing account the code sets a new password, like a reset link. " +
			"A missing or malformed name or e-mail is 422 naming the field.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, who, open, func(ctx context.Context, in *signupStartInput) (*signupStartOutput, error) {
		exp, err := s.d.Auth.StartSignup(ctx, auth.SignupInput{Name: in.Body.Name, Email: in.Body.Email, Locale: in.Body.Locale}, clientKeyOf(ctx))
		if err != nil {
			return nil, err
		}
		return &signupStartOutput{Body: SignupSent{ExpiresAt: exp}}, nil
	})
	registerPublic(s, huma.Operation{
		OperationID: "portal-register-verify", Method: http.MethodPost, Path: "/api/v1/portal/register/verify",
		Summary: "Finish registering: the code and a password", Tags: []string{"portal"}, DefaultStatus: http.StatusCreated,
		Description: "Checks the code sent by POST /api/v1/portal/register and sets the password of the customer with " +
			"this e-mail (creating the customer), ending their other sessions, links and API tokens. A wrong, used or " +
			"expired code is 422 naming body.code; a short password 422 naming body.password. The customer then signs " +
			"in to the portal; API tokens are issued by operators.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, who, open, func(ctx context.Context, in *signupVerifyInput) (*signupVerifyOutput, error) {
		p, err := s.d.Auth.CompleteSignup(ctx, in.Body.Email, in.Body.Code, in.Body.Password, clientKeyOf(ctx))
		if err != nil {
			return nil, err
		}
		return &signupVerifyOutput{Body: SignupDone{CustomerID: p.ID, Name: p.Name}}, nil
	})
}
