#!/bin/sh
# Runs one PaperWire process: `paperwire-entrypoint services/<name> [args]`, or with no arguments the
# service named by $SERVICE. exec keeps node as the signalled process, so SIGTERM reaches Nest's
# shutdown hooks and workers finish or release their jobs.
set -eu
cd "${PAPERWIRE_HOME:-/app}"
if [ "$#" -eq 0 ]; then
  if [ -z "${SERVICE:-}" ]; then
    echo "paperwire: set SERVICE (fetcher, parser, classifier, metric-extractor, notifier, sweeper, api) or pass services/<name> [args]" >&2
    exit 2
  fi
  set -- "services/${SERVICE}"
fi
exec node tools/run.js "$@"
