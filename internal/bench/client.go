package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client sends the scenarios' requests with the account's token, over as many kept-alive
// connections as there are clients.
type client struct {
	base  string
	token string
	http  *http.Client
}

func newClient(base, token string, clients int) *client {
	return &client{base: strings.TrimSuffix(base, "/"), token: token, http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, IdleConnTimeout: time.Minute},
	}}
}

// statusError is an answer with another status than the scenario expects.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s answered %d: %s", e.method, e.path, e.status, e.body)
}

// do sends a request and decodes a JSON answer into out (when not nil); an answer with
// another status than want is a *statusError.
func (c *client) do(ctx context.Context, method, path, body string, want int, out any) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return &statusError{method: method, path: path, status: res.StatusCode, body: string(bytes.TrimSpace(b))}
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// reach checks that Settle answers at the base URL and takes the token.
func (c *client) reach(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("the URL %q is not usable: %w", c.base, err)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach Settle at %s: %w", c.base, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s/healthz answered %d: is Settle serving there?", c.base, res.StatusCode)
	}
	var se *statusError
	if err := c.do(ctx, "GET", "/settle/v1/account", "", http.StatusOK, nil); errors.As(err, &se) && se.status == http.StatusUnauthorized {
		return errors.New("Settle refused the token (401): create one with `settle token create --user EMAIL`")
	} else if err != nil {
		return fmt.Errorf("reading the token's account: %w", err)
	}
	return nil
}

// category names the kind of a failed request for the report: "http 409", "timeout",
// "connection" or "other".
func category(err error) string {
	var se *statusError
	var ne net.Error
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("http %d", se.status)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, new(*net.OpError)), errors.As(err, new(*url.Error)), errors.Is(err, io.ErrUnexpectedEOF):
		// A refused or reset connection, one the server closed before answering (a
		// *url.Error around io.EOF), or an answer cut short.
		return "connection"
	}
	return "other"
}
