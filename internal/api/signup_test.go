package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/testenv"
)

// TestPortalRegisterAPI: POST /api/v1/portal/register sends a code (202),
// bad input is 422 naming the field, a wrong code 422 naming body.code,
// the right one 201 with the new customer, who can then log in; without
// outbound mail both calls are 409 and say why.
func TestPortalRegisterAPI(t *testing.T) {
	none := apitest.Start(t, "")
	none.Run(t, apitest.Scenario{Name: "no mail", Method: "POST", Path: "/api/v1/portal/register",
		Body: map[string]any{"name": "Li", "email": "li@example.com"}, ExpectedStatus: http.StatusConflict,
		ExpectedContent: []string{"获取邀请"}})

	box := &testenv.Inbox{}
	a := apitest.StartWith(t, apptest.Options{Prepare: func(m *app.Main) { m.SignupMailer = box }})
	a.Run(t, apitest.Scenario{Name: "bad e-mail", Method: "POST", Path: "/api/v1/portal/register",
		Body: map[string]any{"name": "Li", "email": "nope"}, ExpectedStatus: http.StatusUnprocessableEntity,
		ExpectedContent: []string{"body.email"}})
	a.Run(t, apitest.Scenario{Name: "no name", Method: "POST", Path: "/api/v1/portal/register",
		Body: map[string]any{"name": " ", "email": "li@example.com"}, ExpectedStatus: http.StatusUnprocessableEntity,
		ExpectedContent: []string{"body.name"}})
	a.Run(t, apitest.Scenario{Name: "register", Method: "POST", Path: "/api/v1/portal/register",
		Body: map[string]any{"name": "Li Lei", "email": "li@example.com", "locale": "en"}, ExpectedStatus: http.StatusAccepted,
		ExpectedContent: []string{"expires_at"}})
	code := box.Code("li@example.com")
	if len(code) != 6 {
		t.Fatalf("code %q, want six digits", code)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	a.Run(t, apitest.Scenario{Name: "wrong code", Method: "POST", Path: "/api/v1/portal/register/verify",
		Body:           map[string]any{"email": "li@example.com", "code": wrong, "password": "a long password"},
		ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.code"}})
	a.Run(t, apitest.Scenario{Name: "short password", Method: "POST", Path: "/api/v1/portal/register/verify",
		Body:           map[string]any{"email": "li@example.com", "code": code, "password": "short"},
		ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.password"}})
	a.Run(t, apitest.Scenario{Name: "verify", Method: "POST", Path: "/api/v1/portal/register/verify",
		Body:           map[string]any{"email": "li@example.com", "code": code, "password": "a long password"},
		ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"name":"Li Lei"`, "customer_id"}, NotExpectedContent: []string{code}})
	if _, err := a.Auth.LoginCustomer(context.Background(), "li@example.com", "a long password", "127.0.0.9"); err != nil {
		t.Errorf("login after registering: %v", err)
	}
	a.Run(t, apitest.Scenario{Name: "code used", Method: "POST", Path: "/api/v1/portal/register/verify",
		Body:           map[string]any{"email": "li@example.com", "code": code, "password": "a long password"},
		ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.code"}})
}
