#!/usr/bin/env bash
# Installs the system packages the test suite needs, from Debian (run as root, or with sudo):
#   chromium            headless browser for the page tests (driven by playwright-core)
#   docker-compose      `docker-compose config -q` in the infra checks (no Docker engine needed)
#   prometheus          promtool, for the Prometheus config / alert-rule checks
#   python3-feedparser  a real feed reader the Atom / JSON Feed tests parse our feeds with
# Idempotent: installs only what is missing. `npm test` runs it itself when it is root and something is missing;
# `bash .ci/run` runs it before `npm test`.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || missing+=(python3-feedparser)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup-test-deps: need root to install ${missing[*]}" >&2; exit 1; }
  SUDO='sudo'
fi
echo "installing ${missing[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The prometheus package just installed starts a server on :9090 that the tests do not need: stop that one (it runs as
# the package's own user), never a Prometheus someone else runs.
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
  ($SUDO pkill -x -u prometheus prometheus || true) 2>/dev/null
fi
