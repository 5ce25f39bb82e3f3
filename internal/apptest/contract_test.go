package apptest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/settlehq/settle/internal/config"
)

const tinyDocument = `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "paths": {"/settle/v1/n": {"get": {"responses": {"200": {"description": "n",
    "content": {"application/json": {"schema": {"type": "object", "required": ["n"],
      "properties": {"n": {"type": "integer"}}}}}}}}}}}`

// TestContractReportsAnswersOffTheDocument: an answer the document allows passes; one whose
// body breaks its schema is reported.
func TestContractReportsAnswersOffTheDocument(t *testing.T) {
	c, err := newContract([]byte(tinyDocument))
	if err != nil {
		t.Fatal(err)
	}
	for body, wantProblems := range map[string]bool{`{"n": 3}`: false, `{"n": "three"}`: true, `{}`: true} {
		req := httptest.NewRequest(http.MethodGet, "http://settle.test/settle/v1/n", nil)
		res := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}}
		if problems := c.validate(req, res, []byte(body)); (len(problems) > 0) != wantProblems {
			t.Errorf("answer %s: problems %q, want some = %v", body, problems, wantProblems)
		}
	}
}

// TestAppsShareOneContract: apps serving the same document check answers with one
// validator, built once.
func TestAppsShareOneContract(t *testing.T) {
	a, b := New(t, config.SQLite), New(t, config.SQLite)
	if a.contract(t) != b.contract(t) {
		t.Error("two apps serving one document built two contracts")
	}
}
