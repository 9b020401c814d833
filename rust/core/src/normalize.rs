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

mod pass;
mod sink;

use pass::Pass;
use sink::Plain;

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

    /// Repairs only: how characters are encoded (presentation forms, invisible characters,
    /// look-alike letters, spaces and line ends) changes, every character the author typed
    /// stays, diacritics and tatweel included (so a cleaned body still matches its source).
    pub fn safe() -> Self {
        Options {
            fold_presentation_forms: true,
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
            strip_tatweel: true,
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
        // `safe` keeps what the author typed; `strip_tatweel` (in `search`) removes elongation
        assert_eq!(safe("العــربية ﻻ"), "العــربية لا");
        let mut o = Options::safe();
        o.strip_tatweel = true;
        let strip = |s: &str| Normalizer::new(o).normalize(s);
        assert_eq!(strip("العــربية ﻻ"), "العربية لا");
        // a tatweel standing alone as a dash, or after an attached prefix, is no elongation
        assert_eq!(strip("واشنطن ــ بعد"), "واشنطن ــ بعد");
        assert_eq!(
            strip("قال لـ \"رويترز\" وبـ 5 ملايين"),
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
        let mut o = Options::safe();
        o.strip_tatweel = true;
        let (out, a) = Normalizer::new(o).normalize_aligned(input);
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
