#!/usr/bin/env bash
# pipedeck's whole test suite, from a fresh clone:
#   1. installs the pinned AWS emulators into git-ignored venvs: moto server
#      (Glue, EMR, STS) and LocalStack (SQS move tasks, CloudWatch over CBOR;
#      it needs Python >= 3.13 and the pinned lock beside this script),
#   2. builds the tests once,
#   3. starts ONE moto and ONE LocalStack on free 127.0.0.1 ports, stopped by
#      PID from a trap,
#   4. points every AWS endpoint variable at them (nothing can reach real AWS),
#   5. runs every test, then rustfmt and clippy.
# A missing Python or a failed install fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MOTO_VERSION=5.2.5
VENV="$ROOT/.venv-emulators"
LOCALSTACK_LOCK="$ROOT/scripts/localstack-core-2026.3.0-py313.lock.txt"
LS_VENV="$ROOT/.venv-localstack"

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\npipedeck tests: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found: install Rust from https://rustup.rs"

# --- emulator install -------------------------------------------------------
PYTHON=""
for candidate in python3 python3.13 python3.12 python3.11; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
    PYTHON=$candidate; break
  fi
done
[ -n "$PYTHON" ] || die "Python >= 3.9 with the venv module is needed for the moto emulator (apt install python3 python3-venv)"

if ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  say "installing moto[server]==$MOTO_VERSION into $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || die "could not create a venv with $PYTHON"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
    || die "pip could not install moto[server]==$MOTO_VERSION (is PyPI reachable?)"
fi

# LocalStack needs Python >= 3.13: on PATH, else under pyenv.
py313_ok() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; }
PY313=""
for candidate in python3.13 python3.14 python3 \
    $( (command -v pyenv >/dev/null && ls -d "$(pyenv root)"/versions/3.1[3-9]*/bin/python3 2>/dev/null) || true) \
    $(ls -d "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3 2>/dev/null || true); do
  if command -v "$candidate" >/dev/null 2>&1 && py313_ok "$candidate"; then PY313=$candidate; break; fi
done
[ -n "$PY313" ] || die "Python >= 3.13 is needed for the LocalStack emulator (SQS, CloudWatch tests).
  Install one, e.g. 'pyenv install 3.13' (https://github.com/pyenv/pyenv) or your distribution's python3.13 + python3.13-venv,
  and make sure 'python3.13' is on PATH."
LOCK_SUM=$(cksum <"$LOCALSTACK_LOCK" | cut -d' ' -f1)
if [ "$(cat "$LS_VENV/.lock-sum" 2>/dev/null)" != "$LOCK_SUM" ] || ! "$LS_VENV/bin/python" -c 'import localstack' 2>/dev/null; then
  say "installing LocalStack (pinned lock) into $LS_VENV with $PY313"
  rm -rf "$LS_VENV"
  "$PY313" -m venv "$LS_VENV" || die "could not create a venv with $PY313"
  "$LS_VENV/bin/pip" install --quiet --disable-pip-version-check -r "$LOCALSTACK_LOCK" \
    || die "pip could not install LocalStack from $LOCALSTACK_LOCK (is PyPI reachable?)"
  echo "$LOCK_SUM" >"$LS_VENV/.lock-sum"
fi

# --- build once -------------------------------------------------------------
say "building tests"
cargo test --no-run --locked

# --- start one moto ---------------------------------------------------------
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOGDIR=$(mktemp -d)
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$LOGDIR/moto.log" 2>&1 &
MOTO_PID=$!
LS_PID=""
cleanup() {
  kill "$MOTO_PID" $LS_PID 2>/dev/null || true
  # LocalStack sometimes never finishes its graceful shutdown after TERM
  # (seen here: still up 45 min later, holding the run open): give both
  # 15 s, then KILL, so the run always ends.
  for _ in $(seq 1 75); do
    alive=""
    for pid in "$MOTO_PID" $LS_PID; do
      kill -0 "$pid" 2>/dev/null && alive=yes
    done
    [ -n "$alive" ] || break
    sleep 0.2
  done
  kill -9 "$MOTO_PID" $LS_PID 2>/dev/null || true
  wait "$MOTO_PID" $LS_PID 2>/dev/null || true
  rm -rf "$LOGDIR"
}
trap cleanup EXIT INT TERM

MOTO_URL="http://127.0.0.1:$PORT"
ready=""
for _ in $(seq 1 100); do
  if "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('$MOTO_URL/moto-api/', timeout=1)" 2>/dev/null; then
    ready=yes; break
  fi
  kill -0 "$MOTO_PID" 2>/dev/null || { cat "$LOGDIR/moto.log" >&2; die "moto exited during start-up"; }
  sleep 0.2
done
[ -n "$ready" ] || { cat "$LOGDIR/moto.log" >&2; die "moto did not answer on $MOTO_URL within 20 s"; }
say "moto $MOTO_VERSION on $MOTO_URL (pid $MOTO_PID)"

# --- start one LocalStack (no Docker: the host process, hypercorn on 127.0.0.1)
LS_PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$LOGDIR/localstack"
( cd "$LOGDIR/localstack" && exec env OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$LOGDIR/localstack" \
    GATEWAY_LISTEN="127.0.0.1:$LS_PORT" GATEWAY_SERVER=hypercorn LOCALSTACK_HOST="127.0.0.1:$LS_PORT" \
    SQS_ENDPOINT_STRATEGY=path SERVICES=sqs,logs,cloudwatch,sts EAGER_SERVICE_LOADING=1 \
    DNS_ADDRESS=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 PERSISTENCE=0 \
    "$LS_VENV/bin/python" -m localstack.runtime.main ) >"$LOGDIR/localstack.log" 2>&1 &
LS_PID=$!
LOCALSTACK_URL="http://127.0.0.1:$LS_PORT"
ready=""
for _ in $(seq 1 300); do
  if "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('$LOCALSTACK_URL/_localstack/health', timeout=1)" 2>/dev/null; then
    ready=yes; break
  fi
  kill -0 "$LS_PID" 2>/dev/null || { cat "$LOGDIR/localstack.log" >&2; die "LocalStack exited during start-up"; }
  sleep 0.2
done
[ -n "$ready" ] || { tail -50 "$LOGDIR/localstack.log" >&2; die "LocalStack did not answer on $LOCALSTACK_URL within 60 s"; }
say "LocalStack on $LOCALSTACK_URL (pid $LS_PID)"

# --- isolate from any real AWS configuration -------------------------------
EMPTY_AWS=$LOGDIR/aws
mkdir -p "$EMPTY_AWS"; : >"$EMPTY_AWS/config"; : >"$EMPTY_AWS/credentials"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || true
export AWS_CONFIG_FILE=$EMPTY_AWS/config
export AWS_SHARED_CREDENTIALS_FILE=$EMPTY_AWS/credentials
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_ENDPOINT_URL=$MOTO_URL
for svc in GLUE STS EMR ATHENA DYNAMODB; do
  export "AWS_ENDPOINT_URL_$svc=$MOTO_URL"
done
for svc in SQS CLOUDWATCH CLOUDWATCH_LOGS; do
  export "AWS_ENDPOINT_URL_$svc=$LOCALSTACK_URL"
done
export PIPEDECK_MOTO_URL=$MOTO_URL PIPEDECK_LOCALSTACK_URL=$LOCALSTACK_URL
export XDG_CONFIG_HOME=$LOGDIR/xdg-config XDG_STATE_HOME=$LOGDIR/xdg-state
export INSTA_UPDATE=no CI=true
export TZ=UTC

say "running tests"
cargo test --locked

if [ "${PIPEDECK_SKIP_LINT:-}" != 1 ]; then
  say "rustfmt"
  cargo fmt --check
  say "clippy"
  cargo clippy --locked --all-targets -- -D warnings
fi
say "all tests passed"
