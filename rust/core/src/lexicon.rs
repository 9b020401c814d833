//! The boilerplate lexicon: phrase families read from `lexicon.txt` (and any phrases a user adds),
//! compiled into one Aho-Corasick automaton over folded keys, so every spelling of a phrase hits.
//! Does not decide what a line is: it reports which phrases a line holds and where.

use crate::error::{Error, Result};
use crate::normalize::{Normalizer, Options};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashSet;

const BUILTIN: &str = include_str!("lexicon.txt");

macro_rules! families {
    ($($var:ident => $name:literal),* $(,)?) => {
        /// A family of boilerplate phrases.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Family { $($var),* }

        impl Family {
            pub const ALL: &'static [Family] = &[$(Family::$var),*];

            pub fn name(self) -> &'static str {
                match self { $(Family::$var => $name),* }
            }

            pub fn from_name(name: &str) -> Option<Family> {
                match name { $($name => Some(Family::$var),)* _ => None }
            }
        }
    };
}

families! {
    ReadAlso => "read_also",
    Related => "related",
    MostRead => "most_read",
    SectionLabel => "section_label",
    Tags => "tags",
    Source => "source",
    Agency => "agency",
    Byline => "byline",
    DatePrefix => "date_prefix",
    Comments => "comments",
    Share => "share",
    Follow => "follow",
    Newsletter => "newsletter",
    App => "app",
    Copyright => "copyright",
    Disclaimer => "disclaimer",
    Nav => "nav",
    Photo => "photo",
    Ad => "ad",
    DateWord => "date_word",
}

/// How a phrase judges the line it is found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The line starts with the phrase.
    Prefix,
    /// The line starts with the phrase and a colon.
    Label,
    /// Phrases of this mode cover (nearly) the whole line.
    Line,
    /// The phrase anywhere in a line that does not end like a sentence.
    Any,
    /// The phrase anywhere in the line.
    Anywhere,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    family: Family,
    mode: Mode,
    max_words: usize,
    words: usize,
}

/// One phrase found in a line's key: its family and the words it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub family: Family,
    pub mode: Mode,
    /// Lines with more words are not judged by this phrase (0: evidence only).
    pub max_words: usize,
    /// Word range `first..last` (exclusive) of the line's key.
    pub first: usize,
    pub last: usize,
}

/// The folded form of a line that phrases are matched on: letters and digits only, in words
/// separated by single spaces, with a space at both ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    /// Byte offset in `text` of the space before each word.
    starts: Vec<usize>,
    /// Letters of the source text: Arabic ones, and ASCII Latin ones.
    pub arabic_letters: usize,
    pub latin_letters: usize,
    /// The source text holds a digit (ASCII, Arabic-Indic or Persian).
    pub digits: bool,
}

impl Key {
    pub fn words(&self) -> usize {
        self.starts.len()
    }

    /// The key's words, joined by single spaces.
    pub fn as_str(&self) -> &str {
        self.text.trim()
    }

    fn word_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }
}

/// Builds keys: `search` folds plus hamza carriers, then everything but letters and digits to
/// a space, Latin lower-cased, and a break between digits and letters.
#[derive(Clone, Debug)]
pub struct Keyer {
    norm: Normalizer,
    /// What the key makes of each character of U+0600–U+06FF.
    arabic: Box<[ArabicChar; 256]>,
}

/// A character of the Arabic block as keys see it, worked out once.
#[derive(Clone, Copy, Debug, Default)]
struct ArabicChar {
    /// Its fold (a letter or a digit), or NUL where it has none.
    fold: char,
    /// The fold is a digit.
    fold_digit: bool,
    /// The fold is an Arabic letter (a stretched run of it counts once).
    fold_letter: bool,
    /// The character itself is an Arabic letter, or a digit.
    letter: bool,
    digit: bool,
    /// Without a fold: dropped inside a word (tatweel, a diacritic) rather than a break.
    dropped: bool,
}

impl Default for Keyer {
    fn default() -> Self {
        let mut o = Options::search();
        o.fold_hamza = true;
        let norm = Normalizer::new(o);
        let mut arabic = Box::new([ArabicChar::default(); 256]);
        for (i, slot) in arabic.iter_mut().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).unwrap_or('\0');
            slot.letter = crate::normalize::is_arabic_letter(c);
            slot.digit = matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}');
            slot.dropped = c == '\u{0640}' || crate::normalize::is_diacritic(c);
            let folded = norm.normalize(c.encode_utf8(&mut [0u8; 4]));
            let mut it = folded.chars();
            if let (Some(f), None) = (it.next(), it.next()) {
                if let Some(digit) = key_class(f) {
                    slot.fold = f;
                    slot.fold_digit = digit;
                    slot.fold_letter = crate::normalize::is_arabic_letter(f);
                }
            }
        }
        Keyer { norm, arabic }
    }
}

/// Builds one key in a single pass over the text.
struct KeyBuilder {
    out: String,
    starts: Vec<usize>,
    /// Some(is_digit) of the previous kept character; None after a break.
    prev: Option<bool>,
    run_char: char,
    run_len: usize,
}

impl KeyBuilder {
    #[inline(always)]
    fn push(&mut self, ch: char) {
        let Some(digit) = key_class(ch) else {
            if self.prev.is_some() {
                self.out.push(' ');
                self.prev = None;
            }
            self.run_len = 0;
            return;
        };
        if !self.kept(ch, digit, crate::normalize::is_arabic_letter(ch)) {
            return;
        }
        if ch.is_ascii_uppercase() {
            self.out.push(ch.to_ascii_lowercase());
        } else if ch.is_ascii() || crate::normalize::is_arabic_script(ch) {
            self.out.push(ch);
        } else {
            self.out.extend(ch.to_lowercase());
        }
    }

    /// A fold of the Arabic block (a letter or a digit, written as it is).
    #[inline(always)]
    fn push_fold(&mut self, a: ArabicChar) {
        if self.kept(a.fold, a.fold_digit, a.fold_letter) {
            self.out.push(a.fold);
        }
    }

    /// Takes a kept character (`digit` or not, an Arabic `letter` or not) into the runs and
    /// word starts; false when it is not to be written (a third letter of a stretched run).
    #[inline(always)]
    fn kept(&mut self, ch: char, digit: bool, letter: bool) -> bool {
        // a letter stretched by repetition counts once
        if ch == self.run_char && self.run_len > 0 && letter {
            self.run_len += 1;
            if self.run_len == 3 {
                self.out.pop();
            }
            if self.run_len >= 3 {
                return false;
            }
        } else {
            self.run_char = ch;
            self.run_len = 1;
        }
        match self.prev {
            None => self.starts.push(self.out.len() - 1),
            Some(d) if d != digit => {
                self.out.push(' ');
                self.starts.push(self.out.len() - 1);
            }
            _ => {}
        }
        self.prev = Some(digit);
        true
    }
}

impl Keyer {
    pub fn key(&self, text: &str) -> Key {
        let mut b = KeyBuilder {
            out: String::with_capacity(text.len() + 2),
            starts: Vec::new(),
            prev: None,
            run_char: '\0',
            run_len: 0,
        };
        b.out.push(' ');
        let (mut arabic, mut latin, mut digits) = (0, 0, false);
        for ch in text.chars() {
            if ch.is_ascii() {
                if ch.is_ascii_alphabetic() {
                    latin += 1;
                } else if ch.is_ascii_digit() {
                    digits = true;
                }
                b.push(ch);
            } else if ('\u{0600}'..='\u{06FF}').contains(&ch) {
                let a = self.arabic[ch as usize - 0x0600];
                if a.letter {
                    arabic += 1;
                } else if a.digit {
                    digits = true;
                }
                if a.fold != '\0' {
                    b.push_fold(a);
                } else if a.dropped {
                    // dropped inside a word: the word goes on
                } else {
                    b.push(' ');
                }
            } else if crate::normalize::is_invisible(ch) || matches!(ch, '\u{200C}' | '\u{200D}') {
                // dropped inside a word
            } else if crate::normalize::is_arabic_script(ch) {
                if crate::normalize::is_arabic_letter(ch) {
                    arabic += 1;
                }
                for f in self.norm.normalize(ch.encode_utf8(&mut [0u8; 4])).chars() {
                    b.push(f);
                }
            } else {
                b.push(ch);
            }
        }
        let mut out = b.out;
        if !out.ends_with(' ') {
            out.push(' ');
        }
        Key {
            text: out,
            starts: b.starts,
            arabic_letters: arabic,
            latin_letters: latin,
            digits,
        }
    }
}

/// Whether a character belongs in a key, and if so whether it is a digit. Arabic and ASCII
/// are decided by range; other scripts by their Unicode properties.
#[inline(always)]
fn key_class(ch: char) -> Option<bool> {
    if ch.is_ascii() {
        return if ch.is_ascii_digit() {
            Some(true)
        } else if ch.is_ascii_alphabetic() {
            Some(false)
        } else {
            None
        };
    }
    if ('\u{0600}'..='\u{06FF}').contains(&ch) {
        return if crate::normalize::is_arabic_letter(ch) {
            Some(false)
        } else if matches!(ch, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}') {
            Some(true)
        } else {
            None
        };
    }
    if crate::script::is_numeric(ch) {
        Some(true)
    } else if crate::script::is_alphanumeric(ch) {
        Some(false)
    } else {
        None
    }
}

/// The compiled lexicon.
#[derive(Clone, Debug)]
pub struct Lexicon {
    ac: AhoCorasick,
    entries: Vec<Entry>,
    keyer: Keyer,
}

/// A phrase a user adds to a family; it takes the mode of the family's first section.
/// Pattern bytes up to which the phrase automaton is a DFA.
const DFA_PATTERN_BYTES: usize = 64 << 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraPhrase {
    pub family: String,
    pub phrase: String,
}

impl Lexicon {
    /// The built-in lexicon plus `extra` phrases, without the `disabled` families.
    pub fn new(extra: &[ExtraPhrase], disabled: &[Family]) -> Result<Lexicon> {
        let keyer = Keyer::default();
        let mut gathered = Gathered::default();
        let mut section: Option<(Family, Mode, usize)> = None;
        let mut first_section: Vec<(Family, Mode, usize)> = Vec::new();
        for (n, raw) in BUILTIN.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(head) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                let s = parse_section(head).ok_or_else(|| {
                    Error::config(format!("lexicon line {}: bad section: '{line}'", n + 1))
                })?;
                if !first_section.iter().any(|(f, _, _)| *f == s.0) {
                    first_section.push(s);
                }
                section = Some(s);
                continue;
            }
            let Some((family, mode, max_words)) = section else {
                return Err(Error::config(format!(
                    "lexicon line {}: phrase before any section",
                    n + 1
                )));
            };
            gathered.push(&keyer, line, family, mode, max_words);
        }
        for e in extra {
            let Some(family) = Family::from_name(&e.family) else {
                let names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
                return Err(Error::choice("phrase family", &names, &e.family));
            };
            let (_, mode, max_words) = first_section
                .iter()
                .copied()
                .find(|(f, _, _)| *f == family)
                .unwrap_or((family, Mode::Any, 30));
            gathered.push(&keyer, &e.phrase, family, mode, max_words);
        }
        // drop disabled families (their patterns stay out of the automaton)
        let mut kept_patterns = Vec::with_capacity(gathered.patterns.len());
        let mut kept_entries = Vec::with_capacity(gathered.entries.len());
        for (p, e) in gathered.patterns.into_iter().zip(gathered.entries) {
            if !disabled.contains(&e.family) {
                kept_patterns.push(p);
                kept_entries.push(e);
            }
        }
        // a DFA is fastest for the built-in lexicon and a few hundred extra phrases; its memory
        // grows with states times byte classes, so large phrase lists get the compact NFA
        let bytes: usize = kept_patterns.iter().map(String::len).sum();
        let kind = if bytes <= DFA_PATTERN_BYTES {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&kept_patterns)
            .map_err(|e| Error::config(format!("cannot build the lexicon automaton: {e}")))?;
        Ok(Lexicon {
            ac,
            entries: kept_entries,
            keyer,
        })
    }

    pub fn keyer(&self) -> &Keyer {
        &self.keyer
    }

    /// Every phrase in `key`, in order of position.
    pub fn hits(&self, key: &Key) -> Vec<Hit> {
        let mut hits = Vec::new();
        for m in self.ac.find_overlapping_iter(key.text.as_str()) {
            let e = self.entries[m.pattern().as_usize()];
            // the pattern is " phrase ": its first word starts at the leading space
            let first = key.word_at(m.start());
            hits.push(Hit {
                family: e.family,
                mode: e.mode,
                max_words: e.max_words,
                first,
                last: first + e.words,
            });
        }
        hits.sort_by_key(|h| (h.first, std::cmp::Reverse(h.last)));
        hits
    }
}

/// The lexicon's patterns as they are gathered, one per folded key, family and mode.
#[derive(Default)]
struct Gathered {
    seen: HashSet<(String, Family, Mode)>,
    patterns: Vec<String>,
    entries: Vec<Entry>,
}

impl Gathered {
    fn push(&mut self, keyer: &Keyer, phrase: &str, family: Family, mode: Mode, max_words: usize) {
        let key = keyer.key(phrase);
        if key.words() == 0 {
            return;
        }
        // spelling variants of one phrase fold to the same key: keep one per family and mode
        if !self.seen.insert((key.text.clone(), family, mode)) {
            return;
        }
        self.entries.push(Entry {
            family,
            mode,
            max_words,
            words: key.words(),
        });
        self.patterns.push(key.text);
    }
}

fn parse_section(head: &str) -> Option<(Family, Mode, usize)> {
    let mut parts = head.split_whitespace();
    let family = Family::from_name(parts.next()?)?;
    let mode = match parts.next()? {
        "prefix" => Mode::Prefix,
        "label" => Mode::Label,
        "line" => Mode::Line,
        "any" => Mode::Any,
        "anywhere" => Mode::Anywhere,
        _ => return None,
    };
    let max_words = match parts.next() {
        Some(n) => n.parse().ok()?,
        None => usize::MAX,
    };
    Some((family, mode, max_words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::new(&[], &[]).unwrap()
    }

    fn families(text: &str) -> Vec<&'static str> {
        let l = lex();
        l.hits(&l.keyer().key(text))
            .iter()
            .map(|h| h.family.name())
            .collect()
    }

    #[test]
    fn keys_fold_spelling_and_punctuation() {
        let k = Keyer::default();
        assert_eq!(k.key("إقرأ أيضاً:").as_str(), "اقرا ايضا");
        assert_eq!(k.key("اقرأ ایضا").as_str(), "اقرا ايضا");
        assert_eq!(k.key("  اقـــرأ   أَيْضًا!! ").as_str(), "اقرا ايضا");
        assert_eq!(
            k.key("يناير 25, 2024آخر تحديث").as_str(),
            "يناير 25 2024 اخر تحديث"
        );
        assert_eq!(k.key("Connect With Us").as_str(), "connect with us");
        assert_eq!(k.key("•  ").words(), 0);
        assert_eq!(k.key("جداااا ﻷن مدرسة").as_str(), "جدا لان مدرسه");
        assert_eq!(k.key("ممتاز الله").as_str(), "ممتاز الله");
        assert_eq!(k.key("العــربيـة").as_str(), "العربيه");
    }

    #[test]
    fn read_also_in_every_spelling() {
        for s in [
            "اقرأ أيضا",
            "إقرأ أيضاً:",
            "اقرا ايضا",
            "اقرأ ایضاً",
            "إقــرأ أيضـاً",
            "اِقْرَأْ أَيْضًا",
        ] {
            assert!(families(s).contains(&"read_also"), "{s}");
        }
    }

    #[test]
    fn whole_words_only() {
        // "عاجل" is a section label; "عاجلة" inside a sentence is not the same word
        assert!(!families("قرارات عاجلة للحكومة").contains(&"section_label"));
        assert!(families("عاجل").contains(&"section_label"));
    }

    #[test]
    fn hits_know_their_words() {
        let l = lex();
        let key = l.keyer().key("شارك هذا المقال على فيسبوك");
        let hits = l.hits(&key);
        assert!(hits
            .iter()
            .any(|h| h.family == Family::Share && h.first == 0 && h.last == 3));
        assert!(hits
            .iter()
            .any(|h| h.family == Family::Share && h.first == 4 && h.last == 5));
    }

    #[test]
    fn extra_phrases_and_disabled_families() {
        let extra = [ExtraPhrase {
            family: "related".into(),
            phrase: "لا تفوّت".into(),
        }];
        let l = Lexicon::new(&extra, &[Family::Share]).unwrap();
        let fams: Vec<Family> = l
            .hits(&l.keyer().key("لا تفوت"))
            .iter()
            .map(|h| h.family)
            .collect();
        assert_eq!(fams, vec![Family::Related]);
        assert!(l.hits(&l.keyer().key("شارك")).is_empty());
        let bad = [ExtraPhrase {
            family: "nope".into(),
            phrase: "x".into(),
        }];
        assert!(Lexicon::new(&bad, &[])
            .unwrap_err()
            .to_string()
            .contains("read_also"));
    }
}
