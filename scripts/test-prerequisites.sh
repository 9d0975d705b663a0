#!/usr/bin/env bash
# Makes a Debian machine ready for `npm test` (which runs this script first) and for .ci/run:
#   1. PostgreSQL on $PGHOST:$PGPORT (default 127.0.0.1:5432), user postgres without a password;
#   2. MariaDB on $MYSQL_HOST:$MYSQL_PORT (default 127.0.0.1:3306), user root without a password;
#   3. Python 3 (/usr/bin/python3) with SQLAlchemy, psycopg2 and PyMySQL;
#   4. Chromium ($CHROMIUM, default /usr/bin/chromium) and code-server for the e2e suite.
# A server on this machine that is installed but stopped is started; a missing package is installed
# with apt-get (as root, or through sudo). Servers on another host are only checked. Every step says
# what it does, does nothing when its piece is already there, and fails naming the missing piece.
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${MYSQL_PORT:-3306}
MYSQL_USER=${MYSQL_USER:-root}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

step() { printf '[prerequisites] %s\n' "$*"; }
fail() {
  printf '[prerequisites] MISSING: %s\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly, or through sudo; without either, the caller's piece is missing.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

apt_updated=
apt_install() { # piece, packages...
  local piece=$1
  shift
  step "$piece is missing: apt-get install $*"
  command -v apt-get >/dev/null 2>&1 || fail "$piece (no apt-get here: install $* yourself)"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq || fail "$piece (apt-get update failed; installing needs root or sudo)"
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
    fail "$piece (apt-get install $* failed; installing needs root or sudo)"
}

wait_for() { # piece, seconds, command...
  local piece=$1 seconds=$2
  shift 2
  for _ in $(seq "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  fail "$piece did not answer within ${seconds} s ($*)"
}

is_local() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ] || [ "$1" = ::1 ]; }

# --- 1. PostgreSQL ------------------------------------------------------------------------------
pg_login() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -w -d postgres -tAc 'SELECT 1'; }

step "PostgreSQL at $PGHOST:$PGPORT"
if ! pg_isready -h "$PGHOST" -p "$PGPORT" >/dev/null 2>&1; then
  is_local "$PGHOST" || fail "PostgreSQL at $PGHOST:$PGPORT does not answer (a remote server is not started from here)"
  command -v pg_lsclusters >/dev/null 2>&1 || apt_install PostgreSQL postgresql
  cluster=$(pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port { print $1 " " $2; exit }')
  [ -n "$cluster" ] || fail "a PostgreSQL cluster on port $PGPORT (pg_lsclusters lists none; create one with pg_createcluster)"
  step "not running: starting cluster $cluster"
  # shellcheck disable=SC2086 # "version name", two words on purpose
  as_root pg_ctlcluster --skip-systemctl-redirect $cluster start || true
  wait_for PostgreSQL 60 pg_isready -h "$PGHOST" -p "$PGPORT"
fi
if ! pg_login >/dev/null 2>&1; then
  # The tests log in without a password; a fresh Debian cluster asks for one over TCP.
  is_local "$PGHOST" || fail "PostgreSQL at $PGHOST:$PGPORT refuses user $PGUSER without a password"
  step "PostgreSQL asks $PGUSER for a password on $PGHOST: pg_hba.conf's local TCP lines set to trust"
  hba=$(as_root su postgres -c "psql -p $PGPORT -tAc 'SHOW hba_file'") || fail "PostgreSQL's pg_hba.conf (cannot ask the server as user postgres)"
  as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  as_root su postgres -c "psql -p $PGPORT -tAc 'SELECT pg_reload_conf()'" >/dev/null
  pg_login >/dev/null 2>&1 || fail "PostgreSQL at $PGHOST:$PGPORT still refuses user $PGUSER without a password"
fi
step "PostgreSQL answers: $(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -w -d postgres -tAc 'SHOW server_version')"

# --- 2. MariaDB ---------------------------------------------------------------------------------
maria_login() { mariadb -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" --password="${MYSQL_PASSWORD:-}" -e 'SELECT 1'; }

step "MariaDB at $MYSQL_HOST:$MYSQL_PORT"
if ! mariadb-admin -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" --password="${MYSQL_PASSWORD:-}" ping >/dev/null 2>&1; then
  is_local "$MYSQL_HOST" || fail "MariaDB at $MYSQL_HOST:$MYSQL_PORT does not answer (a remote server is not started from here)"
  [ -x /usr/sbin/mariadbd ] || apt_install MariaDB mariadb-server
  step "not running: starting /usr/sbin/mariadbd"
  # The socket directory is on /run, which a container or reboot empties.
  as_root install -d -o mysql -g mysql /run/mysqld || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  wait_for MariaDB 60 mariadb-admin -h "$MYSQL_HOST" -P "$MYSQL_PORT" ping
fi
if ! maria_login >/dev/null 2>&1; then
  # A fresh Debian MariaDB lets root in only through the socket, as the system root user.
  is_local "$MYSQL_HOST" && [ "$MYSQL_USER" = root ] && [ -z "${MYSQL_PASSWORD:-}" ] ||
    fail "MariaDB at $MYSQL_HOST:$MYSQL_PORT refuses user $MYSQL_USER with the given password"
  step "MariaDB refuses root without a password over TCP: root@localhost gets an empty password"
  as_root mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" ||
    fail "MariaDB's root login (cannot change it through the socket as root)"
  maria_login >/dev/null 2>&1 || fail "MariaDB at $MYSQL_HOST:$MYSQL_PORT still refuses root without a password"
fi
step "MariaDB answers: $(mariadb -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" --password="${MYSQL_PASSWORD:-}" -N -e 'SELECT VERSION()')"

# --- 3. Python with SQLAlchemy ------------------------------------------------------------------
python_ready() { /usr/bin/python3 -c 'import sqlalchemy, psycopg2, pymysql'; }
step "Python 3 with SQLAlchemy, psycopg2 and PyMySQL (the SQLAlchemy migration tests run generated code)"
if ! python_ready >/dev/null 2>&1; then
  apt_install "SQLAlchemy, psycopg2 or PyMySQL for /usr/bin/python3" python3 python3-sqlalchemy python3-psycopg2 python3-pymysql
  python_ready || fail "/usr/bin/python3 still cannot import sqlalchemy, psycopg2 and pymysql"
fi
step "Python ready: SQLAlchemy $(/usr/bin/python3 -c 'import sqlalchemy; print(sqlalchemy.__version__)')"

# --- 4. Chromium and code-server for the e2e suite ----------------------------------------------
step "Chromium at $CHROMIUM (the e2e suite's browser)"
if [ ! -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = /usr/bin/chromium ] || fail "Chromium at $CHROMIUM (CHROMIUM names a browser that is not there)"
  apt_install Chromium chromium
  [ -x "$CHROMIUM" ] || fail "Chromium at $CHROMIUM after apt-get install chromium"
fi
step "Chromium ready: $("$CHROMIUM" --version 2>/dev/null | tail -1)"

# code-server compiles native modules the first time: it needs a C++ compiler, make and Python.
step "code-server (the e2e suite's VS Code), installed once outside the project"
if ! command -v g++ >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
  apt_install "a C++ compiler and make (to build code-server's native modules)" build-essential
fi
code_server=$(bash test/e2e/installCodeServer.sh | tail -1) || fail "code-server (test/e2e/installCodeServer.sh failed; its log is named above)"
step "code-server ready: $code_server"
step "all prerequisites are there"
