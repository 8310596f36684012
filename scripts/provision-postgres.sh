#!/usr/bin/env bash
# Installs Debian's PostgreSQL if needed, starts it and makes a test role and
# database. Prints the TEST_DATABASE_URL to use. Needs root (as CI has).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')" && break
  sleep 1
done
pg_isready -h 127.0.0.1 >&2
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'conduit_test'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE conduit_test LOGIN PASSWORD 'conduit_test'\"" >&2
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname = 'conduit_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O conduit_test conduit_test" >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
echo "postgres://conduit_test:conduit_test@127.0.0.1:${port}/conduit_test"
