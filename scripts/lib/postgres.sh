# Starts and stops a throwaway PostgreSQL cluster without systemd. Sourced by scripts/test and benchmarks.
pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_private_postgres() {
    local bin
    bin=$(pg_bin)
    [[ -n "$bin" ]] || { echo "PostgreSQL is not installed" >&2; return 1; }
    PACE_PG_DIR=$(mktemp -d /tmp/pace-pg.XXXXXX)
    PACE_PG_PORT=$(free_port)
    local as_postgres=()
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$PACE_PG_DIR"
        as_postgres=(runuser -u postgres --)
    fi
    "${as_postgres[@]}" "$bin/initdb" -D "$PACE_PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$PACE_PG_DIR/data" -l "$PACE_PG_DIR/log" -w \
        -o "-p $PACE_PG_PORT -k $PACE_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PACE_PG_FSYNC:-off}" start >/dev/null
    "${as_postgres[@]}" "$bin/createdb" -h 127.0.0.1 -p "$PACE_PG_PORT" -U postgres pace_test
    PACE_TEST_POSTGRES_URL="postgres://postgres:postgres@127.0.0.1:$PACE_PG_PORT/pace_test?sslmode=disable"
    export PACE_PG_DIR PACE_PG_PORT PACE_TEST_POSTGRES_URL
    echo "PostgreSQL listening on 127.0.0.1:$PACE_PG_PORT"
}

stop_private_postgres() {
    [[ -n "${PACE_PG_DIR:-}" && -d "$PACE_PG_DIR" ]] || return 0
    local as_postgres=()
    [[ $(id -u) -eq 0 ]] && as_postgres=(runuser -u postgres --)
    "${as_postgres[@]}" "$(pg_bin)/pg_ctl" -D "$PACE_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PACE_PG_DIR"
}
