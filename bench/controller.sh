#!/usr/bin/env bash
# Benchmark of `uctrust controller` (whole process through bin/uctrust, embedded H2) keeping a lab of N phones
# (default 10000) with the lab example as desired state in a local bare repository: CPU time (utime+stime from
# /proc/PID/stat) and RSS (VmRSS, VmHWM from /proc/PID/status) at idle after convergence over IDLE seconds, then
# during a reconcile with work (a commit that adds the issuing CA to CallManager-trust: CallManager and TVS restarts
# and a trust list download on every phone; run through the webhook): CPU seconds, wall time, peak RSS. The first
# run's figures include the simulated phones' own RSA key generation (the lab runs in the controller's JVM; the
# example installs or renews LSCs on a third of the phones), which real phones do themselves; it takes over ten
# minutes on 2 cores. REUSE=1 starts from the converged lab a previous run left in bench/out/controller instead
# (desired state reset to the example; the start's run is then an in-sync check of every phone).
# Usage: [REUSE=1] bench/controller.sh [PHONES] [IDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
phones=${1:-10000}
idle=${2:-60}
out=$(pwd)/bench/out/controller
reuse=${REUSE:-}
[ -n "$reuse" ] && [ ! -d "$out/state/lab/lab" ] && { echo "REUSE=1: no earlier run in $out" >&2; exit 1; }
[ -z "$reuse" ] && rm -rf "$out"
mkdir -p "$out"
bin/uctrust --version >/dev/null
export GIT_CONFIG_NOSYSTEM=1 HOME="$out/home" UCTRUST_ONLINE_CA_PASSWORD=lab-password BENCH_HOOK_SECRET=bench-secret
mkdir -p "$HOME"
git=(git -c user.name=Bench -c user.email=bench@example.com -c init.defaultBranch=main)
if [ -z "$reuse" ]; then
  "${git[@]}" init -q --bare "$out/lab.git"
  "${git[@]}" clone -q "$out/lab.git" "$out/work" 2>/dev/null
fi
cp -r examples/lab/. "$out/work/"
if [ -n "$("${git[@]}" -C "$out/work" status --porcelain)" ]; then
  "${git[@]}" -C "$out/work" add -A && "${git[@]}" -C "$out/work" commit -qm "Lab" \
    && "${git[@]}" -C "$out/work" push -q origin HEAD
fi
if [ -z "$reuse" ]; then
  /usr/bin/time -f "%e" bin/uctrust lab init examples/lab --state-dir "$out/state/lab/lab" --phones "$phones" \
    2>"$out/init.txt" >/dev/null
  echo "lab of $phones phones created in $(tail -1 "$out/init.txt") s"
fi
cat >"$out/controller.yaml" <<EOF
apiVersion: uctrust/v1
kind: Controller
metadata: {name: bench}
spec:
  listen: 127.0.0.1:0
  stateDir: state
  webhookSecret: env:BENCH_HOOK_SECRET
  repositories:
    - {name: desired, url: "file://$out/lab.git"}
  clusters:
    - {name: lab, repository: desired, interval: 1h}
EOF
bin/uctrust controller --config "$out/controller.yaml" >"$out/controller.out" 2>"$out/controller.err" &
launcher=$!
trap 'kill -TERM $launcher 2>/dev/null || true' EXIT
# bin/uctrust execs java, so the launcher's pid is the JVM's
pid=$launcher
hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
runs() { grep -c "cluster lab: run [0-9]* .*: [0-9]* planned" "$out/controller.err" || true; }
wait_runs() { # wait until $1 runs have ended; sample peak RSS meanwhile
  peak=0
  until [ "$(runs)" -ge "$1" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "controller died:"; tail -20 "$out/controller.err"; exit 1; }
    r=$(kib VmRSS); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.2
  done
}
start=$(date +%s.%N)
until grep -q 'running (instance' "$out/controller.out"; do sleep 0.2; done
port=$(grep -o 'http://127.0.0.1:[0-9]*/' "$out/controller.out" | grep -o '[0-9]*/$' | tr -d /)
hook() {
  curl -fsS -X POST -H "Authorization: Bearer $BENCH_HOOK_SECRET" -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$port/hooks/git?repository=desired" >/dev/null
}
# the earlier run's schedule is kept in the database (next run an interval after its last): ask for one now
[ -n "$reuse" ] && hook
wait_runs 1
first=$(grep -o 'run [0-9]* [a-z-]*: .*' "$out/controller.err" | head -1)
what="apply the lab example to"
[ -n "$reuse" ] && what="in-sync check of"
echo "first run (start, fetch, $what $phones phones):" \
  "$(echo "$(date +%s.%N) - $start" | bc) s wall, $(cpu) s CPU, peak RSS $((peak / 1024)) MiB; $first"
sleep 5
c0=$(cpu); rss0=$(kib VmRSS)
sleep "$idle"
c1=$(cpu); rss1=$(kib VmRSS); hwm=$(kib VmHWM)
echo "idle ${idle} s after convergence: $(echo "scale=2; 100 * ($c1 - $c0) / $idle" | bc) % of one CPU," \
  "RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MiB (high-water mark so far $((hwm / 1024)) MiB)"
sed -i '0,/certs\/edge-ca.pem/{/certs\/edge-ca.pem/a\    - {file: certs/corp-chain.pem, description: Example Corp issuing chain}
}' "$out/work/truststores.yaml"
"${git[@]}" -C "$out/work" commit -qam "Trust the issuing CA for CallManager" \
  && "${git[@]}" -C "$out/work" push -q origin HEAD
c0=$(cpu); t0=$(date +%s.%N)
hook
wait_runs 2
t1=$(date +%s.%N); c1=$(cpu)
echo "reconcile with work ($(grep -o 'run [0-9]* [a-z-]*: .*' "$out/controller.err" | sed -n 2p)):" \
  "$(echo "$t1 - $t0" | bc) s wall, $(echo "$c1 - $c0" | bc) s CPU, peak RSS $((peak / 1024)) MiB" \
  "(VmHWM $(( $(kib VmHWM) / 1024 )) MiB)"
sleep 5
c0=$(cpu); sleep 30; c1=$(cpu)
echo "idle 30 s after that run: $(echo "scale=2; 100 * ($c1 - $c0) / 30" | bc) % of one CPU, RSS $(( $(kib VmRSS) / 1024 )) MiB"
echo "JVM options: those of bin/uctrust ($(tr '\0' ' ' <"/proc/$pid/cmdline" | grep -o -- '-XX:[^ ]*\|-Xshare:[^ ]*' | tr '\n' ' '))"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
kill -TERM "$pid"
wait "$launcher" || true
trap - EXIT
