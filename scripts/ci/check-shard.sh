#!/usr/bin/env bash
# Step "Check shard": walk this shard's share of journey x locale x viewport.
# Exit 0 (nothing to do), 1 (the instructions need an update) and 3 (a human is needed) are results
# for the aggregate job: the step succeeds and writes exit-code=N to $GITHUB_OUTPUT. Anything else
# (2 a usage error, a crash) fails the shard, after its report has been uploaded.
# Extra arguments go to `optout-monitor check` (the tests point it at the replica with --site).
set -uo pipefail
: "${RUN_DIR:?RUN_DIR is unset (the job sets runs/shard-N)}" "${SHARD:?SHARD is unset (the job sets I/N)}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is unset: this step runs in a GitHub Actions job}"
optout-monitor check --out "$RUN_DIR" --shard "$SHARD" --workers "${WORKERS:-2}" "$@"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
case "$code" in
  0|1|3) exit 0 ;;
  *) echo "::error::optout-monitor check failed with exit $code (shard $SHARD); its report, if any, is uploaded" >&2
     exit "$code" ;;
esac
