#!/usr/bin/env bash
# Runs every CrowdWatch test on a Debian machine with the .NET 10 SDK, installing what the tests need first,
# and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: a CJK font so Chinese zone names render in PNGs; PostgreSQL with PostGIS, which the
# store's tests start on 127.0.0.1 as a throw-away cluster (unless CROWDWATCH_TEST_POSTGRES names a server).
# Debian's chromium for the browser tests (Playwright drives it from PATH; no browser is downloaded).
# libxml2-utils: xmllint, the parser CAP consumers use, checks every CAP message the tests fetch.
# redis-server: the scale-out tests start their own on a free 127.0.0.1 port (the ingest log, leases, the SignalR backplane).
packages=(fonts-noto-cjk postgresql-15-postgis-3 chromium libxml2-utils redis-server)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

results="TestResults"
rm -rf "$results"
dotnet build CrowdWatch.sln -c Release -warnaserror -nologo -v q
build=$?
if [ $build -ne 0 ]; then echo "build failed"; echo "0 passed, 1 failed"; exit $build; fi
dotnet test CrowdWatch.sln -c Release --no-build --nologo --logger trx --results-directory "$results" "$@"
rc=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A run that failed without a failing test (crash, missing result) must not read as green.
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit $rc
