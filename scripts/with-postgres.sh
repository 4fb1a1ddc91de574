#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster owned by this run, then remove it.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (sets DATABASE_URL for the command)
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
workdir=$(mktemp -d /tmp/pathways-pg.XXXXXX)
chmod 755 "$workdir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the 'postgres' system user.
  chown postgres "$workdir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT
"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-c listen_addresses='' -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
export DATABASE_URL="postgres://postgres@/pathways?host=$workdir"
"$@"
