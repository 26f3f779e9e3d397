#!/usr/bin/env bash
# Full renewal of every service identity of a 10-node lab cluster (6 Unified CM: publisher + 5 subscribers;
# 4 IM and Presence: publisher + 3 subscribers), whole processes through bin/uctrust. The desired state
# (io.uctrust.bench.RenewalLab) has a Certificate document for each of the 13 services on every node that hosts
# it (73 node identities), issued by a generated keystore CA whose password is in an environment variable; two
# variants: single-node (73 certificates) and multi-server (tomcat and tomcat-ECDSA as one SAN certificate each
# over the 10 nodes: 55 certificates, installed on the same 73 node identities).
# Steps, each timed with /usr/bin/time -v (wall, user + system CPU, max RSS), on a fresh lab per run:
#   1 plan     reconcile --dry-run on the fresh lab (every identity self-signed: plan them all)
#   2 apply    reconcile (trust the CA chain first, node CSR, CA signature, install, restarts)
#   3 in-sync  reconcile --dry-run afterwards (nothing to do)
#   4 renew    every identity due (renewBefore 366d, longer than the 365 days they have left; validityDays 400
#              so that validation accepts it), then reconcile (apply) again
# Reports per variant and step the median of RUNS (default 3) with min-max, and identities per second.
# Usage: bench/renewal.sh [RUNS] [VARIANT...]   (variants: single-node multi-server; MVN_FLAGS=-o for offline Maven)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
variants=("${@}")
[ ${#variants[@]} -eq 0 ] && variants=(single-node multi-server)
out=bench/out/renewal
rm -rf "$out"
mkdir -p "$out"
load=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} -DskipTests test-compile
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
bin/uctrust --version >/dev/null
UCTRUST_BENCH_CA_PASSWORD=$(head -c 18 /dev/urandom | base64)
export UCTRUST_BENCH_CA_PASSWORD
java -cp "target/test-classes:target/classes:$(cat "$out/cp.txt")" io.uctrust.bench.RenewalLab "$out"
results="$out/results.tsv"
printf 'variant\trun\tstep\texit\twall_s\tcpu_s\trss_kib\tchanges\tidentities\tcertificates\trestarts\n' >"$results"

# identities STATE: every node identity of the lab in STATE as "node/service<TAB>certificate", sorted
identities() {
  jq -r '.nodes[] | .name as $node | .identities | to_entries[] | "\($node)/\(.key)\t\(.value.pem | tojson)"' \
    "$1/state.json" | sort
}

# measure STATE STEP FILE-PREFIX COMMAND...: runs COMMAND under /usr/bin/time -v (stdout and stderr to files),
# noting the lab's identities and restart events before and after it
measure() {
  local state=$1 step=$2 prefix=$3
  shift 3
  identities "$state" >"$prefix.before"
  jq '[.events[] | select(.action == "restart")] | length' "$state/state.json" >"$prefix.restarts"
  set +e
  /usr/bin/time -v -o "$prefix.time" "$@" >"$prefix.out" 2>"$prefix.err"
  echo $? >"$prefix.exit"
  set -e
  identities "$state" >"$prefix.after"
}

# counts VARIANT RUN STATE STEP PREFIX: one results line; a dry run is counted from its JSON plan, an apply from
# its progress and the lab
counts() {
  local variant=$1 run=$2 state=$3 step=$4 prefix=$5 changes identities certificates restarts
  read -r wall cpu rss < <(awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /User time/ { u = $2 } /System time/ { y = $2 } /Maximum resident/ { m = $2 }
    END { printf "%.2f %.2f %d\n", s, u + y, m }' "$prefix.time")
  if [ "$step" = plan ] || [ "$step" = in-sync ]; then
    changes=$(jq '.clusters[0].changes | length' "$prefix.out")
    certificates=$(jq '[.clusters[0].changes[] | select(.phase == "IDENTITY")] | length' "$prefix.out")
    identities=$(jq '[.clusters[0].changes[] | select(.phase == "IDENTITY") | .operations[] | select(.op == "issue-identity")
      | 1 + (.distributeTo | length)] | add // 0' "$prefix.out")
    restarts=$(jq '[.clusters[0].changes[] | select(.phase == "RESTART")] | length' "$prefix.out")
  else
    # what the lab holds after the step against before it: node identities whose certificate changed, distinct
    # certificates among them, restart events
    changes=$(grep -c '^\[[0-9]*/[0-9]*\] .*: succeeded' "$prefix.err" || true)
    identities=$(comm -13 "$prefix.before" "$prefix.after" | wc -l)
    certificates=$(comm -13 "$prefix.before" "$prefix.after" | cut -f2 | sort -u | wc -l)
    restarts=$(( $(jq '[.events[] | select(.action == "restart")] | length' "$state/state.json") - $(cat "$prefix.restarts") ))
    if grep -q ': failed' "$prefix.err"; then
      echo "renewal.sh: $variant run $run, $step: a change failed:" >&2
      grep ': failed' "$prefix.err" | head -3 >&2
    fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$run" "$step" "$(cat "$prefix.exit")" "$wall" "$cpu" \
    "$rss" "$changes" "$identities" "$certificates" "$restarts" >>"$results"
}

for variant in "${variants[@]}"; do
  desired="$out/$variant"
  due="$out/$variant-due"
  cp -r "$desired" "$due"
  sed -i -e 's/^  renewBefore: 30d$/  renewBefore: 366d/' -e 's/^    validityDays: 365$/    validityDays: 400/' \
    "$due/certificates.yaml"
  for run in $(seq "$runs"); do
    state="$out/lab-$variant-$run"
    log="$out/log-$variant-$run"
    mkdir -p "$log"
    bin/uctrust lab init "$desired" --state-dir "$state" >/dev/null
    measure "$state" plan "$log/1-plan" bin/uctrust reconcile --dry-run -o json "$desired" --state-dir "$state"
    counts "$variant" "$run" "$state" plan "$log/1-plan"
    measure "$state" apply "$log/2-apply" bin/uctrust reconcile "$desired" --state-dir "$state"
    counts "$variant" "$run" "$state" apply "$log/2-apply"
    measure "$state" in-sync "$log/3-in-sync" bin/uctrust reconcile --dry-run -o json "$desired" --state-dir "$state"
    counts "$variant" "$run" "$state" in-sync "$log/3-in-sync"
    measure "$state" renew "$log/4-renew" bin/uctrust reconcile "$due" --state-dir "$state"
    counts "$variant" "$run" "$state" renew "$log/4-renew"
    echo "$variant run $run: $(awk -F'\t' -v v="$variant" -v r="$run" '$1 == v && $2 == r { printf "%s %ss ", $3, $5 }' "$results")"
  done
done

echo
echo "$(nproc) CPUs, $(java -version 2>&1 | head -1), load average at the start: $load, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def spread(values, fmt):
    values = sorted(values)
    return f"{fmt % statistics.median(values)} ({fmt % values[0]}-{fmt % values[-1]})"
print(f"{'variant':13} {'step':8} {'wall s, median (min-max)':26} {'CPU s':20} {'max RSS MiB':14} "
      f"{'changes':>7} {'ident.':>6} {'certs':>5} {'restarts':>8} {'ident./s':>8} exit")
for variant in dict.fromkeys(r["variant"] for r in rows):
    for step in ("plan", "apply", "in-sync", "renew"):
        rs = [r for r in rows if r["variant"] == variant and r["step"] == step]
        if not rs:
            continue
        wall = [float(r["wall_s"]) for r in rs]
        one = lambda key: "/".join(sorted({r[key] for r in rs}))
        ids = statistics.median(int(r["identities"]) for r in rs)
        rate = f"{ids / statistics.median(wall):.1f}" if step in ("apply", "renew") else "-"
        print(f"{variant:13} {step:8} {spread(wall, '%.2f'):26} {spread([float(r['cpu_s']) for r in rs], '%.2f'):20} "
              f"{spread([int(r['rss_kib']) / 1024 for r in rs], '%.0f'):14} {one('changes'):>7} {one('identities'):>6} "
              f"{one('certificates'):>5} {one('restarts'):>8} {rate:>8} {one('exit')}")
PY
echo "per run: $results; plans, progress and time -v output: $out/log-*"
