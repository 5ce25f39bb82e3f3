package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestAccountsAreIsolated proves, route by route, that account B's token can neither read
// nor change account A. Every route of the table must have a case here: a new route without
// one fails this test.
func TestAccountsAreIsolated(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		_, _, bToken := a.OtherAccount(t, "boss@neighbour.test")
		aTokens, _ := a.Auth.Tokens(ctx, a.Account.ID)
		aAdmin, aTokenID := itoa(a.Admin.ID), itoa(aTokens[0].ID)
		cases := isolationCases(aAdmin, aTokenID, bToken)
		crmCases, crmUntouched := crmIsolation(t, a)
		payCases, paymentsUntouched := paymentIsolation(t, a)
		invCases, invoicesUntouched := invoiceIsolation(t, a)
		linkCases, linksUntouched := checkoutIsolation(t, a)
		quoteCases, quotesUntouched := quoteIsolation(t, a)
		logo, logoHeaders := upload(t, "logo", "neighbour.png", logoPNG(t))
		cases["POST /settle/v1/files"] = apptest.Scenario{Method: "POST", URL: "/settle/v1/files", Body: logo, Headers: logoHeaders,
			ExpectedStatus: 201} // kept for B: A's files and branding stay as they were
		for _, more := range []map[string]apptest.Scenario{crmCases, payCases, invCases, linkCases, quoteCases} {
			for k, v := range more {
				cases[k] = v
			}
		}
		for _, rt := range a.API.Routes() {
			key := rt.Method + " " + rt.Path
			sc, ok := cases[key]
			if !ok {
				t.Errorf("route %s has no isolation case", key)
				continue
			}
			sc.Name = key
			if sc.Token == "" {
				sc.Token = bToken
			}
			sc.NotExpectedContent = append(sc.NotExpectedContent, a.Admin.Email)
			a.Run(t, []apptest.Scenario{sc})
		}
		assertAccountAUntouched(t, a)
		crmUntouched(t)
		paymentsUntouched(t)
		invoicesUntouched(t)
		linksUntouched(t)
		quotesUntouched(t)
	})
}

func isolationCases(aAdmin, aToken, bToken string) map[string]apptest.Scenario {
	return map[string]apptest.Scenario{
		"GET /healthz":      {Method: "GET", URL: "/healthz", ExpectedStatus: 200},
		"GET /readyz":       {Method: "GET", URL: "/readyz", ExpectedStatus: 200},
		"GET /metrics":      {Method: "GET", URL: "/metrics", ExpectedStatus: 200},
		"GET /openapi.json": {Method: "GET", URL: "/openapi.json", ExpectedStatus: 200},
		"GET /settle/v1/account": {Method: "GET", URL: "/settle/v1/account", ExpectedStatus: 200,
			ExpectedContent: []string{`"name":"Neighbour"`}},
		"PATCH /settle/v1/account": {Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"Renamed by B"}`,
			ExpectedStatus: 200, ExpectedContent: []string{`"country":"GB"`}},
		"GET /settle/v1/me": {Method: "GET", URL: "/settle/v1/me", ExpectedStatus: 200,
			ExpectedContent: []string{"boss@neighbour.test"}},
		"GET /settle/v1/users": {Method: "GET", URL: "/settle/v1/users", ExpectedStatus: 200,
			ExpectedContent: []string{"boss@neighbour.test"}},
		"POST /settle/v1/users": {Method: "POST", URL: "/settle/v1/users", ExpectedStatus: 201,
			Body: `{"email":"hire@neighbour.test","password":"a long password"}`},
		"GET /settle/v1/users/{id}":    {Method: "GET", URL: "/settle/v1/users/" + aAdmin, ExpectedStatus: 404},
		"PATCH /settle/v1/users/{id}":  {Method: "PATCH", URL: "/settle/v1/users/" + aAdmin, Body: `{"name":"Owned"}`, ExpectedStatus: 404},
		"DELETE /settle/v1/users/{id}": {Method: "DELETE", URL: "/settle/v1/users/" + aAdmin, ExpectedStatus: 404},
		"GET /settle/v1/api-tokens": {Method: "GET", URL: "/settle/v1/api-tokens", ExpectedStatus: 200,
			ExpectedContent: []string{"boss@neighbour.test"}},
		"POST /settle/v1/api-tokens": {Method: "POST", URL: "/settle/v1/api-tokens", Body: `{"name":"b"}`, ExpectedStatus: 201,
			ExpectedContent: []string{"boss@neighbour.test"}},
		"DELETE /settle/v1/api-tokens/{id}": {Method: "DELETE", URL: "/settle/v1/api-tokens/" + aToken, ExpectedStatus: 404},
		"GET /settle/v1/test-clock": {Method: "GET", URL: "/settle/v1/test-clock", ExpectedStatus: 200,
			ExpectedContent: []string{`"advanced_by_seconds":0`}},
		"POST /settle/v1/test-clock/advance": {Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"72h"}`,
			ExpectedStatus: 200, ExpectedContent: []string{`"advanced_by_seconds":259200`}},
	}
}

// assertAccountAUntouched checks account A after B's attempts: same name, same admin, same
// token, and nothing of B's added to it.
func assertAccountAUntouched(t *testing.T, a *apptest.App) {
	t.Helper()
	ctx := context.Background()
	acct, _ := a.Auth.Account(ctx, a.Account.ID)
	users, _ := a.Auth.Users(ctx, a.Account.ID)
	if acct.Name != a.Account.Name || len(users) != 1 || users[0].Name != a.Admin.Name {
		t.Errorf("account A changed: %+v, users %+v", acct, users)
	}
	if _, err := a.Auth.AuthenticateToken(ctx, a.Token); err != nil {
		t.Errorf("account A's token stopped working: %v", err)
	}
	if c, err := a.Schedule.TestClock(ctx, a.Account.ID); err != nil || c.AdvancedBy != 0 {
		t.Errorf("account A's test clock moved: %+v, %v", c, err)
	}
	tokens, _ := a.Auth.Tokens(ctx, a.Account.ID)
	for _, tok := range tokens {
		if tok.AccountID != a.Account.ID || strings.Contains(tok.UserEmail, "neighbour") {
			t.Errorf("account A lists a token of B: %+v", tok)
		}
	}
}
