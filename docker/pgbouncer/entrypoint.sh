#!/bin/sh
# PgBouncer in transaction pooling mode in front of one PostgreSQL (docs/scaling.md): renders its
# configuration from the environment, then runs it in the foreground. The same script runs in the
# image (Compose, Kubernetes) and in `npm test`, which passes the whole e2e project through it.
#   PGBOUNCER_SERVER_HOST (required), PGBOUNCER_SERVER_PORT (5432)
#   PGBOUNCER_USER, PGBOUNCER_PASSWORD (required): the one role clients and PgBouncer log in as (SCRAM)
#   PGBOUNCER_DATABASE (*: every database of the server, under the client's database name)
#   PGBOUNCER_LISTEN_ADDR (0.0.0.0), PGBOUNCER_LISTEN_PORT (6432)
#   PGBOUNCER_DEFAULT_POOL_SIZE (20): server connections per database and user, per PgBouncer
#   PGBOUNCER_MAX_CLIENT_CONN (2000), PGBOUNCER_CONFIG_DIR (/tmp/pgbouncer)
set -eu
: "${PGBOUNCER_SERVER_HOST:?set PGBOUNCER_SERVER_HOST}" "${PGBOUNCER_USER:?set PGBOUNCER_USER}" "${PGBOUNCER_PASSWORD:?set PGBOUNCER_PASSWORD}"
dir="${PGBOUNCER_CONFIG_DIR:-/tmp/pgbouncer}"
umask 077
mkdir -p "$dir"

# auth_file lines are "user" "password", a double quote written twice.
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
printf '%s %s\n' "$(quote "$PGBOUNCER_USER")" "$(quote "$PGBOUNCER_PASSWORD")" > "$dir/userlist.txt"

cat > "$dir/pgbouncer.ini" <<EOF
[databases]
${PGBOUNCER_DATABASE:-*} = host=${PGBOUNCER_SERVER_HOST} port=${PGBOUNCER_SERVER_PORT:-5432}

[pgbouncer]
listen_addr = ${PGBOUNCER_LISTEN_ADDR:-0.0.0.0}
listen_port = ${PGBOUNCER_LISTEN_PORT:-6432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = ${PGBOUNCER_MAX_CLIENT_CONN:-2000}
default_pool_size = ${PGBOUNCER_DEFAULT_POOL_SIZE:-20}
reserve_pool_size = 0
server_login_retry = 1
; pg (node-postgres) sends nothing else PgBouncer does not know; JDBC-style clients send this one.
ignore_startup_parameters = extra_float_digits
EOF

exec pgbouncer "$dir/pgbouncer.ini"
