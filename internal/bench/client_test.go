package bench

import (
	"context"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// echo answers POST /base/echo with what it was sent, as a JSON object, and counts the
// connections the requests came on.
type echo struct {
	mu    sync.Mutex
	conns map[string]int // requests by the client's address
	close bool           // answer with Connection: close
	chunk bool           // answer without a length, in chunks
}

func (e *echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.conns[r.RemoteAddr]++
	e.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/base/echo" || r.Header.Get("Authorization") != "Bearer tok" ||
		r.Header.Get("Content-Type") != "application/json" || r.ContentLength != int64(len(body)) {
		http.Error(w, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" "+r.Header.Get("Content-Type"), http.StatusBadRequest)
		return
	}
	if e.close {
		w.Header().Set("Connection", "close")
	}
	w.WriteHeader(http.StatusCreated)
	if e.chunk {
		w.(http.Flusher).Flush()
	}
	_, _ = w.Write([]byte(`{"id":"` + r.Host + `","sent":` + string(body) + `}`))
}

// TestClientExchanges sends requests from 4 goroutines over the client's own connections:
// each is answered with what it sent, kept-alive connections carry many requests each, and
// an answer that closes its connection, or comes in chunks, is read whole.
func TestClientExchanges(t *testing.T) {
	for _, tc := range []struct {
		name         string
		close, chunk bool
		tls          bool
	}{
		{name: "kept alive"},
		{name: "connection: close", close: true},
		{name: "chunked", chunk: true},
		{name: "https", tls: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &echo{conns: map[string]int{}, close: tc.close, chunk: tc.chunk}
			var srv *httptest.Server
			if tc.tls {
				srv = httptest.NewTLSServer(e)
			} else {
				srv = httptest.NewServer(e)
			}
			defer srv.Close()
			c, err := newClient(srv.URL+"/base/", "tok", 4)
			if err != nil {
				t.Fatal(err)
			}
			defer c.close()
			if tc.tls {
				c.tls.RootCAs = x509.NewCertPool()
				c.tls.RootCAs.AddCert(srv.Certificate())
			}
			host := strings.TrimPrefix(strings.TrimPrefix(srv.URL, "http://"), "https://")
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 25 {
						var out struct {
							ID   string
							Sent struct{ N int }
						}
						n := g*100 + i
						err := c.do(context.Background(), "POST", "/echo", `{"n":`+strconv.Itoa(n)+`}`, http.StatusCreated, &out)
						if err != nil || out.Sent.N != n || out.ID != host {
							t.Errorf("request %d: %+v, %v", n, out, err)
						}
					}
				}()
			}
			wg.Wait()
			requests, conns := 0, len(e.conns)
			for _, n := range e.conns {
				requests += n
			}
			if requests != 100 {
				t.Errorf("%d requests reached the server, want 100", requests)
			}
			if tc.close && conns != 100 || !tc.close && conns > 4 {
				t.Errorf("%d connections for 100 requests from 4 clients (connection: close %v)", conns, tc.close)
			}
		})
	}
}

// TestClientFailures: an unexpected status is a statusError with the answer's body, an
// answer that does not come in time is a timeout, a server that closes the connection
// without answering is a connection failure, and a URL without a scheme or a token with a
// line break is refused.
func TestClientFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/conflict":
			http.Error(w, `{"message":"taken"}`, http.StatusConflict)
		case "/slow":
			time.Sleep(2 * time.Second)
		case "/hang-up":
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}
	}))
	defer srv.Close()
	c, err := newClient(srv.URL, "tok", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	err = c.do(context.Background(), "POST", "/conflict", `{}`, http.StatusCreated, nil)
	if se, ok := err.(*statusError); !ok || se.status != 409 || se.body != `{"message":"taken"}` || category(err) != "http 409" {
		t.Errorf("conflict: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := c.do(ctx, "GET", "/slow", "", http.StatusOK, nil); category(err) != "timeout" {
		t.Errorf("slow answer: %v (%s)", err, category(err))
	}
	if err := c.do(context.Background(), "GET", "/hang-up", "", http.StatusOK, nil); category(err) != "connection" {
		t.Errorf("hung up: %v (%s)", err, category(err))
	}
	if err := c.do(context.Background(), "GET", "/ok", "", http.StatusOK, nil); err != nil {
		t.Errorf("after the failures: %v", err)
	}
	if _, err := newClient("127.0.0.1:8080", "tok", 1); err == nil || !strings.Contains(err.Error(), `the URL "127.0.0.1:8080" is not usable`) {
		t.Errorf("a URL without a scheme: %v", err)
	}
	if _, err := newClient(srv.URL, "tok\r\nX-Other: 1", 1); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("a token with a line break: %v", err)
	}
}
