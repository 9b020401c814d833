//! Folds a file once with the `search` preset (for instruction counts under callgrind).
fn main() {
    let p = std::env::args().nth(1).expect("usage: search_once FILE");
    let text = std::fs::read_to_string(p).expect("UTF-8 file");
    let n = arclean_core::Normalizer::new(arclean_core::Options::search());
    std::hint::black_box(n.normalize(&text));
}
