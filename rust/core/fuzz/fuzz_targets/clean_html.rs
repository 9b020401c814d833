//! Any HTML page (decoded as the command line does): the cleaner never panics and its document's spans are in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = arclean_core::decode::decode_page(data, true, None) else { return };
    let cleaner = common::cleaner();
    if let Ok(doc) = cleaner.clean_html(&text) {
        common::check_document(&text, &doc);
    }
});

