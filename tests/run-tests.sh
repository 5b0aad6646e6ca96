#!/usr/bin/env bash
# The one test command (`npm test`): installs the pinned local tools (Azurite) when missing, runs every
# test project (the integration tests start and stop Azurite themselves), then prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed: Azurite (npm package 'azurite') is needed by the integration tests." >&2; exit 1; }
fi

results="TestResults/run-$(date +%Y%m%d-%H%M%S)"
dotnet test Functions.sln -c Release --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

# One line for people and CI: the totals over every test project's TRX file.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
# Name what failed just above the summary, where a log's tail shows it.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/FAILED \1/p'
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # The run broke before a test could report (build error, crashed host): never report green.
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
