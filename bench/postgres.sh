#!/usr/bin/env bash
# Measures Settle on PostgreSQL against PostgreSQL's own limit on the same machine:
#   1. pgbench tpcb-like on a fresh database (scale 10, 16 clients, 2 threads, 30 s);
#   2. `settle bench` (scenario record, 32 clients, 30 s) against `settle serve` on another
#      fresh database, the ledger verified at the end;
# then prints both figures and the ratio settle requests/s ÷ pgbench TPS.
#
#   bench/postgres.sh
#
# Environment (defaults in brackets):
#   BENCH_PG_URL     server to use (a database name in it is ignored); its query
#                    parameters are given to both pgbench and Settle
#                    [postgres://postgres@127.0.0.1:5432?sslmode=disable]
#   PGBENCH_DB, SETTLE_DB  databases dropped, created and dropped again [settle_pgbench, settle_bench]
#   PGBENCH_SCALE [10], PGBENCH_CLIENTS [16], PGBENCH_JOBS [2], PGBENCH_SECONDS [30],
#   PGBENCH_ARGS     more pgbench options, e.g. "-M prepared" []
#   BENCH_SCENARIO [record], BENCH_CLIENTS [32], BENCH_SECONDS [30],
#   BENCH_COUNT      a number of requests instead of BENCH_SECONDS []
#   BENCH_WARMUP     requests sent first, in a run of their own, left out of the figures [1000]
#   BENCH_OUT        directory for pgbench.txt, settle.json and the server log [a new temp dir]
#   BENCH_PORT       port for settle serve [a free one]
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
# shellcheck source=pg.sh source-path=SCRIPTDIR
source "$(dirname "$0")/pg.sh"

PGBENCH_DB=${PGBENCH_DB:-settle_pgbench}
SETTLE_DB=${SETTLE_DB:-settle_bench}
PGBENCH_SCALE=${PGBENCH_SCALE:-10}
PGBENCH_CLIENTS=${PGBENCH_CLIENTS:-16}
PGBENCH_JOBS=${PGBENCH_JOBS:-2}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-30}
read -ra pgbench_args <<<"${PGBENCH_ARGS:-}"

need go curl jq psql pgbench

setup_dirs
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_settle

# 1. pgbench: initialise, checkpoint so the run starts with no dirty pages, run.
fresh_db "$PGBENCH_DB"
echo "pgbench -i -s $PGBENCH_SCALE" >&2
if ! pgbench -i -q -s "$PGBENCH_SCALE" "$(pg_url "$PGBENCH_DB")" >"$out/pgbench-init.txt" 2>&1; then
	cat "$out/pgbench-init.txt" >&2
	exit 1
fi
admin_sql CHECKPOINT
echo "pgbench tpcb-like -c $PGBENCH_CLIENTS -j $PGBENCH_JOBS -T $PGBENCH_SECONDS${PGBENCH_ARGS:+ $PGBENCH_ARGS}" >&2
if ! pgbench -c "$PGBENCH_CLIENTS" -j "$PGBENCH_JOBS" -T "$PGBENCH_SECONDS" "${pgbench_args[@]}" \
	"$(pg_url "$PGBENCH_DB")" >"$out/pgbench.txt" 2>&1; then
	cat "$out/pgbench.txt" >&2
	exit 1
fi
tps=$(awk '/^tps = / {print $3; exit}' "$out/pgbench.txt")
if [ -z "$tps" ]; then
	echo "bench: no tps line in the pgbench output:" >&2
	cat "$out/pgbench.txt" >&2
	exit 1
fi
drop_db "$PGBENCH_DB"

# 2. Settle: a fresh database, the server, the load, the server stopped.
fresh_db "$SETTLE_DB"
settle_db_url=$(pg_url "$SETTLE_DB")
start_settle "$settle_db_url"
# after_warmup gives the planner statistics of the warmed-up tables at once (the server's
# statistics job would within 10 s) and starts the measured run after a checkpoint.
after_warmup() {
	PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$settle_db_url" -c ANALYZE -c CHECKPOINT >/dev/null
}
run_settle_bench "$settle_db_url"
stop_settle || { echo "bench: settle serve exited with status $? when stopped; see $out/settle-serve.log" >&2; exit 1; }
drop_db "$SETTLE_DB"

# 3. Results.
rps=$(jq '.requests_per_second' "$out/settle.json")
{
	awk -v t="$tps" -v s="$PGBENCH_SCALE" -v c="$PGBENCH_CLIENTS" -v j="$PGBENCH_JOBS" -v d="$PGBENCH_SECONDS" \
		'BEGIN {printf "pgbench tpcb-like, scale %s, %s clients, %s threads, %s s: %.1f TPS\n", s, c, j, d, t}'
	settle_summary
	peak_rss_line
	ratio_line pgbench "$rps" "$tps" 0.6
} | tee "$out/summary.txt"
finish
