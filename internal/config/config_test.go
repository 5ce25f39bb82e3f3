package config

import (
	"errors"
	"strings"
	"testing"
)

func source(flags, env map[string]string, files map[string]string) Source {
	return Source{
		Flag: func(n string) (string, bool) { v, ok := flags[n]; return v, ok },
		Env:  func(n string) (string, bool) { v, ok := env[n]; return v, ok },
		ReadFile: func(n string) ([]byte, error) {
			if v, ok := files[n]; ok {
				return []byte(v), nil
			}
			return nil, errors.New("no such file")
		},
	}
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(source(nil, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:8080", DatabaseURL: "sqlite://./settle-data/settle.db", DataDir: "./settle-data",
		BaseURL: "http://127.0.0.1:8080", AccountCountry: "US"}
	if c.Addr != want.Addr || c.DatabaseURL != want.DatabaseURL || c.BaseURL != want.BaseURL ||
		c.AccountCountry != want.AccountCountry || c.ShutdownTimeout.String() != "15s" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestLoadPrecedenceAndDerivedValues(t *testing.T) {
	cases := []struct {
		name        string
		flags, env  map[string]string
		files       map[string]string
		check       func(Config) bool
		description string
	}{
		{"flag beats env", map[string]string{"addr": "0.0.0.0:9000"}, map[string]string{"SETTLE_ADDR": "127.0.0.1:1"}, nil,
			func(c Config) bool { return c.Addr == "0.0.0.0:9000" && c.BaseURL == "http://0.0.0.0:9000" }, "addr from the flag"},
		{"data dir moves the database", nil, map[string]string{"SETTLE_DATA_DIR": "/var/lib/settle"}, nil,
			func(c Config) bool { return c.DatabaseURL == "sqlite:///var/lib/settle/settle.db" }, "database under the data dir"},
		{"secret from file", nil, map[string]string{"SETTLE_DATABASE_URL_FILE": "/run/secrets/db"},
			map[string]string{"/run/secrets/db": "postgres://u:p@db:5432/settle\n"},
			func(c Config) bool { return c.DatabaseURL == "postgres://u:p@db:5432/settle" }, "trimmed file content"},
		{"env beats file", nil, map[string]string{"SETTLE_SMTP_URL": "smtp://a:1", "SETTLE_SMTP_URL_FILE": "/x"}, nil,
			func(c Config) bool { return c.SMTPURL == "smtp://a:1" }, "env value"},
		{"country upper-cased", nil, map[string]string{"SETTLE_ACCOUNT_COUNTRY": "gb"}, nil,
			func(c Config) bool { return c.AccountCountry == "GB" }, "GB"},
		{"https base URL makes secure cookies", nil, map[string]string{"SETTLE_BASE_URL": "https://pay.example.com/"}, nil,
			func(c Config) bool { return c.SecureCookies() && c.BaseURL == "https://pay.example.com" }, "secure, no trailing slash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(source(tc.flags, tc.env, tc.files))
			if err != nil || !tc.check(c) {
				t.Fatalf("Load = %+v, %v; want %s", c, err, tc.description)
			}
		})
	}
}

func TestLoadRefusesBadValues(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"addr":           {map[string]string{"SETTLE_ADDR": "8080"}, "SETTLE_ADDR"},
		"database":       {map[string]string{"SETTLE_DATABASE_URL": "postgres://host"}, "names no database"},
		"base url":       {map[string]string{"SETTLE_BASE_URL": "ftp://x"}, "SETTLE_BASE_URL"},
		"smtp":           {map[string]string{"SETTLE_SMTP_URL": "mail.example.com"}, "SETTLE_SMTP_URL"},
		"admin email":    {map[string]string{"SETTLE_ADMIN_EMAIL": "Admin <a@b.c>"}, "SETTLE_ADMIN_EMAIL"},
		"country":        {map[string]string{"SETTLE_ACCOUNT_COUNTRY": "EU"}, "SETTLE_ACCOUNT_COUNTRY"},
		"timeout":        {map[string]string{"SETTLE_SHUTDOWN_TIMEOUT": "-1s"}, "SETTLE_SHUTDOWN_TIMEOUT"},
		"missing file":   {map[string]string{"SETTLE_ADMIN_PASSWORD_FILE": "/nope"}, "SETTLE_ADMIN_PASSWORD_FILE"},
		"postgres pass":  {map[string]string{"SETTLE_DATABASE_URL": "postgres://u:hunter2@:5432"}, "names no host"},
		"pool size":      {map[string]string{"SETTLE_DATABASE_URL": "postgres://u:hunter2@h/db?pool_max_conns=1"}, "pool_max_conns must be"},
		"pool size word": {map[string]string{"SETTLE_DATABASE_URL": "postgres://h/db?pool_max_conns=many"}, "pool_max_conns must be"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Load(source(nil, tc.env, nil))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %v; want an error mentioning %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestPostgresPoolSize(t *testing.T) {
	cases := []struct {
		raw, dsn string
		conns    int
	}{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?sslmode=disable", 0},
		{"postgres://u:pw@h:5432/db?pool_max_conns=8&sslmode=disable", "postgres://u:pw@h:5432/db?sslmode=disable", 8},
		{"postgresql://h/db?pool_max_conns=2", "postgresql://h/db", 2},
	}
	for _, tc := range cases {
		u, err := ParseDatabaseURL(tc.raw)
		if err != nil || u.DSN != tc.dsn || u.MaxConns != tc.conns {
			t.Errorf("ParseDatabaseURL(%q) = DSN %q, %d connections, %v; want %q, %d", tc.raw, u.DSN, u.MaxConns, err, tc.dsn, tc.conns)
		}
	}
}
