package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		key := map[string]string{"Idempotency-Key": "rename-1"}
		var first []byte
		a.Run(t, []apptest.Scenario{
			{Name: "first", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"Once"}`, Headers: key,
				ExpectedStatus: 200, Check: func(t *testing.T, res *http.Response, body []byte) {
					first = body
					if res.Header.Get("Idempotency-Hit") != "false" {
						t.Errorf("Idempotency-Hit = %q on the first request", res.Header.Get("Idempotency-Hit"))
					}
				}},
			{Name: "meanwhile renamed without a key", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"Later"}`, ExpectedStatus: 200},
			{Name: "replay", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"Once"}`, Headers: key,
				ExpectedStatus: 200, Check: func(t *testing.T, res *http.Response, body []byte) {
					if res.Header.Get("Idempotency-Hit") != "true" || string(body) != string(first) {
						t.Errorf("replay: hit %q, body %s; want the first body %s", res.Header.Get("Idempotency-Hit"), body, first)
					}
				}},
			{Name: "the replay did not write", Method: "GET", URL: "/settle/v1/account", ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"Later"`}},
			{Name: "same key, other body", Method: "PATCH", URL: "/settle/v1/account", Body: `{"name":"Other"}`, Headers: key,
				ExpectedStatus: 409, ExpectedContent: []string{`"category":"CONFLICT"`, "Idempotency-Key"}},
			{Name: "a refused request is remembered too", Method: "POST", URL: "/settle/v1/users", Body: `{"email":"x"}`,
				Headers: map[string]string{"Idempotency-Key": "bad-user"}, ExpectedStatus: 400},
			{Name: "its replay is the same refusal", Method: "POST", URL: "/settle/v1/users", Body: `{"email":"x"}`,
				Headers: map[string]string{"Idempotency-Key": "bad-user"}, ExpectedStatus: 400,
				Check: func(t *testing.T, res *http.Response, _ []byte) {
					if res.Header.Get("Idempotency-Hit") != "true" {
						t.Error("the refusal was not replayed")
					}
				}},
		})
	})
}

// TestConcurrentRequestsWithOneKeyWriteOnce fires the same creation 50 times at once under
// one key: one user is created and every answer is that creation.
func TestConcurrentRequestsWithOneKeyWriteOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		const n = 50
		body := `{"email":"once@acme.test","password":"a long password"}`
		bodies := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, b := a.DoUnchecked(t, "POST", "/settle/v1/users", "", body, map[string]string{"Idempotency-Key": "hire-once"})
				if res.StatusCode != http.StatusCreated {
					t.Errorf("request %d: %d %s", i, res.StatusCode, b)
				}
				bodies[i] = string(b)
			}()
		}
		wg.Wait()
		for i := 1; i < n; i++ {
			if bodies[i] != bodies[0] {
				t.Fatalf("answers differ:\n%s\n%s", bodies[0], bodies[i])
			}
		}
		users, err := a.Auth.Users(context.Background(), a.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		for _, u := range users {
			if strings.EqualFold(u.Email, "once@acme.test") {
				count++
			}
		}
		if count != 1 {
			t.Fatalf("%d users created, want 1", count)
		}
	})
}
