#!/usr/bin/env bash
# Hashing benchmark: our `model-signing digest` against `openssl dgst -sha256` (SHA-NI) on the same data, in the
# same run, plus `b3sum` for BLAKE3 and an end-to-end verify of a tiny model (JVM start included).
#
#   bench/hash-bench.sh            # full sizes: 1 x 4 GiB, 16 x 128 MiB, 20,000 x 4 KiB (needs ~6.2 GB disk)
#   BENCH_SMALL=1 bench/hash-bench.sh   # a quick run at 1/8 of the sizes
#
# Prints one table. Each figure is the best of $RUNS runs, each run right after warming the page cache
# (this VM evicts file pages unread for ~30 s). Needs: openssl, and optionally b3sum and hyperfine (apt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$root/bench/work}
runs=${RUNS:-3}
cores=$(nproc)
ms="$root/bin/model-signing"
[ -f "$root/model-signing-cli/target/model-signing.jar" ] || (cd "$root" && ./mvnw -B -q package -DskipTests)

scale=1
[ -n "${BENCH_SMALL:-}" ] && scale=8
big_mib=$((4096 / scale)); multi_mib=$((128 / scale)); small_count=$((20000 / scale))

mkdir -p "$work"
make_models() {
  if [ ! -f "$work/big/model.bin" ] || [ "$(stat -c %s "$work/big/model.bin")" -ne $((big_mib << 20)) ]; then
    rm -rf "$work/big"; mkdir -p "$work/big"
    head -c $((big_mib << 20)) /dev/urandom > "$work/big/model.bin"
  fi
  if [ ! -d "$work/multi" ] || [ "$(ls "$work/multi" | wc -l)" -ne 16 ] \
     || [ "$(stat -c %s "$work/multi/shard-01.safetensors")" -ne $((multi_mib << 20)) ]; then
    rm -rf "$work/multi"; mkdir -p "$work/multi"
    for i in $(seq -w 1 16); do head -c $((multi_mib << 20)) /dev/urandom > "$work/multi/shard-$i.safetensors"; done
  fi
  if [ ! -d "$work/small" ] || [ "$(find "$work/small" -type f | wc -l)" -ne "$small_count" ]; then
    rm -rf "$work/small"; mkdir -p "$work/small"
    head -c $((small_count * 4096)) /dev/urandom > "$work/small.blob"
    (cd "$work/small" && split -a 5 -d -b 4096 "$work/small.blob" f- && for d in $(seq 0 9); do mkdir "d$d"; done \
      && i=0 && for f in f-*; do mv "$f" "d$((i % 10))/"; i=$((i + 1)); done)
    rm -f "$work/small.blob"
  fi
}

warm() { find "$1" -type f -print0 | xargs -0 cat > /dev/null; }

# best_of DIR CMD...: best wall time in seconds over $runs runs, warming DIR before each.
best_of() {
  local dir=$1; shift
  local best="" t0 t1 t
  for _ in $(seq "$runs"); do
    warm "$dir"
    t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

# openssl on every core: the files split into one batch per core, so that openssl's process starts (~5 ms each) do
# not count against it; xargs splits a batch further only where its command line would exceed xargs' limit (for
# 20,000 files: a few batches per core). Smaller batches would flatter us: 512 files a batch took 0.52 s for the
# 20,000-file model where one batch per core takes 0.27 s.
openssl_all_cores() {
  local n; n=$(find "$1" -type f | wc -l); n=$(( (n + cores - 1) / cores ))
  find "$1" -type f -print0 | xargs -0 -P "$cores" -n "$n" openssl dgst -sha256
}

bytes() { du -sb --apparent-size "$1" | cut -f1; }
row() { # name bytes ours_s ref_s ref_name
  local gbs_ours gbs_ref
  gbs_ours=$(echo "$2 / $3 / 1000000000" | bc -l); gbs_ref=$(echo "$2 / $4 / 1000000000" | bc -l)
  printf '%-34s %9.3f s %7.2f GB/s | %-26s %9.3f s %7.2f GB/s | ours/ref %5.2f\n' \
    "$1" "$3" "$gbs_ours" "$5" "$4" "$gbs_ref" "$(echo "$gbs_ours / $gbs_ref" | bc -l)"
}

make_models
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), sha_ni: $(grep -q sha_ni /proc/cpuinfo && echo yes || echo no)"
echo "java: $("$ms" --version)"
echo "openssl speed -evp sha256 (16 KiB blocks, 1 core): $(openssl speed -evp sha256 -seconds 1 2>/dev/null | awk '/^sha256/ {print $NF}')"
echo
printf '%-34s %-30s | %-46s |\n' "model" "model-signing digest" "reference"
b=$(bytes "$work/big"); m=$(bytes "$work/multi"); s=$(bytes "$work/small")

row "1 x ${big_mib} MiB, files" "$b" "$(best_of "$work/big" "$ms" digest "$work/big")" \
  "$(best_of "$work/big" openssl dgst -sha256 "$work/big/model.bin")" "openssl 1 core"
row "1 x ${big_mib} MiB, shards 128 MiB" "$b" \
  "$(best_of "$work/big" "$ms" digest --serialization shards --shard-size 134217728 "$work/big")" \
  "$(best_of "$work/big" openssl dgst -sha256 "$work/big/model.bin")" "openssl 1 core (x$cores ideal)"
row "16 x ${multi_mib} MiB, files" "$m" "$(best_of "$work/multi" "$ms" digest "$work/multi")" \
  "$(best_of "$work/multi" openssl_all_cores "$work/multi")" "openssl -P$cores"
row "${small_count} x 4 KiB, files" "$s" "$(best_of "$work/small" "$ms" digest "$work/small")" \
  "$(best_of "$work/small" openssl_all_cores "$work/small")" "openssl -P$cores"
if command -v b3sum >/dev/null 2>&1; then
  row "16 x ${multi_mib} MiB, blake3" "$m" \
    "$(best_of "$work/multi" "$ms" digest --hash-algorithm blake3 "$work/multi")" \
    "$(best_of "$work/multi" b3sum "$work"/multi/*)" "b3sum"
fi

echo
tiny="$root/examples/python-signed"
if [ -f "$tiny/model/model.sig" ]; then
  verify=("$ms" verify key --signature "$tiny/model/model.sig" --public-key "$tiny/signing-key-pub.pem" "$tiny/model")
  "${verify[@]}" > /dev/null  # creates the class-data sharing archive on first use
  if command -v hyperfine >/dev/null 2>&1; then
    echo "tiny model verified end to end (key method, JVM start included):"
    hyperfine -N --warmup 3 --runs 20 "${verify[*]}" 2>/dev/null | grep -E 'Time|Range'
  else
    echo "tiny verify (end to end, JVM start included): $(best_of "$tiny" "${verify[@]}") s"
  fi
fi
