#!/usr/bin/env bash
# Benchmark of `uctrust reconcile --dry-run examples/lab` against lab clusters of N phones (default 10000
# and 100000): whole process through bin/uctrust, wall time and peak RSS, median of RUNS; also the time to
# create each lab. Usage: bench/reconcile.sh [RUNS] [PHONES...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
sizes=("${@:-10000 100000}")
[ $# -eq 0 ] && sizes=(10000 100000)
out=bench/out
mkdir -p "$out"
bin/uctrust --version >/dev/null
for phones in "${sizes[@]}"; do
  state="$out/lab-$phones"
  rm -rf "$state"
  /usr/bin/time -f "%e %M" bin/uctrust lab init examples/lab --state-dir "$state" --phones "$phones" 2>"$out/init.txt" >/dev/null
  read -r init_s init_kb < <(tail -1 "$out/init.txt")
  echo "lab of $phones phones: created in ${init_s} s (peak RSS $((init_kb / 1024)) MiB), state $(du -h "$state/state.json" | cut -f1)"
  for _ in $(seq "$runs"); do
    set +e
    /usr/bin/time -f "%e %M" bin/uctrust reconcile --dry-run examples/lab --state-dir "$state" 2>&1 >/dev/null | tail -1
    set -e
  done | sort -n | awk -v p="$phones" '{ t[NR]=$1; m[NR]=$2 } END {
    printf "  reconcile --dry-run, %d phones: median %.2f s (min %.2f, max %.2f), peak RSS %d MiB\n", p, t[int((NR+1)/2)], t[1], t[NR], m[NR]/1024 }'
done
