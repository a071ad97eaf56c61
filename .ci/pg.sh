# Source this file: starts a throwaway PostgreSQL cluster on a Unix socket and exports
# DATABASE_URL for it. The cluster is removed when the shell that sourced this exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
  return 1
fi
pg_dir=$(mktemp -d /tmp/gutbrain-pg.XXXXXX)
pg_user=$(id -un)
if [ "$(id -u)" = 0 ]; then
  # The server refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$pg_dir"
  pg_run() { runuser -u postgres -- "$@"; }
  pg_user=postgres
else
  pg_run() { "$@"; }
fi
pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U gutbrain --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-k $pg_dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
pg_stop() { pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
trap pg_stop EXIT
pg_run "$pg_bin/createdb" -h "$pg_dir" -U gutbrain gutbrain
export DATABASE_URL="postgres://gutbrain@/gutbrain?host=$pg_dir"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running for this run at $pg_dir"
