// Package problem defines the kinds of failure every layer of Settle shares: not found,
// conflict, invalid input with field details, unauthenticated, forbidden and unavailable.
// Stores wrap driver errors into these, services return them, and each boundary (HTTP API,
// dashboard, command line) maps them to its own form exactly once.
package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Wrap them with %w to add context; test with errors.Is.
var (
	// ErrNotFound means the thing asked for does not exist, or is not visible to the caller.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write collides with existing state (a duplicate, a stale update).
	ErrConflict = errors.New("conflict")
	// ErrUnauthenticated means the caller's credentials are missing, wrong, expired or revoked.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden means the caller is known but lacks the permission or scope for the action.
	ErrForbidden = errors.New("forbidden")
	// ErrUnavailable means a dependency (the database) cannot be reached right now; retrying
	// later may succeed.
	ErrUnavailable = errors.New("unavailable")
)

// FieldError is one reason an input was refused.
type FieldError struct {
	// Field names the input, in the caller's vocabulary (a JSON field or property name).
	Field string `json:"field,omitempty"`
	// Code is a stable machine-readable reason, such as "REQUIRED" or "INVALID_FORMAT".
	Code string `json:"code"`
	// Message says what is wrong and how to fix it.
	Message string `json:"message"`
}

// InvalidError reports input that cannot be accepted. It lists every problem found, not just
// the first, so a caller can fix them all at once.
type InvalidError struct {
	// Summary, when set, opens the error's message (for example "Property values were not
	// valid"); the field messages follow.
	Summary string
	Fields  []FieldError
}

// Invalid builds an InvalidError with one field problem.
func Invalid(field, code, message string) *InvalidError {
	return &InvalidError{Fields: []FieldError{{Field: field, Code: code, Message: message}}}
}

// Add appends a field problem.
func (e *InvalidError) Add(field, code, message string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Code: code, Message: message})
}

// Addf appends a field problem with a formatted message.
func (e *InvalidError) Addf(field, code, format string, args ...any) {
	e.Add(field, code, fmt.Sprintf(format, args...))
}

// OrNil returns e when it holds at least one problem and nil otherwise, so validators can
// collect problems and return them in one statement.
func (e *InvalidError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Error joins the messages of every field problem, after the summary when there is one.
func (e *InvalidError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message
	}
	if e.Summary != "" {
		return e.Summary + ": " + strings.Join(msgs, "; ")
	}
	return strings.Join(msgs, "; ")
}

// Forbidden returns an error wrapping ErrForbidden that names what is missing.
func Forbidden(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrForbidden)
}

// NotFound returns an error wrapping ErrNotFound that names what was not found.
func NotFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrNotFound)
}

// Conflict returns an error wrapping ErrConflict that says what collided.
func Conflict(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrConflict)
}

// Message returns the human part of err: for errors built by NotFound, Conflict and Forbidden
// the text before the sentinel, otherwise err's whole text.
func Message(err error) string {
	msg := err.Error()
	for _, s := range []error{ErrNotFound, ErrConflict, ErrForbidden, ErrUnauthenticated, ErrUnavailable} {
		if trimmed, ok := strings.CutSuffix(msg, ": "+s.Error()); ok {
			return trimmed
		}
	}
	return msg
}

// Merge appends the field problems of err when it is an *InvalidError; other non-nil errors
// are added as one problem without a field.
func (e *InvalidError) Merge(err error) {
	if err == nil {
		return
	}
	if other, ok := err.(*InvalidError); ok {
		e.Fields = append(e.Fields, other.Fields...)
		return
	}
	e.Add("", "INVALID", err.Error())
}
