package apptest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// NoToken, as a Scenario's Token, sends no Authorization header.
const NoToken = "-"

// Scenario is one HTTP exchange and what the answer must hold.
type Scenario struct {
	Name   string
	Method string
	URL    string // path and query, relative to the app
	Body   string
	// Token is the bearer token to send; empty means the app admin's, NoToken means none.
	Token   string
	Headers map[string]string
	// ExpectedStatus is the status code the answer must have.
	ExpectedStatus int
	// ExpectedContent are substrings the body must contain; NotExpectedContent must not.
	ExpectedContent    []string
	NotExpectedContent []string
	// Check, when set, makes further assertions on the answer.
	Check func(t *testing.T, res *http.Response, body []byte)
}

// Run performs each scenario as a subtest, checking its expectations and that the answer
// matches the app's own OpenAPI document (status, content type and body schema).
func (a *App) Run(t *testing.T, scenarios []Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			res, body := a.Do(t, sc.Method, sc.URL, sc.Token, sc.Body, sc.Headers)
			if res.StatusCode != sc.ExpectedStatus {
				t.Fatalf("%s %s: status %d, want %d; body: %s", sc.Method, sc.URL, res.StatusCode, sc.ExpectedStatus, body)
			}
			for _, want := range sc.ExpectedContent {
				if !strings.Contains(string(body), want) {
					t.Errorf("%s %s: body lacks %q; body: %s", sc.Method, sc.URL, want, body)
				}
			}
			for _, unwanted := range sc.NotExpectedContent {
				if strings.Contains(string(body), unwanted) {
					t.Errorf("%s %s: body contains %q; body: %s", sc.Method, sc.URL, unwanted, body)
				}
			}
			if sc.Check != nil {
				sc.Check(t, res, body)
			}
		})
	}
}

// Do sends one request and returns the answer with its whole body, after checking the
// answer against the OpenAPI document when the route is an API route.
func (a *App) Do(t testing.TB, method, path, token, body string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, res, b := a.send(t, method, path, token, body, headers)
	a.checkContract(t, req, res, b)
	return res, b
}

// DoUnchecked sends one request like Do but leaves the OpenAPI check out: for tests that
// fire hundreds of requests at once, where checking each answer would cost more than
// serving it.
func (a *App) DoUnchecked(t testing.TB, method, path, token, body string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	_, res, b := a.send(t, method, path, token, body, headers)
	return res, b
}

func (a *App) send(t testing.TB, method, path, token, body string, headers map[string]string) (*http.Request, *http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, a.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch token {
	case "":
		req.Header.Set("Authorization", "Bearer "+a.Token)
	case NoToken:
	default:
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := a.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return req, res, b
}

// checkContract validates an API answer against the OpenAPI document the app serves.
func (a *App) checkContract(t testing.TB, req *http.Request, res *http.Response, body []byte) {
	t.Helper()
	if !isAPIPath(req.URL.Path) {
		return
	}
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") && !a.rawType(ct) {
		t.Errorf("%s %s: Content-Type %q, want application/json", req.Method, req.URL.Path, res.Header.Get("Content-Type"))
	}
	for _, problem := range a.contract(t).validate(req, res, body) {
		t.Errorf("%s %s: answer breaks the OpenAPI document: %s", req.Method, req.URL.Path, problem)
	}
}

// rawType reports whether some route answers with content type ct rather than JSON (a PDF);
// the contract then checks that the route that answered documents it.
func (a *App) rawType(ct string) bool {
	for _, rt := range a.API.Routes() {
		if rt.Raw != "" && strings.HasPrefix(ct, rt.Raw) {
			return true
		}
	}
	return false
}

func isAPIPath(p string) bool {
	return strings.HasPrefix(p, "/settle/v1/") || strings.HasPrefix(p, "/crm/")
}

// contracts holds each app's contract, and byDocument the contracts built so far: every app
// of a test binary serves the same OpenAPI document, whose validator takes seconds to build
// under -race.
var contracts, byDocument sync.Map // app URL → *contract, document → *contract

func (a *App) contract(t testing.TB) *contract {
	if c, ok := contracts.Load(a.URL); ok {
		return c.(*contract)
	}
	doc := a.API.OpenAPI()
	c, ok := byDocument.Load(string(doc))
	if !ok {
		built, err := newContract(doc)
		if err != nil {
			t.Fatalf("the app's OpenAPI document: %v", err)
		}
		c, _ = byDocument.LoadOrStore(string(doc), built)
	}
	contracts.Store(a.URL, c)
	return c.(*contract)
}

func cloneResponse(res *http.Response, body []byte) *http.Response {
	out := *res
	out.Body = io.NopCloser(bytes.NewReader(body))
	return &out
}
