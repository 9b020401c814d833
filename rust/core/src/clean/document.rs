//! What cleaning a page gives: the document, its paragraphs and sentences with spans into the
//! input, metadata, removed blocks and appended articles.

use crate::align::Span;
use crate::label::{Label, Reason};

/// Metadata found on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// The publication date as ISO 8601 (`YYYY-MM-DD`), when the page gives a full date.
    pub date: Option<String>,
    /// The date as the page writes it (a date line, a meta tag, JSON-LD).
    pub date_raw: Option<String>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// The language of the text (`ar`, `fa`, `ur`, from its letters), else the page's declared
    /// language (HTML `lang`).
    pub lang: Option<String>,
    /// The page's address (HTML canonical link or `og:url`; a JSONL record's `url`) and host.
    pub url: Option<String>,
    pub host: Option<String>,
}

impl Meta {
    /// Takes a date as the page writes it: kept raw, and as ISO 8601 when it is a full date. A
    /// date already understood is not replaced; one only seen raw gives way to one understood.
    pub fn date_from(&mut self, raw: String) {
        if self.date.is_some() {
            return;
        }
        if let Some(iso) = crate::dates::iso(&raw) {
            self.date = Some(iso);
            self.date_raw = Some(raw);
        } else if self.date_raw.is_none() {
            self.date_raw = Some(raw);
        }
    }

    /// Sets the page's address and its host (lowercase, without a port or credentials).
    pub fn url_from(&mut self, url: &str) {
        let url = url.trim();
        let Some((_, rest)) = url.split_once("://") else {
            return;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
        if host.is_empty() {
            return;
        }
        self.url = Some(url.to_string());
        self.host = Some(host);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Normalized text.
    pub text: String,
    /// Byte span of the paragraph in the input.
    pub span: Span,
    /// Index of its block in `Document::blocks`.
    pub block: usize,
    pub sentences: Vec<Sentence>,
}

/// A sentence of a paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the paragraph's (normalized) text.
    pub span: Span,
    /// Byte span in the input it was normalized from.
    pub input: Span,
}

/// Another article saved on the same page, after the main one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    pub meta: Meta,
    pub paragraphs: Vec<Paragraph>,
}

impl Article {
    /// The body: paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        join(&self.paragraphs)
    }
}

fn join(paragraphs: &[Paragraph]) -> String {
    let mut s = String::with_capacity(paragraphs.iter().map(|p| p.text.len() + 2).sum());
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            s.push_str("\n\n");
        }
        s.push_str(&p.text);
    }
    s
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    /// The block's text as it stood in the input.
    pub text: String,
    pub span: Span,
    pub label: Label,
    pub reason: Reason,
    /// Index of its block in `Document::blocks`.
    pub block: usize,
}

/// What names a page's site (see [`Cleaner::clean_page_of`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct SiteOf<'a> {
    /// The site, given: a JSONL record's `url` host, or a caller's choice.
    pub name: Option<&'a str>,
    /// The site when neither a name nor the page's own address gives one: its folder.
    pub fallback: Option<&'a str>,
}

/// The key of pages no site names.
pub const NO_SITE: &str = "(no address)";

impl SiteOf<'_> {
    /// The site's key: the name, else the host of `own_url` (the page's canonical address),
    /// else the fallback, else [`NO_SITE`].
    pub fn resolve(&self, own_url: Option<&str>) -> String {
        if let Some(n) = self.name {
            return n.to_string();
        }
        let mut own = Meta::default();
        if let Some(u) = own_url {
            own.url_from(u);
        }
        own.host
            .or_else(|| self.fallback.map(String::from))
            .unwrap_or_else(|| NO_SITE.to_string())
    }
}

/// Every block of the page with its label, for explaining a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockLabel {
    pub span: Span,
    pub line: usize,
    pub label: Label,
    pub reason: Reason,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub title: Option<String>,
    pub meta: Meta,
    pub paragraphs: Vec<Paragraph>,
    pub removed: Vec<Removed>,
    pub blocks: Vec<BlockLabel>,
    /// Other articles saved after the main one (their blocks are also in `removed`).
    pub articles: Vec<Article>,
    /// How sure the labeller is of the body it kept: the mean probability, weighted by text
    /// length, that a kept block is article body (0 for an empty result).
    pub confidence: f32,
    /// Measures of the body for filtering a corpus (`confidence` among them).
    pub quality: crate::quality::Quality,
}

impl Document {
    /// The body: paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        join(&self.paragraphs)
    }

    /// Bytes of text kept as body and removed (title and metadata included), for shares.
    pub fn text_bytes(&self) -> (usize, usize) {
        let kept = self.paragraphs.iter().map(|p| p.text.len()).sum();
        let removed = self.removed.iter().map(|r| r.text.len()).sum();
        (kept, removed)
    }
}
