//! Keeps the map from an edited string back to the input it came from.
//!
//! Every edit goes through [`Writer`]'s four primitives (keep, replace, insert, delete), so an
//! output can never lose track of its source. The map is a list of segments, not a pair per
//! byte: a run of kept bytes is one segment, each replacement is one segment, and a deletion is a
//! segment with an empty output (the removed text maps to an empty span where it stood).
//! Does not decide what to edit.

/// A half-open byte range `start..end` on character boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    out_start: usize,
    out_end: usize,
    in_start: usize,
    in_end: usize,
    /// Output bytes equal input bytes one for one.
    kept: bool,
}

/// The map from byte ranges of an output string to byte ranges of its input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Alignment {
    segs: Vec<Seg>,
    in_len: usize,
    out_len: usize,
}

impl Alignment {
    /// The identity map of a string of `len` bytes.
    pub fn identity(len: usize) -> Self {
        let mut a = Alignment {
            segs: Vec::new(),
            in_len: len,
            out_len: len,
        };
        if len > 0 {
            a.segs.push(Seg {
                out_start: 0,
                out_end: len,
                in_start: 0,
                in_end: len,
                kept: true,
            });
        }
        a
    }

    pub fn input_len(&self) -> usize {
        self.in_len
    }

    pub fn output_len(&self) -> usize {
        self.out_len
    }

    /// Number of segments (kept runs, replacements, deletions).
    pub fn segments(&self) -> usize {
        self.segs.len()
    }

    /// The input span an output span came from. An empty output span maps to an empty input span.
    /// Offsets past the end are clamped.
    pub fn to_input(&self, out: Span) -> Span {
        let s = out.start.min(self.out_len);
        let e = out.end.min(self.out_len).max(s);
        if s == e {
            let p = self.point_to_input(s);
            return Span::new(p, p);
        }
        // segment holding byte s: the first with out_end > s
        let i = self.segs.partition_point(|g| g.out_end <= s);
        let start = match self.segs.get(i) {
            Some(g) if g.kept => g.in_start + (s - g.out_start),
            Some(g) => g.in_start,
            None => self.in_len,
        };
        // segment holding byte e - 1: the first with out_end >= e
        let j = self.segs.partition_point(|g| g.out_end < e);
        let end = match self.segs.get(j) {
            Some(g) if g.kept => g.in_start + (e - g.out_start),
            Some(g) => g.in_end,
            None => self.in_len,
        };
        Span::new(start, end.max(start))
    }

    /// The output span an input span ended up in (empty when it was deleted).
    pub fn to_output(&self, inp: Span) -> Span {
        let s = inp.start.min(self.in_len);
        let e = inp.end.min(self.in_len).max(s);
        if s == e {
            let p = self.point_to_output(s);
            return Span::new(p, p);
        }
        let i = self.segs.partition_point(|g| g.in_end <= s);
        let start = match self.segs.get(i) {
            Some(g) if g.kept => g.out_start + (s - g.in_start),
            Some(g) => g.out_start,
            None => self.out_len,
        };
        let j = self.segs.partition_point(|g| g.in_end < e);
        let end = match self.segs.get(j) {
            Some(g) if g.kept => g.out_start + (e - g.in_start),
            Some(g) => g.out_end,
            None => self.out_len,
        };
        Span::new(start, end.max(start))
    }

    fn point_to_input(&self, p: usize) -> usize {
        let i = self.segs.partition_point(|g| g.out_end <= p);
        match self.segs.get(i) {
            Some(g) if g.kept => g.in_start + (p - g.out_start),
            Some(g) => g.in_start,
            None => self.in_len,
        }
    }

    fn point_to_output(&self, p: usize) -> usize {
        let i = self.segs.partition_point(|g| g.in_end <= p);
        match self.segs.get(i) {
            Some(g) if g.kept => g.out_start + (p - g.in_start),
            Some(g) => g.out_start,
            None => self.out_len,
        }
    }

    /// For every character of `output` (the string this alignment describes), the input span it
    /// came from, in order.
    pub fn char_spans(&self, output: &str) -> Vec<Span> {
        let mut spans = Vec::with_capacity(output.len());
        let mut k = 0;
        for (b, ch) in output.char_indices() {
            let e = b + ch.len_utf8();
            while k < self.segs.len() && self.segs[k].out_end <= b {
                k += 1;
            }
            let span = match self.segs.get(k) {
                Some(g) if g.kept => Span::new(
                    g.in_start + (b - g.out_start),
                    g.in_start + (e - g.out_start),
                ),
                Some(g) => Span::new(g.in_start, g.in_end),
                None => Span::new(self.in_len, self.in_len),
            };
            spans.push(span);
        }
        spans
    }
}

/// Builds an output string and its [`Alignment`] while walking an input from start to end.
///
/// Calls must cover the input in order: each primitive takes the input range that starts where
/// the previous one ended.
#[derive(Debug)]
pub struct Writer<'a> {
    input: &'a str,
    out: String,
    segs: Vec<Seg>,
    pos: usize,
    /// Start of a run of kept input not yet copied (it ends at `pos`).
    keep_from: Option<usize>,
}

impl<'a> Writer<'a> {
    pub fn new(input: &'a str) -> Self {
        Writer {
            input,
            out: String::with_capacity(input.len()),
            segs: Vec::new(),
            pos: 0,
            keep_from: None,
        }
    }

    /// Input bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Copies `input[span]` unchanged.
    #[inline]
    pub fn keep(&mut self, span: Span) {
        debug_assert_eq!(span.start, self.pos);
        if span.is_empty() {
            return;
        }
        if self.keep_from.is_none() {
            self.keep_from = Some(span.start);
        }
        self.pos = span.end;
    }

    #[inline]
    fn flush_keep(&mut self) {
        let Some(from) = self.keep_from.take() else {
            return;
        };
        let out_start = self.out.len();
        self.out.push_str(&self.input[from..self.pos]);
        let out_end = self.out.len();
        if let Some(last) = self.segs.last_mut() {
            if last.kept && last.in_end == from && last.out_end == out_start {
                last.in_end = self.pos;
                last.out_end = out_end;
                return;
            }
        }
        self.segs.push(Seg {
            out_start,
            out_end,
            in_start: from,
            in_end: self.pos,
            kept: true,
        });
    }

    /// Writes `text` in place of `input[span]`. An empty span is an insertion; one that directly
    /// follows a replacement joins it, so text expanded from one input character maps back to it.
    #[inline]
    pub fn replace(&mut self, span: Span, text: &str) {
        debug_assert_eq!(span.start, self.pos);
        if text.is_empty() {
            self.delete(span);
            return;
        }
        if text.len() == span.len()
            && self.input.as_bytes()[span.start..span.end] == *text.as_bytes()
        {
            self.keep(span);
            return;
        }
        self.flush_keep();
        let out_start = self.out.len();
        self.out.push_str(text);
        let out_end = self.out.len();
        self.pos = span.end;
        if span.is_empty() {
            if let Some(last) = self.segs.last_mut() {
                if !last.kept
                    && last.out_end == out_start
                    && last.in_end == span.start
                    && last.out_end > last.out_start
                {
                    last.out_end = out_end;
                    return;
                }
            }
        }
        self.segs.push(Seg {
            out_start,
            out_end,
            in_start: span.start,
            in_end: span.end,
            kept: false,
        });
    }

    /// Writes one character in place of `input[span]`.
    #[inline]
    pub fn replace_char(&mut self, span: Span, ch: char) {
        let mut buf = [0u8; 4];
        self.replace(span, ch.encode_utf8(&mut buf));
    }

    /// Drops `input[span]`; it maps to an empty output span where it stood.
    #[inline]
    pub fn delete(&mut self, span: Span) {
        debug_assert_eq!(span.start, self.pos);
        if span.is_empty() {
            return;
        }
        self.flush_keep();
        let out = self.out.len();
        self.pos = span.end;
        if let Some(last) = self.segs.last_mut() {
            if !last.kept
                && last.out_start == last.out_end
                && last.out_end == out
                && last.in_end == span.start
            {
                last.in_end = span.end;
                return;
            }
        }
        self.segs.push(Seg {
            out_start: out,
            out_end: out,
            in_start: span.start,
            in_end: span.end,
            kept: false,
        });
    }

    pub fn finish(mut self) -> (String, Alignment) {
        self.flush_keep();
        debug_assert_eq!(self.pos, self.input.len());
        let out_len = self.out.len();
        (
            self.out,
            Alignment {
                segs: self.segs,
                in_len: self.input.len(),
                out_len,
            },
        )
    }
}

/// Code-point offsets for a set of byte offsets of one text, computed in one walk and then
/// looked up (an offset not in the set gives the code point of the nearest one before it).
#[derive(Clone, Debug, Default)]
pub struct CharOffsets {
    bytes: Vec<usize>,
    chars: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str, mut offsets: Vec<usize>) -> CharOffsets {
        offsets.sort_unstable();
        offsets.dedup();
        let chars = byte_to_char_offsets(text, &offsets);
        CharOffsets {
            bytes: offsets,
            chars,
        }
    }

    /// Offsets that are already code points (a document rebuilt from its dict form).
    pub fn identity(mut offsets: Vec<usize>) -> CharOffsets {
        offsets.sort_unstable();
        offsets.dedup();
        CharOffsets {
            chars: offsets.clone(),
            bytes: offsets,
        }
    }

    pub fn get(&self, byte: usize) -> usize {
        match self.bytes.binary_search(&byte) {
            Ok(i) => self.chars[i],
            Err(i) => self.chars.get(i.saturating_sub(1)).copied().unwrap_or(0),
        }
    }

    pub fn span(&self, s: Span) -> (usize, usize) {
        (self.get(s.start), self.get(s.end))
    }
}

/// Converts sorted byte offsets of `text` to code-point offsets in one walk.
/// Offsets must be non-decreasing and on character boundaries (others are rounded up).
pub fn byte_to_char_offsets(text: &str, offsets: &[usize]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut res = Vec::with_capacity(offsets.len());
    let mut b = 0usize;
    let mut c = 0usize;
    for &o in offsets {
        let o = o.min(bytes.len());
        if o < b {
            // not sorted: restart the walk
            b = 0;
            c = 0;
        }
        while b < o {
            // count leading bytes (not continuation bytes)
            if bytes[b] & 0xC0 != 0x80 {
                c += 1;
            }
            b += 1;
        }
        res.push(c);
    }
    res
}

/// Converts a code-point offset of `text` to a byte offset (clamped to the end).
pub fn char_to_byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(input: &str, f: impl FnOnce(&mut Writer)) -> (String, Alignment) {
        let mut w = Writer::new(input);
        f(&mut w);
        w.finish()
    }

    #[test]
    fn keep_runs_merge_into_one_segment() {
        let (out, a) = build("abcdef", |w| {
            w.keep(Span::new(0, 3));
            w.keep(Span::new(3, 6));
        });
        assert_eq!(out, "abcdef");
        assert_eq!(a.segments(), 1);
        assert_eq!(a.to_input(Span::new(2, 4)), Span::new(2, 4));
    }

    #[test]
    fn deleted_text_maps_to_empty_span_where_it_stood() {
        let (out, a) = build("ab--cd", |w| {
            w.keep(Span::new(0, 2));
            w.delete(Span::new(2, 3));
            w.delete(Span::new(3, 4));
            w.keep(Span::new(4, 6));
        });
        assert_eq!(out, "abcd");
        assert_eq!(a.segments(), 3);
        assert_eq!(a.to_output(Span::new(2, 4)), Span::new(2, 2));
        assert_eq!(a.to_input(Span::new(1, 3)), Span::new(1, 5));
        assert_eq!(a.to_input(Span::new(2, 4)), Span::new(4, 6));
    }

    #[test]
    fn replacement_maps_whole() {
        // "ﻻ" is three bytes, becomes "لا" (four bytes)
        let input = "xﻻy";
        let (out, a) = build(input, |w| {
            w.keep(Span::new(0, 1));
            w.replace_char(Span::new(1, 4), 'ل');
            w.replace_char(Span::new(4, 4), 'ا');
            w.keep(Span::new(4, 5));
        });
        assert_eq!(out, "xلاy");
        let spans = a.char_spans(&out);
        assert_eq!(
            spans,
            vec![
                Span::new(0, 1),
                Span::new(1, 4),
                Span::new(1, 4),
                Span::new(4, 5)
            ]
        );
        assert_eq!(a.to_output(Span::new(1, 4)), Span::new(1, 5));
    }

    #[test]
    fn identical_replacement_is_a_keep() {
        let (_, a) = build("abc", |w| {
            w.keep(Span::new(0, 1));
            w.replace(Span::new(1, 2), "b");
            w.keep(Span::new(2, 3));
        });
        assert_eq!(a, Alignment::identity(3));
    }

    #[test]
    fn char_offsets() {
        let t = "aبc";
        assert_eq!(byte_to_char_offsets(t, &[0, 1, 3, 4]), vec![0, 1, 2, 3]);
        assert_eq!(char_to_byte_offset(t, 2), 3);
        assert_eq!(char_to_byte_offset(t, 9), 4);
    }
}
