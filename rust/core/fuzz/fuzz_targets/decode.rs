//! Any bytes: decoding as a page (text or HTML, with mojibake repair) never panics; the result
//! is text, and valid UTF-8 input decodes to itself unless mojibake was repaired.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for html in [false, true] {
        if let Ok((text, d)) = arclean_core::decode::decode_page(data, html, None) {
            if let Ok(s) = std::str::from_utf8(data) {
                if d.source == "utf-8" && d.mojibake == 0 {
                    assert_eq!(text.as_ref(), s);
                }
            }
        }
    }
    let _ = arclean_core::decode::decode(data);
    let _ = arclean_core::mojibake::repair(&String::from_utf8_lossy(data));
});
