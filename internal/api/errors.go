package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/telemetry"
)

// Error categories of the error body (API.md).
const (
	CategoryValidation     = "VALIDATION_ERROR"
	CategoryAuthentication = "INVALID_AUTHENTICATION"
	CategoryScopes         = "MISSING_SCOPES"
	CategoryNotFound       = "OBJECT_NOT_FOUND"
	CategoryConflict       = "CONFLICT"
	CategoryRateLimits     = "RATE_LIMITS"
	CategoryInternal       = "INTERNAL_ERROR"
	CategoryUnavailable    = "SERVICE_UNAVAILABLE"
	CategoryCardDeclined   = "CARD_DECLINED"
)

// ErrorBody is the body of every error response.
type ErrorBody struct {
	Status        string        `json:"status"`
	Message       string        `json:"message"`
	CorrelationID string        `json:"correlationId"`
	Category      string        `json:"category"`
	Errors        []ErrorDetail `json:"errors"`
	// DeclineCode says why a card was declined (402 CARD_DECLINED only).
	DeclineCode string `json:"decline_code,omitempty"`
}

// ErrorDetail is one reason among those of an error body.
type ErrorDetail struct {
	Message string         `json:"message"`
	In      string         `json:"in,omitempty"`
	Code    string         `json:"code,omitempty"`
	Context map[string]any `json:"context,omitempty"`
}

// missingScopeError is returned when a principal lacks the scope a route needs.
type missingScopeError struct{ scope auth.Scope }

func (e missingScopeError) Error() string {
	return "This request needs the scope " + string(e.scope) + " and a user permission that allows it."
}

// errorStatus maps a domain error to its status, category and public message. This is the
// one place where errors meet HTTP.
func errorStatus(err error) (int, string, string) {
	var inv *problem.InvalidError
	var scope missingScopeError
	if d, ok := declined(err); ok {
		return http.StatusPaymentRequired, CategoryCardDeclined, "The card was declined (" + d.Code + "); the buyer may try another card."
	}
	switch {
	case errors.As(err, &inv):
		if inv.Summary != "" {
			return http.StatusBadRequest, CategoryValidation, inv.Error()
		}
		return http.StatusBadRequest, CategoryValidation, "Invalid input: " + inv.Error()
	case errors.As(err, &scope):
		return http.StatusForbidden, CategoryScopes, scope.Error()
	case errors.Is(err, problem.ErrUnauthenticated):
		return http.StatusUnauthorized, CategoryAuthentication, capitalize(problem.Message(err))
	case errors.Is(err, problem.ErrForbidden):
		return http.StatusForbidden, CategoryScopes, capitalize(problem.Message(err))
	case errors.Is(err, problem.ErrNotFound):
		return http.StatusNotFound, CategoryNotFound, capitalize(problem.Message(err)) + " was not found."
	case errors.Is(err, problem.ErrConflict):
		return http.StatusConflict, CategoryConflict, capitalize(problem.Message(err))
	case errors.Is(err, problem.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, CategoryUnavailable, "The service is unavailable right now; retry shortly."
	}
	return http.StatusInternalServerError, CategoryInternal, "An internal error occurred; the correlation id identifies it in the server's log."
}

func errorDetails(err error) []ErrorDetail {
	var inv *problem.InvalidError
	var scope missingScopeError
	switch {
	case errors.As(err, &inv):
		out := make([]ErrorDetail, len(inv.Fields))
		for i, f := range inv.Fields {
			out[i] = ErrorDetail{Message: f.Message, In: f.Field, Code: f.Code}
		}
		return out
	case errors.As(err, &scope):
		return []ErrorDetail{{Message: scope.Error(), Code: "MISSING_SCOPES",
			Context: map[string]any{"requiredGranularScopes": []string{string(scope.scope)}}}}
	}
	return []ErrorDetail{}
}

// writeError writes err as the documented error body and logs what the caller cannot see.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, category, message := errorStatus(err)
	id := telemetry.RequestID(r.Context())
	if status >= 500 {
		a.deps.Logger.ErrorContext(r.Context(), "request failed", "request_id", id, "error", err.Error())
	}
	body := ErrorBody{Status: "error", Message: message, CorrelationID: id, Category: category, Errors: errorDetails(err)}
	if d, ok := declined(err); ok {
		body.DeclineCode = d.Code
	}
	writeJSON(w, status, body)
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
