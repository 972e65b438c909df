#!/usr/bin/env bash
# Installs the system tools the tests use beyond Node: Debian's sqlite3 and postgresql (the SQL
# tests load synth's output into them) and strace (the crash tests kill synth train at each rename).
# A no-op when all are present. The PostgreSQL tests start their own throwaway cluster, so the
# package's own cluster and service are not needed (nor started here).
set -euo pipefail

missing=()
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v strace >/dev/null 2>&1 || missing+=(strace)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-test-services: ${missing[*]} missing; install as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-test-services: ${missing[*]} missing and no apt-get; install them with this system's package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-test-services: installed ${missing[*]}" >&2
