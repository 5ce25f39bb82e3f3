package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
)

// TestOpenAPIDocumentIsValid checks the served document against the OpenAPI 3.1 schema.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	_, body := a.Do(t, "GET", "/openapi.json", apptest.NoToken, "", nil)
	doc, err := libopenapi.NewDocument(body)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, problems := v.ValidateDocument(); !ok {
		for _, p := range problems {
			t.Errorf("%s: %s", p.Message, p.Reason)
			for _, s := range p.SchemaValidationErrors {
				t.Errorf("  %s: %s", s.FieldPath, s.Reason)
			}
		}
	}
}

// TestOpenAPIMatchesRoutes checks that the document describes exactly the routes the server
// answers, each with its success status and scope.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
			Scope     string         `json:"x-settle-scope"`
		} `json:"paths"`
	}
	_, body := a.Do(t, "GET", "/openapi.json", apptest.NoToken, "", nil)
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	described := 0
	for _, ops := range doc.Paths {
		described += len(ops)
	}
	routes := a.API.Routes()
	if described != len(routes) {
		t.Errorf("the document describes %d operations, the route table has %d", described, len(routes))
	}
	for _, rt := range routes {
		op, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is served but not described", rt.Method, rt.Path)
			continue
		}
		if _, ok := op.Responses[itoa(int64(rt.Status))]; !ok || op.Scope != string(rt.Scope) {
			t.Errorf("%s %s: described with responses %v and scope %q", rt.Method, rt.Path, op.Responses, op.Scope)
		}
		assertServed(t, a, rt.Method, rt.Path)
	}
}

// assertServed checks that the server routes method and path somewhere other than to the
// dashboard's or the mux's "not found".
func assertServed(t *testing.T, a *apptest.App, method, path string) {
	t.Helper()
	path = strings.NewReplacer("{id}", "999999999").Replace(path)
	req, _ := http.NewRequest(method, a.URL+path, nil)
	res, err := a.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusMethodNotAllowed || (res.StatusCode == http.StatusNotFound && res.Header.Get("Content-Type") != "application/json") {
		t.Errorf("%s %s answers %d from the mux: the route is not registered", method, path, res.StatusCode)
	}
}
