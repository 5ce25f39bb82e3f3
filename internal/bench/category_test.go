package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"testing"
)

// TestCategory: a failed request is reported by kind; every way a server that went away
// fails a request is a connection failure, so that clients stop after giveUp of them in a
// row rather than start counting again.
func TestCategory(t *testing.T) {
	var syntax json.SyntaxError
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"status", &statusError{status: 409}, "http 409"},
		{"deadline", fmt.Errorf("post: %w", context.DeadlineExceeded), "timeout"},
		{"refused", &url.Error{Op: "Post", Err: &net.OpError{Op: "dial"}}, "connection"},
		{"closed before answering", &url.Error{Op: "Post", Err: io.EOF}, "connection"},
		{"answer cut short", io.ErrUnexpectedEOF, "connection"},
		{"bad JSON", &syntax, "other"},
	}
	for _, tc := range cases {
		if got := category(tc.err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
