//! The folding pass: three small stages fed one token at a time (character folds, the
//! collapse of stretched letters, whitespace), writing to an aligned or a plain sink.

use super::sink::Sink;
use super::*;

#[derive(Clone, Copy, Debug)]
enum Tok {
    Char { ch: char, span: Span, kept: bool },
    Space { span: Span, kept: bool },
    Newline { span: Span, kept: bool },
    Del { span: Span },
}

impl Tok {
    fn span(&self) -> Span {
        match *self {
            Tok::Char { span, .. }
            | Tok::Space { span, .. }
            | Tok::Newline { span, .. }
            | Tok::Del { span } => span,
        }
    }
}

pub(super) struct Pass<'n, 'a, S: Sink> {
    n: &'n Normalizer,
    o: Options,
    input: &'a str,
    pub(super) sink: S,
    /// Last visible input character, for the joiner rule.
    prev_visible: Option<char>,
    /// Last input character other than tatweel and invisible ones, for the tatweel rule.
    prev_letter: Option<char>,
    // elongation stage: a run of one letter, with the deletions inside it
    run: Vec<Tok>,
    run_ch: char,
    run_letters: usize,
    run_last: usize,
    // whitespace stage: spaces not yet written, with the deletions among them
    pend: Vec<Tok>,
    line_start: bool,
    /// Inside the expansion of a presentation form: the next token is not at the input position.
    in_expansion: bool,
}

impl<'n, 'a, S: Sink> Pass<'n, 'a, S> {
    pub(super) fn new(n: &'n Normalizer, input: &'a str, sink: S) -> Self {
        Pass {
            n,
            o: n.opts,
            input,
            sink,
            prev_visible: None,
            prev_letter: None,
            run: Vec::new(),
            run_ch: '\0',
            run_letters: 0,
            run_last: 0,
            pend: Vec::new(),
            line_start: true,
            in_expansion: false,
        }
    }

    pub(super) fn run(&mut self) {
        let input = self.input;
        let bytes = input.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if self.pend.is_empty() && self.run_letters == 0 && !self.in_expansion {
                i = self.fast(i);
                if i >= bytes.len() {
                    break;
                }
            }
            let b = bytes[i];
            if (0x21..0x7F).contains(&b) {
                // printable ASCII: nothing folds it
                let span = Span::new(i, i + 1);
                self.prev_visible = Some(b as char);
                self.prev_letter = Some(b as char);
                self.stage2(Tok::Char {
                    ch: b as char,
                    span,
                    kept: true,
                });
                i += 1;
                continue;
            }
            let c = match input[i..].chars().next() {
                Some(c) => c,
                None => break,
            };
            let len = c.len_utf8();
            let span = Span::new(i, i + len);
            let mut next = span.end;
            match self.n.act(c) {
                Act::Keep => self.stage2(Tok::Char {
                    ch: c,
                    span,
                    kept: true,
                }),
                Act::Delete => self.stage2(Tok::Del { span }),
                Act::Map(m) => self.stage2(Tok::Char {
                    ch: m,
                    span,
                    kept: false,
                }),
                Act::Space => {
                    let kept = c == ' ' || c == '\t';
                    self.stage2(Tok::Space { span, kept });
                }
                Act::Newline => {
                    if c == '\r' && bytes.get(i + 1) == Some(&b'\n') {
                        next += 1;
                    }
                    let kept = !self.o.normalize_newlines || c == '\n';
                    self.stage2(Tok::Newline {
                        span: Span::new(i, next),
                        kept,
                    });
                }
                Act::Tatweel => {
                    if self.tatweel_inside_word(i + len) {
                        self.stage2(Tok::Del { span });
                    } else {
                        self.stage2(Tok::Char {
                            ch: c,
                            span,
                            kept: true,
                        });
                    }
                }
                Act::Joiner => {
                    if self.joiner_stays(i + len) {
                        self.stage2(Tok::Char {
                            ch: c,
                            span,
                            kept: true,
                        });
                    } else {
                        self.stage2(Tok::Del { span });
                    }
                }
                Act::Presentation => self.presentation(c, span),
            }
            if !(is_invisible(c) || is_joiner(c)) {
                self.prev_visible = Some(c);
                if c != '\u{0640}' {
                    self.prev_letter = Some(c);
                }
            }
            i = next;
        }
        self.flush_run();
        self.end_line();
    }

    /// Handles the common characters while no stage holds anything back: printable ASCII, a
    /// single space between words, line feeds, and characters of the Arabic block that are kept,
    /// mapped to one character or deleted. Kept characters are written as one run. Returns the
    /// position of the first character it leaves to the general path.
    fn fast(&mut self, mut i: usize) -> usize {
        let bytes = self.input.as_bytes();
        let squeeze = self.o.collapse_spaces || self.o.trim_lines;
        let elong = self.o.collapse_elongation;
        let from = i;
        let mut line_start = self.line_start;
        let mut kept_from = i;
        let mut last: Option<char> = None;
        // the last output letter and where it stands; a second one like it sends the pair to the
        // general path (by rewinding to the first while it is still in the uncopied run)
        let mut prev_letter: Option<(char, usize)> = None;
        while i < bytes.len() {
            let b = bytes[i];
            if (0x21..0x7F).contains(&b) {
                line_start = false;
                last = Some(b as char);
                prev_letter = None;
                i += 1;
                continue;
            }
            if b == b' ' {
                if squeeze && (line_start || !self.solid_at(i + 1)) {
                    break;
                }
                last = Some(' ');
                prev_letter = None;
                i += 1;
                continue;
            }
            if b == b'\n' {
                line_start = true;
                last = Some('\n');
                prev_letter = None;
                i += 1;
                continue;
            }
            if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
                let u = (((b & 0x1F) as u32) << 6) | (bytes[i + 1] & 0x3F) as u32;
                let c = char::from_u32(u).unwrap_or('\u{0600}');
                let span = Span::new(i, i + 2);
                match self.n.arabic[(u - 0x0600) as usize] {
                    Act::Keep => {
                        if elong && is_arabic_letter(c) {
                            if let Some((p, at)) = prev_letter {
                                if p == c && at >= kept_from {
                                    i = self.rewind(at, from, &mut last);
                                    break;
                                }
                            }
                            prev_letter = Some((c, i));
                        } else {
                            prev_letter = None;
                        }
                        line_start = false;
                    }
                    Act::Map(m) => {
                        if elong && is_arabic_letter(m) {
                            if let Some((p, at)) = prev_letter {
                                if p == m && at >= kept_from {
                                    i = self.rewind(at, from, &mut last);
                                    break;
                                }
                            }
                            if self.may_repeat(m, i + 2) {
                                break;
                            }
                            prev_letter = Some((m, usize::MAX));
                        } else {
                            prev_letter = None;
                        }
                        self.sink.keep(Span::new(kept_from, i));
                        self.sink.put(span, m);
                        kept_from = span.end;
                        line_start = false;
                    }
                    Act::Delete => {
                        // a letter, deleted marks, the same letter again: a stretched letter
                        if let Some((p, at)) = prev_letter {
                            if at != usize::MAX && at >= kept_from && self.may_repeat(p, i) {
                                i = self.rewind(at, from, &mut last);
                                break;
                            }
                        }
                        self.sink.keep(Span::new(kept_from, i));
                        self.sink.delete(span);
                        kept_from = span.end;
                        if is_invisible(c) {
                            i += 2;
                            continue;
                        }
                    }
                    _ => break,
                }
                last = Some(c);
                i += 2;
                continue;
            }
            break;
        }
        // a letter right before a character this path leaves alone may be stretched across it
        if let Some((p, at)) = prev_letter {
            if elong
                && at != usize::MAX
                && at >= kept_from
                && i < bytes.len()
                && self.may_repeat(p, i)
            {
                i = self.rewind(at, from, &mut last);
            }
        }
        self.sink.keep(Span::new(kept_from, i));
        self.line_start = line_start;
        if last.is_some() {
            self.prev_visible = last;
            self.prev_letter = last;
        }
        i
    }

    /// Gives position `at` back to the general path: `last` becomes the character before it.
    #[cold]
    fn rewind(&self, at: usize, from: usize, last: &mut Option<char>) -> usize {
        *last = if at > from {
            self.input[..at].chars().next_back()
        } else {
            None
        };
        at
    }

    /// Whether the character at `i` becomes a visible character of the output (so a space
    /// before it stays a single space).
    #[inline]
    fn solid_at(&self, i: usize) -> bool {
        let bytes = self.input.as_bytes();
        match bytes.get(i) {
            Some(&b) if (0x21..0x7F).contains(&b) => true,
            Some(&b) if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() => {
                let u = (((b & 0x1F) as u32) << 6) | (bytes[i + 1] & 0x3F) as u32;
                matches!(
                    self.n.arabic[(u - 0x0600) as usize],
                    Act::Keep | Act::Map(_)
                )
            }
            _ => false,
        }
    }

    /// Whether the output character after position `i` (deleted characters skipped) may be
    /// `letter` again, so a stretched letter may start here. Unknown cases answer yes.
    #[inline(always)]
    fn may_repeat(&self, letter: char, i: usize) -> bool {
        let bytes = self.input.as_bytes();
        match bytes.get(i) {
            None => return false,
            Some(&b) if b < 0x80 => return false,
            Some(&b) if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() => {
                let u = (((b & 0x1F) as u32) << 6) | (bytes[i + 1] & 0x3F) as u32;
                match self.n.arabic[(u - 0x0600) as usize] {
                    Act::Keep => return u == letter as u32,
                    Act::Map(m) => return m == letter,
                    _ => {}
                }
            }
            _ => {}
        }
        self.may_repeat_slow(letter, i)
    }

    #[cold]
    fn may_repeat_slow(&self, letter: char, i: usize) -> bool {
        for c in self.input[i..].chars() {
            if c.is_ascii() {
                return false;
            }
            return match self.n.act(c) {
                Act::Delete => continue,
                Act::Keep => c == letter,
                Act::Map(m) => m == letter,
                Act::Space | Act::Newline => false,
                Act::Joiner | Act::Presentation | Act::Tatweel => true,
            };
        }
        false
    }

    /// Whether `prev` and the first character from `next_at` on that `skip` does not pass over
    /// both satisfy `side`.
    fn between(
        &self,
        prev: Option<char>,
        next_at: usize,
        skip: impl Fn(char) -> bool,
        side: impl Fn(char) -> bool,
    ) -> bool {
        let Some(prev) = prev else {
            return false;
        };
        side(prev)
            && matches!(self.input[next_at..].chars().find(|&c| !skip(c)), Some(n) if side(n))
    }

    /// A tatweel goes only between two characters of an Arabic word (letters, marks,
    /// presentation forms), other tatweels and invisible characters aside.
    fn tatweel_inside_word(&self, next_at: usize) -> bool {
        let word = |c: char| {
            is_arabic_letter(c)
                || is_diacritic(c)
                || matches!(c as u32, 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
        };
        let skip = |c: char| c == '\u{0640}' || is_invisible(c) || is_joiner(c);
        self.between(self.prev_letter, next_at, skip, word)
    }

    /// A joiner stays only between two visible characters that are neither Arabic script nor
    /// spaces (an emoji sequence, an Indic conjunct).
    fn joiner_stays(&self, next_at: usize) -> bool {
        let foreign = |c: char| !is_arabic_script(c) && !c.is_whitespace();
        self.between(
            self.prev_visible,
            next_at,
            |c| is_invisible(c) || is_joiner(c),
            foreign,
        )
    }

    /// Expands a presentation form by NFKC and folds what comes out; the first surviving
    /// character carries the input span, the rest are insertions that join it.
    fn presentation(&mut self, c: char, span: Span) {
        let expanded: String = std::iter::once(c).nfkc().collect();
        if expanded.chars().eq(std::iter::once(c)) {
            self.stage2(Tok::Char {
                ch: c,
                span,
                kept: true,
            });
            return;
        }
        // isolated forms of marks expand to a space and the mark: the space only carried the
        // mark for display, so the mark stands alone
        let mut chars = expanded.chars().peekable();
        let mut rest = expanded.as_str();
        if chars.next() == Some(' ') && chars.peek().is_some_and(|&m| is_diacritic(m)) {
            rest = &expanded[1..];
        }
        let mut first = true;
        let count = rest.chars().count();
        for (k, ch) in rest.chars().enumerate() {
            // the last character is followed by the input again
            self.in_expansion = k + 1 < count;
            let s = if first {
                span
            } else {
                Span::new(span.end, span.end)
            };
            let tok = match classify(ch, &self.o) {
                Act::Keep | Act::Joiner | Act::Presentation => Tok::Char {
                    ch,
                    span: s,
                    kept: false,
                },
                // a tatweel inside a presentation form only carried a mark
                Act::Tatweel => continue,
                Act::Map(m) => Tok::Char {
                    ch: m,
                    span: s,
                    kept: false,
                },
                Act::Space => Tok::Space {
                    span: s,
                    kept: false,
                },
                Act::Newline => Tok::Newline {
                    span: s,
                    kept: false,
                },
                Act::Delete => continue,
            };
            first = false;
            self.stage2(tok);
        }
        self.in_expansion = false;
        if first {
            self.stage2(Tok::Del { span });
        }
    }

    // ---- stage 2: stretched letters -------------------------------------------------------

    #[inline]
    fn stage2(&mut self, tok: Tok) {
        if !self.o.collapse_elongation {
            return self.stage3(tok);
        }
        match tok {
            Tok::Char { ch, .. } if is_arabic_letter(ch) => {
                if self.run_letters > 0 && ch == self.run_ch {
                    self.run.push(tok);
                    self.run_letters += 1;
                    self.run_last = self.run.len() - 1;
                } else {
                    self.flush_run();
                    if !self.in_expansion && !self.may_repeat(ch, tok.span().end) {
                        return self.stage3(tok);
                    }
                    self.run_ch = ch;
                    self.run_letters = 1;
                    self.run_last = 0;
                    self.run.push(tok);
                }
            }
            Tok::Del { .. } if self.run_letters > 0 => self.run.push(tok),
            _ => {
                self.flush_run();
                self.stage3(tok);
            }
        }
    }

    fn flush_run(&mut self) {
        if self.run_letters == 0 {
            return;
        }
        let mut run = std::mem::take(&mut self.run);
        if self.run_letters >= 3 {
            let span = Span::new(run[0].span().start, run[self.run_last].span().end);
            self.stage3(Tok::Char {
                ch: self.run_ch,
                span,
                kept: false,
            });
            for t in &run[self.run_last + 1..] {
                self.stage3(*t);
            }
        } else {
            for t in &run {
                self.stage3(*t);
            }
        }
        run.clear();
        self.run = run;
        self.run_letters = 0;
    }

    // ---- stage 3: whitespace ---------------------------------------------------------------

    #[inline]
    fn stage3(&mut self, tok: Tok) {
        match tok {
            Tok::Char { ch, span, kept } => {
                if !self.pend.is_empty() {
                    self.flush_spaces_inside();
                }
                self.line_start = false;
                if kept {
                    self.sink.keep(span)
                } else {
                    self.sink.put(span, ch)
                }
            }
            Tok::Space { span, kept } => {
                if self.line_start && self.o.trim_lines {
                    self.sink.delete(span);
                } else if self.o.collapse_spaces || self.o.trim_lines {
                    self.pend.push(tok);
                } else if kept {
                    self.sink.keep(span);
                } else {
                    self.sink.put(span, ' ');
                }
            }
            Tok::Del { span } => {
                if self.pend.is_empty() {
                    self.sink.delete(span);
                } else {
                    self.pend.push(tok);
                }
            }
            Tok::Newline { span, kept } => {
                self.end_line();
                if kept {
                    self.sink.keep(span);
                } else {
                    self.sink.put(span, '\n');
                }
                self.line_start = true;
            }
        }
    }

    /// Spaces followed by more text on the same line.
    fn flush_spaces_inside(&mut self) {
        if self.o.collapse_spaces {
            let span = Span::new(
                self.pend[0].span().start,
                self.pend[self.pend.len() - 1].span().end,
            );
            self.sink.put(span, ' ');
            self.pend.clear();
        } else {
            self.flush_spaces_verbatim();
        }
    }

    /// Spaces at the end of a line or of the text.
    fn end_line(&mut self) {
        if self.pend.is_empty() {
            return;
        }
        if self.o.trim_lines {
            let span = Span::new(
                self.pend[0].span().start,
                self.pend[self.pend.len() - 1].span().end,
            );
            self.sink.delete(span);
            self.pend.clear();
        } else {
            self.flush_spaces_inside();
        }
    }

    fn flush_spaces_verbatim(&mut self) {
        for k in 0..self.pend.len() {
            match self.pend[k] {
                Tok::Space { span, kept: true } => self.sink.keep(span),
                Tok::Space { span, kept: false } => self.sink.put(span, ' '),
                Tok::Del { span } => self.sink.delete(span),
                Tok::Char { span, ch, .. } => self.sink.put(span, ch),
                Tok::Newline { span, .. } => self.sink.put(span, '\n'),
            }
        }
        self.pend.clear();
    }
}
