#!/usr/bin/env bash
# Measures the README's run command from a fresh clone: seconds from `npm start`
# to "[stack] all healthy", first with an empty Maven repository (Kafka's jars are
# downloaded) and then warm (second start of the same clone). Prints the figures.
#   tools/stack/measure-fresh-start.sh [path-to-repo]
set -euo pipefail
source_repo=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$source_repo" "$work/clone"
cd "$work/clone"
ci_started=$SECONDS
npm ci --no-audit --no-fund > "$work/npm-ci.log" 2>&1 || { tail -30 "$work/npm-ci.log"; exit 1; }
echo "npm ci: $((SECONDS - ci_started)) s"

start_until_healthy() {
  local label=$1; shift
  local started=$SECONDS
  # Its own process group, so Ctrl-C can be imitated: SIGINT to the whole group.
  setsid env "$@" CDP_PORT=14001 CRM_PORT=14002 SYNC_PORT=14003 POSTGRES_PORT=15432 KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 \
    npm start > "$work/$label.log" 2>&1 &
  local pid=$!
  until grep -q '\[stack\] all healthy' "$work/$label.log"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "$label: npm start exited early"; tail -20 "$work/$label.log"; exit 1; fi
    sleep 0.2
  done
  echo "$label: $((SECONDS - started)) s to all healthy (npm start, including its build); launcher says: $(grep -o 'all healthy in [0-9.]* s' "$work/$label.log")"
  kill -INT -- "-$pid"
  wait "$pid" || true
  grep -q '\[stack\] stopped' "$work/$label.log" || { echo "$label: the stack did not report stopping"; exit 1; }
}

start_until_healthy first-start MAVEN_OPTS="-Dmaven.repo.local=$work/m2"
start_until_healthy warm-start
