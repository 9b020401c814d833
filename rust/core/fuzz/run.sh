#!/usr/bin/env bash
# Fuzzes the core: each target for SECONDS (default 120), seeded with the project's test pages.
# Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz). A crash is saved under
# artifacts/TARGET/; add it as a regression case to the core's tests.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-120}"
data=../../../tests/data
mkdir -p corpus/decode corpus/normalize corpus/clean_text corpus/clean_html
cp "$data"/pages/*.txt corpus/clean_text/
cp "$data"/pages/*.txt corpus/normalize/
cp "$data"/html/*.html corpus/clean_html/
cp "$data"/html/*.html "$data"/pages/*.txt corpus/decode/
for target in decode normalize clean_text clean_html; do
    cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
        | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|==[0-9]+== ERROR)|Done [0-9]+ runs" \
        | sed "s/^/$target: /"
done
