#!/usr/bin/env bash
# Benchmark of `uctrust validate` on a generated desired state naming N phones (default 10000):
# 1) the whole process through bin/uctrust (cold JVM, what a user and CI see): wall time and peak RSS;
# 2) in-process load + validate with JMH (warm JVM).
# Usage: bench/validate.sh [PHONES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
phones=${1:-10000}
runs=${2:-5}
out=bench/out
mkdir -p "$out"
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat "$out/cp.txt")"
java -cp "$cp" io.uctrust.bench.PhoneFleet "$phones" "$out/phones-$phones"
echo "desired state: $(find "$out/phones-$phones" -name '*.yaml' | wc -l) files, $(du -sh "$out/phones-$phones/phones.yaml" | cut -f1) of phone policies"
bin/uctrust validate "$out/phones-$phones" >/dev/null   # warm the page cache
echo "whole process (bin/uctrust validate), $runs runs: seconds, peak RSS KiB"
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" bin/uctrust validate "$out/phones-$phones" 2>&1 >/dev/null | tail -1
done | sort -n | awk '{ t[NR]=$1; m[NR]=$2 } END { printf "  median %.2f s (min %.2f, max %.2f), peak RSS %d MiB\n", t[int((NR+1)/2)], t[1], t[NR], m[NR]/1024 }'
echo "in process (JMH):"
java -cp "$cp" org.openjdk.jmh.Main ValidateBenchmark -p phones="$phones" -rf json -rff "$out/jmh-validate.json" 2>&1 | grep -E "^Benchmark|ValidateBenchmark"
