//! Decoded text into blocks and metadata: aligned word for word where it can be, white space
//! collapsed, character references left in metadata strings decoded.

use super::builder::Quiet;
use crate::align::{Span, Writer};
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::Tokenizer;

/// Writes a chunk whose decoded text differs from its source (entities, line ends): word for
/// word when the words line up, so that unchanged words still map to themselves, else the
/// whole chunk as one replacement.
pub(super) fn emit_decoded(
    w: &mut Writer<'_>,
    raw: &str,
    cs: usize,
    ce: usize,
    text: &str,
    space: &mut bool,
    any: &mut bool,
) {
    let src = &raw[cs..ce];
    let src_words: Vec<(usize, &str)> = src
        .split_whitespace()
        .map(|t| (t.as_ptr() as usize - src.as_ptr() as usize, t))
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    if text.starts_with(crate::script::is_whitespace) {
        *space = true;
    }
    if words.is_empty() {
        w.delete(Span::new(cs, ce));
        return;
    }
    if src_words.len() == words.len() {
        for ((off, sw), dw) in src_words.iter().zip(&words) {
            let at = Span::new(cs + off, cs + off + sw.len());
            w.delete(Span::new(w.position(), at.start));
            if *space && *any {
                w.replace(Span::new(at.start, at.start), " ");
            }
            if sw == dw {
                w.keep(at);
            } else {
                w.replace(at, dw);
            }
            *space = true;
            *any = true;
        }
        w.delete(Span::new(w.position(), ce));
    } else {
        let mut out = String::new();
        if *space && *any {
            out.push(' ');
        }
        out.push_str(&words.join(" "));
        w.replace(Span::new(cs, ce), &out);
        *any = true;
    }
    *space = text.ends_with(crate::script::is_whitespace);
}

/// White space runs to one space, trimmed.
pub(super) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Character references left in a metadata string (JSON-LD is script text, never decoded; some
/// sites escape their titles twice): `&quot;` `&#8220;` `&amp;` ... decoded by the tokenizer's
/// own table, as in the text of an element.
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let escaped = s.replace('<', "&lt;");
    let mut out = Vec::with_capacity(s.len());
    {
        let emitter = CallbackEmitter::new(
            |ev: CallbackEvent<'_>, _: html5gum::Span<usize>| -> Option<std::convert::Infallible> {
                if let CallbackEvent::String { value } = ev {
                    out.extend_from_slice(value);
                }
                None
            },
        );
        for _ in Tokenizer::new_with_emitter(escaped.as_str(), Quiet(emitter)) {}
    }
    collapse(&String::from_utf8_lossy(&out))
}
