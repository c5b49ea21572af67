#!/bin/sh
# Render sample HTML reports of examples/catalog.csv to PNG with headless Chromium, at a
# phone's, a small laptop's and a desktop's width, to look at what people will see.
# Needs Debian's `chromium` (apt-get install -y chromium); ImageMagick's `convert`, when
# present, trims the white below the page.
#
#   scripts/render_report.sh [OUT_DIR]      # default: target/report-sample
#
# Writes three pages and, for each, screenshots 390, 800 and 1280 px wide
# (PAGE-WIDTH.png), and prints the PNGs' paths:
#   report.html    the whole catalog, every flagged listing;
#   nightly.html   a nightly run against a baseline, with suppressions (one expired,
#                  one unused), so the page shows every part;
#   audit.html     a complaint audit of Rolex and Nike, with the exposure.
# docs/report-390.png, docs/report-800.png and docs/report-1280.png are report-WIDTH.png
# with the empty bottom trimmed and the colours reduced to keep them small.
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/report-sample}
mkdir -p "$out"
out=$(cd "$out" && pwd)

cargo build --quiet
bs=target/debug/brandscan
# A nightly pair: "last night" lacked the last five rows and had one listing since
# fixed; tonight is examples/catalog.csv, with one finding cleared by a person, one
# clearance that has expired and one that matches nothing.
head -n 40 examples/catalog.csv >"$out/last-night.csv"
echo 'P1099,Gucci style belt buckle,Alloy buckle,Generic,5.00,https://cdn.example.com/img/belt.jpg' \
    >>"$out/last-night.csv"
$bs scan "$out/last-night.csv" -o "$out/baseline.csv" --fail-on never --quiet
cat >"$out/suppress.csv" <<'CSV'
listing_id,term,reason,reviewer,expires
P1041,The North Face,authorized reseller letter on file,ana,2099-12-31
P1003,iPhone,compatible-use wording approved,li,2020-01-01
P1200,Nike,listing deleted since,li,
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
    for width in 390 800 1280; do
        png="$out/$page-$width.png"
        "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --hide-scrollbars --user-data-dir="$profile" --screenshot="$png" \
            --window-size="$width,2400" "file://$out/$page.html" 2>"$profile/chromium.log" || {
            cat "$profile/chromium.log" >&2
            exit 1
        }
        # Trim the empty space below a short page (ImageMagick, when it is installed).
        if convert -version >/dev/null 2>&1; then
            convert "$png" -trim +repage "$png"
        fi
        echo "$png"
    done
done
