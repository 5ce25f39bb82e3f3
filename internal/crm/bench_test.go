package crm_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// The search benchmark runs over a large account of contacts (1,000,000 unless
// SETTLE_BENCH_CONTACTS says otherwise), loaded once and kept between runs: a SQLite file in
// the temp dir, a PostgreSQL schema named after the size. Run it with
//
//	SETTLE_TEST_DATABASE_URL=… go test ./internal/crm -run '^$' -bench SearchContacts -benchtime 300x
//
// It reports p50 and p95 latency of a 3-filter search with a sort and limit 100, total count
// included, and logs the query plans.

var benchLanguages = []string{"en", "fr", "de", "es", "it", "nl", "pt", "ja"}

func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("SETTLE_BENCH_CONTACTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

func BenchmarkSearchContacts(b *testing.B) {
	for _, engine := range dbtest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			d, svc, acct := benchAccount(b, engine, benchSize())
			explain(b, d, acct)
			for _, shape := range []struct {
				name string
				req  func(int) crm.SearchRequest
			}{{"lookup", lookupRequest}, {"segment", segmentRequest}} {
				b.Run(shape.name, func(b *testing.B) { measureSearch(b, svc, acct, shape.req) })
			}
		})
	}
}

func measureSearch(b *testing.B, svc *crm.Service, acct int64, request func(int) crm.SearchRequest) {
	var took []time.Duration
	total := 0
	b.ResetTimer()
	for i := range b.N {
		req := request(i)
		start := time.Now()
		res, err := svc.Search(context.Background(), acct, "contacts", req)
		took = append(took, time.Since(start))
		if err != nil || len(res.Results) == 0 {
			b.Fatalf("search: %d results, %v", len(res.Results), err)
		}
		total += res.Total
	}
	b.StopTimer()
	reportLatency(b, took)
	b.ReportMetric(float64(total)/float64(b.N), "matches/op")
}

// reportLatency reports the p50 and p95 of took.
func reportLatency(b *testing.B, took []time.Duration) {
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[len(took)*95/100]), "p95-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// lookupRequest finds people by name: last name EQ, country EQ and created after a date,
// newest first, 100 per page (hundreds of matches). Each iteration varies name and date.
func lookupRequest(i int) crm.SearchRequest {
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%300)
	return parse(fmt.Sprintf(`{"filterGroups":[{"filters":[
		{"propertyName":"lastname","operator":"EQ","value":"name%d"},
		{"propertyName":"country","operator":"EQ","value":%q},
		{"propertyName":"createdate","operator":"GTE","value":%q}]}],
		"sorts":[{"propertyName":"createdate","direction":"DESCENDING"}],"properties":["email","lastname"],"limit":100}`,
		(i*7)%1000, []string{"US", "FR", "DE", "ES", "GB"}[((i*7)%1000)%5], since.Format(time.RFC3339)))
}

// segmentRequest selects a broad segment: language EQ, lifecycle stage IN and created after
// a date, newest first, 100 per page (thousands to tens of thousands of matches).
func segmentRequest(i int) crm.SearchRequest {
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%300)
	return parse(fmt.Sprintf(`{"filterGroups":[{"filters":[
		{"propertyName":"hs_language","operator":"EQ","value":%q},
		{"propertyName":"lifecyclestage","operator":"IN","values":["customer","opportunity"]},
		{"propertyName":"createdate","operator":"GTE","value":%q}]}],
		"sorts":[{"propertyName":"createdate","direction":"DESCENDING"}],"properties":["email","lastname"],"limit":100}`,
		benchLanguages[i%len(benchLanguages)], since.Format(time.RFC3339)))
}

func parse(body string) crm.SearchRequest {
	req, err := crm.ParseSearchRequest([]byte(body))
	if err != nil {
		panic(err)
	}
	return req
}

// benchAccount opens (and on first use fills) the contact search benchmark's database.
func benchAccount(b *testing.B, engine config.Engine, n int) (*db.DB, *crm.Service, int64) {
	d, svc, acct := openBench(b, engine, "contacts", n)
	if empty(b, d, "crm_contacts") {
		fill(b, d, acct, n)
	}
	return d, svc, acct
}

// empty reports whether table has no rows: the benchmark's data is loaded when it is.
func empty(b *testing.B, d *db.DB, table string) bool {
	var any int
	err := d.Read.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM ` + table + ` LIMIT 1) t`).Scan(&any)
	if err != nil {
		b.Fatal(err)
	}
	return any == 0
}

// openBench opens the kept database of a benchmark over n records of kind, migrated, and
// its account named Bench, which it creates when the database is new.
func openBench(b *testing.B, engine config.Engine, kind string, n int) (d *db.DB, svc *crm.Service, acct int64) {
	b.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, benchURL(b, engine, kind, n))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx, time.Now); err != nil {
		b.Fatal(err)
	}
	clk := clock.System{}
	svc = crm.NewService(d, clk, crm.NewRegistry())
	if d.Read.QueryRow(`SELECT id FROM accounts WHERE name = 'Bench'`).Scan(&acct) == nil {
		return d, svc, acct
	}
	a, _, err := auth.NewService(d, clk).CreateAccount(ctx, auth.FirstRun{AccountName: "Bench", Country: "US",
		Admin: auth.NewUser{Email: fmt.Sprintf("bench-%s@example.com", engine), Password: "a long password"}})
	if err != nil {
		b.Fatal(err)
	}
	return d, svc, a.ID
}

// benchURL names the kept database of a benchmark over n records of kind: a SQLite file in
// the temp dir, or a PostgreSQL schema.
func benchURL(b *testing.B, engine config.Engine, kind string, n int) string {
	if engine == config.SQLite {
		return "sqlite://" + filepath.Join(os.TempDir(), fmt.Sprintf("settle-bench-%s-%d.db", kind, n))
	}
	base := os.Getenv("SETTLE_TEST_DATABASE_URL")
	schema := fmt.Sprintf("bench_%s_%d", kind, n)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// fill inserts n contacts spread over a year, in SQL, then updates the planner's statistics.
func fill(b *testing.B, d *db.DB, acct int64, n int) {
	b.Logf("loading %d contacts on %s (once)…", n, d.Engine)
	start := time.Now()
	if _, err := d.Write.Exec(fillSQL(d.Engine), acct, n); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Write.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded in %s", time.Since(start).Round(time.Second))
}

func fillSQL(engine config.Engine) string {
	if engine == config.Postgres {
		return `INSERT INTO crm_contacts (account_id, created_at, updated_at, email, firstname, lastname, hs_language,
			hs_marketable_status, lifecyclestage, country)
		SELECT $1, ts, ts, 'c' || i || '@example.com', (ARRAY['Ada','Grace','Marie','Emmy','Alan','Edsger','Barbara','Donald'])[1 + i % 8],
			'Name' || (i % 1000), (ARRAY['en','fr','de','es','it','nl','pt','ja'])[1 + (i * 7) % 8], i % 3 = 0,
			(ARRAY['subscriber','lead','marketingqualifiedlead','salesqualifiedlead','opportunity','customer','evangelist','other'])[1 + (i / 7) % 8],
			(ARRAY['US','FR','DE','ES','GB'])[1 + i % 5]
		FROM (SELECT i, timestamptz '2025-12-01 00:00:00+00' + i * (interval '1 second' * 31536000 / $2) AS ts
		      FROM generate_series(1, $2) AS i) g`
	}
	return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
		INSERT INTO crm_contacts (account_id, created_at, updated_at, email, firstname, lastname, hs_language,
			hs_marketable_status, lifecyclestage, country)
		SELECT $1, ts, ts, 'c' || i || '@example.com', json_extract('["Ada","Grace","Marie","Emmy","Alan","Edsger","Barbara","Donald"]', '$[' || (i % 8) || ']'),
			'Name' || (i % 1000), json_extract('["en","fr","de","es","it","nl","pt","ja"]', '$[' || ((i * 7) % 8) || ']'), i % 3 = 0,
			json_extract('["subscriber","lead","marketingqualifiedlead","salesqualifiedlead","opportunity","customer","evangelist","other"]', '$[' || ((i / 7) % 8) || ']'),
			json_extract('["US","FR","DE","ES","GB"]', '$[' || (i % 5) || ']')
		FROM (SELECT i, strftime('%Y-%m-%d %H:%M:%S', 1764547200 + i * 31536000 / $2, 'unixepoch') || '+00:00' AS ts FROM n)`
}

// explain logs the plans of the measured search's two queries.
func explain(b *testing.B, d *db.DB, acct int64) {
	prefix := "EXPLAIN ANALYZE "
	if d.Engine == config.SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	since := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	segment := `t.account_id = $1 AND t.archived_at IS NULL AND ((t.hs_language = $2 AND t.lifecyclestage IN ($3, $4) AND t.created_at >= $5))`
	lookup := `t.account_id = $1 AND t.archived_at IS NULL AND ((lower(t.lastname) = $2 AND lower(t.country) = $3 AND t.created_at >= $4))`
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT count(*) FROM crm_contacts t WHERE ` + lookup, []any{acct, "name42", "de", since}},
		{`SELECT t.id, t.email FROM crm_contacts t WHERE ` + lookup + ` ORDER BY t.created_at DESC, t.id DESC LIMIT 100 OFFSET 0`, []any{acct, "name42", "de", since}},
		{`SELECT count(*) FROM crm_contacts t WHERE ` + segment, []any{acct, "fr", "customer", "opportunity", since}},
		{`SELECT t.id, t.email FROM crm_contacts t WHERE ` + segment + ` ORDER BY t.created_at DESC, t.id DESC LIMIT 100 OFFSET 0`, []any{acct, "fr", "customer", "opportunity", since}},
	} {
		rows, err := d.Read.Query(prefix+q.sql, q.args...)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		plan := ""
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			_ = rows.Scan(ptrs...)
			plan += fmt.Sprintln(vals[len(vals)-1])
		}
		rows.Close()
		b.Logf("%s plan of %s\n%s", d.Engine, q.sql, plan)
	}
}
