//! Any text: every preset normalizes without panic, is idempotent, and its alignment maps
//! every output span inside the input on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use arclean_core::{Normalizer, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for opts in [Options::safe(), Options::search()] {
        let n = Normalizer::new(opts);
        let out = n.normalize(text);
        assert_eq!(n.normalize(&out), out, "not idempotent");
        let (aligned, map) = n.normalize_aligned(text);
        assert_eq!(aligned, out);
        let span = map.to_input(arclean_core::Span::new(0, aligned.len()));
        assert!(span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
});
