#!/usr/bin/env bash
# Measures Settle on SQLite against SQLite's own limit on the same machine and disk:
#   1. the raw durable insert rate: bench/sqlitebaseline inserts one row per transaction
#      (BEGIN, INSERT, COMMIT) from 32 goroutines for 30 s into a fresh file, opened with
#      Settle's own settings (WAL, synchronous=FULL, one write connection);
#   2. `settle bench` (scenario record, 32 clients, 30 s) against `settle serve` on a fresh
#      SQLite file in the same directory, the ledger verified at the end;
# then prints both figures and the ratio settle requests/s ÷ inserts/s.
#
#   bench/sqlite.sh
#
# Both databases live in a new directory under TMPDIR (default /tmp): point TMPDIR at the
# disk you mean to measure. On tmpfs every fsync is free and the figures mean nothing.
#
# Environment (defaults in brackets):
#   BASELINE_CLIENTS [BENCH_CLIENTS], BASELINE_SECONDS [30]
#   BENCH_SCENARIO [record], BENCH_CLIENTS [32], BENCH_SECONDS [30],
#   BENCH_COUNT      a number of requests instead of BENCH_SECONDS []
#   BENCH_WARMUP     requests sent first, in a run of their own, left out of the figures [1000]
#   BENCH_OUT        directory for baseline.json, settle.json and the server log [a new temp dir]
#   BENCH_PORT       port for settle serve [a free one]
set -euo pipefail
# shellcheck source=common.sh source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"

BASELINE_CLIENTS=${BASELINE_CLIENTS:-$BENCH_CLIENTS}
BASELINE_SECONDS=${BASELINE_SECONDS:-30}

need go curl jq

cleanup() {
	local rc=$?
	set +e
	stop_settle
	rm -rf "$work"
	exit "$rc"
}
setup_dirs
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

case $(stat -f -c %T "$work") in
tmpfs | ramfs) echo "bench: warning: $work is on $(stat -f -c %T "$work"), where fsync costs nothing; set TMPDIR to a directory on disk" >&2 ;;
esac

build_settle
go build -trimpath -o "$work/sqlitebaseline" ./bench/sqlitebaseline

# 1. The raw durable insert rate.
echo "sqlitebaseline -clients $BASELINE_CLIENTS -duration ${BASELINE_SECONDS}s" >&2
"$work/sqlitebaseline" -clients "$BASELINE_CLIENTS" -duration "${BASELINE_SECONDS}s" \
	-file "$work/baseline/baseline.db" >"$out/baseline.json"
inserts=$(jq -e '.inserts_per_second' "$out/baseline.json")
rm -rf "$work/baseline"

# 2. Settle: a fresh file, the server, the load, the server stopped.
settle_db_url=sqlite://$work/data/settle.db
start_settle "$settle_db_url"
# after_warmup has nothing to do: Settle's SQLite plans come from its indexes, not from
# gathered statistics.
after_warmup() { :; }
run_settle_bench "$settle_db_url"
stop_settle || { echo "bench: settle serve exited with status $? when stopped; see $out/settle-serve.log" >&2; exit 1; }

# 3. Results.
rps=$(jq '.requests_per_second' "$out/settle.json")
{
	jq -r --arg c "$BASELINE_CLIENTS" \
		'"SQLite durable inserts, one per transaction, \($c) clients: \(.inserts_per_second * 10 | round / 10) inserts/s (\(.inserts) in \(.seconds * 10 | round / 10) s)"' \
		"$out/baseline.json"
	settle_summary
	peak_rss_line
	ratio_line "insert" "$rps" "$inserts" 0.5
} | tee "$out/summary.txt"
finish
