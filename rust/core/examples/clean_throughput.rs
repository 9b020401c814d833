//! Measures the core's cleaning throughput on pages given as arguments (each cleaned as one
//! page, the set repeated to ~10 MB, or `ARCLEAN_BENCH_MB`: a small size suits instruction
//! counting under valgrind, which a shared machine's noise does not disturb). Files ending in `.html` or `.htm` are decoded and cleaned
//! as HTML, the others as text. `cargo run --release --example clean_throughput -- FILE...`

use arclean_core::{Cleaner, Config};
use std::time::Instant;

fn main() {
    let pages: Vec<(String, bool)> = std::env::args()
        .skip(1)
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable file");
            let html = p.ends_with(".html") || p.ends_with(".htm");
            let text = if html {
                arclean_core::decode::decode_html(&bytes).0.into_owned()
            } else {
                String::from_utf8(bytes).expect("UTF-8 file")
            };
            (text, html)
        })
        .collect();
    if pages.is_empty() {
        eprintln!("usage: clean_throughput FILE...");
        return;
    }
    let c = Cleaner::new(Config::default()).expect("default config");
    let mut corpus = Vec::new();
    let mut size = 0;
    let mb: f64 = std::env::var("ARCLEAN_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10.0);
    while (size as f64) < mb * 1e6 {
        let p = &pages[corpus.len() % pages.len()];
        size += p.0.len();
        corpus.push(p.clone());
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for (p, html) in &corpus {
            let doc = if *html { c.clean_html(p) } else { c.clean(p) };
            std::hint::black_box(doc.expect("clean"));
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("clean   {:8.1} MB/s (one core)", size as f64 / 1e6 / best);
}
