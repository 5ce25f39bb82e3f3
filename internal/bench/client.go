package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// client sends the scenarios' requests with the account's token over HTTP/1.1 connections
// of its own, kept alive, one request at a time on each: a request takes an idle connection,
// or dials one, and gives it back once its answer is read. It runs on the caller's
// goroutine from writing the request to reading the answer. net/http's Transport runs two
// goroutines per connection and passes every request and answer between them: through it
// the load generator took 110–130 µs of CPU per `record` request on the 2-core machine,
// about 15 % of the machine it shares with the server it measures, and twice what it takes
// now (docs/performance.md, sixteenth pass).
type client struct {
	scheme, addr string // addr: the host with its port, to dial
	host         string // the Host header: the base URL's host
	prefix       string // the base URL's path, without a trailing slash
	token        string
	tls          *tls.Config // for https
	idle         chan *conn
}

// timeout bounds one request, from taking a connection to reading the whole answer.
const timeout = 30 * time.Second

// newClient makes a client of Settle at base for up to clients concurrent requests.
func newClient(base, token string, clients int) (*client, error) {
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err == nil && (u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
		err = errors.New("want http://HOST[:PORT] or https://HOST[:PORT]")
	}
	if err != nil {
		return nil, fmt.Errorf("the URL %q is not usable: %w", base, err)
	}
	if strings.ContainsAny(token, "\r\n") {
		return nil, errors.New("the token holds a line break")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	return &client{scheme: u.Scheme, addr: addr, host: u.Host, prefix: u.EscapedPath(), token: token,
		tls: &tls.Config{ServerName: u.Hostname()}, idle: make(chan *conn, clients)}, nil
}

// conn is a kept-alive connection to Settle with its buffers.
type conn struct {
	net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	body bytes.Buffer // the last answer's body
}

// take returns an idle connection, or dials a new one.
func (c *client) take(ctx context.Context) (*conn, error) {
	select {
	case cn := <-c.idle:
		return cn, nil
	default:
	}
	d := net.Dialer{Timeout: timeout}
	var nc net.Conn
	var err error
	if c.scheme == "https" {
		nc, err = (&tls.Dialer{NetDialer: &d, Config: c.tls}).DialContext(ctx, "tcp", c.addr)
	} else {
		nc, err = d.DialContext(ctx, "tcp", c.addr)
	}
	if err != nil {
		return nil, err
	}
	return &conn{Conn: nc, r: bufio.NewReader(nc), w: bufio.NewWriter(nc)}, nil
}

// put keeps cn for the next request, or closes it when enough are kept.
func (c *client) put(cn *conn) {
	select {
	case c.idle <- cn:
	default:
		cn.Close()
	}
}

// close closes the idle connections.
func (c *client) close() {
	for {
		select {
		case cn := <-c.idle:
			cn.Close()
		default:
			return
		}
	}
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
// another status than want is a *statusError. A failure to exchange the request is a
// *url.Error, as net/http's are.
func (c *client) do(ctx context.Context, method, path, body string, want int, out any) error {
	cn, err := c.take(ctx)
	if err != nil {
		return &url.Error{Op: method, URL: c.url(path), Err: err}
	}
	status, keep, err := c.exchange(ctx, cn, method, path, body)
	if err != nil {
		cn.Close()
		return &url.Error{Op: method, URL: c.url(path), Err: err}
	}
	switch {
	case status != want:
		err = &statusError{method: method, path: path, status: status, body: string(bytes.TrimSpace(cn.body.Bytes()))}
	case out != nil:
		err = json.Unmarshal(cn.body.Bytes(), out)
	}
	if keep {
		c.put(cn)
	} else {
		cn.Close()
	}
	return err
}

// exchange writes one request on cn and reads its answer into cn.body; it reports the
// status and whether cn may carry another request. ctx's end, or timeout, stops it.
func (c *client) exchange(ctx context.Context, cn *conn, method, path, body string) (status int, keep bool, err error) {
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := cn.SetDeadline(deadline); err != nil {
		return 0, false, err
	}
	// ctx's end stops the exchange; a connection whose exchange it stopped, or may have,
	// is not kept.
	stop := context.AfterFunc(ctx, func() { _ = cn.SetDeadline(time.Unix(1, 0)) })
	defer func() { keep = stop() && keep }()
	w := cn.w
	w.WriteString(method + " " + c.prefix + path + " HTTP/1.1\r\nHost: " + c.host + "\r\n")
	if c.token != "" {
		w.WriteString("Authorization: Bearer " + c.token + "\r\n")
	}
	if body != "" {
		w.WriteString("Content-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	w.WriteString("\r\n" + body)
	if err := w.Flush(); err != nil {
		return 0, false, err
	}
	res, err := http.ReadResponse(cn.r, nil)
	if err != nil {
		return 0, false, err
	}
	cn.body.Reset()
	_, err = cn.body.ReadFrom(res.Body)
	res.Body.Close()
	if err != nil {
		return 0, false, err
	}
	return res.StatusCode, !res.Close, nil
}

// url is the full URL of path, for messages.
func (c *client) url(path string) string { return c.scheme + "://" + c.host + c.prefix + path }

// reach checks that Settle answers at the base URL and takes the token.
func (c *client) reach(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var se *statusError
	err := c.do(ctx, "GET", "/healthz", "", http.StatusOK, nil)
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%s answered %d: is Settle serving there?", c.url("/healthz"), se.status)
	case err != nil:
		return fmt.Errorf("cannot reach Settle at %s: %w", c.url(""), err)
	}
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
