#!/usr/bin/env bash
# Benchmark of LSC issuance (CertificateAuthority.issue with Profile.LSC) against the raw signing rate of the same
# CA key, for RSA 2048 and EC P-256, in one JMH run (warm JVM, one thread); prints both rates and issue/raw.
# Usage: bench/issuance.sh [extra JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat "$out/cp.txt")"
java -cp "$cp" org.openjdk.jmh.Main IssuanceBenchmark -rf json -rff "$out/jmh-issuance.json" "$@" \
  > "$out/jmh-issuance.txt" 2>&1
grep -E "^(Benchmark |IssuanceBenchmark\.)" "$out/jmh-issuance.txt"
# JMH table: Benchmark (keyType) Mode Cnt Score ± Error Units
awk '/^IssuanceBenchmark\.(rawSign|issueLsc) / {
       split($1, name, "."); score[name[2], $2] = $5; types[$2] = 1
     }
     END {
       for (t in types) {
         printf "%-8s raw signing %10.1f ops/s, LSC issuance %10.1f ops/s, issue/raw %5.1f%%\n",
           t, score["rawSign", t], score["issueLsc", t], 100 * score["issueLsc", t] / score["rawSign", t]
       }
     }' "$out/jmh-issuance.txt"
echo "JSON: $out/jmh-issuance.json"
