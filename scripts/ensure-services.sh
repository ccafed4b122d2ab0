#!/usr/bin/env bash
# Make sure everything `make test` needs is here, starting or installing what is missing:
#   Redis on 127.0.0.1:6379, Debian's chromium at /usr/bin/chromium (Playwright drives it; we never
#   run `playwright install`), gettext's msgfmt, and — only when DATABASE_URL names it (`make test
#   TEST_DATABASE_URL=...`, `make test-pg15`, `make bench`, `make chaos`) — the system PostgreSQL on
#   127.0.0.1:5432 (role "postgres" may log in over TCP without a password). By default the tests run on
#   an embedded PostgreSQL 18 of their own (tests/env_defaults.py), which needs nothing from here.
# Order of remedies for a missing service: start it if installed; else install it with apt-get when
# running as root; else `docker compose up -d postgres redis` when a Docker engine is running;
# else stop with the exact command to run.
# PostgreSQL / Redis are only checked when DATABASE_URL / CELERY_BROKER_URL (the Makefile passes its
# test defaults) point at them; a user who overrides them to another server is left alone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
CHROMIUM=/usr/bin/chromium
WAIT_SECONDS=30
PG_TRUST_MARKER="# wuyi make test:"
DATABASE_URL=${DATABASE_URL:-}
CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}

say() { printf '%s\n' "$*"; }
die() {
    printf 'ensure-services: %s\n' "$1" >&2
    shift
    for line in "$@"; do printf '    %s\n' "$line" >&2; done
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && have apt-get; }
with_timeout() { if have timeout; then timeout "$@"; else shift; "$@"; fi; }

if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi

# --- probes ------------------------------------------------------------------------------------
pg_login() {  # the postgres role logs in over TCP without a password
    if have psql; then
        PGCONNECT_TIMEOUT=3 psql -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc 'select 1' \
            >/dev/null 2>&1
    else
        with_timeout 10 "$PYTHON" -c "import psycopg; psycopg.connect(
            'postgresql://postgres@$PG_HOST:$PG_PORT/postgres', connect_timeout=3).close()" >/dev/null 2>&1
    fi
}
pg_ready() {
    if have pg_isready; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
    else
        pg_login
    fi
}
redis_ready() {
    if have redis-cli; then
        [ "$(with_timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
    else
        with_timeout 5 bash -c '
            exec 3<>"/dev/tcp/$0/$1" || exit 1
            printf "PING\r\n" >&3
            IFS= read -r -t 3 reply <&3 && [[ $reply == +PONG* ]]' "$REDIS_HOST" "$REDIS_PORT" 2>/dev/null
    fi
}
wait_for() {  # name probe
    local i
    for ((i = 0; i < WAIT_SECONDS; i++)); do
        if "$2"; then return 0; fi
        sleep 1
    done
    "$2"
}

# --- PostgreSQL (Debian packaging) -------------------------------------------------------------
pg_installed() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }
pg_allow_trust() {  # version; idempotent
    local hba="/etc/postgresql/$1/main/pg_hba.conf" tmp
    [ -w "$hba" ] || return 1
    grep -qF "$PG_TRUST_MARKER" "$hba" && return 0
    tmp=$(mktemp)
    {
        # pg_hba.conf is first-match, so the rule goes on top.
        echo "$PG_TRUST_MARKER local test cluster only: the tests connect as postgres@127.0.0.1 without a"
        echo "# password. Never put this line on a server that holds real data."
        echo "host all all 127.0.0.1/32 trust"
        echo
        cat "$hba"
    } >"$tmp"
    cat "$tmp" >"$hba" # keeps the file's owner and mode
    rm -f "$tmp"
}
pg_start() {  # start (creating if needed) the Debian cluster; trust=1 also adds the trust rule
    local trust=$1 v
    have pg_ctlcluster || return 1
    v=$(pg_version)
    if [ -z "$v" ] || [ ! -d "/etc/postgresql/$v/main" ]; then
        have pg_createcluster || return 1
        v=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
        say "postgresql: creating cluster $v/main"
        pg_createcluster "$v" main >/dev/null || return 1
    fi
    if [ "$trust" = 1 ]; then pg_allow_trust "$v" || return 1; fi
    if pg_ctlcluster --skip-systemctl-redirect "$v" main status >/dev/null 2>&1; then
        say "postgresql: cluster $v/main is running, reloading its configuration"
        pg_ctlcluster --skip-systemctl-redirect "$v" main reload
    else
        say "postgresql: starting cluster $v/main"
        pg_ctlcluster --skip-systemctl-redirect "$v" main start
    fi
}

# --- Redis -------------------------------------------------------------------------------------
redis_start() {
    local dir=/var/lib/redis logdir=/var/log/redis
    have redis-server || return 1
    if ! is_root; then
        dir="${TMPDIR:-/tmp}/wuyi-redis-$(id -u)"
        logdir=$dir
    fi
    mkdir -p "$dir" "$logdir" || return 1
    say "redis: starting redis-server on $REDIS_HOST:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
        --dir "$dir" --logfile "$logdir/ci.log"
}

# --- Docker Compose fallback -------------------------------------------------------------------
COMPOSE=()
compose_available() {
    have docker && docker info >/dev/null 2>&1 || return 1
    if docker compose version >/dev/null 2>&1; then
        COMPOSE=(docker compose)
    elif have docker-compose; then
        COMPOSE=(docker-compose)
    else
        return 1
    fi
}
compose_up() {  # services...
    # A separate project ("wuyi-test") with its own volume: PostgreSQL's superuser is "postgres" with
    # trust authentication and both ports are published on 127.0.0.1 only. Local testing only.
    local tmpdir override rc
    tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/wuyi-compose.XXXXXX")
    override="$tmpdir/test-services.yml"
    cat >"$override" <<'YAML'
services:
  postgres:
    environment:
      POSTGRES_USER: postgres
      POSTGRES_HOST_AUTH_METHOD: trust
    ports: ["127.0.0.1:5432:5432"]
  redis:
    ports: ["127.0.0.1:6379:6379"]
YAML
    say "docker: ${COMPOSE[*]} -p wuyi-test up -d $*"
    # SECRET_KEY is only needed for interpolating the app services, which are not started here.
    SECRET_KEY=${SECRET_KEY:-unused-by-postgres-and-redis} \
        "${COMPOSE[@]}" -p wuyi-test -f docker-compose.yml -f "$override" up -d "$@"
    rc=$?
    rm -rf "$tmpdir"
    return $rc
}

# --- what is missing ---------------------------------------------------------------------------
check_pg=0
case $DATABASE_URL in
    postgres://postgres@127.0.0.1:5432/* | postgresql://postgres@127.0.0.1:5432/* | \
        postgres://postgres@localhost:5432/* | postgresql://postgres@localhost:5432/*) check_pg=1 ;;
esac
check_redis=0
case $CELERY_BROKER_URL in
    redis://127.0.0.1:6379* | redis://localhost:6379*) check_redis=1 ;;
esac

need_pg=0
need_redis=0
if [ "$check_pg" = 1 ] && ! pg_ready; then need_pg=1; fi
if [ "$check_redis" = 1 ] && ! redis_ready; then need_redis=1; fi

packages=()
fresh_pg=0
if [ "$need_pg" = 1 ] && ! pg_installed; then packages+=(postgresql); fi
if [ "$need_redis" = 1 ] && ! have redis-server; then packages+=(redis-server); fi
[ -x "$CHROMIUM" ] || packages+=(chromium)
have msgfmt || packages+=(gettext)
# Chinese glyphs for the pages chromium renders (screenshots with SCREENSHOTS=1; the official PDFs later)
[ -d /usr/share/fonts/opentype/noto ] && fc-list :lang=zh 2>/dev/null | grep -q . || packages+=(fonts-noto-cjk)

if [ "${#packages[@]}" -gt 0 ] && can_apt; then
    say "apt-get: installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y "${packages[@]}"; then
        apt-get update
        apt-get install -y "${packages[@]}"
    fi
    for p in "${packages[@]}"; do [ "$p" = postgresql ] && fresh_pg=1; done
fi

# the official PDFs' libraries and fonts, and poppler for the tests that read them
bash scripts/ensure-pdf.sh || die "the official PDFs' Debian packages are missing (see above)."

[ -x "$CHROMIUM" ] || die "Debian's chromium is missing at $CHROMIUM (the browser tests drive it)." \
    "Install it as root:  sudo apt-get install -y chromium"
have msgfmt || die "gettext's msgfmt is missing (needed to compile translations)." \
    "Install it as root:  sudo apt-get install -y gettext"

# --- start what is stopped ---------------------------------------------------------------------
compose_services=()
if [ "$need_pg" = 1 ]; then
    if pg_installed && pg_start "$fresh_pg"; then
        wait_for postgresql pg_ready || die "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${WAIT_SECONDS}s." \
            "Look at: ls /var/log/postgresql/; pg_lsclusters"
    else
        if pg_installed; then say "postgresql: could not start the local cluster (needs root or the postgres user)"; fi
        compose_services+=(postgres)
    fi
fi
if [ "$need_redis" = 1 ]; then
    if redis_start; then
        wait_for redis redis_ready || die "Redis did not answer PING on $REDIS_HOST:$REDIS_PORT within ${WAIT_SECONDS}s."
    else
        if have redis-server; then say "redis: could not start redis-server"; fi
        compose_services+=(redis)
    fi
fi
if [ "${#compose_services[@]}" -gt 0 ]; then
    if compose_available; then
        compose_up "${compose_services[@]}" || die "'${COMPOSE[*]} up' failed."
        for s in "${compose_services[@]}"; do
            if [ "$s" = postgres ]; then probe=pg_login; else probe=redis_ready; fi
            wait_for "$s" "$probe" || die "$s (docker) did not become ready within ${WAIT_SECONDS}s."
        done
    else
        hint=()
        for s in "${compose_services[@]}"; do
            case $s in
                postgres)
                    if pg_installed; then
                        hint+=("sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start")
                    else
                        hint+=("sudo apt-get install -y postgresql && sudo pg_ctlcluster \$(ls /etc/postgresql) main start")
                    fi ;;
                redis)
                    if have redis-server; then
                        hint+=("redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''")
                    else
                        hint+=("sudo apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''")
                    fi ;;
            esac
        done
        die "cannot start ${compose_services[*]}: not root with apt-get, and no running Docker engine with compose." \
            "Run (then \`make test\` again):" "${hint[@]}" \
            "or start a Docker engine with compose and rerun \`make test\` (it then starts them from docker-compose.yml)," \
            "or use servers of your own: make test TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/wuyi CELERY_BROKER_URL=redis://HOST:6379/0"
    fi
fi

# --- PostgreSQL login as postgres without a password ---------------------------------------------
if [ "$check_pg" = 1 ] && ! pg_login; then
    v=$(pg_version)
    if [ -n "$v" ] && is_root && pg_allow_trust "$v" &&
        pg_ctlcluster --skip-systemctl-redirect "$v" main reload && wait_for postgresql pg_login; then
        say "postgresql: added a 127.0.0.1 trust rule to /etc/postgresql/$v/main/pg_hba.conf (test cluster)"
    else
        die "PostgreSQL answers on $PG_HOST:$PG_PORT but role postgres cannot log in there without a password." \
            "Add this line at the top of pg_hba.conf and reload PostgreSQL (local test cluster only):" \
            "    host all all 127.0.0.1/32 trust" \
            "or point the tests elsewhere: make test TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/wuyi"
    fi
fi

# --- report --------------------------------------------------------------------------------------
if [ "$check_pg" = 1 ]; then
    say "postgresql: ok ($PG_HOST:$PG_PORT)"
elif [ -z "$DATABASE_URL" ]; then
    say "postgresql: not needed (the tests start an embedded PostgreSQL 18 of their own)"
else
    say "postgresql: not checked (DATABASE_URL is not postgres@$PG_HOST:$PG_PORT)"
fi
if [ "$check_redis" = 1 ]; then
    say "redis: ok ($REDIS_HOST:$REDIS_PORT)"
else
    say "redis: not checked (CELERY_BROKER_URL is not redis://$REDIS_HOST:$REDIS_PORT)"
fi
say "chromium: ok ($CHROMIUM)"
say "msgfmt: ok ($(command -v msgfmt))"
