//! Folds Arabic orthographic variants in one pass over the text, keeping the alignment to the
//! input. Every fold is a switch of its own; the `safe` and `search` presets group them.
//! Does not segment and does not judge boilerplate.
//!
//! The pass is three small stages fed one token at a time, so no stage re-reads the text:
//! character folds, then the collapse of stretched letters, then whitespace (runs, line ends).
//! The last stage writes through [`crate::align::Writer`] or, when no alignment is wanted, a
//! plain string.

use crate::align::{Alignment, Span, Writer};
use crate::error::{Error, Result};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

macro_rules! switches {
    ($($(#[doc = $doc:literal])* $name:ident),* $(,)?) => {
        /// Which folds run. Build one from a preset and change single switches with [`Options::set`].
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct Options {
            $($(#[doc = $doc])* pub $name: bool,)*
        }

        /// The names of all switches, in a stable order.
        pub const SWITCHES: &[&str] = &[$(stringify!($name)),*];

        impl Options {
            /// Sets one switch by name.
            pub fn set(&mut self, name: &str, value: bool) -> Result<()> {
                match name {
                    $(stringify!($name) => self.$name = value,)*
                    _ => return Err(Error::config(format!(
                        "unknown switch: '{name}' (known: {})", SWITCHES.join(", ")))),
                }
                Ok(())
            }

            /// Reads one switch by name.
            pub fn get(&self, name: &str) -> Option<bool> {
                match name {
                    $(stringify!($name) => Some(self.$name),)*
                    _ => None,
                }
            }

            /// Every switch with its value, in the order of [`SWITCHES`].
            pub fn items(&self) -> Vec<(&'static str, bool)> {
                vec![$((stringify!($name), self.$name)),*]
            }
        }
    };
}

switches! {
    /// Arabic presentation forms and ligatures (U+FB50–FDFF, U+FE70–FEFF) to their letters (NFKC).
    fold_presentation_forms,
    /// Remove tatweel (U+0640).
    strip_tatweel,
    /// Remove zero-width characters, bidi controls, BOM and soft hyphen; ZWJ/ZWNJ only where they
    /// touch Arabic script, a space or an end of the text.
    strip_invisible,
    /// Persian and Urdu look-alike letters (ی ک ڪ ۀ ہ ۂ ھ ە ۃ) to their Arabic forms.
    fold_persian_letters,
    /// Unicode spaces (NBSP, thin, ideographic, vertical tab, form feed...) to a plain space.
    fold_spaces,
    /// Runs of spaces to one space.
    collapse_spaces,
    /// Spaces at the start and end of each line removed.
    trim_lines,
    /// CRLF, CR, NEL and the Unicode line and paragraph separators to LF.
    normalize_newlines,
    /// Remove diacritics: harakat, tanwin, shadda, sukun, dagger alef, Quranic marks.
    strip_diacritics,
    /// Alef with hamza or madda, and wasla (أ إ آ ٱ ٲ ٳ), to bare alef.
    fold_alef,
    /// Alef maksura (ى) to yeh.
    fold_alef_maksura,
    /// Teh marbuta (ة) to heh.
    fold_teh_marbuta,
    /// Hamza on its carriers (ؤ ئ) to the bare carrier.
    fold_hamza,
    /// Arabic-Indic and Persian digits to ASCII.
    fold_digits,
    /// A letter stretched by repetition (three or more) to one: مرحباااا to مرحبا.
    collapse_elongation,
    /// Arabic punctuation to ASCII: ، ؛ ؟ « » ٪ ۔ and the decimal separator ٫ to a point.
    fold_punctuation,
}

/// The names of the presets.
pub const PRESETS: &[&str] = &["safe", "search", "none"];

impl Options {
    /// No fold at all.
    pub fn none() -> Self {
        Options::default()
    }

    /// Folds that keep every meaning-bearing letter.
    pub fn safe() -> Self {
        Options {
            fold_presentation_forms: true,
            strip_tatweel: true,
            strip_invisible: true,
            fold_persian_letters: true,
            fold_spaces: true,
            collapse_spaces: true,
            trim_lines: true,
            normalize_newlines: true,
            ..Options::default()
        }
    }

    /// `safe` plus the lossy folds used for retrieval.
    pub fn search() -> Self {
        Options {
            strip_diacritics: true,
            fold_alef: true,
            fold_alef_maksura: true,
            fold_teh_marbuta: true,
            fold_digits: true,
            collapse_elongation: true,
            ..Options::safe()
        }
    }

    pub fn preset(name: &str) -> Result<Self> {
        match name {
            "safe" => Ok(Options::safe()),
            "search" => Ok(Options::search()),
            "none" => Ok(Options::none()),
            _ => Err(Error::choice("preset", PRESETS, name)),
        }
    }
}

/// What the fold stage does with one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    Keep,
    Delete,
    Map(char),
    /// A space-like character: kept as is when it is an ASCII space or tab, else written as ' '.
    Space,
    Newline,
    /// ZWJ / ZWNJ: removed unless both neighbours are visible non-Arabic characters.
    Joiner,
    /// Tatweel: removed inside a word; kept where it stands alone as a dash or marks an
    /// attached prefix before a space (لـ "...").
    Tatweel,
    /// A presentation form: expanded by NFKC, then folded again.
    Presentation,
}

/// Arabic-script characters (letters, marks, digits, punctuation, presentation forms).
#[inline]
pub fn is_arabic_script(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Arabic letters (not marks, digits or punctuation).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32,
        0x0620..=0x063F | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5
        | 0x06EE..=0x06EF | 0x06FA..=0x06FC | 0x06FF | 0x0750..=0x077F | 0x08A0..=0x08C9)
}

/// Diacritics removed by `strip_diacritics`.
#[inline]
pub fn is_diacritic(c: char) -> bool {
    matches!(c as u32,
        0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED | 0x08CA..=0x08E1 | 0x08E3..=0x08FF)
}

/// Characters removed by `strip_invisible` wherever they stand (ZWJ and ZWNJ are contextual).
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}')
}

#[inline]
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

fn classify(c: char, o: &Options) -> Act {
    match c {
        '\n' | '\r' => Act::Newline,
        ' ' | '\t' => Act::Space,
        '\u{85}' | '\u{2028}' | '\u{2029}' if o.normalize_newlines => Act::Newline,
        '\u{0B}'
        | '\u{0C}'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}'
            if o.fold_spaces =>
        {
            Act::Space
        }
        _ if o.strip_invisible && is_joiner(c) => Act::Joiner,
        _ if o.strip_invisible && is_invisible(c) => Act::Delete,
        '\u{0640}' if o.strip_tatweel => Act::Tatweel,
        _ if o.strip_diacritics && is_diacritic(c) => Act::Delete,
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' if o.fold_alef => Act::Map('ا'),
        'ى' if o.fold_alef_maksura => Act::Map('ي'),
        'ة' if o.fold_teh_marbuta => Act::Map('ه'),
        'ؤ' if o.fold_hamza => Act::Map('و'),
        'ئ' if o.fold_hamza => Act::Map('ي'),
        'ی' if o.fold_persian_letters => Act::Map('ي'),
        'ک' | 'ڪ' if o.fold_persian_letters => Act::Map('ك'),
        'ۀ' | 'ہ' | 'ۂ' | 'ھ' | 'ە' if o.fold_persian_letters => Act::Map('ه'),
        // teh marbuta goal folds to teh marbuta, or on to heh when that fold is on too
        'ۃ' if o.fold_persian_letters => Act::Map(if o.fold_teh_marbuta { 'ه' } else { 'ة' }),
        '\u{0660}'..='\u{0669}' if o.fold_digits => {
            Act::Map(char::from(b'0' + (c as u32 - 0x0660) as u8))
        }
        '\u{06F0}'..='\u{06F9}' if o.fold_digits => {
            Act::Map(char::from(b'0' + (c as u32 - 0x06F0) as u8))
        }
        '،' if o.fold_punctuation => Act::Map(','),
        '؛' if o.fold_punctuation => Act::Map(';'),
        '؟' if o.fold_punctuation => Act::Map('?'),
        '«' | '»' if o.fold_punctuation => Act::Map('"'),
        '٪' if o.fold_punctuation => Act::Map('%'),
        '٫' | '۔' if o.fold_punctuation => Act::Map('.'),
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' if o.fold_presentation_forms => {
            Act::Presentation
        }
        _ => Act::Keep,
    }
}

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

/// Where a pass writes: an aligned [`Writer`] or a plain string.
trait Sink {
    fn keep(&mut self, span: Span);
    fn put(&mut self, span: Span, ch: char);
    fn delete(&mut self, span: Span);
}

impl Sink for Writer<'_> {
    #[inline]
    fn keep(&mut self, span: Span) {
        Writer::keep(self, span)
    }
    #[inline]
    fn put(&mut self, span: Span, ch: char) {
        self.replace_char(span, ch)
    }
    #[inline]
    fn delete(&mut self, span: Span) {
        Writer::delete(self, span)
    }
}

/// A sink that builds only the output string, copying kept runs in one go.
struct Plain<'a> {
    input: &'a str,
    out: String,
    keep_from: usize,
    keep_to: usize,
}

impl<'a> Plain<'a> {
    fn new(input: &'a str) -> Self {
        Plain {
            input,
            out: String::with_capacity(input.len()),
            keep_from: 0,
            keep_to: 0,
        }
    }
    #[inline]
    fn flush(&mut self) {
        if self.keep_to > self.keep_from {
            self.out.push_str(&self.input[self.keep_from..self.keep_to]);
        }
    }
    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

impl Sink for Plain<'_> {
    #[inline]
    fn keep(&mut self, span: Span) {
        if span.start != self.keep_to {
            self.flush();
            self.keep_from = span.start;
        }
        self.keep_to = span.end;
    }
    #[inline]
    fn put(&mut self, span: Span, ch: char) {
        self.flush();
        self.out.push(ch);
        self.keep_from = span.end;
        self.keep_to = span.end;
    }
    #[inline]
    fn delete(&mut self, span: Span) {
        self.flush();
        self.keep_from = span.end;
        self.keep_to = span.end;
    }
}

/// A compiled set of folds; cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Normalizer {
    opts: Options,
    /// Actions for U+0600–U+06FF, the block nearly every character of Arabic text is in.
    arabic: Box<[Act; 256]>,
}

impl Normalizer {
    pub fn new(opts: Options) -> Self {
        let mut arabic = Box::new([Act::Keep; 256]);
        for (i, a) in arabic.iter_mut().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).unwrap_or('\u{0600}');
            *a = classify(c, &opts);
        }
        Normalizer { opts, arabic }
    }

    pub fn preset(name: &str) -> Result<Self> {
        Ok(Normalizer::new(Options::preset(name)?))
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The folded text.
    pub fn normalize(&self, text: &str) -> String {
        let mut p = Pass::new(self, text, Plain::new(text));
        p.run();
        p.sink.finish()
    }

    /// The folded text and, for every part of it, the input it came from.
    pub fn normalize_aligned(&self, text: &str) -> (String, Alignment) {
        let mut p = Pass::new(self, text, Writer::new(text));
        p.run();
        p.sink.finish()
    }

    /// [`Normalizer::normalize`] over many texts, in parallel, order kept.
    pub fn normalize_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<String> {
        texts
            .par_iter()
            .map(|t| self.normalize(t.as_ref()))
            .collect()
    }

    #[inline]
    fn act(&self, c: char) -> Act {
        let u = c as u32;
        if (0x0600..0x0700).contains(&u) {
            self.arabic[(u - 0x0600) as usize]
        } else {
            classify(c, &self.opts)
        }
    }
}

struct Pass<'n, 'a, S: Sink> {
    n: &'n Normalizer,
    o: Options,
    input: &'a str,
    sink: S,
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
    fn new(n: &'n Normalizer, input: &'a str, sink: S) -> Self {
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

    fn run(&mut self) {
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

/// Folds `text` with a preset's switches.
pub fn normalize(text: &str, preset: &str) -> Result<String> {
    Ok(Normalizer::preset(preset)?.normalize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(s: &str) -> String {
        Normalizer::new(Options::safe()).normalize(s)
    }
    fn search(s: &str) -> String {
        Normalizer::new(Options::search()).normalize(s)
    }

    #[test]
    fn presets_differ_only_in_lossy_folds() {
        assert_eq!(safe("أَهْلاً"), "أَهْلاً");
        assert_eq!(search("أَهْلاً"), "اهلا");
    }

    #[test]
    fn tatweel_and_ligature() {
        assert_eq!(safe("العــربية ﻻ"), "العربية لا");
        // a tatweel standing alone as a dash, or after an attached prefix, is no elongation
        assert_eq!(safe("واشنطن ــ بعد"), "واشنطن ــ بعد");
        assert_eq!(
            safe("قال لـ \"رويترز\" وبـ 5 ملايين"),
            "قال لـ \"رويترز\" وبـ 5 ملايين"
        );
        assert_eq!(safe("ﻷن"), "لأن");
        assert_eq!(search("ﻷن"), "لان");
    }

    #[test]
    fn spaces_and_lines() {
        assert_eq!(safe("  أ\u{a0}\u{a0} ب  \r\n\tج \n"), "أ ب\nج\n");
    }

    #[test]
    fn joiners_stay_in_emoji_sequences_only() {
        let family = "👨\u{200d}👩";
        assert_eq!(safe(family), family);
        assert_eq!(safe("عر\u{200c}بي"), "عربي");
        assert_eq!(safe("a\u{200d} b"), "a b");
    }

    #[test]
    fn elongation_across_deleted_characters() {
        assert_eq!(search("مرحباااا"), "مرحبا");
        assert_eq!(search("مرحبـاـاـا"), "مرحبا");
        assert_eq!(search("ﻻاا"), "لا");
        assert_eq!(safe("ﱞ"), "\u{64c}\u{651}");
        assert_eq!(search("www"), "www");
        assert_eq!(search("الله"), "الله");
    }

    #[test]
    fn decimal_separator_is_never_a_comma() {
        let mut o = Options::search();
        o.fold_punctuation = true;
        assert_eq!(Normalizer::new(o).normalize("٣٫٥، نعم"), "3.5, نعم");
    }

    #[test]
    fn alignment_covers_input_and_maps_back() {
        let input = "  العــربية ﻻ\r\n";
        let (out, a) = Normalizer::new(Options::safe()).normalize_aligned(input);
        assert_eq!(out, "العربية لا\n");
        let spans = a.char_spans(&out);
        assert_eq!(spans.len(), out.chars().count());
        // the ligature's two letters both map to the ligature
        let lig = input.find('ﻻ').unwrap();
        let n = spans.len();
        assert_eq!(spans[n - 3], Span::new(lig, lig + 3));
        assert_eq!(spans[n - 2], Span::new(lig, lig + 3));
        // CRLF maps to the newline
        assert_eq!(spans[n - 1], Span::new(input.len() - 2, input.len()));
        assert_eq!(
            a.to_input(Span::new(0, out.len())),
            Span::new(2, input.len())
        );
        let mut last = 0;
        for s in spans {
            assert!(s.start >= last);
            last = s.start;
        }
    }

    #[test]
    fn plain_and_aligned_agree() {
        let n = Normalizer::new(Options::search());
        for s in ["", " ", "ﹰ x", "a\u{200d}\u{200e}b", "ﷺ و ﷲ", "أأأ  ب\r\rج"] {
            assert_eq!(n.normalize(s), n.normalize_aligned(s).0, "{s:?}");
        }
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(Options::preset("fast").is_err());
        let mut o = Options::safe();
        let e = o.set("strip_everything", true).unwrap_err().to_string();
        assert!(e.contains("strip_tatweel"), "{e}");
    }
}
