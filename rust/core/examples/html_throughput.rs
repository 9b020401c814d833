//! Measures the core's HTML cleaning throughput on pages given as arguments (each cleaned as one
//! page, the set repeated to ~10 MB). `cargo run --release --example html_throughput -- FILE...`

use arclean_core::{Cleaner, Config};
use std::time::Instant;

fn main() {
    let pages: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| {
            let bytes = std::fs::read(p).expect("readable file");
            arclean_core::decode::decode_html(&bytes).0.into_owned()
        })
        .collect();
    if pages.is_empty() {
        eprintln!("usage: html_throughput FILE...");
        return;
    }
    let c = Cleaner::new(Config::default()).expect("default config");
    let mut corpus = Vec::new();
    let mut size = 0;
    while size < 10_000_000 {
        let p = &pages[corpus.len() % pages.len()];
        size += p.len();
        corpus.push(p.clone());
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for p in &corpus {
            std::hint::black_box(c.clean_html(p).expect("clean"));
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("html    {:8.1} MB/s (one core)", size as f64 / 1e6 / best);
}
