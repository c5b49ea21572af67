#!/usr/bin/env bash
# brandscan against grep-class tools on the same generated catalogs and the same 10,000
# real brand terms, in one run. Prints wall time (median of RUNS), peak memory and ratios.
#
#   benches/compare.sh [SIZE] [RUNS]             # SIZE default 1G, RUNS default 3
#   CORPORA="mixed cjk" benches/compare.sh 200M 3
#
# CORPORA (default "ascii mixed cjk") picks the generator's presets (`gen_catalog
# --corpus`): `ascii` (mostly ASCII, as most catalogs were first measured), `mixed`
# (nearly every row has typographic punctuation, symbols, accented Latin, some
# full-width forms and Chinese phrases; also timed stripped to ASCII) and `cjk`
# (Chinese titles and descriptions as on Alibaba, with the Chinese brand names of the
# built-in lists added to the terms).
#
# Generates the catalogs with the deterministic generator (benches/corpus), installs
# ripgrep (cargo install) if it is missing, and writes everything under $WORK
# (default /tmp/brandscan-compare). Nothing here asserts a number: read the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1G}
RUNS=${2:-3}
CORPORA=${CORPORA:-ascii mixed cjk}
WORK=${WORK:-/tmp/brandscan-compare}
mkdir -p "$WORK"
WORDS="$WORK/terms_10k.txt"

# ripgrep 14 or later: older ones refuse non-ASCII patterns with --no-unicode.
RG=$(command -v rg || true)
if [ -z "$RG" ] || [ "$("$RG" --version | head -1 | awk '{split($2, v, "."); print v[1]}')" -lt 14 ]; then
  [ -x "$HOME/.cargo/bin/rg" ] || { echo "installing ripgrep with cargo..." >&2; cargo install --quiet --locked ripgrep; }
  RG="$HOME/.cargo/bin/rg"
fi
cargo build --release --quiet --bin brandscan --example gen_catalog --example naive_scan
BS=target/release/brandscan
grep -v '^#' benches/data/terms_10k.txt > "$WORDS"
# The CJK corpus's terms: the 10,000 plus the built-in lists' Chinese names, which the
# generator prefers for its brand rows.
CJK_WORDS="$WORK/terms_10k_cjk.txt"
{ cat "$WORDS"; grep -h -P '^[^,#]*\p{Han}' wordlists/*.csv | cut -d, -f1; } | sort -u > "$CJK_WORDS"

calc() { awk "BEGIN { print $* }"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ripgrep: $("$RG" --version | head -1)"
echo "runs: $RUNS (median, in turns), corpora: $CORPORA"

# add NAME CMD...: a command to time. Every command runs once per round, in turn, for
# $RUNS rounds: on a shared machine the load changes by the minute, and taking turns
# gives every command the same share of it, so the ratios hold even when the absolute
# times move.
declare -a NAMES
declare -A CMDS WALL MEM
add() {
  local name=$1; shift
  NAMES+=("$name")
  CMDS[$name]=$(printf '%q ' "$@")
}

# run BYTES: time every added command, print the table, leave WALL and MEM set.
run() {
  local bytes=$1 name out out_file
  declare -A TIMES=() MEMS=()
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
    printf '%-46s %8.2f s %8.1f MB/s %8d MB peak   (runs: %s)\n' "$name" "${WALL[$name]}" \
      "$(calc "$bytes / 1000000 / ${WALL[$name]}")" "$(( ${MEM[$name]} / 1024 ))" "${TIMES[$name]% }"
  done
}

# ratio LABEL SLOWER FASTER: how many times FASTER's wall time SLOWER's is.
ratio() { printf '  %-70s %6.2fx\n' "$1" "$(calc "${WALL[$2]} / ${WALL[$3]}")"; }

# catalog PRESET: generate it once, print its path.
catalog() {
  local cat="$WORK/catalog-$1-$SIZE.csv" terms=$WORDS
  [ "$1" = cjk ] && terms=$CJK_WORDS
  [ -f "$cat" ] || target/release/examples/gen_catalog --corpus "$1" --out "$cat" --size "$SIZE" --terms "$terms" >&2
  echo "$cat"
}

declare -A PER_BYTE
for corpus in $CORPORA; do
  CAT=$(catalog "$corpus")
  BYTES=$(stat -L -c %s "$CAT")
  terms=$WORDS
  [ "$corpus" = cjk ] && terms=$CJK_WORDS
  echo
  echo "== $corpus: $CAT ($BYTES bytes, $(grep -c -P '[^\x00-\x7f]' "$CAT") of $(wc -l < "$CAT") lines non-ASCII), terms: $(wc -l < "$terms")"
  cat "$CAT" > /dev/null
  NAMES=(); CMDS=(); WALL=(); MEM=()
  full="brandscan scan -w 10k (full pipeline)"
  add "cat > /dev/null" cat "$CAT"
  add "$full" $BS scan -q --fail-on never -w "$terms" -o "$WORK/out.csv" "$CAT"
  add "brandscan scan -w 10k --no-evasion" $BS scan -q --fail-on never --no-evasion -w "$terms" -o "$WORK/out.csv" "$CAT"
  add "brandscan scan -w 10k -j1" $BS scan -q --fail-on never -j1 -w "$terms" -o "$WORK/out.csv" "$CAT"
  add "rg -c -F -i -w --no-unicode -f" "$RG" -c -F -i -w --no-unicode -f "$terms" "$CAT"
  if [ "$corpus" = ascii ]; then
    add "brandscan scan (built-in lists)" $BS scan -q --fail-on never -o "$WORK/out-builtin.csv" "$CAT"
    add "LC_ALL=C grep -c -F -i -f (no boundaries)" env LC_ALL=C grep -c -F -i -f "$terms" "$CAT"
    add "naive: csv+aho-corasick+rayon" target/release/examples/naive_scan "$terms" "$CAT"
    add "naive + NFKC + lowercase" target/release/examples/naive_scan --nfkc "$terms" "$CAT"
  fi
  if [ "$corpus" = mixed ]; then
    STRIPPED="${CAT%.csv}-ascii.csv"
    [ -f "$STRIPPED" ] || LC_ALL=C tr -d '\200-\377' < "$CAT" > "$STRIPPED"
    add "brandscan, the same catalog stripped to ASCII" $BS scan -q --fail-on never -w "$terms" -o "$WORK/out.csv" "$STRIPPED"
  fi
  run "$BYTES"
  PER_BYTE[$corpus]=$(calc "${WALL[$full]} / $BYTES")
  echo
  ratio "brandscan vs rg --no-unicode (>1 = brandscan faster)" "rg -c -F -i -w --no-unicode -f" "$full"
  ratio "both threads vs -j1 (>1 = faster on two)" "brandscan scan -w 10k -j1" "$full"
  ratio "cost of evasion detection (full / --no-evasion)" "$full" "brandscan scan -w 10k --no-evasion"
  if [ "$corpus" = ascii ]; then
    ratio "brandscan vs naive + NFKC" "naive + NFKC + lowercase" "$full"
    ratio "brandscan vs naive (no normalization)" "naive: csv+aho-corasick+rayon" "$full"
    ratio "brandscan vs grep -F -i (no boundaries)" "LC_ALL=C grep -c -F -i -f (no boundaries)" "$full"
    SLICE="$WORK/slice-2M.csv"
    head -c 2000000 "$CAT" > "$SLICE"
    SLICE_BYTES=$(stat -L -c %s "$SLICE")
    t0=$(date +%s.%N); "$RG" -c -F -i -w -f "$terms" "$SLICE" >/dev/null || true; t1=$(date +%s.%N)
    printf '  %-70s %6.2f s for %d bytes = %.3f MB/s\n' "rg -c -F -i -w -f (Unicode boundaries, 2 MB slice)" \
      "$(calc "$t1 - $t0")" "$SLICE_BYTES" "$(calc "$SLICE_BYTES / 1000000 / ($t1 - $t0)")"
  fi
  if [ "$corpus" = mixed ]; then
    ratio "the catalog as generated vs stripped to ASCII (time, <1.3 wanted)" "$full" "brandscan, the same catalog stripped to ASCII"
  fi
done
if [ -n "${PER_BYTE[cjk]:-}" ] && [ -n "${PER_BYTE[ascii]:-}" ]; then
  echo
  printf '  %-70s %6.2fx\n' "cjk vs ascii, time per byte (full pipeline)" "$(calc "${PER_BYTE[cjk]} / ${PER_BYTE[ascii]}")"
fi

echo
echo "check of one listing with the built-in lists, process start to exit (median of 21):"
ts=()
for _ in $(seq 21); do
  t0=$(date +%s%N); $BS check --title "Silicone strap for Rolex Submariner 20mm" >/dev/null || true; t1=$(date +%s%N)
  ts+=($(( (t1 - t0) / 1000 )))
done
printf '  median %.1f ms\n' "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 11p | awk '{print $1/1000}')"
