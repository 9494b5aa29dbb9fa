#!/usr/bin/env bash
# Proves a backup restores: dumps a database with `pg_dump -Fc`, restores it into a fresh database
# on the same server with `pg_restore`, and compares every table's exact row count between the two.
# Exits 0 when every count matches, 1 when one differs, 2 on a usage or tool error.
# Not part of CI: run it against a real PostgreSQL (docs/operations.md, "Backups and restore").
#
#   scripts/backup-restore-check.sh postgres://postgres@127.0.0.1:5432/switchboard
#
# KEEP=1 keeps the restored database and the dump file; DUMP_DIR chooses where the dump goes.
set -euo pipefail

source_url="${1:-${DATABASE_URL:-}}"
if [[ -z "$source_url" ]]; then
  echo "usage: $0 <postgres://user@host:port/database> (or set DATABASE_URL)" >&2
  exit 2
fi
for tool in pg_dump pg_restore psql; do
  command -v "$tool" >/dev/null || { echo "$tool not found (install the PostgreSQL client of the server's major version)" >&2; exit 2; }
done

# The restore target: same server and credentials, a fresh database name.
base="${source_url%%\?*}"
server="${base%/*}"
source_db="${base##*/}"
target_db="${source_db}_restore_check_$(date -u +%Y%m%d%H%M%S)"
target_url="${server}/${target_db}"
made_dir=""
if [[ -n "${DUMP_DIR:-}" ]]; then dump_dir="$DUMP_DIR"; else dump_dir=$(mktemp -d); made_dir="$dump_dir"; fi
dump="${dump_dir}/${source_db}.dump"

cleanup() {
  if [[ "${KEEP:-0}" != 1 ]]; then
    psql "${server}/postgres" -qAtc "DROP DATABASE IF EXISTS \"${target_db}\"" >/dev/null 2>&1 || true
    rm -f "$dump"
    if [[ -n "$made_dir" ]]; then rmdir "$made_dir" 2>/dev/null || true; fi
  fi
}
trap cleanup EXIT

# Exact counts of every ordinary table of the public schema, one "table<TAB>count" line each.
counts() {
  psql "$1" -qAt -v ON_ERROR_STOP=1 <<'SQL'
SELECT format('SELECT %L || E''\t'' || count(*) FROM %I.%I;', c.relname, n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
 ORDER BY c.relname
\gexec
SQL
}

started=$(date +%s)
echo "dump:    pg_dump -Fc ${source_db} -> ${dump}"
pg_dump --format=custom --no-owner --file="$dump" "$source_url"
echo "         $(du -h "$dump" | cut -f1) in $(( $(date +%s) - started )) s"

echo "create:  ${target_db}"
psql "${server}/postgres" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"${target_db}\"" >/dev/null

restored=$(date +%s)
echo "restore: pg_restore --jobs=2 -> ${target_db}"
pg_restore --no-owner --exit-on-error --jobs=2 --dbname="$target_url" "$dump"
echo "         in $(( $(date +%s) - restored )) s"

source_counts=$(counts "$source_url")
target_counts=$(counts "$target_url")
tables=$(wc -l <<<"$source_counts")
rows=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' <<<"$source_counts")

if diff <(echo "$source_counts") <(echo "$target_counts") >/dev/null; then
  echo "compare: ${tables} tables, ${rows} rows: every count matches"
  printf '%s\n' "$source_counts" | awk -F'\t' '$2 > 0 { printf "         %-40s %s\n", $1, $2 }'
  exit 0
fi
echo "compare: counts differ (table, source count | restored count):" >&2
LC_ALL=C join -t $'\t' -a1 -a2 -e '-' -o 0,1.2,2.2 <(LC_ALL=C sort <<<"$source_counts") <(LC_ALL=C sort <<<"$target_counts") | awk -F'\t' '$2 != $3 { printf "         %-40s %s | %s\n", $1, $2, $3 }' >&2
KEEP=1
echo "kept:    ${target_db} and ${dump} for inspection" >&2
exit 1
