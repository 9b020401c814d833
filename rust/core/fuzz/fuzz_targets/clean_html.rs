//! Any HTML page (decoded as the command line does): the cleaner never panics and its document's spans are in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = arclean_core::decode::decode_page(data, true, None) else { return };
    let cleaner = cleaner();
    if let Ok(doc) = cleaner.clean_html(&text) {
        common::check_document(&text, &doc);
    }
});

fn cleaner() -> &'static arclean_core::Cleaner {
    static C: std::sync::OnceLock<arclean_core::Cleaner> = std::sync::OnceLock::new();
    C.get_or_init(|| arclean_core::Cleaner::new(arclean_core::Config::default()).unwrap())
}
