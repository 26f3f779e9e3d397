#!/usr/bin/env bash
# Benchmark of reading the desired state from git: a repository of FILES small files (default 10,500) plus
# examples/lab under lab/, served by a real git daemon on loopback. Times `uctrust validate --repo` as whole
# processes: the first run (clone), a run with nothing new (fetch, no change), and a run after a one-file
# commit (incremental fetch and checkout). Median of RUNS each. Usage: bench/git-fetch.sh [RUNS] [FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
files=${2:-10500}
out=$(mktemp -d /tmp/uctrust-git-bench.XXXXXX)
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null || true; rm -rf "$out"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$out/home" GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
bin/uctrust --version >/dev/null
git init -q --bare -b main "$out/repo.git"
# the bulk of the files in one fast-import stream: generating 10,000 files through a work tree is the slow part
{
  echo "commit refs/heads/main"
  echo "committer bench <bench@example.com> 1764547200 +0000"
  echo "data 10"; echo "bulk files"
  for i in $(seq "$files"); do
    content="file $i"
    echo "M 100644 inline data/$((i % 100))/f$i.txt"; echo "data ${#content}"; echo "$content"
  done
} | git -C "$out/repo.git" fast-import --quiet
git clone -q "$out/repo.git" "$out/work"
cp -r examples/lab "$out/work/lab"
git -C "$out/work" add -A && git -C "$out/work" commit -qm "lab desired state" && git -C "$out/work" push -q origin main
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --reuseaddr --base-path="$out" --export-all --listen=127.0.0.1 --port="$port" "$out" &
daemon=$!
sleep 1
url="git://127.0.0.1:$port/repo.git"
timed() { /usr/bin/time -f "%e %M" bin/uctrust validate --repo "$url" --path lab --state-dir "$1" 2>&1 >/dev/null | tail -1; }
median() { sort -n | awk -v what="$1" '{ t[NR]=$1; m[NR]=$2 } END {
  printf "  %s: median %.2f s (min %.2f, max %.2f), peak RSS %d MiB\n", what, t[int((NR+1)/2)], t[1], t[NR], m[NR]/1024 }'; }
echo "repository: $(git -C "$out/work" ls-files | wc -l) files, $(du -sh "$out/repo.git" | cut -f1)"
for r in $(seq "$runs"); do rm -rf "$out/state-$r"; timed "$out/state-$r"; done | median "first run (clone + checkout)"
for r in $(seq "$runs"); do timed "$out/state-$r"; done | median "nothing new (fetch)"
for r in $(seq "$runs"); do
  echo "change $r" > "$out/work/data/0/f100.txt"
  git -C "$out/work" commit -qam "one file" && git -C "$out/work" push -q origin main
  timed "$out/state-$r"
done | median "after a one-file commit (incremental fetch + checkout)"
