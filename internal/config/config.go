// Package config holds Settle's configuration: one Config struct filled from command-line
// flags and SETTLE_* environment variables, with every default documented in one table.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Config is everything a Settle process needs to know at start.
type Config struct {
	// Addr is the host:port the HTTP server listens on.
	Addr string
	// DatabaseURL selects the engine: sqlite://path or postgres://….
	DatabaseURL string
	// DataDir holds the SQLite database by default, blobs, reports and exports.
	DataDir string
	// BaseURL is the public URL of this server, used in links, emails and cookies.
	BaseURL string
	// SMTPURL, when set, sends email through that server; otherwise the built-in mailbox
	// keeps every message.
	SMTPURL string
	// AdminEmail and AdminPassword name the first super admin created on a fresh database.
	// Either may be empty; a missing value is generated and printed once.
	AdminEmail    string
	AdminPassword string
	// AccountCountry is the country (ISO 3166-1 alpha-2) of the first account.
	AccountCountry string
	// LogLevel is the minimum level written to the log.
	LogLevel slog.Level
	// ShutdownTimeout bounds how long a stopping server waits for requests and jobs.
	ShutdownTimeout time.Duration
}

// Setting describes one configuration value: its flag, its environment variable, its
// default and what it means. The same table drives flags, the environment, help and README.
type Setting struct {
	Flag    string
	Env     string
	Default string
	// Secret settings may also be read from the file named by Env + "_FILE".
	Secret bool
	Usage  string
	set    func(*Config, string) error
}

// Settings lists every configuration value Settle reads.
var Settings = []Setting{
	{Flag: "addr", Env: "SETTLE_ADDR", Default: "127.0.0.1:8080",
		Usage: "host:port the HTTP server listens on",
		set:   func(c *Config, v string) error { c.Addr = v; return nil }},
	{Flag: "database-url", Env: "SETTLE_DATABASE_URL", Default: "sqlite://<data-dir>/settle.db", Secret: true,
		Usage: "sqlite://path (embedded) or postgres://user:pass@host:port/db",
		set:   func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{Flag: "data-dir", Env: "SETTLE_DATA_DIR", Default: "./settle-data",
		Usage: "directory for the SQLite database, files, reports and exports",
		set:   func(c *Config, v string) error { c.DataDir = v; return nil }},
	{Flag: "base-url", Env: "SETTLE_BASE_URL", Default: "http://<addr>",
		Usage: "public URL of this server, used in links, emails and cookies",
		set:   func(c *Config, v string) error { c.BaseURL = v; return nil }},
	{Flag: "smtp-url", Env: "SETTLE_SMTP_URL", Default: "", Secret: true,
		Usage: "smtp://user:pass@host:port or smtps://…; empty keeps mail in the built-in mailbox",
		set:   func(c *Config, v string) error { c.SMTPURL = v; return nil }},
	{Flag: "admin-email", Env: "SETTLE_ADMIN_EMAIL", Default: "",
		Usage: "email of the first super admin on a fresh database (generated when empty)",
		set:   func(c *Config, v string) error { c.AdminEmail = v; return nil }},
	{Flag: "admin-password", Env: "SETTLE_ADMIN_PASSWORD", Default: "", Secret: true,
		Usage: "password of the first super admin on a fresh database (generated when empty)",
		set:   func(c *Config, v string) error { c.AdminPassword = v; return nil }},
	{Flag: "account-country", Env: "SETTLE_ACCOUNT_COUNTRY", Default: "US",
		Usage: "country (ISO 3166-1 alpha-2) of the first account on a fresh database",
		set:   func(c *Config, v string) error { c.AccountCountry = strings.ToUpper(v); return nil }},
	{Flag: "log-level", Env: "SETTLE_LOG_LEVEL", Default: "info",
		Usage: "debug, info, warn or error",
		set:   setLogLevel},
	{Flag: "shutdown-timeout", Env: "SETTLE_SHUTDOWN_TIMEOUT", Default: "15s",
		Usage: "how long a stopping server waits for requests and jobs to finish",
		set:   setShutdownTimeout},
}

func setLogLevel(c *Config, v string) error {
	if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
		return fmt.Errorf("log level %q is not one of debug, info, warn, error", v)
	}
	return nil
}

func setShutdownTimeout(c *Config, v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("shutdown timeout %q is not a positive duration such as 15s", v)
	}
	c.ShutdownTimeout = d
	return nil
}

// Source supplies raw values: flags given on the command line win over the environment,
// which wins over defaults.
type Source struct {
	// Flag returns the value of a flag and whether it was given.
	Flag func(name string) (string, bool)
	// Env returns an environment variable and whether it is set.
	Env func(name string) (string, bool)
	// ReadFile reads a secret file; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Load fills a Config from src, applies derived defaults and validates the result. The error
// names the setting and says what to fix.
func Load(src Source) (Config, error) {
	var c Config
	for _, s := range Settings {
		v, origin, err := src.lookup(s)
		if err != nil {
			return Config{}, err
		}
		if v == "" && s.Default != "" && !strings.Contains(s.Default, "<") {
			v = s.Default
		}
		if err := s.set(&c, v); err != nil {
			return Config{}, fmt.Errorf("%s: %w", origin, err)
		}
	}
	c.derive()
	return c, c.Validate()
}

func (src Source) lookup(s Setting) (value, origin string, err error) {
	if src.Flag != nil {
		if v, ok := src.Flag(s.Flag); ok {
			return v, "--" + s.Flag, nil
		}
	}
	if src.Env == nil {
		return "", s.Env, nil
	}
	if v, ok := src.Env(s.Env); ok {
		return v, s.Env, nil
	}
	if !s.Secret {
		return "", s.Env, nil
	}
	path, ok := src.Env(s.Env + "_FILE")
	if !ok {
		return "", s.Env, nil
	}
	read := src.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	b, err := read(path)
	if err != nil {
		return "", "", fmt.Errorf("%s_FILE: cannot read %s: %w", s.Env, path, err)
	}
	return strings.TrimSpace(string(b)), s.Env + "_FILE", nil
}

// derive fills values whose defaults depend on other values.
func (c *Config) derive() {
	if c.DatabaseURL == "" {
		path := filepath.ToSlash(filepath.Join(c.DataDir, "settle.db"))
		if !filepath.IsAbs(path) {
			path = "./" + path
		}
		c.DatabaseURL = "sqlite://" + path
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
}

// Validate checks every value and reports the first problem with the setting to change.
func (c Config) Validate() error {
	checks := []func() error{c.validateAddr, c.validateDatabaseURL, c.validateBaseURL,
		c.validateSMTPURL, c.validateAdmin, c.validateCountry}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) validateAddr() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("SETTLE_ADDR %q is not host:port (for example 127.0.0.1:8080 or :8080)", c.Addr)
	}
	return nil
}

func (c Config) validateDatabaseURL() error {
	if _, err := ParseDatabaseURL(c.DatabaseURL); err != nil {
		return fmt.Errorf("SETTLE_DATABASE_URL: %w", err)
	}
	return nil
}

func (c Config) validateBaseURL() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("SETTLE_BASE_URL %q must be an absolute http:// or https:// URL", c.BaseURL)
	}
	return nil
}

func (c Config) validateSMTPURL() error {
	if c.SMTPURL == "" {
		return nil
	}
	u, err := url.Parse(c.SMTPURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return fmt.Errorf("SETTLE_SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465")
	}
	return nil
}

func (c Config) validateAdmin() error {
	if c.AdminEmail != "" {
		if a, err := mail.ParseAddress(c.AdminEmail); err != nil || a.Address != c.AdminEmail {
			return fmt.Errorf("SETTLE_ADMIN_EMAIL %q is not an email address", c.AdminEmail)
		}
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 10 {
		return fmt.Errorf("SETTLE_ADMIN_PASSWORD must be at least 10 characters")
	}
	return nil
}

func (c Config) validateCountry() error {
	r, err := language.ParseRegion(c.AccountCountry)
	if err != nil || !r.IsCountry() || len(c.AccountCountry) != 2 {
		return fmt.Errorf("SETTLE_ACCOUNT_COUNTRY %q is not an ISO 3166-1 alpha-2 country code such as US, GB or FR", c.AccountCountry)
	}
	return nil
}

// SecureCookies reports whether cookies must carry the Secure attribute.
func (c Config) SecureCookies() bool {
	return strings.HasPrefix(c.BaseURL, "https://")
}
