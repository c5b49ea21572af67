#!/usr/bin/env bash
# brandscan against grep-class tools on the same generated catalog and the same 10,000
# real brand terms, in one run. Prints wall time (median of RUNS), peak memory and ratios.
#
#   benches/compare.sh [SIZE] [RUNS]     # SIZE default 1G, RUNS default 3
#
# Generates the catalog with the deterministic generator (benches/corpus), installs
# ripgrep (cargo install) if it is missing, and writes everything under $WORK
# (default /tmp/brandscan-compare). Nothing here asserts a number: read the table.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1G}
RUNS=${2:-3}
WORK=${WORK:-/tmp/brandscan-compare}
mkdir -p "$WORK"
CAT="$WORK/catalog-$SIZE.csv"
WORDS="$WORK/terms_10k.txt"
SLICE="$WORK/slice-2M.csv"

# ripgrep 14 or later: older ones refuse non-ASCII patterns with --no-unicode.
RG=$(command -v rg || true)
if [ -z "$RG" ] || [ "$("$RG" --version | head -1 | awk '{split($2, v, "."); print v[1]}')" -lt 14 ]; then
  [ -x "$HOME/.cargo/bin/rg" ] || { echo "installing ripgrep with cargo..." >&2; cargo install --quiet --locked ripgrep; }
  RG="$HOME/.cargo/bin/rg"
fi
cargo build --release --quiet --bin brandscan --example gen_catalog --example naive_scan
BS=target/release/brandscan
[ -f "$CAT" ] || target/release/examples/gen_catalog --out "$CAT" --size "$SIZE" --terms benches/data/terms_10k.txt
grep -v '^#' benches/data/terms_10k.txt > "$WORDS"
head -c 2000000 "$CAT" > "$SLICE"
BYTES=$(stat -L -c %s "$CAT")

calc() { awk "BEGIN { print $* }"; }

# add NAME CMD...: a command to time. Every command runs once per round, in turn, for
# $RUNS rounds: on a shared machine the load changes by the minute, and taking turns
# gives every command the same share of it, so the ratios hold even when the absolute
# times move.
NAMES=()
declare -A CMDS WALL MEM
add() {
  local name=$1; shift
  NAMES+=("$name")
  CMDS[$name]=$(printf '%q ' "$@")
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "ripgrep: $("$RG" --version | head -1)"
echo "catalog: $CAT ($BYTES bytes), terms: $(wc -l < "$WORDS"), runs: $RUNS (median, in turns)"
echo
cat "$CAT" > /dev/null
add "cat > /dev/null" cat "$CAT"
add "brandscan scan -w 10k (full pipeline)" $BS scan -q --fail-on never -w "$WORDS" -o "$WORK/out.csv" "$CAT"
add "brandscan scan (built-in lists)" $BS scan -q --fail-on never -o "$WORK/out-builtin.csv" "$CAT"
add "rg -c -F -i -w --no-unicode -f" "$RG" -c -F -i -w --no-unicode -f "$WORDS" "$CAT"
add "LC_ALL=C grep -c -F -i -f (no boundaries)" env LC_ALL=C grep -c -F -i -f "$WORDS" "$CAT"
add "naive: csv+aho-corasick+rayon" target/release/examples/naive_scan "$WORDS" "$CAT"
add "naive + NFKC + lowercase" target/release/examples/naive_scan --nfkc "$WORDS" "$CAT"

declare -A TIMES MEMS
for _ in $(seq "$RUNS"); do
  for name in "${NAMES[@]}"; do
    # Output to a file, not /dev/null: GNU grep stops at the first match when it sees
    # its output is /dev/null. cat's goes to /dev/null, as its name says.
    out_file="$WORK/stdout.txt"
    [ "$name" = "cat > /dev/null" ] && out_file=/dev/null
    eval "/usr/bin/time -o \"\$WORK/time.txt\" -f '%e %M %x' ${CMDS[$name]}" >"$out_file" 2>"$WORK/stderr.txt" || true
    out=$(tail -1 "$WORK/time.txt")
    if [ "${out##* }" -gt 1 ]; then
      echo "FAILED ($name, exit ${out##* }): $(head -c 300 "$WORK/stderr.txt")" >&2
    fi
    out=${out% *}
    TIMES[$name]+="${out% *} "
    MEMS[$name]+="${out#* } "
  done
done
for name in "${NAMES[@]}"; do
  WALL[$name]=$(printf '%s\n' ${TIMES[$name]} | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  MEM[$name]=$(printf '%s\n' ${MEMS[$name]} | sort -n | tail -1)
  printf '%-44s %8.2f s %8.1f MB/s %8d MB peak   (runs: %s)\n' "$name" "${WALL[$name]}" \
    "$(calc "$BYTES / 1000000 / ${WALL[$name]}")" "$(( ${MEM[$name]} / 1024 ))" "${TIMES[$name]% }"
done

SLICE_BYTES=$(stat -L -c %s "$SLICE")
t0=$(date +%s.%N); "$RG" -c -F -i -w -f "$WORDS" "$SLICE" >/dev/null || true; t1=$(date +%s.%N)
printf '%-44s %8.2f s for %d bytes = %.3f MB/s\n' "rg -c -F -i -w -f (Unicode, 2 MB slice)" \
  "$(calc "$t1 - $t0")" "$SLICE_BYTES" "$(calc "$SLICE_BYTES / 1000000 / ($t1 - $t0)")"

echo
ratio() { printf '%-60s %6.2fx\n' "$1" "$(calc "${WALL[$3]} / ${WALL[$2]}")"; }
ratio "brandscan (10k) vs rg --no-unicode (>1 = brandscan faster)" "brandscan scan -w 10k (full pipeline)" "rg -c -F -i -w --no-unicode -f"
ratio "brandscan (10k) vs naive + NFKC" "brandscan scan -w 10k (full pipeline)" "naive + NFKC + lowercase"
ratio "brandscan (10k) vs naive (no normalization)" "brandscan scan -w 10k (full pipeline)" "naive: csv+aho-corasick+rayon"
ratio "brandscan (10k) vs grep -F -i (no boundaries)" "brandscan scan -w 10k (full pipeline)" "LC_ALL=C grep -c -F -i -f (no boundaries)"

echo
echo "check of one listing with the built-in lists, process start to exit (median of 21):"
ts=()
for _ in $(seq 21); do
  t0=$(date +%s%N); $BS check --title "Silicone strap for Rolex Submariner 20mm" >/dev/null || true; t1=$(date +%s%N)
  ts+=($(( (t1 - t0) / 1000 )))
done
printf '  median %.1f ms\n' "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 11p | awk '{print $1/1000}')"
