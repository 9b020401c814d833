//! Splits a plain-text page into blocks: its non-blank lines, trimmed, each with its byte span
//! in the input and whether a blank line stood before it. Does not judge them.

use crate::align::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// The line's text without surrounding whitespace.
    pub span: Span,
    /// 1-based line number in the input.
    pub line: usize,
    /// A blank line (or the start of the text) stands before it.
    pub blank_before: bool,
}

/// Non-blank lines of `text` (LF, CRLF and CR all end a line).
pub fn lines(text: &str) -> Vec<Block> {
    lines_upto(text, usize::MAX)
}

/// The first non-blank lines of `text`, at most `max + 1` of them (more than `max` tells the
/// caller the text has too many without building them all).
pub fn lines_upto(text: &str, max: usize) -> Vec<Block> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut line = 1;
    let mut blank_before = true;
    let mut i = 0;
    while i <= bytes.len() {
        // jump to the next line end
        i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        let at_end = i == bytes.len();
        {
            let raw = &text[start..i];
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                blank_before = true;
            } else {
                let lead = raw.len() - raw.trim_start().len();
                let s = start + lead;
                out.push(Block {
                    span: Span::new(s, s + trimmed.len()),
                    line,
                    blank_before,
                });
                blank_before = false;
                if out.len() > max {
                    break;
                }
            }
            if at_end {
                break;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            line += 1;
            start = i + 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_spans_and_blank_lines() {
        let t = "  أ ب \r\n\n\u{a0}\nج\rد";
        let b = lines(t);
        assert_eq!(b.len(), 3);
        assert_eq!(&t[b[0].span.start..b[0].span.end], "أ ب");
        assert!(b[0].blank_before);
        assert_eq!((b[1].line, b[1].blank_before), (4, true));
        assert_eq!(
            (
                &t[b[2].span.start..b[2].span.end],
                b[2].line,
                b[2].blank_before
            ),
            ("د", 5, false)
        );
        assert!(lines("").is_empty());
        assert!(lines("\n \n").is_empty());
    }
}
