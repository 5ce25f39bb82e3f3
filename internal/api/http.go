package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
)

// maxBodyBytes bounds a JSON request body.
const maxBodyBytes = 1 << 20

// maxIdempotencyKey is the longest Idempotency-Key accepted (API.md).
const maxIdempotencyKey = 255

// handler wraps a route's function with what every route shares: panic recovery, the
// Idempotency-Key check, authentication and the scope check.
func (a *API) handler(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				a.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		if err := a.serve(w, r, rt); err != nil {
			a.writeError(w, r, err)
		}
	})
}

func (a *API) serve(w http.ResponseWriter, r *http.Request, rt Route) error {
	if err := checkIdempotencyKey(r); err != nil {
		return err
	}
	if rt.Access == Public {
		return rt.handle(w, r, auth.Principal{})
	}
	p, r, err := a.principal(r, rt)
	if err != nil {
		return err
	}
	if rt.Access == Scoped && !p.Can(rt.Scope) {
		return missingScopeError{scope: rt.Scope}
	}
	if key := r.Header.Get("Idempotency-Key"); key != "" && isWrite(r.Method) {
		return a.serveOnce(w, r, rt, p, key)
	}
	return rt.handle(w, r, p)
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}

func checkIdempotencyKey(r *http.Request) error {
	if !isWrite(r.Method) {
		return nil
	}
	if key := r.Header.Get("Idempotency-Key"); len(key) > maxIdempotencyKey {
		return problem.Invalid("Idempotency-Key", "INVALID_LENGTH",
			fmt.Sprintf("The Idempotency-Key header must be at most %d characters.", maxIdempotencyKey))
	}
	return nil
}

// principal is who a request acts for: the bearer token's, or for a Buyer route the account
// its payer finds. The request it returns is r, its context carrying the account when the
// token's read brought it (auth.WithAccount).
func (a *API) principal(r *http.Request, rt Route) (auth.Principal, *http.Request, error) {
	if rt.Access == Buyer {
		p, err := rt.payer(r)
		return p, r, err
	}
	return a.authenticate(r)
}

// authenticate reads the bearer token. The message for a missing token is the CRM's own,
// which existing clients recognize.
func (a *API) authenticate(r *http.Request) (auth.Principal, *http.Request, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return auth.Principal{}, r, fmt.Errorf("authentication credentials not found. This API supports Bearer tokens in the Authorization header: %w",
			problem.ErrUnauthenticated)
	}
	p, ctx, err := a.deps.Auth.AuthenticateRequest(r.Context(), strings.TrimSpace(token))
	return p, r.WithContext(ctx), err
}

// decode reads a JSON body into dst, refusing unknown fields, trailing data and bodies over
// maxBodyBytes with a message that says what to fix.
func decode(r *http.Request, dst any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return problem.Invalid("", "INVALID_JSON", "The body must hold one JSON object and nothing after it.")
	}
	return nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return problem.Invalid("", "REQUIRED", "The request needs a JSON body.")
	case errors.As(err, &typeErr):
		return problem.Invalid(typeErr.Field, "INVALID_TYPE",
			fmt.Sprintf("Field %q must be a JSON %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String())))
	case errors.As(err, &syntaxErr):
		return problem.Invalid("", "INVALID_JSON", fmt.Sprintf("The body is not valid JSON (at byte %d).", syntaxErr.Offset))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return problem.Invalid(field, "UNKNOWN_FIELD", fmt.Sprintf("Field %q is not accepted here.", field))
	}
	return problem.Invalid("", "INVALID_JSON", "The body could not be read: "+err.Error())
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// pathID reads a numeric id from the path; anything else cannot name a record, so it is a 404.
func pathID(r *http.Request, name, what string) (int64, error) {
	raw := r.PathValue(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.NotFound("%s %q", what, raw)
	}
	return id, nil
}

// formatID writes an id the way the API shows them: as a string, safe for JavaScript.
func formatID(id int64) string { return strconv.FormatInt(id, 10) }

// list is the envelope of a list response.
type list[T any] struct {
	Results []T `json:"results"`
}
