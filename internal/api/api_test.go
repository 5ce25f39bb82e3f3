package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestAccountAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, viewerToken := a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		a.Run(t, []apptest.Scenario{
			{Name: "read", Method: "GET", URL: "/settle/v1/account", ExpectedStatus: 200,
				ExpectedContent: []string{`"country":"US"`, `"test_mode":true`, `"processor":{"type":"builtin"}`}},
			{Name: "no token", Method: "GET", URL: "/settle/v1/account", Token: apptest.NoToken, ExpectedStatus: 401,
				ExpectedContent: []string{`"category":"INVALID_AUTHENTICATION"`, "Authentication credentials not found"}},
			{Name: "made-up token", Method: "GET", URL: "/settle/v1/account", Token: "stl_nope", ExpectedStatus: 401,
				ExpectedContent: []string{`"category":"INVALID_AUTHENTICATION"`, "not valid"}},
			{Name: "rename", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"Acme Inc.","settings":{"create_invoices":true}}`,
				ExpectedStatus: 200, ExpectedContent: []string{`"name":"Acme Inc."`, `"create_invoices":true`}},
			{Name: "several problems at once", Method: "PATCH", URL: "/settle/v1/account",
				Body: `{"country":"XX","branding":{"brand_color":"blue"}}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"category":"VALIDATION_ERROR"`, `"in":"country"`, `"in":"branding.brand_color"`}},
			{Name: "builtin needs US, GB or CA", Method: "PATCH", URL: "/settle/v1/account", Body: `{"country":"FR"}`,
				ExpectedStatus: 400, ExpectedContent: []string{"connect Stripe", `"code":"PROCESSOR_UNAVAILABLE"`}},
			{Name: "unknown field", Method: "PATCH", URL: "/settle/v1/account", Body: `{"colour":"red"}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"in":"colour"`, `"code":"UNKNOWN_FIELD"`}},
			{Name: "wrong type", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":42}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"code":"INVALID_TYPE"`}},
			{Name: "not JSON", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":`,
				ExpectedStatus: 400, ExpectedContent: []string{`"code":"INVALID_JSON"`}},
			{Name: "viewer may read", Method: "GET", URL: "/settle/v1/account", Token: viewerToken, ExpectedStatus: 200},
			{Name: "viewer may not change", Method: "PATCH", URL: "/settle/v1/account", Token: viewerToken,
				Body: `{"name":"Hijacked"}`, ExpectedStatus: 403,
				ExpectedContent: []string{`"category":"MISSING_SCOPES"`, `"requiredGranularScopes":["settle.account.write"]`}},
			{Name: "refused writes changed nothing", Method: "GET", URL: "/settle/v1/account", ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"Acme Inc."`, `"country":"US"`}, NotExpectedContent: []string{"Hijacked"}},
			{Name: "idempotency key too long", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"X"}`,
				Headers: map[string]string{"Idempotency-Key": strings.Repeat("k", 256)}, ExpectedStatus: 400},
		})
	})
}

func TestUsersAndTokensAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, mgrToken := a.UserWith(t, "mgr@acme.test", auth.PermManagePayments)
		var created struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		}
		a.Run(t, []apptest.Scenario{
			{Name: "add user", Method: "POST", URL: "/settle/v1/users",
				Body:           `{"email":"new@acme.test","password":"a long password","permissions":["view_payments"]}`,
				ExpectedStatus: 201, ExpectedContent: []string{`"email":"new@acme.test"`, `"permissions":["view_payments"]`},
				NotExpectedContent: []string{"password"}},
			{Name: "duplicate email", Method: "POST", URL: "/settle/v1/users",
				Body: `{"email":"NEW@acme.test","password":"a long password"}`, ExpectedStatus: 409,
				ExpectedContent: []string{`"category":"CONFLICT"`}},
			{Name: "bad user", Method: "POST", URL: "/settle/v1/users", Body: `{"email":"nope","password":"short"}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"in":"email"`, `"in":"password"`}},
			{Name: "manager may not add users", Method: "POST", URL: "/settle/v1/users", Token: mgrToken,
				Body: `{"email":"x@acme.test","password":"a long password"}`, ExpectedStatus: 403},
			{Name: "user id that is not a number", Method: "GET", URL: "/settle/v1/users/abc", ExpectedStatus: 404,
				ExpectedContent: []string{`"category":"OBJECT_NOT_FOUND"`}},
			{Name: "last super admin stays", Method: "PATCH", URL: "/settle/v1/users/" + itoa(a.Admin.ID),
				Body: `{"permissions":[]}`, ExpectedStatus: 409},
			{Name: "me", Method: "GET", URL: "/settle/v1/me", Token: mgrToken, ExpectedStatus: 200,
				ExpectedContent: []string{`"email":"mgr@acme.test"`, "settle.payments.refund"}, NotExpectedContent: []string{"settle.users.write"}},
			{Name: "create token", Method: "POST", URL: "/settle/v1/api-tokens", Token: mgrToken,
				Body: `{"name":"ci","scopes":["crm.objects.commercepayments.read"],"expires_in_days":30}`, ExpectedStatus: 201,
				ExpectedContent: []string{`"token":"stl_`}, Check: func(t *testing.T, _ *http.Response, body []byte) {
					if err := json.Unmarshal(body, &created); err != nil {
						t.Fatal(err)
					}
				}},
			{Name: "manager cannot grant what they lack", Method: "POST", URL: "/settle/v1/api-tokens", Token: mgrToken,
				Body: `{"scopes":["settle.users.write"]}`, ExpectedStatus: 400, ExpectedContent: []string{"SCOPE_NOT_ALLOWED"}},
			{Name: "list shows no secret", Method: "GET", URL: "/settle/v1/api-tokens", Token: mgrToken, ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"ci"`}, NotExpectedContent: []string{`"token"`}},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "new token works within its scopes", Method: "GET", URL: "/settle/v1/me", Token: created.Token, ExpectedStatus: 200,
				ExpectedContent: []string{`"scopes":["crm.objects.commercepayments.read"]`}},
			{Name: "new token lacks other scopes", Method: "GET", URL: "/settle/v1/account", Token: created.Token, ExpectedStatus: 403},
			{Name: "revoke", Method: "DELETE", URL: "/settle/v1/api-tokens/" + created.ID, Token: mgrToken, ExpectedStatus: 204},
			{Name: "revoked token refused", Method: "GET", URL: "/settle/v1/me", Token: created.Token, ExpectedStatus: 401,
				ExpectedContent: []string{"revoked"}},
		})
	})
}

func TestExpiredTokenIsRefused(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, secret, err := a.Auth.CreateToken(context.Background(), a.Account.ID, a.Admin.ID,
			auth.NewToken{Name: "short-lived", ExpiresIn: time.Microsecond})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // past the expiry: the clock is the wall clock here
		a.Run(t, []apptest.Scenario{
			{Name: "expired", Method: "GET", URL: "/settle/v1/me", Token: secret, ExpectedStatus: 401,
				ExpectedContent: []string{`"category":"INVALID_AUTHENTICATION"`, "expired"}},
			{Name: "expired token writes nothing", Method: "PATCH", URL: "/settle/v1/account", Token: secret,
				Body: `{"name":"Too late"}`, ExpectedStatus: 401},
			{Name: "account unchanged", Method: "GET", URL: "/settle/v1/account", ExpectedStatus: 200,
				NotExpectedContent: []string{"Too late"}},
		})
	})
}

func itoa(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
