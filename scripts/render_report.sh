#!/bin/sh
# Render a sample `-f html` report of examples/catalog.csv to PNG with headless Chromium,
# to look at what people will see. Needs Debian's `chromium` (apt-get install -y chromium).
#
#   scripts/render_report.sh [OUT_DIR]      # default: target/report-sample
#
# Writes three pages and their screenshots, and prints the PNGs' paths:
#   report.html / report.png    the whole catalog, every flagged listing;
#   nightly.html / nightly.png  a nightly run against a baseline, with suppressions;
#   audit.html / audit.png      a complaint audit of Rolex and Nike, with the exposure.
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/report-sample}
mkdir -p "$out"
out=$(cd "$out" && pwd)

cargo build --quiet
bs=target/debug/brandscan
# A nightly pair, so the page shows every part: "last night" lacked the last five rows
# and had one listing since fixed; tonight is examples/catalog.csv, with one finding
# cleared by a person and one clearance that has expired.
head -n 40 examples/catalog.csv >"$out/last-night.csv"
echo 'P1099,Gucci style belt buckle,Alloy buckle,Generic,5.00,https://cdn.example.com/img/belt.jpg' \
    >>"$out/last-night.csv"
$bs scan "$out/last-night.csv" -o "$out/baseline.csv" --fail-on never --quiet
cat >"$out/suppress.csv" <<'CSV'
listing_id,term,reason,reviewer,expires
P1041,The North Face,authorized reseller letter on file,ana,2099-12-31
P1003,iPhone,compatible-use wording approved,li,2020-01-01
CSV
$bs scan examples/catalog.csv -f html -o "$out/nightly.html" --baseline "$out/baseline.csv" \
    --suppress "$out/suppress.csv" --fail-on never --quiet
$bs scan examples/catalog.csv -f html -o "$out/report.html" --fail-on never --quiet
$bs audit --brand Rolex --brand Nike examples/catalog.csv -f html -o "$out/audit.html" \
    --fail-on never --quiet

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "render_report.sh: no chromium on PATH (apt-get install -y chromium)" >&2
    exit 2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in report nightly audit; do
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$profile" --screenshot="$out/$page.png" --window-size=1280,1600 \
        "file://$out/$page.html" 2>"$profile/chromium.log" || {
        cat "$profile/chromium.log" >&2
        exit 1
    }
    echo "$out/$page.png"
done
