//! What class and id words say of an element (`markup.txt`), remembered per thread.

use super::Markup;
use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

/// Class and id words by kind (`markup.txt`). `None` is the article's own container.
fn words() -> &'static HashMap<String, Option<Markup>> {
    static WORDS: OnceLock<HashMap<String, Option<Markup>>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut m = HashMap::new();
        for line in include_str!("../markup.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, ws)) = line.split_once(':') else {
                continue;
            };
            let kind = match kind.trim() {
                "nav" => Some(Markup::Nav),
                "footer" => Some(Markup::Footer),
                "sidebar" => Some(Markup::Sidebar),
                "related" => Some(Markup::Related),
                "social" => Some(Markup::Social),
                "comments" => Some(Markup::Comments),
                "tags" => Some(Markup::Tags),
                "ad" => Some(Markup::Ad),
                "newsletter" => Some(Markup::Newsletter),
                _ => None,
            };
            for w in ws.split_whitespace() {
                m.insert(w.to_string(), kind);
            }
        }
        m
    })
}

/// Class and id values a thread remembers (pages of one site, and a page itself, repeat them);
/// forgotten all at once when full. Longer values are not kept.
const CLASS_CACHE: usize = 8192;
const CLASS_CACHE_VALUE: usize = 200;

/// What `class_kind` said of each value.
type ClassKinds = HashMap<Box<[u8]>, Option<Option<Markup>>>;

/// `class_kind`, remembered per thread.
pub(super) fn cached_class_kind(values: &[u8]) -> Option<Option<Markup>> {
    thread_local! {
        static SEEN: std::cell::RefCell<ClassKinds> = std::cell::RefCell::new(HashMap::new());
    }
    if values.len() > CLASS_CACHE_VALUE {
        return class_kind(values);
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(k) = seen.get(values) {
            return *k;
        }
        let k = class_kind(values);
        if seen.len() >= CLASS_CACHE {
            seen.clear();
        }
        seen.insert(values.into(), k);
        k
    })
}

/// What class and id values say: `Some(None)` for the article's container, `Some(Some(kind))`
/// for boilerplate, `None` for nothing known.
pub(super) fn class_kind(values: &[u8]) -> Option<Option<Markup>> {
    let words = words();
    // prefixes longer than the longest word cannot match: one long token stays linear
    static LONGEST: OnceLock<usize> = OnceLock::new();
    let longest = *LONGEST.get_or_init(|| words.keys().map(String::len).max().unwrap_or(0));
    let text = String::from_utf8_lossy(values);
    let mut found: Option<Option<Markup>> = None;
    // tokens at separators and lowerUpper boundaries, and the whole value without separators
    let mut tokens: Vec<String> = Vec::new();
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase();
            cur.push(c.to_ascii_lowercase());
        }
        tokens.push(cur);
        tokens.push(part.to_ascii_lowercase());
    }
    for value in text.split_whitespace() {
        let joined: String = value
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        tokens.push(joined);
    }
    for t in &tokens {
        let hit = words.get(t.as_str()).copied().or_else(|| {
            // a word of five letters or more that the token starts with
            (5..t.len().min(longest + 1))
                .filter(|&l| t.is_char_boundary(l))
                .find_map(|l| words.get(&t[..l]).copied())
        });
        match hit {
            Some(None) => return Some(None), // the article's container wins
            Some(k) if found.is_none() => found = Some(k),
            _ => {}
        }
    }
    found
}
