#!/usr/bin/env bash
# Measures what one card charge's statements cost PostgreSQL alone, without Settle's Go code,
# HTTP or follow-up runner: pgbench runs bench/sql/charge_sync.sql on a fresh Settle database
# (32 clients, prepared statements) one statement at a time (sync), as Settle sends them
# (app: the held-back writes pipelined) and all in one round trip (pipelined), then
# tpcb-like on the same server for the ratio. The gap between settle bench and "app" is
# Settle's own cost; between "app" and "pipelined", that of waiting for answers.
#
#   bench/statements.sh
#
# Environment: BENCH_PG_URL as for bench/postgres.sh; STATEMENTS_SECONDS [20] per script;
# STATEMENTS_DB [settle_statements]; BENCH_OUT for the pgbench outputs [a new temp dir].
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
# shellcheck source=pg.sh source-path=SCRIPTDIR
source "$(dirname "$0")/pg.sh"

STATEMENTS_SECONDS=${STATEMENTS_SECONDS:-20}
STATEMENTS_DB=${STATEMENTS_DB:-settle_statements}
need go curl psql pgbench

setup_dirs
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
build_settle

# A Settle database with its first account (id 1), as the scripts expect.
fresh_db "$STATEMENTS_DB"
db_url=$(pg_url "$STATEMENTS_DB")
start_settle "$db_url"
stop_settle

# tps NAME PGBENCH_ARGS… runs pgbench on db_url for STATEMENTS_SECONDS and prints NAME and
# its TPS.
tps() {
	local name=$1
	shift
	PGOPTIONS='-c client_min_messages=warning' psql -q -X "$db_url" -c ANALYZE -c CHECKPOINT >/dev/null
	pgbench -n -M prepared -j 2 -T "$STATEMENTS_SECONDS" "$@" "$db_url" >"$out/$name.txt" 2>&1 ||
		{ cat "$out/$name.txt" >&2; return 1; }
	awk -v n="$name" '/^tps = / {printf "%-10s %8.1f TPS\n", n, $3}' "$out/$name.txt"
}

# The two other shapes of bench/sql/charge_sync.sql. app: the held-back writes (from the
# payment method on) in one pipelined round trip before COMMIT, as Settle sends them.
# pipelined: everything in one round trip, the new rows' ids from currval() instead of
# RETURNING, so that nothing waits for an answer.
sql=bench/sql/charge_sync.sql
sed -e '/^INSERT INTO payment_methods/i \\\\startpipeline' -e '/^COMMIT;/i \\\\endpipeline' "$sql" >"$work/charge_app.sql"
sed -e 's/ RETURNING id AS [a-z]* \\gset$/;/' -e 's/ SELECT min(transaction_id) AS tx FROM p \\gset$/ SELECT min(transaction_id) AS tx FROM p;/' \
	-e "s/:contact/currval('crm_contacts_id_seq')/g" -e "s/:deal/currval('crm_deals_id_seq')/g" \
	-e "s/:payment/currval('crm_payments_id_seq')/g" -e "s/:tx/currval('balance_transactions_id_seq')/g" \
	-e '/^BEGIN;/i \\\\startpipeline' -e '/^COMMIT;/a \\\\endpipeline' "$sql" >"$work/charge_pipelined.sql"
cp "$sql" "$work/charge_sync.sql"

echo "one card charge's statements, 32 clients, $STATEMENTS_SECONDS s each:"
for shape in sync app pipelined; do
	tps "$shape" -c 32 -f "$work/charge_$shape.sql"
done
drop_db "$STATEMENTS_DB"
fresh_db settle_statements_tpcb
pgbench -i -q -s 10 "$(pg_url settle_statements_tpcb)" >/dev/null 2>&1
db_url=$(pg_url settle_statements_tpcb)
echo "for the ratio, 16 clients as in bench/postgres.sh:"
tps tpcb-like -c 16 -b tpcb-like
echo "results in $out"
