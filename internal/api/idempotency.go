package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/idempotency"
)

// IdempotencyHitHeader marks a replayed answer.
const IdempotencyHitHeader = "Idempotency-Hit"

// serveOnce runs a write under its Idempotency-Key: the first request runs and its answer is
// stored in the write's own transaction; a replay gets the stored answer.
func (a *API) serveOnce(w http.ResponseWriter, r *http.Request, rt Route, p auth.Principal, key string) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return err
	}
	hash := idempotency.Hash(r.Method, r.URL.RequestURI(), body)
	resp, replayed, err := a.deps.Idempotency.Do(r.Context(), p.AccountID, key, hash, func(ctx context.Context) idempotency.Response {
		rec := &recorder{header: http.Header{}}
		req := r.WithContext(ctx)
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err := rt.handle(rec, req, p); err != nil {
			a.writeError(rec, req, err)
		}
		return idempotency.Response{Status: rec.status, Body: rec.body.Bytes()}
	})
	if err != nil {
		return err
	}
	writeStored(w, resp, replayed)
	return nil
}

func writeStored(w http.ResponseWriter, resp idempotency.Response, replayed bool) {
	if len(resp.Body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set(IdempotencyHitHeader, strconv.FormatBool(replayed))
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// recorder captures a handler's answer so that it can be stored before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}
