package api

import (
	"io"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/settlehq/settle/internal/auth"
)

// Health is the body of /healthz and /readyz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Error   string `json:"error,omitempty"`
}

func (a *API) systemRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/healthz", Access: Public, Tag: "System", Summary: "Liveness: the process answers",
			Response: Health{}, Status: 200, handle: a.healthz},
		{Method: "GET", Path: "/readyz", Access: Public, Tag: "System",
			Summary: "Readiness: the database answers and its schema is current", Response: Health{}, Status: 200, handle: a.readyz},
		{Method: "GET", Path: "/metrics", Access: Public, Tag: "System", Summary: "Prometheus metrics",
			Raw: "text/plain", Status: 200, handle: a.metrics},
		{Method: "GET", Path: "/openapi.json", Access: Public, Tag: "System",
			Summary: "This API's OpenAPI 3.1 description", Raw: "application/json", Status: 200, handle: a.openAPI},
	}
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	writeJSON(w, http.StatusOK, Health{Status: "ok", Version: a.deps.Version})
	return nil
}

// readyz answers 503 with the reason while the database is unreachable or not migrated, so
// that a load balancer sends traffic elsewhere.
func (a *API) readyz(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	if err := a.deps.Ready(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, Health{Status: "unavailable", Version: a.deps.Version, Error: err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, Health{Status: "ok", Version: a.deps.Version})
	return nil
}

func (a *API) metrics(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	promhttp.HandlerFor(a.deps.Metrics.Registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := io.WriteString(w, string(a.OpenAPI()))
	return err
}
