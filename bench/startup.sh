#!/usr/bin/env bash
# Measures the platform's start-up figures: binary size, cold start to a healthy /healthz on
# a fresh SQLite database (and on a fresh PostgreSQL database when SETTLE_BENCH_POSTGRES names
# a server, e.g. postgres://postgres@127.0.0.1:5432/test), and idle resident memory five
# seconds after start. Prints one line per figure.
#   bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -trimpath -o "$work/settle" ./cmd/settle
size=$(stat -c %s "$work/settle")
echo "binary size: $((size / 1024 / 1024)) MiB ($size bytes, go build -trimpath)"

# fresh_url prints the database URL for one run: empty for SQLite (the default file in a
# new data dir), a just-created database for PostgreSQL.
fresh_url() {
	[ "$1" = sqlite ] && return 0
	psql -q "$SETTLE_BENCH_POSTGRES" -c 'DROP DATABASE IF EXISTS settle_bench_startup' -c 'CREATE DATABASE settle_bench_startup' >/dev/null
	echo "${SETTLE_BENCH_POSTGRES%/*}/settle_bench_startup?sslmode=disable"
}

# start_once starts settle, waits for /healthz and prints the milliseconds that took and,
# after five idle seconds, the resident memory in MiB.
start_once() {
	local url=$1 port=$2
	local dir; dir=$(mktemp -d -p "$work")
	local t0 t1 pid
	t0=$(date +%s%3N)
	SETTLE_DATA_DIR="$dir" SETTLE_DATABASE_URL="$url" SETTLE_ADDR="127.0.0.1:$port" SETTLE_LOG_LEVEL=warn \
		"$work/settle" serve >"$dir/out" 2>"$dir/err" &
	pid=$!
	until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
		kill -0 $pid 2>/dev/null || { cat "$dir/err" >&2; return 1; }
		sleep 0.002
	done
	t1=$(date +%s%3N)
	sleep 5
	local rss; rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)
	kill $pid
	wait $pid 2>/dev/null || true
	echo "$((t1 - t0)) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() {
	local engine=$1 starts=() rss=()
	for i in $(seq "$runs"); do
		local url; url=$(fresh_url "$engine")
		read -r ms mib < <(start_once "$url" $((18400 + i)))
		starts+=("$ms"); rss+=("$mib")
	done
	echo "$engine cold start to healthy: median $(printf '%s\n' "${starts[@]}" | median) ms (runs: ${starts[*]})"
	echo "$engine idle RSS 5 s after start: median $(printf '%s\n' "${rss[@]}" | median) MiB (runs: ${rss[*]})"
}

measure sqlite
if [ -n "${SETTLE_BENCH_POSTGRES:-}" ]; then
	measure postgres
	psql -q "$SETTLE_BENCH_POSTGRES" -c 'DROP DATABASE IF EXISTS settle_bench_startup' >/dev/null
fi
