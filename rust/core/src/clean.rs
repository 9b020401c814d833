//! Cleans a scraped page: blocks, features, labels, then the body assembled into normalized
//! paragraphs, with the title, metadata and an account of every removed block.
//! The `Cleaner` compiles its lexicon once and is shared between threads.

use crate::align::{Alignment, Span};
use crate::blocks;
use crate::error::{Error, ErrorKind, Result};
use crate::evidence::MarkupEvidence;
use crate::features::Features;
use crate::html;
use crate::judge::Model;
use crate::label::{self, Label, Reason};
use crate::labeller::{self, Judged, Switches};
use crate::language;
use crate::lexicon::{ExtraPhrase, Family, Lexicon};
use crate::normalize::{Normalizer, Options};
use crate::profile::{block_hash, Profile, SiteCounts};
use crate::segment::{SegmentOptions, Segmenter};
use rayon::prelude::*;
use std::sync::Arc;

/// How a page is cleaned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Folds applied to the body (default: the `safe` preset).
    pub normalize: Options,
    /// Phrases added to the lexicon's families.
    pub extra_phrases: Vec<ExtraPhrase>,
    /// Lexicon families and rules switched off, by name.
    pub disabled: Vec<String>,
    /// Inputs over this many bytes are refused (0: no limit).
    pub max_bytes: usize,
    /// How paragraphs are split into sentences.
    pub segment: SegmentOptions,
    /// A model file's text (weights and costs) instead of the shipped one; see `judge`.
    pub model: Option<String>,
    /// Sites' templates learnt from their pages: a block on many pages of its site is evidence
    /// of template (`profile`).
    pub profile: Option<Arc<Profile>>,
}

/// Blocks of one page the labeller takes: [`BLOCKS_FLOOR`], or one per [`BYTES_PER_BLOCK`] bytes
/// of the page when that is more. A news page has hundreds; each block costs one to two
/// kilobytes while it is judged, so this bounds a page's memory by a multiple of its size (about
/// 40x) whatever the length of its lines or elements.
pub fn max_blocks(len: usize) -> usize {
    BLOCKS_FLOOR.max(len / BYTES_PER_BLOCK)
}

pub const BLOCKS_FLOOR: usize = 100_000;
pub const BYTES_PER_BLOCK: usize = 48;

fn check_blocks(blocks: usize, len: usize) -> Result<()> {
    let limit = max_blocks(len);
    if blocks > limit {
        return Err(Error::new(ErrorKind::TooManyBlocks { limit }));
    }
    Ok(())
}

/// The default size limit: 256 MiB.
pub const DEFAULT_MAX_BYTES: usize = 256 << 20;

impl Default for Config {
    fn default() -> Self {
        Config {
            normalize: Options::safe(),
            extra_phrases: Vec::new(),
            disabled: Vec::new(),
            max_bytes: DEFAULT_MAX_BYTES,
            segment: SegmentOptions::default(),
            model: None,
            profile: None,
        }
    }
}

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

/// Words of an h1 that is all link and still may be a headline, not a site's name.
const LOGO_WORDS: usize = 3;
/// Words of a site's name in a `<title>` ("headline | site").
const SITE_WORDS: usize = 4;

/// Whether an h1 names the site rather than the article: a short one that is all link (a logo
/// linking home), or the site's part of the page's `<title>` ("headline | site").
fn site_name(b: &html::HtmlBlock, title: Option<&str>) -> bool {
    let text = b.text.trim();
    (b.link_ratio > 0.8 && text.split_whitespace().count() <= LOGO_WORDS)
        || title
            .and_then(split_title)
            .is_some_and(|(_, names)| names.contains(&text))
}

/// A `<title>` written "headline | site" (or with ` - ` ` – ` ` — `): the headline, the longest
/// part, and the other parts when every one is a short name beside it; `None` otherwise.
fn split_title(title: &str) -> Option<(&str, Vec<&str>)> {
    let parts: Vec<&str> = title
        .split(" | ")
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split(" – "))
        .flat_map(|p| p.split(" — "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let &longest = parts.iter().max_by_key(|p| p.len())?;
    let names: Vec<&str> = parts.into_iter().filter(|p| *p != longest).collect();
    let short =
        |p: &&str| p.split_whitespace().count() <= SITE_WORDS && 2 * p.len() <= longest.len();
    (!names.is_empty() && names.iter().all(short)).then_some((longest, names))
}

/// The headline of a `<title>`: without its site part when it has one.
fn without_site(title: &str) -> &str {
    split_title(title).map_or(title, |(headline, _)| headline)
}

/// A compiled cleaner: immutable, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Cleaner {
    config: Config,
    lexicon: Lexicon,
    norm: Normalizer,
    seg: Segmenter,
    model: Arc<Model>,
    switches: Switches,
    no_markup: bool,
}

impl Cleaner {
    pub fn new(config: Config) -> Result<Cleaner> {
        let mut families = Vec::new();
        let mut sw = Switches::default();
        let mut no_markup = false;
        for name in &config.disabled {
            if let Some(f) = Family::from_name(name) {
                families.push(f);
                continue;
            }
            match name.as_str() {
                "duplicate" => sw.no_repetition = true,
                "date_line" => sw.no_date_lines = true,
                "context" => sw.no_context = true,
                "breadcrumb" => sw.no_breadcrumb = true,
                "widget" => sw.no_widget = true,
                "url" => sw.no_url = true,
                "markup" => no_markup = true,
                _ => {
                    let mut names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
                    names.extend_from_slice(label::RULES);
                    return Err(Error::choice("rule", &names, name));
                }
            }
        }
        let lexicon = Lexicon::new(&config.extra_phrases, &families)?;
        let norm = Normalizer::new(config.normalize);
        let seg = Segmenter::new(config.segment.clone());
        let model = match &config.model {
            Some(src) => Arc::new(Model::parse(src)?),
            None => Model::builtin(),
        };
        Ok(Cleaner {
            config,
            lexicon,
            norm,
            seg,
            model,
            switches: sw,
            no_markup,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn segmenter(&self) -> &Segmenter {
        &self.seg
    }

    /// The fitted model the cleaner weighs evidence with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    fn check_size(&self, len: usize) -> Result<()> {
        if self.config.max_bytes > 0 && len > self.config.max_bytes {
            return Err(Error::new(ErrorKind::TooLarge {
                len,
                limit: self.config.max_bytes,
            }));
        }
        Ok(())
    }

    /// Cleans one page of plain text: one block per non-blank line.
    pub fn clean(&self, text: &str) -> Result<Document> {
        self.judged(text, false, |page, j, _| self.assemble(page, &j))
    }

    /// [`Cleaner::clean_page`] for a page of a site: with a profile, the site's template is
    /// evidence. The site is `site.name` when given, else an HTML page's own address (its
    /// host), else `site.fallback` (the folder a page file sits in); a profile of one site is
    /// that site's whatever the page says.
    pub fn clean_page_of(&self, text: &str, html: bool, site: SiteOf<'_>) -> Result<Document> {
        if html {
            self.judged_with(text, true, false, site, |page, j, parsed| {
                self.html_document(page, j, parsed)
            })
        } else {
            self.judged_with(text, false, false, site, |page, j, _| {
                self.assemble(page, &j)
            })
        }
    }

    /// The site a page is counted under in a profile, by the rule of [`Cleaner::clean_page_of`],
    /// and the hashes of its blocks ([`Profile::add_page`]).
    pub fn site_blocks(
        &self,
        text: &str,
        html: bool,
        site: SiteOf<'_>,
    ) -> Result<(String, Vec<u64>)> {
        self.check_size(text.len())?;
        let keyer = self.lexicon.keyer();
        let hash = |t: &str| {
            let k = keyer.key(t);
            (!k.as_str().is_empty()).then(|| block_hash(k.as_str()))
        };
        if html {
            let parsed = html::parse(text);
            check_blocks(parsed.blocks.len(), text.len())?;
            let name = site.resolve(parsed.meta.url.as_deref());
            Ok((
                name,
                parsed.blocks.iter().filter_map(|b| hash(&b.text)).collect(),
            ))
        } else {
            let page = text_blocks(text);
            check_blocks(page.len(), text.len())?;
            Ok((
                site.resolve(None),
                page.iter().filter_map(|b| hash(b.text)).collect(),
            ))
        }
    }

    /// [`Cleaner::clean_html`] when `html`, else [`Cleaner::clean`].
    pub fn clean_page(&self, text: &str, html: bool) -> Result<Document> {
        if html {
            self.clean_html(text)
        } else {
            self.clean(text)
        }
    }

    /// Cleans one HTML page (already decoded): blocks from the DOM, with the markup's evidence
    /// and metadata. Spans point into `html`.
    pub fn clean_html(&self, html: &str) -> Result<Document> {
        self.judged(html, true, |page, j, parsed| {
            self.html_document(page, j, parsed)
        })
    }

    /// An HTML page's document: the labels assembled, then the title and metadata its markup
    /// gives.
    fn html_document(
        &self,
        page: &[PageBlock<'_>],
        j: Judged,
        parsed: Option<&html::HtmlPage>,
    ) -> Document {
        let mut doc = self.assemble(page, &j);
        let Some(parsed) = parsed else { return doc };
        // the first h1 outside the page's furniture, when the labeller found no title; not
        // a site's logo or name (a short h1 that is all link, or the <title>'s site part)
        let h1 = parsed
            .blocks
            .iter()
            .find(|b| b.heading == 1 && b.kinds == 0 && !site_name(b, parsed.meta.title.as_deref()))
            .map(|b| self.norm.normalize(&b.text));
        let m = &parsed.meta;
        let norm = |s: &String| self.norm.normalize(s);
        let site = |i: usize| {
            parsed
                .blocks
                .get(i)
                .is_some_and(|b| site_name(b, m.title.as_deref()))
        };
        let labelled = doc.title.take().filter(|_| !j.title.is_some_and(site));
        doc.title = m.headline.as_ref().map(norm).or(labelled).or(h1).or(m
            .title
            .as_deref()
            .map(|t| self.norm.normalize(without_site(t))));
        if let Some(d) = &m.date {
            // the markup's date is the publication's; a date line still wins when only
            // it can be understood
            let mut markup = Meta::default();
            markup.date_from(norm(d));
            if markup.date.is_some() || doc.meta.date.is_none() {
                doc.meta.date = markup.date;
                doc.meta.date_raw = markup.date_raw;
            }
        }
        if let Some(a) = &m.author {
            doc.meta.byline = Some(norm(a));
        }
        if !m.tags.is_empty() {
            doc.meta.tags = m.tags.iter().map(norm).collect();
        }
        doc.meta.lang = doc.meta.lang.take().or(m.lang.clone());
        if let Some(u) = &m.url {
            doc.meta.url_from(u);
        }
        doc
    }

    /// Every block of a page with its evidence, scores and decision, for explaining a result
    /// and for fitting the model (`tools/train.py`): the blocks' texts, their element paths
    /// (HTML pages; empty for text lines) and the judged page.
    pub fn evidence(&self, text: &str, html: bool) -> Result<(Vec<String>, Vec<String>, Judged)> {
        self.evidence_of(text, html, SiteOf::default())
    }

    /// [`Cleaner::evidence`] for a page of `site` (see [`Cleaner::clean_page_of`]).
    pub fn evidence_of(
        &self,
        text: &str,
        html: bool,
        site: SiteOf<'_>,
    ) -> Result<(Vec<String>, Vec<String>, Judged)> {
        self.judged_with(text, html, true, site, |page, j, parsed| {
            let texts = page.iter().map(|b| b.text.to_string()).collect();
            let paths = match parsed {
                Some(p) => p.blocks.iter().map(|b| b.path.clone()).collect(),
                None => vec![String::new(); page.len()],
            };
            (texts, paths, j)
        })
    }

    /// The one path from a page to its judged blocks: size check, blocks (text lines, or the
    /// parsed HTML page's blocks with their markup evidence), the labeller; then `f` on them.
    fn judged<R>(
        &self,
        text: &str,
        html: bool,
        f: impl FnOnce(&[PageBlock<'_>], Judged, Option<&html::HtmlPage>) -> R,
    ) -> Result<R> {
        self.judged_with(text, html, false, SiteOf::default(), f)
    }

    /// `judged`, with the HTML blocks' element paths when `paths`, for a page of `site`.
    fn judged_with<R>(
        &self,
        text: &str,
        html: bool,
        paths: bool,
        site: SiteOf<'_>,
        f: impl FnOnce(&[PageBlock<'_>], Judged, Option<&html::HtmlPage>) -> R,
    ) -> Result<R> {
        self.check_size(text.len())?;
        if html {
            let parsed = if paths {
                html::parse_with_paths(text)
            } else {
                html::parse(text)
            };
            check_blocks(parsed.blocks.len(), text.len())?;
            let page = html_blocks(&parsed);
            let markup = self.markup_evidence(&parsed);
            let site = self.site_counts(site, parsed.meta.url.as_deref());
            let j = self.judge_blocks(&page, Some(&markup), parsed.meta.title.as_deref(), site);
            Ok(f(&page, j, Some(&parsed)))
        } else {
            let page = text_blocks(text);
            check_blocks(page.len(), text.len())?;
            let j = self.judge_blocks(&page, None, None, self.site_counts(site, None));
            Ok(f(&page, j, None))
        }
    }

    fn markup_evidence(&self, parsed: &html::HtmlPage) -> Vec<MarkupEvidence> {
        parsed
            .blocks
            .iter()
            .map(|b| {
                if self.no_markup {
                    MarkupEvidence::default()
                } else {
                    MarkupEvidence {
                        markup: b.markup,
                        kinds: b.kinds,
                        link_ratio: b.link_ratio,
                        heading: b.heading,
                        in_content: b.in_content,
                    }
                }
            })
            .collect()
    }

    /// The profile's counts for the page's site (resolved only when there is a profile: a page
    /// cleaned without one pays nothing for it).
    fn site_counts(
        &self,
        site: SiteOf<'_>,
        own_url: Option<&str>,
    ) -> Option<(&Profile, &SiteCounts)> {
        let p = self.config.profile.as_deref()?;
        Some((p, p.site(Some(&site.resolve(own_url)))?))
    }

    fn judge_blocks(
        &self,
        page: &[PageBlock<'_>],
        markup: Option<&[MarkupEvidence]>,
        title: Option<&str>,
        site: Option<(&Profile, &SiteCounts)>,
    ) -> Judged {
        let texts: Vec<&str> = page.iter().map(|b| b.text).collect();
        labeller::judge(
            &texts,
            markup,
            title,
            site,
            &self.lexicon,
            &self.model,
            self.switches,
        )
    }

    /// Labels to a document, in one pass: the body's paragraphs normalized once with their
    /// sentences, the title, metadata, every removed block with its reason, appended articles.
    fn assemble(&self, page: &[PageBlock<'_>], j: &Judged) -> Document {
        let mut doc = Document::default();
        let (mut weight, mut sure) = (0f32, 0f32);
        let mut body: Vec<(&str, &Features)> = Vec::new();
        for (i, b) in page.iter().enumerate() {
            let l = j.labels[i];
            doc.blocks.push(BlockLabel {
                span: b.span,
                line: b.line,
                label: l.label,
                reason: l.reason,
            });
            match l.label {
                Label::Body => {
                    let w = b.text.len() as f32;
                    weight += w;
                    sure += w / (1.0 + (-j.body[i]).exp());
                    body.push((b.text, &j.feats[i]));
                    doc.paragraphs.push(self.paragraph(b, i));
                    continue;
                }
                Label::Title if j.title == Some(i) => doc.title = Some(self.norm.normalize(b.text)),
                Label::Meta => self.meta(&mut doc.meta, b.text, &j.feats[i], l.reason),
                _ => {}
            }
            doc.removed.push(Removed {
                text: b.text.to_string(),
                span: b.span,
                label: l.label,
                reason: l.reason,
                block: i,
            });
        }
        if !self.switches.no_context {
            for a in label::appended(&j.feats, &j.cues, &j.labels) {
                let mut art = Article {
                    title: a.title.map(|t| self.norm.normalize(page[t].text)),
                    ..Article::default()
                };
                for &m in &a.meta {
                    self.meta(&mut art.meta, page[m].text, &j.feats[m], j.labels[m].reason);
                }
                art.paragraphs = a
                    .body
                    .iter()
                    .map(|&k| self.paragraph(&page[k], k))
                    .collect();
                doc.articles.push(art);
            }
        }
        doc.confidence = if weight > 0.0 { sure / weight } else { 0.0 };
        let function_words = crate::evidence::stopwords(self.lexicon.keyer());
        doc.quality = crate::quality::measure(&body, function_words, doc.confidence);
        doc.meta.lang = language::of(doc.paragraphs.iter().map(|p| p.text.as_str()))
            .or_else(|| doc.title.as_deref().and_then(|t| language::of([t])))
            .map(String::from);
        doc
    }

    /// Cleans many pages in parallel; order is kept and the output is the same for any number
    /// of threads. A panic in one page becomes that page's error.
    pub fn clean_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Result<Document>> {
        texts
            .par_iter()
            .map(|t| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.clean(t.as_ref())))
                    .unwrap_or_else(|_| {
                        Err(Error::config("internal error while cleaning this document"))
                    })
            })
            .collect()
    }

    /// A body block as a normalized paragraph split into sentences, each mapped to the input.
    fn paragraph(&self, b: &PageBlock<'_>, i: usize) -> Paragraph {
        let t = self.norm.normalize(b.text);
        // the alignment only when normalization changed something
        let norm_map = (t != b.text).then(|| self.norm.normalize_aligned(b.text).1);
        let sentences = self
            .seg
            .sentences(&t)
            .into_iter()
            .map(|span| {
                let mut inp = norm_map.as_ref().map_or(span, |m| m.to_input(span));
                if let Some(m) = b.map {
                    inp = m.to_input(inp);
                }
                Sentence {
                    span,
                    input: Span::new(b.span.start + inp.start, b.span.start + inp.end),
                }
            })
            .collect();
        Paragraph {
            text: t,
            span: b.span,
            block: i,
            sentences,
        }
    }

    fn meta(&self, meta: &mut Meta, raw: &str, f: &Features, reason: Reason) {
        let value = || self.norm.normalize(after_label(raw, f));
        match reason {
            Reason::DateLine => meta.date_from(self.norm.normalize(raw)),
            Reason::Byline if meta.byline.is_none() => meta.byline = Some(value()),
            Reason::SourceLine if meta.source.is_none() => {
                let v = if f
                    .hits
                    .iter()
                    .any(|h| h.family == Family::Source && h.first == 0)
                {
                    value()
                } else {
                    self.norm.normalize(raw)
                };
                meta.source = Some(v);
            }
            Reason::TagLine if meta.tags.is_empty() => {
                let v = value();
                meta.tags = v
                    .split(['،', ',', '|', '؛', ';', '#'])
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
            }
            _ => {}
        }
    }
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

/// A block of a page in either format: its text, where it stands in the input, and for HTML
/// the map from its text into the input.
struct PageBlock<'a> {
    text: &'a str,
    span: Span,
    line: usize,
    map: Option<&'a Alignment>,
}

fn text_blocks(text: &str) -> Vec<PageBlock<'_>> {
    blocks::lines_upto(text, max_blocks(text.len()))
        .into_iter()
        .map(|b| PageBlock {
            text: slice(text, b.span),
            span: b.span,
            line: b.line,
            map: None,
        })
        .collect()
}

fn html_blocks(parsed: &html::HtmlPage) -> Vec<PageBlock<'_>> {
    parsed
        .blocks
        .iter()
        .map(|b| PageBlock {
            text: &b.text,
            span: b.span,
            line: b.line,
            map: Some(&b.map),
        })
        .collect()
}

/// The value of a "label: value" line: what follows the first colon, or the words after the
/// lexicon phrase the line starts with.
fn after_label<'a>(raw: &'a str, f: &Features) -> &'a str {
    let head: String = raw.chars().take(40).collect();
    if let Some(pos) = head.find([':', '：']) {
        return raw[pos..].trim_start_matches([':', '：']).trim();
    }
    let skip = f
        .hits
        .iter()
        .filter(|h| h.first == 0)
        .map(|h| h.last)
        .max()
        .unwrap_or(0);
    let mut rest = raw;
    for _ in 0..skip {
        rest = rest.trim_start();
        let end = rest
            .find(crate::script::is_whitespace)
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    rest.trim()
        .trim_start_matches(['-', '–', '—', '/', '|'])
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_understood_wins_over_one_only_seen() {
        let mut m = Meta::default();
        m.date_from("الفجر 04:12 الظهر 12:30".into());
        assert_eq!(
            (m.date.as_deref(), m.date_raw.as_deref()),
            (None, Some("الفجر 04:12 الظهر 12:30"))
        );
        m.date_from("الثلاثاء 4 حزيران 2024".into());
        assert_eq!(m.date.as_deref(), Some("2024-06-04"));
        assert_eq!(m.date_raw.as_deref(), Some("الثلاثاء 4 حزيران 2024"));
        m.date_from("5 حزيران 2024".into()); // the first understood stays
        assert_eq!(m.date.as_deref(), Some("2024-06-04"));
    }

    #[test]
    fn addresses_and_hosts() {
        let mut m = Meta::default();
        m.url_from("https://user@News.Example.org:8080/a?b#c");
        assert_eq!(m.host.as_deref(), Some("news.example.org"));
        let mut m = Meta::default();
        m.url_from("not a url");
        assert_eq!((m.url, m.host), (None, None));
        assert_eq!(
            without_site("ارتفاع أسعار القمح في الأسواق | الغد"),
            "ارتفاع أسعار القمح في الأسواق"
        );
        assert_eq!(without_site("الشرق - الغرب"), "الشرق - الغرب");
    }

    fn clean(text: &str) -> Document {
        Cleaner::new(Config::default())
            .unwrap()
            .clean(text)
            .unwrap()
    }

    const PAGE: &str = "الرئيسية\n  • أخبار\n  • رياضة\n\nعاجل\n\nالحكومة تقر موازنة العام المقبل\n\n\
        الأحد 12 مارس 2023\nكتب: سامر الحداد\n\n\
        أقرت الحكومة في جلستها الأسبوعية مشروع موازنة العام المقبل بعد نقاشات استمرت عدة أسابيع بين الوزارات.\n\n\
        اقرأ أيضاً: الوزير يعلن خطة جديدة للنقل\n\n\
        وقال وزير المالية إن الموازنة تركز على دعم القطاعات الإنتاجية وخفض العجز تدريجياً خلال ثلاث سنوات.\n\n\
        خفض العجز\n\n\
        وأضاف أن الحكومة ستراجع الإنفاق الجاري وتعيد ترتيب أولويات المشاريع الاستثمارية في المحافظات.\n\n\
        المصدر: وكالات\n\nكلمات دلالية: الموازنة، العجز، الحكومة\n\nمقالات ذات صلة\n\n  • البنك المركزي يرفع الفائدة\n\n\
        جميع الحقوق محفوظة © 2023\n";

    #[test]
    fn a_page_in_the_usual_shape() {
        let d = clean(PAGE);
        // what the lexicon names goes, with its reason, and metadata is read from it
        assert_eq!(d.meta.byline.as_deref(), Some("سامر الحداد"));
        assert_eq!(d.meta.source.as_deref(), Some("وكالات"));
        assert_eq!(d.meta.tags, vec!["الموازنة", "العجز", "الحكومة"]);
        assert_eq!(d.meta.date.as_deref(), Some("2023-03-12"));
        assert_eq!(d.meta.date_raw.as_deref(), Some("الأحد 12 مارس 2023"));
        let reasons: Vec<&str> = d.removed.iter().map(|r| r.reason.as_str()).collect();
        for r in [
            "menu",
            "section_label",
            "read_also",
            "related_marker",
            "copyright",
            "tag_line",
        ] {
            assert!(reasons.contains(&r), "{r} in {reasons:?}");
        }
        // the body is article text only (the fitted model keeps one of the three short
        // paragraphs of this small page: see the README's limits)
        assert!(!d.paragraphs.is_empty());
        for p in &d.paragraphs {
            assert!(
                p.text.starts_with('و') || p.text.starts_with("أقرت"),
                "{}",
                p.text
            );
            assert_eq!(
                p.text,
                Normalizer::new(Options::safe()).normalize(&PAGE[p.span.start..p.span.end])
            );
        }
        // every block is either a paragraph, the title or removed
        assert_eq!(d.blocks.len(), d.paragraphs.len() + d.removed.len());
    }

    #[test]
    fn sentences_map_to_the_paragraph_and_the_input() {
        let page = "عنوان الخبر هنا\n\nقال د. سامي إن النمو بلغ 3.5 بالمئة. وأضــاف أن الخطة مستمرة؟ نعم!\n";
        let d = clean(page);
        let p = &d.paragraphs[0];
        let texts: Vec<&str> = p
            .sentences
            .iter()
            .map(|s| &p.text[s.span.start..s.span.end])
            .collect();
        assert_eq!(
            texts,
            [
                "قال د. سامي إن النمو بلغ 3.5 بالمئة.",
                "وأضاف أن الخطة مستمرة؟",
                "نعم!"
            ]
        );
        let inputs: Vec<&str> = p
            .sentences
            .iter()
            .map(|s| &page[s.input.start..s.input.end])
            .collect();
        assert_eq!(
            inputs[1], "وأضــاف أن الخطة مستمرة؟",
            "the input span keeps the tatweel"
        );
    }

    #[test]
    fn an_article_after_read_also_is_returned_on_its_own() {
        let page = format!(
            "{PAGE}\nإقرأ أيضاً:\n\nالمنتخب يفوز في مباراة الأمس\n\nالسبت 11 مارس 2023\n\n\
            فاز المنتخب الوطني على ضيفه بهدفين نظيفين في المباراة التي أقيمت مساء أمس على الملعب البلدي.\n\n\
            وسجل الهدفين لاعب الوسط في الشوط الثاني بعد سيطرة كاملة على مجريات اللعب.\n\nمقالات ذات صلة\n"
        );
        let d = clean(&page);
        assert!(
            d.paragraphs.iter().all(|p| !p.text.contains("المنتخب")),
            "the appended article is not body"
        );
        assert_eq!(d.articles.len(), 1);
        let a = &d.articles[0];
        assert_eq!(a.title.as_deref(), Some("المنتخب يفوز في مباراة الأمس"));
        assert_eq!(a.meta.date.as_deref(), Some("2023-03-11"));
        assert_eq!(a.paragraphs.len(), 2);
        assert!(a.text().starts_with("فاز المنتخب"));
        // teasers after a marker are not an article
        let teasers = format!(
            "{PAGE}\nإقرأ أيضاً:\n\nالمنتخب يفوز في مباراة الأمس\n\nالوزير يفتتح مشروعا جديدا\n"
        );
        assert!(clean(&teasers).articles.is_empty());
    }

    #[test]
    fn too_large_is_an_error() {
        let c = Cleaner::new(Config {
            max_bytes: 10,
            ..Config::default()
        })
        .unwrap();
        let e = c.clean("نص أطول من عشرة بايتات").unwrap_err();
        assert!(e.to_string().starts_with("input too large"), "{e}");
    }

    #[test]
    fn unknown_rule_is_an_error() {
        let e = Cleaner::new(Config {
            disabled: vec!["nope".into()],
            ..Config::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("'duplicate'"), "{e}");
    }

    #[test]
    fn empty_and_junk_only_pages() {
        assert!(clean("").paragraphs.is_empty());
        assert!(clean("\n\n  \n").paragraphs.is_empty());
        let d = clean("الرئيسية\nاتصل بنا\nجميع الحقوق محفوظة");
        assert!(d.paragraphs.is_empty());
        assert_eq!(d.removed.len(), 3);
    }

    #[test]
    fn batch_is_ordered_and_deterministic() {
        let c = Cleaner::new(Config::default()).unwrap();
        let pages: Vec<String> = (0..50).map(|i| PAGE.repeat(i % 3 + 1)).collect();
        let a = c.clean_batch(&pages);
        for (p, r) in pages.iter().zip(&a) {
            assert_eq!(r.as_ref().unwrap(), &c.clean(p).unwrap());
        }
    }
}
