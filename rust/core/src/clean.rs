//! Cleans a scraped page: blocks, features, labels, then the body assembled into normalized
//! paragraphs, with the title, metadata and an account of every removed block.
//! The `Cleaner` compiles its lexicon once and is shared between threads.

use crate::align::{Alignment, Span};
use crate::blocks;
use crate::error::{Error, ErrorKind, Result};
use crate::evidence::MarkupEvidence;
use crate::html;
use crate::judge::Model;
use crate::label;
use crate::labeller::{self, Judged, Switches};
use crate::lexicon::{ExtraPhrase, Family, Lexicon};
use crate::normalize::{Normalizer, Options};
use crate::profile::{block_hash, Profile, SiteCounts};
use crate::segment::{SegmentOptions, Segmenter};
use rayon::prelude::*;
use std::sync::Arc;

mod assemble;
mod document;

pub use document::{
    Article, BlockLabel, Document, Meta, Paragraph, Removed, Sentence, SiteOf, NO_SITE,
};

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

#[cfg(test)]
mod tests;
