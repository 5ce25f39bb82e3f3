package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/settlehq/settle/internal/problem"
)

var (
	errInvalid     = problem.Invalid("name", "REQUIRED", "needed")
	errForbidden   = problem.Forbidden("needs super_admin")
	errNotFound    = problem.NotFound("user 7")
	errConflict    = problem.Conflict("taken")
	errUnavailable = fmt.Errorf("database: %w", problem.ErrUnavailable)
	errOther       = errors.New("disk on fire")
)

func TestErrorKind(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		wantStatus int
		wantKey    string
	}{
		{"csrf", errCSRF, http.StatusForbidden, "error.csrf"},
		{"invalid input", errInvalid, http.StatusBadRequest, "error.invalid"},
		{"signed out", fmt.Errorf("session: %w", problem.ErrUnauthenticated), http.StatusUnauthorized, ""},
		{"forbidden", problem.Forbidden("needs super_admin"), http.StatusForbidden, "error.forbidden"},
		{"not found", errNotFound, http.StatusNotFound, "error.not_found"},
		{"conflict", errConflict, http.StatusConflict, "error.conflict"},
		{"unavailable", errUnavailable, http.StatusServiceUnavailable, "error.unavailable"},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), http.StatusServiceUnavailable, "error.unavailable"},
		{"anything else", errOther, http.StatusInternalServerError, "error.internal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, key := errorKind(tc.err)
			if status != tc.wantStatus || key != tc.wantKey {
				t.Errorf("errorKind(%v) = %d, %q; want %d, %q", tc.err, status, key, tc.wantStatus, tc.wantKey)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	cases := []struct{ next, want string }{
		{"/settings", "/settings"},
		{"/settings/users?x=1#top", "/settings/users?x=1#top"},
		{"", "/"},
		{"settings", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/ok\r\nSet-Cookie: x=1", "/"},
	}
	for _, tc := range cases {
		if got := localPath(tc.next); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}
