package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/settlehq/settle/internal/config"
)

// Optimize gathers the statistics the query planner works from, for the tables that have
// none or have grown much since they were gathered. It is cheap when there is nothing to do;
// the server's statistics job runs it every 10 s on PostgreSQL and hourly on SQLite.
//
// SQLite keeps no statistics until asked, and without them it picks plans that read a large
// table whole: over 1,000,000 payments a search sorted by date took 4 s instead of 3 ms.
// There Optimize is PRAGMA optimize, which analyzes a table once it has grown about tenfold.
// Statistics are read from every row: sampled ones (PRAGMA analysis_limit) misjudged how
// many of a table's rows one account holds, and a search's count then read 10,000 rows in
// random order (46 ms instead of 2 ms). Gathering them for 1,000,000 payments took 5 s,
// during which writes wait; that happens again only after a table has grown many times over.
//
// PostgreSQL's autovacuum gathers statistics too, but only on its round (a minute by default),
// and a table that has none is planned as if it were nearly empty: on a new database the
// lookup of a buyer's contact by email took an index of every contact of the account instead
// of the email index and read them all, 8–10 ms per payment at 10,000 contacts, until
// autovacuum came round. There Optimize analyzes the tables (see staleTables) that are at
// least pgStaleMinPages large and have no statistics or have grown tenfold since. Once a
// table has statistics PostgreSQL scales them to its current size, so a table need not be
// analyzed every time it doubles: each ANALYZE replans every statement on the table, and
// in a short benchmark from an empty database analyzing at each doubling made payments 7–10 %
// slower.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Engine == config.SQLite {
		// 0x10002: the default optimizations, on every table rather than only those this
		// connection used lately.
		_, err := d.Write.ExecContext(ctx, "PRAGMA optimize = 0x10002")
		return MapError(err)
	}
	tables, err := d.staleTables(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := d.Write.ExecContext(ctx, "ANALYZE "+pgx.Identifier{t}.Sanitize()); err != nil {
			return MapError(err)
		}
	}
	return nil
}

// pgStaleMinPages is the size, in pages of 8 kB, below which a table's statistics are left to
// autovacuum: a thousand rows or so read whole cost little.
const pgStaleMinPages = 32

// pgStaleGrowth is how many times its size when last analyzed a table grows before Optimize
// analyzes it again.
const pgStaleGrowth = 10

// staleTables names the PostgreSQL tables of the current schema whose statistics are missing
// or describe less than a pgStaleGrowth-th of their size. The size is the table's file,
// which is current at once, where the activity counters autovacuum reads reach other
// sessions up to a second late.
func (d *DB) staleTables(ctx context.Context) ([]string, error) {
	rows, err := d.Read.QueryContext(ctx, `
		SELECT c.relname
		FROM pg_class c, LATERAL (SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint AS pages) f
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		  AND f.pages >= $1 AND f.pages > $2 * c.relpages::bigint
		ORDER BY c.relname`, pgStaleMinPages, pgStaleGrowth)
	return CollectRows[string](rows, err)(func(s Scanner) (string, error) {
		var name string
		err := s.Scan(&name)
		return name, err
	})
}
