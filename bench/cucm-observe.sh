#!/usr/bin/env bash
# Observe time of a real-cluster target (target: cucm) for a cluster of N phones (default 10000): the lab
# is served over HTTPS and SSH by `uctrust lab serve` on loopback, and `uctrust reconcile --dry-run`
# reads it through AXL (phones in pages of SQL), platform REST, ControlCenterServices and the admin CLI.
# Reports the median wall time of RUNS dry runs, and the requests and bytes the lab served per interface
# (over all runs). AXL is paced at UCTRUST_AXL_REQUESTS_PER_SECOND (default here: uctrust's own default, 5).
# Usage: bench/cucm-observe.sh [RUNS] [PHONES]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
phones=${2:-10000}
out=bench/out/cucm-$phones
rm -rf "$out"
mkdir -p "$out"
bin/uctrust --version >/dev/null
bin/uctrust lab init examples/lab --state-dir "$out/lab" --phones "$phones" >/dev/null
bin/uctrust lab serve --state-dir "$out/lab" >"$out/serve.txt" 2>"$out/serve-err.txt" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^Reach it with' "$out/serve.txt" 2>/dev/null && break; sleep 0.2; done
routes=$(grep -A1 '^Reach it with' "$out/serve.txt" | tail -1)
dir="$out/desired"
cp -r examples/lab "$dir"
password="file:$PWD/$out/lab/serve/password"
python3 - "$dir/cluster.yaml" "$password" "$PWD/$out/lab/serve" <<'PY'
import sys
path, password, serve = sys.argv[1:]
text = open(path).read()
target = f"""target:
    type: cucm
    publisher: cucm-pub.example.com
    axl: {{username: axladmin, password: "{password}"}}
    platform: {{username: osadmin, password: "{password}"}}
    cli: {{username: osadmin, password: "{password}", knownHosts: "file:{serve}/known_hosts"}}
    trust: "file:{serve}/ca.pem"
    axlVersion: "15.0\""""
open(path, "w").write(text.replace("target: {type: lab}", target))
PY
for _ in $(seq "$runs"); do
  set +e
  # shellcheck disable=SC2086
  UCTRUST_ONLINE_CA_PASSWORD=x /usr/bin/time -f "%e %M" bin/uctrust reconcile --dry-run "$dir" --state-dir "$out/journal" $routes 2>&1 >/dev/null | tail -1
  set -e
done | sort -n | awk -v p="$phones" '{ t[NR]=$1; m[NR]=$2 } END {
  printf "observe + plan through target cucm, %d phones: median %.2f s (min %.2f, max %.2f), client peak RSS %d MiB\n", p, t[int((NR+1)/2)], t[1], t[NR], m[NR]/1024 }'
kill -TERM $server
wait $server 2>/dev/null || true
echo "served over $runs runs:"
sed -n '/^served:/,$p' "$out/serve-err.txt" | tail -n +2
