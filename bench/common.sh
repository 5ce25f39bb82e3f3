# shellcheck shell=bash
# Shared by bench/postgres.sh and bench/sqlite.sh (sourced, not run): building Settle,
# starting and stopping `settle serve`, running `settle bench` against it and printing
# the results. Expects `set -euo pipefail` in the calling script.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

# Settings both scripts share.
BENCH_SECONDS=${BENCH_SECONDS:-30}
BENCH_CLIENTS=${BENCH_CLIENTS:-32}
BENCH_SCENARIO=${BENCH_SCENARIO:-record}
BENCH_COUNT=${BENCH_COUNT:-}   # when set, a fixed number of requests instead of BENCH_SECONDS
BENCH_WARMUP=${BENCH_WARMUP:-1000} # requests sent first, in a run of their own, left out of the figures

admin_email=bench@example.com
settle_pid=
bench_status=0

# need fails unless every named command is installed.
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || { echo "bench: $c is required but not installed" >&2; exit 1; }
	done
}

# setup_dirs creates the work directory (removed at exit) and the results directory
# BENCH_OUT (kept).
setup_dirs() {
	work=$(mktemp -d -t settle-bench.XXXXXX)
	if [ -n "${BENCH_OUT:-}" ]; then
		mkdir -p "$BENCH_OUT"
		out=$(cd "$BENCH_OUT" && pwd)
	else
		out=$(mktemp -d -t settle-bench-results.XXXXXX)
	fi
}

# build_settle builds the settle binary into the work directory.
build_settle() {
	echo "building settle" >&2
	go build -trimpath -o "$work/settle" ./cmd/settle
	settle_bin=$work/settle
}

# free_port prints a local TCP port nothing listens on (BENCH_PORT when set).
free_port() {
	if [ -n "${BENCH_PORT:-}" ]; then
		echo "$BENCH_PORT"
		return
	fi
	local port _
	for _ in $(seq 100); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	echo "bench: found no free local port" >&2
	return 1
}

# start_settle DATABASE_URL starts `settle serve` on a fresh database in the background and
# waits until /readyz answers 200. Its log goes to settle-serve.log in the results directory.
start_settle() {
	local url=$1
	local port
	port=$(free_port)
	settle_url=http://127.0.0.1:$port
	mkdir -p "$work/data"
	echo "starting settle serve on $settle_url" >&2
	"$settle_bin" serve --database-url "$url" --data-dir "$work/data" --addr "127.0.0.1:$port" \
		--admin-email "$admin_email" >"$out/settle-serve.log" 2>&1 &
	settle_pid=$!
	local deadline=$((SECONDS + 120))
	until curl -fs -o /dev/null "$settle_url/readyz"; do
		if ! kill -0 "$settle_pid" 2>/dev/null; then
			echo "bench: settle serve exited before it was ready; its log:" >&2
			cat "$out/settle-serve.log" >&2
			return 1
		fi
		if ((SECONDS > deadline)); then
			echo "bench: settle serve was not ready after 120 s; see $out/settle-serve.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

# stop_settle stops the server, if it runs, and returns its exit status: SIGTERM first,
# which lets it finish in-flight requests and jobs, SIGKILL after 30 s.
stop_settle() {
	[ -n "$settle_pid" ] || return 0
	local pid=$settle_pid rc=0 i
	# The kernel's high-water mark of the server's resident memory, for the summary.
	awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" >"$out/settle-peak-rss-kb.txt" 2>/dev/null || true
	settle_pid=
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || rc=$?
	return "$rc"
}

# run_settle_bench DATABASE_URL creates a token for the first admin, runs `settle bench`
# against the running server and writes its JSON to settle.json in the results directory.
# The database URL lets `settle bench` verify the ledger once the load is over.
run_settle_bench() {
	local url=$1 token
	token=$("$settle_bin" token create --user "$admin_email" --name bench --database-url "$url")
	local amount=(--duration "${BENCH_SECONDS}s")
	[ -z "$BENCH_COUNT" ] || amount=(--count "$BENCH_COUNT")
	# The warm-up fills the database a little, as one in use is, and after_warmup (defined
	# by the calling script) then refreshes the planner's statistics: a fresh database has
	# none until autovacuum's first pass, and its plans scan tables that have since grown.
	if [ "$BENCH_WARMUP" -gt 0 ]; then
		echo "warm-up: settle bench --scenario $BENCH_SCENARIO --count $BENCH_WARMUP" >&2
		"$settle_bin" bench --url "$settle_url" --token "$token" --scenario "$BENCH_SCENARIO" \
			--clients "$BENCH_CLIENTS" --count "$BENCH_WARMUP" --no-verify >"$out/warmup.txt"
		after_warmup
	fi
	echo "settle bench --scenario $BENCH_SCENARIO --clients $BENCH_CLIENTS ${amount[*]}" >&2
	# settle bench exits 1 when a request failed or the ledger does not add up; its JSON is
	# still printed, and finish fails the script after the summary.
	bench_status=0
	"$settle_bin" bench --url "$settle_url" --token "$token" --scenario "$BENCH_SCENARIO" \
		--clients "$BENCH_CLIENTS" "${amount[@]}" --json --database-url "$url" >"$out/settle.json" || bench_status=$?
	if ! jq -e 'has("requests_per_second") and has("p99_ms") and has("requests")' "$out/settle.json" >/dev/null 2>&1; then
		echo "bench: settle bench (exit status $bench_status) did not print the expected JSON object:" >&2
		cat "$out/settle.json" >&2
		return 1
	fi
}

# settle_summary prints one line of the settle bench result.
settle_summary() {
	jq -r --arg s "$BENCH_SCENARIO" --arg c "$BENCH_CLIENTS" '
		def r1: . * 10 | round / 10;
		"settle bench \($s), \($c) clients: \(.requests_per_second | r1) requests/s, " +
		"p50 \(.p50_ms | r1) ms, p95 \(.p95_ms | r1) ms, p99 \(.p99_ms | r1) ms, max \(.max_ms | r1) ms; " +
		"\(.requests) requests, \([.errors // {} | .[]] | add // 0) errors" +
		(if .ledger == null then "" elif .ledger.verified then "; ledger verified" else "; ledger NOT verified" end)
	' "$out/settle.json"
}

# peak_rss_line prints the server's peak resident memory, when it was read.
peak_rss_line() {
	[ -s "$out/settle-peak-rss-kb.txt" ] || return 0
	awk '{printf "settle serve peak resident memory: %.0f MiB\n", $1 / 1024}' "$out/settle-peak-rss-kb.txt"
}

# settle_errors prints the number of requests that failed.
settle_errors() {
	jq '[.errors // {} | .[]] | add // 0' "$out/settle.json"
}

# ratio_line NAME SETTLE BASELINE TARGET prints SETTLE / BASELINE with two decimals and
# whether it reaches TARGET.
ratio_line() {
	awk -v name="$1" -v s="$2" -v b="$3" -v t="$4" 'BEGIN {
		r = s / b
		printf "ratio settle/%s: %.2f (target >= %.2f: %s)\n", name, r, t, (r >= t ? "met" : "not met")
	}'
}

# finish prints where the results are and exits non-zero when settle bench reported
# failed requests or a ledger that does not add up: such a run is not a figure to record.
finish() {
	echo "results in $out"
	local errors
	errors=$(settle_errors)
	if [ "$errors" != 0 ]; then
		echo "bench: $errors requests failed: $(jq -c '.errors' "$out/settle.json")" >&2
		exit 1
	fi
	if [ "$bench_status" != 0 ]; then
		echo "bench: settle bench exited with status $bench_status" >&2
		exit 1
	fi
}
