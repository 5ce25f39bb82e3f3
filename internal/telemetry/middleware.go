package telemetry

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Middleware gives every request an id (kept from X-Request-Id when the caller sent a
// UUID, as the error body's correlationId must be one), echoes it in the response, logs one line per request and records the HTTP metrics
// by route pattern, so that ids in paths do not explode the label set.
func (m *Metrics) Middleware(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(RequestIDHeader)
		if u, err := uuid.Parse(id); err != nil || len(id) != 36 {
			id = uuid.NewString()
		} else {
			id = u.String()
		}
		w.Header().Set(RequestIDHeader, id)
		r = r.WithContext(WithRequestID(r.Context(), id))
		rec := &statusRecorder{ResponseWriter: w}
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		next.ServeHTTP(rec, r)
		m.observe(logger, r, rec, id, time.Since(start))
	})
}

func (m *Metrics) observe(logger *slog.Logger, r *http.Request, rec *statusRecorder, id string, elapsed time.Duration) {
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	m.requests.WithLabelValues(r.Method, route, strconv.Itoa(rec.status)).Inc()
	m.duration.WithLabelValues(r.Method, route).Observe(elapsed.Seconds())
	level := slog.LevelInfo
	if rec.status >= 500 {
		level = slog.LevelError
	}
	logger.LogAttrs(r.Context(), level, "http request",
		slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.String("route", route), slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000))
}
