//! Measures of a cleaned document's body for filtering a corpus, taken the Arabic way: sentence
//! ends with `؟` `۔` `…` as well as `.`, Arabic function words, letters without diacritics or
//! tatweel, and the labeller's confidence. Measured on the body blocks as the page had them
//! (before normalization, so elongation and diacritics are seen). Also the thresholds a corpus
//! filter drops documents by, with presets.

use crate::features::Features;
use crate::normalize::{is_arabic_letter, is_diacritic};
use foldhash::{HashSet, HashSetExt};
use std::hash::BuildHasher;

macro_rules! measures {
    ($($var:ident = $name:literal : $doc:literal),* $(,)?) => {
        /// A document's quality measures; every one is in `0..=1` except `mean_word_length`
        /// (letters) and `words` (a count).
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub struct Quality { $(#[doc = $doc] pub $var: f32),* }

        impl Quality {
            /// The measures' names, stable, in the order of `values`.
            pub const NAMES: &'static [&'static str] = &[$($name),*];
            /// What each measure is, in the order of `NAMES`.
            pub const DESCRIPTIONS: &'static [&'static str] = &[$($doc),*];

            pub fn values(&self) -> Vec<f32> {
                vec![$(self.$var),*]
            }

            /// A measure by its name.
            pub fn get(&self, name: &str) -> Option<f32> {
                match name { $($name => Some(self.$var),)* _ => None }
            }

            /// Sets a measure by its name; false for an unknown name.
            pub fn set(&mut self, name: &str, value: f32) -> bool {
                match name { $($name => { self.$var = value; true })* _ => false }
            }
        }
    };
}

measures! {
    words = "words": "words in the body",
    confidence = "confidence": "the labeller's confidence in the body it kept",
    arabic_share = "arabic_share": "Arabic letters among all letters",
    sentence_end_share = "sentence_end_share": "paragraphs ending a sentence (. ! ? ؟ ۔ …, quotes after)",
    function_word_ratio = "function_word_ratio": "Arabic function words among all words",
    mean_word_length = "mean_word_length": "letters per word (diacritics and tatweel not counted)",
    repeated_line_share = "repeated_line_share": "characters in paragraphs that repeat an earlier one",
    repeated_ngram_share = "repeated_ngram_share": "words inside a word 5-gram seen earlier in the body",
    elongation_density = "elongation_density": "tatweel per Arabic letter",
    diacritic_density = "diacritic_density": "diacritics per Arabic letter",
    digit_share = "digit_share": "digits among characters other than white space",
    latin_share = "latin_share": "Latin letters among all letters",
    mojibake_share = "mojibake_share": "characters that are garbled text or replacement characters",
}

// What a character counts as (one of these, plus `WHITE` for white space).
const NONE: u8 = 0;
const TATWEEL: u8 = 1;
const MARK: u8 = 2;
const ARABIC: u8 = 3;
const LATIN: u8 = 4;
const DIGIT: u8 = 5;
const OTHER: u8 = 6;
const WHITE: u8 = 8;

fn class_of(c: char) -> u8 {
    let k = match c {
        '\u{0640}' => TATWEEL,
        c if is_diacritic(c) => MARK,
        c if is_arabic_letter(c) => ARABIC,
        c if c.is_ascii_alphabetic() => LATIN,
        c if crate::script::is_numeric(c) => DIGIT,
        c if crate::script::is_alphabetic(c) => OTHER,
        _ => NONE,
    };
    k | if crate::script::is_whitespace(c) {
        WHITE
    } else {
        0
    }
}

/// `class_of`, from a table for the characters up to the end of the Arabic block.
#[inline]
fn class(c: char) -> u8 {
    const TABLE_END: usize = 0x0700;
    static TABLE: std::sync::OnceLock<[u8; TABLE_END]> = std::sync::OnceLock::new();
    match TABLE
        .get_or_init(|| std::array::from_fn(|i| char::from_u32(i as u32).map_or(NONE, class_of)))
        .get(c as usize)
    {
        Some(&k) => k,
        None => class_of(c),
    }
}

/// Word n-grams compared for `repeated_ngram_share`.
const NGRAM: usize = 5;

fn ratio(a: usize, b: usize) -> f32 {
    if b == 0 {
        0.0
    } else {
        a as f32 / b as f32
    }
}

/// Whether a paragraph ends a sentence: its last character, before closing quotes and brackets,
/// is a sentence stop.
fn ends_sentence(text: &str) -> bool {
    let body = text.trim_end_matches(|c: char| {
        crate::script::is_whitespace(c)
            || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '}')
    });
    matches!(
        body.chars().last(),
        Some('.' | '!' | '?' | '؟' | '۔' | '…' | '‼' | '⁉')
    )
}

/// Characters of Arabic read as Latin-1 or windows-1252 (`Ø§`): a lead `Ø Ù Ú Û` followed by
/// a character that byte could continue with.
fn mojibake_chars(text: &str) -> usize {
    let mut n = 0;
    let mut prev_lead = false;
    for c in text.chars() {
        if c == '\u{FFFD}' {
            n += 1;
        }
        if prev_lead
            && (matches!(c as u32, 0x80..=0xBF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c))
        {
            n += 2;
        }
        prev_lead = matches!(c, 'Ø' | 'Ù' | 'Ú' | 'Û');
    }
    n
}

/// The measures of a body: its blocks' texts as the page had them with their features (whose
/// keys give the words), the function words as keys, and the labeller's confidence.
pub fn measure<S: BuildHasher>(
    blocks: &[(&str, &Features)],
    function_words: &std::collections::HashSet<String, S>,
    confidence: f32,
) -> Quality {
    let mut q = Quality {
        confidence,
        ..Quality::default()
    };
    if blocks.is_empty() {
        return q;
    }
    let (mut arabic, mut latin, mut digits, mut other) = (0usize, 0usize, 0usize, 0usize);
    let (mut tatweel, mut marks, mut garbled) = (0usize, 0usize, 0usize);
    let (mut words, mut letters_in_words, mut function) = (0usize, 0usize, 0usize);
    let mut ended = 0usize;
    let (mut chars, mut repeated_chars) = (0usize, 0usize);
    let mut lines: HashSet<&str> = HashSet::with_capacity(blocks.len());
    // a 5-gram is known by its words' hashes: each word is hashed once, not once per gram
    let mut grams: HashSet<[u64; NGRAM]> = HashSet::new();
    let hasher = foldhash::fast::FixedState::with_seed(0);
    let mut all_words: Vec<Vec<&str>> = Vec::with_capacity(blocks.len());
    for (text, f) in blocks {
        let mut visible = 0usize;
        for c in text.chars() {
            let k = class(c);
            visible += usize::from(k & WHITE == 0);
            match k & !WHITE {
                TATWEEL => tatweel += 1,
                MARK => marks += 1,
                ARABIC => arabic += 1,
                LATIN => latin += 1,
                DIGIT => digits += 1,
                OTHER => other += 1,
                _ => {}
            }
        }
        chars += visible;
        garbled += mojibake_chars(text);
        ended += usize::from(ends_sentence(text));
        let key = f.key.as_str().trim();
        if !key.is_empty() && !lines.insert(key) {
            repeated_chars += visible;
        }
        let ws: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        for w in &ws {
            let letters = w
                .chars()
                .filter(|c| crate::script::is_alphabetic(*c))
                .count();
            if letters > 0 {
                words += 1;
                letters_in_words += letters;
                function += usize::from(function_words.contains(*w));
            }
        }
        all_words.push(ws);
    }
    // words inside a 5-gram that already occurred (Arabic-aware: on the folded keys)
    let mut total = 0usize;
    let mut covered = 0usize;
    for ws in &all_words {
        total += ws.len();
        let mut mark = vec![false; ws.len()];
        let hashes: Vec<u64> = ws.iter().map(|w| hasher.hash_one(w)).collect();
        for k in 0..ws.len().saturating_sub(NGRAM - 1) {
            let g: [u64; NGRAM] = hashes[k..k + NGRAM].try_into().expect("NGRAM words");
            if !grams.insert(g) {
                mark[k..k + NGRAM].iter_mut().for_each(|m| *m = true);
            }
        }
        covered += mark.iter().filter(|&&m| m).count();
    }
    let letters = arabic + latin + other;
    q.words = words as f32;
    q.arabic_share = ratio(arabic, letters);
    q.sentence_end_share = ratio(ended, blocks.len());
    q.function_word_ratio = ratio(function, words);
    q.mean_word_length = ratio(letters_in_words, words);
    q.repeated_line_share = ratio(repeated_chars, chars);
    q.repeated_ngram_share = ratio(covered, total);
    q.elongation_density = ratio(tatweel, arabic);
    q.diacritic_density = ratio(marks, arabic);
    q.digit_share = ratio(digits, chars);
    q.latin_share = ratio(latin, letters);
    q.mojibake_share = ratio(garbled, chars).min(1.0);
    q
}

/// Bounds a document must keep to pass a corpus filter: a `min_` bound or a `max_` bound per
/// measure, by the measure's name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thresholds {
    /// `(measure, bound, is_minimum)` in the order they are checked.
    bounds: Vec<(&'static str, f32, bool)>,
}

/// Presets: `arabic` keeps Arabic prose and drops what is short, foreign, list-like, repetitive
/// or garbled (it drops none of the 93 real articles of `../shared/corpus` and the dev set);
/// `lenient` drops only what is clearly not an Arabic article.
pub const PRESETS: &[(&str, &[(&str, f32)])] = &[
    (
        "arabic",
        &[
            ("min_words", 50.0),
            ("min_confidence", 0.5),
            ("min_arabic_share", 0.7),
            // no bound on sentence ends: Arabic paragraphs often end without a stop (a real
            // article of the corpus ends 10 % of its paragraphs with one)
            ("min_function_word_ratio", 0.08),
            ("max_repeated_line_share", 0.3),
            ("max_repeated_ngram_share", 0.3),
            ("max_latin_share", 0.3),
            ("max_mojibake_share", 0.01),
            ("min_mean_word_length", 3.0),
            ("max_mean_word_length", 8.0),
        ],
    ),
    (
        "lenient",
        &[
            ("min_words", 20.0),
            ("min_arabic_share", 0.5),
            ("max_repeated_line_share", 0.6),
            ("max_mojibake_share", 0.05),
        ],
    ),
];

impl Thresholds {
    /// A preset by name.
    pub fn preset(name: &str) -> Option<Thresholds> {
        let (_, bounds) = PRESETS.iter().find(|(n, _)| *n == name)?;
        let mut t = Thresholds::default();
        for (k, v) in *bounds {
            t.set(k, *v).ok()?;
        }
        Some(t)
    }

    /// Sets a bound: `min_NAME` or `max_NAME` for a measure `NAME` (replacing one set before).
    pub fn set(&mut self, key: &str, value: f32) -> Result<(), String> {
        let (minimum, name) = match (key.strip_prefix("min_"), key.strip_prefix("max_")) {
            (Some(n), _) => (true, n),
            (_, Some(n)) => (false, n),
            _ => return Err(format!("'{key}': a bound is min_NAME or max_NAME")),
        };
        let Some(&name) = Quality::NAMES.iter().find(|n| **n == name) else {
            return Err(format!(
                "'{key}': no measure '{name}' (measures: {})",
                Quality::NAMES.join(", ")
            ));
        };
        if !value.is_finite() {
            return Err(format!("'{key}': the bound must be a number"));
        }
        self.bounds
            .retain(|(n, _, m)| !(*n == name && *m == minimum));
        self.bounds.push((name, value, minimum));
        Ok(())
    }

    /// The first bound `q` breaks, as `min_NAME` / `max_NAME`, or `None` when it passes.
    pub fn check(&self, q: &Quality) -> Option<String> {
        self.bounds.iter().find_map(|&(name, bound, minimum)| {
            let v = q.get(name).unwrap_or(0.0);
            let broken = if minimum { v < bound } else { v > bound };
            broken.then(|| format!("{}_{name}", if minimum { "min" } else { "max" }))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The bounds as `(min_NAME or max_NAME, value)`.
    pub fn items(&self) -> Vec<(String, f32)> {
        self.bounds
            .iter()
            .map(|(n, v, m)| (format!("{}_{n}", if *m { "min" } else { "max" }), *v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_by_name() {
        let mut t = Thresholds::preset("arabic").unwrap();
        let q = Quality {
            words: 10.0,
            ..Quality::default()
        };
        assert_eq!(t.check(&q).as_deref(), Some("min_words"));
        t.set("min_words", 5.0).unwrap();
        assert_eq!(t.check(&q).as_deref(), Some("min_confidence"));
        assert!(t.set("min_colour", 1.0).is_err());
        assert!(t.set("words", 1.0).is_err());
        assert!(Thresholds::preset("none").is_none());
        assert!(Thresholds::default().check(&q).is_none());
    }

    #[test]
    fn sentence_ends_and_mojibake() {
        assert!(ends_sentence("قال: «انتهى.»"));
        assert!(ends_sentence("هل انتهى؟"));
        assert!(!ends_sentence("عنوان بلا نقطة"));
        assert_eq!(mojibake_chars("Ø§Ù„"), 4);
        assert_eq!(mojibake_chars("العربية café"), 0);
        assert_eq!(mojibake_chars("a\u{FFFD}b"), 1);
    }
}
