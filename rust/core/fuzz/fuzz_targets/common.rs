//! Checks shared by the cleaner targets: every span of a document lies inside the input, on
//! character boundaries, and slices to what the document says it holds.

use arclean_core::clean::Document;

pub fn check_document(input: &str, doc: &Document) {
    let ok = |s: arclean_core::Span| {
        assert!(s.start <= s.end && s.end <= input.len(), "span {s:?} out of {}", input.len());
        assert!(input.is_char_boundary(s.start) && input.is_char_boundary(s.end), "span {s:?} splits a character");
    };
    for b in &doc.blocks {
        ok(b.span);
    }
    for r in &doc.removed {
        ok(r.span);
    }
    for p in doc.paragraphs.iter().chain(doc.articles.iter().flat_map(|a| &a.paragraphs)) {
        ok(p.span);
        assert!(!p.text.is_empty());
        for s in &p.sentences {
            ok(s.input);
            assert!(s.span.end <= p.text.len() && p.text.is_char_boundary(s.span.start) && p.text.is_char_boundary(s.span.end));
        }
    }
    let text = doc.text();
    assert!(!text.starts_with(char::is_whitespace) && !text.ends_with(char::is_whitespace));
}

/// One cleaner for all runs (compiling the lexicon per input would be most of the time).
pub fn cleaner() -> &'static arclean_core::Cleaner {
    static C: std::sync::OnceLock<arclean_core::Cleaner> = std::sync::OnceLock::new();
    C.get_or_init(|| arclean_core::Cleaner::new(arclean_core::Config::default()).unwrap())
}
