//! Any text page: the cleaner never panics and its document's spans are in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cleaner = common::cleaner();
    if let Ok(doc) = cleaner.clean(&text) {
        common::check_document(&text, &doc);
    }
});

