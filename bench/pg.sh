# shellcheck shell=bash disable=SC2154 # work and out come from common.sh
# PostgreSQL helpers of bench/postgres.sh and bench/statements.sh (sourced after common.sh):
# databases of their own on the BENCH_PG_URL server, dropped again at exit.

BENCH_PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432?sslmode=disable}

# pg_url NAME prints the URL of database NAME on the BENCH_PG_URL server, with its query
# parameters. A database name in BENCH_PG_URL is replaced.
pg_url() {
	local server=${BENCH_PG_URL%%\?*} query=
	[[ $BENCH_PG_URL != *\?* ]] || query="?${BENCH_PG_URL#*\?}"
	local scheme=${server%%://*} rest=${server#*://}
	echo "$scheme://${rest%%/*}/$1$query"
}

# admin_sql runs SQL statements on the server's postgres database.
admin_sql() {
	local args=() s
	for s in "$@"; do args+=(-c "$s"); done
	PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1 "$(pg_url postgres)" "${args[@]}" >/dev/null
}

# Databases this run created, dropped on exit.
created=()

# fresh_db NAME drops database NAME if it exists and creates it empty.
fresh_db() {
	admin_sql "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" "CREATE DATABASE \"$1\""
	created+=("$1")
}

# drop_db NAME drops database NAME.
drop_db() {
	admin_sql "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
	local keep=() d
	for d in "${created[@]}"; do [ "$d" = "$1" ] || keep+=("$d"); done
	created=("${keep[@]}")
}

cleanup() {
	local rc=$?
	set +e
	stop_settle
	for d in "${created[@]}"; do
		admin_sql "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" || echo "bench: could not drop database $d" >&2
	done
	rm -rf "$work"
	exit "$rc"
}
