//! Measures the core's normalization throughput on files given as arguments (repeated to ~10 MB).
//! `cargo run --release --example throughput -- FILE...`

use arclean_core::{Normalizer, Options};
use std::time::Instant;

fn main() {
    let mut text = String::new();
    for p in std::env::args().skip(1) {
        text.push_str(&std::fs::read_to_string(&p).expect("readable UTF-8 file"));
    }
    if text.is_empty() {
        eprintln!("usage: throughput FILE...");
        return;
    }
    let base = text.clone();
    while text.len() < 10_000_000 {
        text.push_str(&base);
    }
    for (name, o) in [
        ("none", Options::none()),
        ("safe", Options::safe()),
        ("search", Options::search()),
    ] {
        let n = Normalizer::new(o);
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let out = n.normalize(&text);
            std::hint::black_box(out);
            best = best.min(t.elapsed().as_secs_f64());
        }
        let t = Instant::now();
        std::hint::black_box(n.normalize_aligned(&text));
        let aligned = t.elapsed().as_secs_f64();
        println!(
            "{name:7} {:8.1} MB/s   aligned {:8.1} MB/s",
            text.len() as f64 / 1e6 / best,
            text.len() as f64 / 1e6 / aligned
        );
    }
}
