package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/telemetry"
)

func newServe(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP server (API, dashboard, buyer pages) and the background workers",
		Long: "Serve applies pending migrations, creates the first account and super admin on a fresh " +
			"database, then answers HTTP until it receives SIGINT or SIGTERM, when it finishes in-flight " +
			"requests and jobs before exiting.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, stdio)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cfg, stdio)
		},
	}
}

// serveGCPercent is the Go collector's target (GOGC) for `settle serve` when the environment
// sets none. The server's live heap is small (about 11 MB under load) and its garbage comes
// from requests, so at Go's default of 100 it collects several times a second under load,
// each time taking CPU from the write turn. At 200 it collects half as often; under load
// the server then holds about 15 MiB more on SQLite and 20–25 MiB more on PostgreSQL
// (docs/performance.md, thirteenth pass).
const serveGCPercent = 200

func serve(ctx context.Context, cfg config.Config, stdio IO) error {
	start := time.Now()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	logger := telemetry.NewLogger(stdio.Stderr, cfg.LogLevel)
	a, err := app.Open(ctx, cfg, logger, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	first, err := a.Bootstrap(ctx)
	if err != nil {
		return fmt.Errorf("create the first account: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; set SETTLE_ADDR or --addr to a free host:port", cfg.Addr, err)
	}
	url := cfg.BaseURL
	if cfg.BaseURL == "http://"+cfg.Addr {
		url = "http://" + ln.Addr().String() // the real port when :0 was asked for
	}
	printFirstRun(stdio.Stdout, first, url)
	fmt.Fprintf(stdio.Stdout, "Settle %s is listening on %s (database: %s)\n", app.Version(), url, a.DB.Describe())
	logger.Info("serving", "addr", ln.Addr().String(), "database", a.DB.Describe(),
		"startup_ms", time.Since(start).Milliseconds(), "version", app.Version())
	return a.Serve(ctx, ln)
}

func printFirstRun(w io.Writer, first *app.FirstRun, url string) {
	if first == nil {
		return
	}
	fmt.Fprintf(w, "Created the first account (%s, test mode) and its super admin.\n", first.Account.Country)
	fmt.Fprintf(w, "  Sign in at %s/login\n  Email:    %s\n", url, first.Admin.Email)
	if first.GeneratedPassword != "" {
		fmt.Fprintf(w, "  Password: %s\n  This password is shown once; change it in Settings > Users.\n", first.GeneratedPassword)
	}
}
