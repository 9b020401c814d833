#!/usr/bin/env bash
# Fuzzes the core: each target (all four, or those named in TARGETS) for SECONDS (default 120), seeded with the project's test pages and
# large generated pages (up to 1 MB), with a dictionary of HTML tokens and Arabic markers.
# Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz). A crash is saved under
# artifacts/TARGET/; add it as a regression case to the core's tests.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-120}"
targets="${2:-decode normalize clean_text clean_html}"
data=../../../tests/data
mkdir -p corpus/decode corpus/normalize corpus/clean_text corpus/clean_html
cp "$data"/pages/*.txt corpus/clean_text/
cp "$data"/pages/*.txt corpus/normalize/
cp "$data"/html/*.html corpus/clean_html/
cp "$data"/html/*.html "$data"/pages/*.txt corpus/decode/
# large seeds: what 4 KB inputs cannot reach (long pages, wide tags, deep nesting, long lines)
python3 - <<'PY'
pages = [open(f"../../../tests/data/html/{n}", encoding="utf-8").read() for n in ("news-portal.html",)]
big = {
    "wide-tag.html": "<p " + " ".join(f'a{i}="x"' for i in range(60_000)) + ">x</p>",
    "deep.html": "<div>" * 90_000 + "نص" + "</div>" * 90_000,
    "long-page.html": pages[0] * (1_000_000 // len(pages[0].encode())),
    "long-class.html": '<div class="' + "a" * 900_000 + '"><p>نص المقال</p></div>',
}
for name, text in big.items():
    open(f"corpus/clean_html/big-{name}", "w", encoding="utf-8").write(text)
lines = "وقال المتحدث إن الحكومة ستواصل العمل.\n" * 20_000
open("corpus/clean_text/big-lines.txt", "w", encoding="utf-8").write(lines)
open("corpus/normalize/big-lines.txt", "w", encoding="utf-8").write(lines)
PY
for target in $targets; do
    cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict=arabic_html.dict -max_len=1048576 2>&1 \
        | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|==[0-9]+== ERROR)|Done [0-9]+ runs" \
        | sed "s/^/$target: /"
done
