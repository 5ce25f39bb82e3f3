// Package ui serves the dashboard: server-rendered pages for the account's users.
package ui

import (
	"log/slog"
	"net/http"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
)

// Deps are the services the dashboard uses.
type Deps struct {
	Auth    *auth.Service
	Logger  *slog.Logger
	Config  config.Config
	Version string
}

// UI is the dashboard's handlers.
type UI struct {
	deps Deps
}

// New builds the dashboard over deps.
func New(deps Deps) *UI { return &UI{deps: deps} }

// Register adds the dashboard's routes to mux.
func (u *UI) Register(mux *http.ServeMux) {}
