//! Splits text into paragraphs and sentences, as byte spans of the text.
//!
//! Paragraphs are separated by blank lines. A sentence never crosses a line break (a headline
//! without a final stop is a sentence of its own) and ends after a run of stops (`.` `!` `?` `؟`
//! `…` `۔`, and `؛` `;` when configured) with the quotes and brackets that close right after it,
//! when a space or the end of the line follows. Not a sentence end:
//! - a stop inside a word, a number, a date or time, a URL or an e-mail (`3.5`, `21.04.2025`,
//!   `example.com`), except a stop glued to the next Arabic word (`انتهى.وقال`), which is a missing
//!   space;
//! - an abbreviation: a listed one (`abbreviations.txt`, extendable), a single letter or a chain
//!   of single letters (`د.` `أ.د.` `U.S.`), unless it is an Arabic unit right after a number
//!   (`عام 1990 م.`) or a Latin initialism before an Arabic word that can start a sentence
//!   (`U.S. وفي`);
//! - an ellipsis (`...` `…` `..`) inside a line, which is a pause, unless a quote or bracket
//!   closes right after it, or a full clause stands before it and a word that can start a
//!   sentence follows (not one of `continuations.txt`), and the clause does not trail off on a
//!   conjunction (`و…`) nor stand inside a quote or bracket still open; an omission mark `(...)`
//!   never ends;
//! - a stop inside a closing quote followed by a word that continues the sentence (`رغم`) or by
//!   a bracketed reference number and a comma (`…» (12)، وهو`);
//! - a stop followed by a lowercase Latin word, spaced decimals (`4 . 5`), a lone spaced Latin
//!   `?` after a word and before an Arabic word or a bracket (a lost dash) or in brackets around
//!   a foreign title, or a list number opening a line (`1. `).
//!
//! Footnote marks right after a stop (`.[4]`) belong to its sentence; interview turns (`س:`
//! `ج:`) start a sentence.
//!
//! Does not normalize; the spans are trimmed of surrounding white space and never empty.

use crate::align::Span;
use crate::normalize::{is_arabic_letter, is_diacritic};
use foldhash::HashSet;

const ABBREVIATIONS: &str = include_str!("abbreviations.txt");
const CONTINUATIONS: &str = include_str!("continuations.txt");

/// Words before an ellipsis for it to end a sentence: a short line trailing off (`الذهب
/// يرتفع...`) is a pause, a full clause before it may be a sentence.
const ELLIPSIS_END_WORDS: usize = 6;

/// Conjunctions a list trails off on before an ellipsis (`والبؤس والتهميش و…`): no sentence
/// ends on them.
const DANGLING: [&str; 4] = ["و", "أو", "او", "ف"];

/// Longest footnote mark taken after a stop (`.[4]`, `.[بحاجة لمصدر]`), in bytes.
const FOOTNOTE_MAX: usize = 48;

/// How sentences are split.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SegmentOptions {
    /// `؛` and `;` end a sentence (by default they separate clauses inside it).
    pub semicolon: bool,
    /// Abbreviations added to the built-in list, written with their dots (`"Corp."`).
    pub abbreviations: Vec<String>,
}

/// A compiled sentence splitter; cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Segmenter {
    opts: SegmentOptions,
    abbrevs: HashSet<String>,
    continuations: HashSet<String>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new(SegmentOptions::default())
    }
}

/// Bytes a stop or a line break can start with: `. ! ? ; \n \r`, 0xD8 (`؟` `؛`), 0xDB (`۔`),
/// 0xE2 (`…` `‼` `⁉` `⁈` `⁇`).
const TRIGGER: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let bytes = b".!?;\n\r\xD8\xDB\xE2";
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '»' | '”' | '"' | '\'' | '’' | ')' | ']' | '}' | '›' | '）' | '﴿'
    )
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '«' | '“' | '"' | '\'' | '‘' | '(' | '[' | '{' | '‹' | '（' | '﴾'
    )
}

/// What a run of stops holds.
#[derive(Default)]
struct Run {
    dots: usize,
    ellipsis: bool,
    /// `!`, `?`, `؟` and their kin, or a semicolon when it ends sentences.
    strong: bool,
    /// Quotes or brackets closed right after the stops.
    closed: bool,
    /// The stops stand inside brackets of their own: an omission mark `(...)`.
    omission: bool,
}

impl Segmenter {
    pub fn new(opts: SegmentOptions) -> Self {
        let abbrevs = listed(ABBREVIATIONS)
            .chain(opts.abbreviations.iter().map(|s| s.trim()))
            .map(abbrev_key)
            .filter(|k| !k.is_empty())
            .collect();
        let continuations = listed(CONTINUATIONS).map(abbrev_key).collect();
        Segmenter {
            opts,
            abbrevs,
            continuations,
        }
    }

    pub fn options(&self) -> &SegmentOptions {
        &self.opts
    }

    fn stop_kind(&self, c: char) -> Option<bool> {
        // Some(strong)
        match c {
            '.' | '…' => Some(false),
            '!' | '?' | '؟' | '۔' | '‼' | '⁉' | '⁈' | '⁇' => Some(true),
            ';' | '؛' if self.opts.semicolon => Some(true),
            _ => None,
        }
    }

    /// Sentences of `text`, as trimmed byte spans in order.
    pub fn sentences(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        self.sentences_into(text, 0, &mut out);
        out
    }

    /// Appends the sentences of `text` to `out`, shifted by `base`.
    pub fn sentences_into(&self, text: &str, base: usize, out: &mut Vec<Span>) {
        let bytes = text.as_bytes();
        // an interview: questions and answers marked `س:` and `ج:`, each turn a sentence
        let interview = memchr::memmem::find(bytes, "س:".as_bytes()).is_some()
            && memchr::memmem::find(bytes, "ج:".as_bytes()).is_some();
        let mut start = 0usize;
        let mut i = 0usize;
        while i < bytes.len() {
            let b = bytes[i];
            if !TRIGGER[b as usize] {
                i += 1;
                continue;
            }
            // most Arabic letters start with 0xD8 or 0xDB: look at the second byte first
            let second = bytes.get(i + 1).copied().unwrap_or(0);
            if interview && b == 0xD8 && is_turn(bytes, i) {
                push(text, start, i, base, out);
                start = i;
                i += 2;
                continue;
            }
            if (b == 0xD8 && second != 0x9F && second != 0x9B) || (b == 0xDB && second != 0x94) {
                i += 2;
                continue;
            }
            if b == b'\n' || b == b'\r' {
                push(text, start, i, base, out);
                i += 1;
                start = i;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            if self.stop_kind(c).is_none() {
                i += c.len_utf8();
                continue;
            }
            let (run, end) = self.run(text, i);
            if self.ends_here(text, start, i, end, &run) {
                push(text, start, end, base, out);
                start = end;
            }
            i = end;
        }
        push(text, start, bytes.len(), base, out);
    }

    /// The run of stops at `i`, with the closing quotes and brackets after it, and its end.
    fn run(&self, text: &str, i: usize) -> (Run, usize) {
        let mut run = Run::default();
        let mut j = i;
        for c in text[i..].chars() {
            match self.stop_kind(c) {
                Some(strong) => {
                    run.strong |= strong;
                    match c {
                        '…' => run.ellipsis = true,
                        '.' => run.dots += 1,
                        _ => {}
                    }
                }
                // closers, and stops after them (`«...».`), belong to the run
                None if is_closer(c) => run.closed = true,
                None => break,
            }
            j += c.len_utf8();
        }
        if run.dots >= 2 {
            run.ellipsis = true;
        }
        // an omission mark: `(...)` `[..]`, the stops alone inside their brackets
        let before = text[..i].chars().next_back();
        run.omission = run.ellipsis && matches!(before, Some('(' | '['));
        // footnote and reference marks glued after the stop: `.[4]` `.[٢]` `.[بحاجة لمصدر]`
        while text[j..].starts_with('[') {
            let mut limit = text.len().min(j + FOOTNOTE_MAX);
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            let window = &text[j..limit];
            match window.find(']') {
                Some(k) if !window[1..k].contains(['\n', '\r', '[']) => j += k + 1,
                _ => break,
            }
        }
        (run, j)
    }

    /// Whether the sentence that started at `start` ends with the run `stop..end`.
    fn ends_here(&self, text: &str, start: usize, stop: usize, end: usize, run: &Run) -> bool {
        if run.omission {
            return false;
        }
        let next = text[end..].chars().next();
        let Some(next) = next else { return true };
        if next == '\n' || next == '\r' {
            return true;
        }
        let word = word_before(text, start, stop);
        let spaced_before = text[..stop].ends_with(crate::script::is_whitespace);
        if !crate::script::is_whitespace(next) {
            // `انتهى الاجتماع .ثم`: the stop moved off its word, before the next one
            if spaced_before && !run.ellipsis && is_arabic_letter(next) {
                return true;
            }
            // glued to what follows: only a missing space before an Arabic word ends a sentence
            if !is_arabic_letter(next) {
                return false;
            }
            if run.strong {
                return true;
            }
            if run.ellipsis || is_link(word) {
                return false;
            }
            return word
                .chars()
                .filter(|c| crate::script::is_alphanumeric(*c))
                .count()
                >= 2
                && !self.is_abbreviation(word);
        }
        let after =
            text[end..].trim_start_matches(|c: char| crate::script::is_whitespace(c) && c != '\n');
        let first = after.chars().next();
        match first {
            None | Some('\n') | Some('\r') => return true,
            _ => {}
        }
        let first = first.unwrap_or(' ');
        let next_word = after
            .split(|c: char| crate::script::is_whitespace(c) || c.is_ascii_punctuation())
            .next()
            .unwrap_or("");
        if run.closed && !run.ellipsis && self.continues(next_word) {
            // a stop inside a quote, and the sentence goes on after it: `“بداية الطريق.” رغم`
            return false;
        }
        if run.closed && reference_then_comma(after) {
            // a quote closed, its reference number, and the sentence goes on: `…” (18)، مما`
            return false;
        }
        if run.strong {
            // a Latin `?` standing alone between words, before an Arabic word or a bracket, is
            // a lost dash, not a question: `وضخماً ? وسط`, `Middle Kingdom ? المملكة`
            let before = text[..stop]
                .trim_end()
                .chars()
                .rev()
                .find(|&c| !is_diacritic(c));
            let lost_dash = &text[stop..end] == "?"
                && spaced_before
                && (is_arabic_letter(first) || (is_opener(first) && first != '"'))
                && before.is_some_and(crate::script::is_alphabetic);
            return !lost_dash && !self.inside_foreign_brackets(text, start, stop, end);
        }
        if run.ellipsis {
            return run.closed || self.ellipsis_ends(text, start, stop, next_word, first);
        }
        // spaced decimals in a measurement: `4 . 5 كم`
        if spaced_before
            && run.dots == 1
            && crate::script::is_numeric(first)
            && text[..stop].trim_end().ends_with(crate::script::is_numeric)
        {
            return false;
        }
        if word.is_empty() {
            return true;
        }
        if first.is_lowercase() && !is_arabic_letter(first) {
            return false;
        }
        // a list number opening the line: `1. `
        if word.len() <= 3
            && word.bytes().all(|b| b.is_ascii_digit())
            && text[start..stop - word.len()].trim().is_empty()
        {
            return false;
        }
        if self.is_abbreviation(word) {
            let arabic = word.chars().any(is_arabic_letter);
            if !arabic {
                // a Latin initialism before an Arabic word that can start a sentence ends it:
                // `وصل الوفد إلى U.S. وفي اليوم التالي` (a title such as `Dr.` never does)
                return is_initialism(word)
                    && is_arabic_letter(first)
                    && !self.continues(next_word);
            }
            // an Arabic unit after a number may end the sentence: `عام 1990 م.`, `300 ق. م.`
            // (not inside a spaced chain: `ق.` before `م.`)
            let next_token = after.split_whitespace().next().unwrap_or("");
            let chained = next_token.ends_with('.') && self.is_abbreviation(next_token);
            return arabic && !chained && self.number_before_units(text, start, stop - word.len());
        }
        true
    }

    /// Whether `word` goes on with a sentence (`continuations.txt`).
    fn continues(&self, word: &str) -> bool {
        !word.is_empty() && self.continuations.contains(&abbrev_key(word))
    }

    /// An ellipsis ends a sentence when a full clause stands before it (not a short line
    /// trailing off, not a list: no comma among its last words), and the next word starts a
    /// sentence (an Arabic word that does not go on with the one before).
    fn ellipsis_ends(
        &self,
        text: &str,
        start: usize,
        stop: usize,
        next_word: &str,
        first: char,
    ) -> bool {
        if !is_arabic_letter(first) || self.continues(next_word) {
            return false;
        }
        let head = &text[start..stop];
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.len() < ELLIPSIS_END_WORDS {
            return false;
        }
        // a list left open on its conjunction: `والفكرية والجسمية و… وتمنعه`
        if words
            .last()
            .is_some_and(|w| DANGLING.contains(&abbrev_key(w).as_str()))
        {
            return false;
        }
        // inside a quote or bracket still open (a title: `كتابه “بعيدا عن اليمين.. مستقبل`)
        if unclosed(head) {
            return false;
        }
        let tail = words[words.len().saturating_sub(6)..].join(" ");
        !tail.contains(['،', ','])
    }

    /// A `?` or `!` inside brackets around Latin words (a foreign title quoted in the sentence):
    /// the bracket closes right after it and the sentence goes on.
    fn inside_foreign_brackets(&self, text: &str, start: usize, stop: usize, end: usize) -> bool {
        let run = &text[stop..end];
        if !run.ends_with(')') {
            return false;
        }
        let Some(open) = text[start..stop].rfind('(') else {
            return false;
        };
        let inner = &text[start + open + 1..stop];
        let latin = inner.chars().filter(|c| c.is_ascii_alphabetic()).count();
        latin * 2
            > inner
                .chars()
                .filter(|c| crate::script::is_alphabetic(*c))
                .count()
            && text[end..].trim_start().starts_with(is_arabic_letter)
    }

    /// Whether a number stands before `at`, skipping Arabic abbreviations between (`300 ق. م.`).
    fn number_before_units(&self, text: &str, start: usize, at: usize) -> bool {
        let mut at = at;
        for _ in 0..3 {
            if number_before(text, start, at) {
                return true;
            }
            let head = text[start..at].trim_end();
            let tok = head
                .rsplit(crate::script::is_whitespace)
                .next()
                .unwrap_or("");
            if tok.is_empty() || !tok.chars().any(is_arabic_letter) || !self.is_abbreviation(tok) {
                return false;
            }
            at = start + head.len() - tok.len();
        }
        false
    }

    fn is_abbreviation(&self, word: &str) -> bool {
        let key = abbrev_key(word);
        if key.is_empty() {
            return false;
        }
        // single letters and chains of them: `د` `أ.د` `u.s`
        let shape = key
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(crate::script::is_alphabetic));
        shape || self.abbrevs.contains(&key)
    }
}

/// The entries of a word list: one per line, blank lines and `#` comments left out.
fn listed(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A bracketed reference number and a comma right after it: `(18)، مما كان` goes on with the
/// sentence.
fn reference_then_comma(after: &str) -> bool {
    let Some(rest) = after.strip_prefix('(') else {
        return false;
    };
    let digits = rest.len()
        - rest
            .trim_start_matches(|c: char| crate::script::is_numeric(c))
            .len();
    if digits == 0 || digits > 12 {
        return false;
    }
    let Some(rest) = rest[digits..].strip_prefix(')') else {
        return false;
    };
    rest.trim_start().starts_with(['،', ',', '؛', ';'])
}

/// Whether `head` opens a guillemet, a curly quote or a bracket it does not close.
fn unclosed(head: &str) -> bool {
    let mut depth = 0i32;
    for c in head.chars() {
        match c {
            '«' | '“' | '(' | '[' | '﴾' => depth += 1,
            '»' | '”' | ')' | ']' | '﴿' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth > 0
}

/// A chain of two or more single letters with their dots: `U.S.`, `D.C.` (not `Dr.`, not `J.`).
fn is_initialism(word: &str) -> bool {
    let parts: Vec<&str> = word.trim_end_matches('.').split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(crate::script::is_alphabetic))
}

/// `س:` or `ج:` at `i`, after white space: the start of an interview turn.
fn is_turn(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i + 1), Some(0xB3 | 0xAC))
        && bytes.get(i + 2) == Some(&b':')
        && i > 0
        && bytes[i - 1].is_ascii_whitespace()
}

/// Paragraphs of `text`: runs of lines separated by blank lines, as trimmed byte spans.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut para: Option<Span> = None;
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let lstart = pos;
        pos += line.len();
        let t = line.trim();
        if t.is_empty() {
            out.extend(para.take());
            continue;
        }
        let s = lstart + (line.len() - line.trim_start().len());
        let e = lstart + line.trim_end().len();
        match para.as_mut() {
            Some(p) => p.end = e,
            None => para = Some(Span::new(s, e)),
        }
    }
    out.extend(para);
    out
}

fn push(text: &str, start: usize, end: usize, base: usize, out: &mut Vec<Span>) {
    let s = &text[start..end];
    let t = s.trim_start();
    let a = start + (s.len() - t.len());
    let b = a + t.trim_end().len();
    if b > a {
        out.push(Span::new(base + a, base + b));
    }
}

/// The word right before `stop`, not reaching back before `start`: no white space, opening
/// quote or bracket.
fn word_before(text: &str, start: usize, stop: usize) -> &str {
    let head = &text[start..stop];
    let from = head
        .char_indices()
        .rev()
        .find(|&(_, c)| crate::script::is_whitespace(c) || is_opener(c))
        .map(|(k, c)| k + c.len_utf8())
        .unwrap_or(0);
    &head[from..]
}

/// Whether the token before `at` (skipping white space) is a number.
fn number_before(text: &str, start: usize, at: usize) -> bool {
    let head = text[start..at].trim_end();
    let tok = head
        .rsplit(crate::script::is_whitespace)
        .next()
        .unwrap_or("");
    if tok.is_empty() {
        return false;
    }
    tok.chars().any(crate::script::is_numeric)
        && tok
            .chars()
            .all(|c| crate::script::is_numeric(c) || matches!(c, '.' | ',' | '٫' | '٬' | '/' | '-'))
}

fn is_link(word: &str) -> bool {
    word.contains("://") || word.contains('@') || word.starts_with("www.")
}

/// The key an abbreviation is looked up by: no tatweel or diacritics, lowercase, no final dot.
fn abbrev_key(word: &str) -> String {
    word.chars()
        .filter(|&c| c != '\u{0640}' && !is_diacritic(c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim_end_matches('.')
        .to_string()
}

#[cfg(test)]
mod tests;
