package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Engine names a database engine Settle runs on.
type Engine string

// The engines Settle supports.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DatabaseURL is a parsed SETTLE_DATABASE_URL.
type DatabaseURL struct {
	Engine Engine
	// Path is the SQLite database file.
	Path string
	// DSN is the PostgreSQL connection string passed to pgx: the URL without Settle's own
	// parameters.
	DSN string
	// MaxConns is the most PostgreSQL connections the server opens (the URL's
	// pool_max_conns); 0 means DefaultMaxConns.
	MaxConns int
}

// DefaultMaxConns is how many PostgreSQL connections a server opens when the URL does not
// say (pool_max_conns).
const DefaultMaxConns = 32

// ParseDatabaseURL reads sqlite://relative/path, sqlite:///absolute/path or
// postgres://user:pass@host:port/db (postgresql:// too).
func ParseDatabaseURL(raw string) (DatabaseURL, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return DatabaseURL{}, fmt.Errorf("%q has no scheme; use sqlite://./settle-data/settle.db or postgres://user@host:5432/db", redact(raw))
	}
	switch scheme {
	case "sqlite", "sqlite3":
		return parseSQLite(rest)
	case "postgres", "postgresql":
		return parsePostgres(raw)
	default:
		return DatabaseURL{}, fmt.Errorf("scheme %q is not supported; use sqlite:// or postgres://", scheme)
	}
}

func parseSQLite(rest string) (DatabaseURL, error) {
	path, _, _ := strings.Cut(rest, "?")
	if path == "" || strings.HasSuffix(path, "/") {
		return DatabaseURL{}, fmt.Errorf("sqlite URL needs a file path, as in sqlite://./settle-data/settle.db")
	}
	if strings.HasPrefix(path, "localhost/") {
		path = strings.TrimPrefix(path, "localhost")
	}
	return DatabaseURL{Engine: SQLite, Path: path}, nil
}

func parsePostgres(raw string) (DatabaseURL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return DatabaseURL{}, fmt.Errorf("postgres URL %q is malformed: %v", redact(raw), unwrapURLError(err))
	}
	if u.Hostname() == "" && u.Query().Get("host") == "" {
		return DatabaseURL{}, fmt.Errorf("postgres URL %q names no host, as in postgres://user@127.0.0.1:5432/db", redact(raw))
	}
	if strings.Trim(u.Path, "/") == "" {
		return DatabaseURL{}, fmt.Errorf("postgres URL %q names no database, as in postgres://user@127.0.0.1:5432/db", redact(raw))
	}
	q := u.Query()
	if !q.Has("pool_max_conns") {
		return DatabaseURL{Engine: Postgres, DSN: raw}, nil
	}
	n, err := strconv.Atoi(q.Get("pool_max_conns"))
	if err != nil || n < 2 || n > 1000 {
		return DatabaseURL{}, fmt.Errorf("postgres URL %q: pool_max_conns must be a whole number from 2 to 1000 "+
			"(starting takes two: one holds the migration lock)", redact(raw))
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return DatabaseURL{Engine: Postgres, DSN: u.String(), MaxConns: n}, nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// redact hides the password of a URL so that error messages can quote it.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if at := strings.LastIndex(raw, "@"); at > 0 {
			if i := strings.Index(raw, "://"); i > 0 && i < at {
				return raw[:i+3] + "…@" + raw[at+1:]
			}
		}
		return raw
	}
	return u.Redacted()
}

// Redacted returns the URL with any password replaced, for logs and messages.
func (d DatabaseURL) Redacted() string {
	if d.Engine == SQLite {
		return "sqlite://" + d.Path
	}
	return redact(d.DSN)
}
