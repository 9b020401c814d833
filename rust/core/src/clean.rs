//! Cleans a scraped page: blocks, features, labels, then the body assembled into normalized
//! paragraphs, with the title, metadata and an account of every removed block.
//! The `Cleaner` compiles its lexicon once and is shared between threads.

use crate::align::Span;
use crate::blocks::{self, Block};
use crate::error::{Error, ErrorKind, Result};
use crate::features::{Cue, Features};
use crate::label::{self, Label, Labelled, Reason, Rules};
use crate::lexicon::{ExtraPhrase, Family, Lexicon};
use crate::normalize::{Normalizer, Options};
use rayon::prelude::*;

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
        }
    }
}

/// Metadata found on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub date: Option<String>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Normalized text.
    pub text: String,
    /// Byte span of the paragraph in the input.
    pub span: Span,
    /// Index of its block in `Document::blocks`.
    pub block: usize,
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

/// Every block of the page with its label, for explaining a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockLabel {
    pub span: Span,
    pub line: usize,
    pub label: Label,
    pub reason: Reason,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub title: Option<String>,
    pub meta: Meta,
    pub paragraphs: Vec<Paragraph>,
    pub removed: Vec<Removed>,
    pub blocks: Vec<BlockLabel>,
}

impl Document {
    /// The body: paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                s.push_str("\n\n");
            }
            s.push_str(&p.text);
        }
        s
    }
}

/// A compiled cleaner: immutable, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Cleaner {
    config: Config,
    lexicon: Lexicon,
    norm: Normalizer,
    rules: Rules,
    date_lines: bool,
    off: RuleSwitches,
}

#[derive(Clone, Copy, Debug, Default)]
struct RuleSwitches {
    breadcrumb: bool,
    widget: bool,
    url: bool,
}

impl Cleaner {
    pub fn new(config: Config) -> Result<Cleaner> {
        let mut families = Vec::new();
        let mut rules = Rules::default();
        let mut date_lines = true;
        let mut off = RuleSwitches::default();
        for name in &config.disabled {
            if let Some(f) = Family::from_name(name) {
                families.push(f);
                continue;
            }
            match name.as_str() {
                "duplicate" => rules.no_duplicate = true,
                "date_line" => date_lines = false,
                "context" => rules.no_context = true,
                "breadcrumb" => off.breadcrumb = true,
                "widget" => off.widget = true,
                "url" => off.url = true,
                _ => {
                    let mut names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
                    names.extend_from_slice(label::RULES);
                    return Err(Error::choice("rule", &names, name));
                }
            }
        }
        let lexicon = Lexicon::new(&config.extra_phrases, &families)?;
        let norm = Normalizer::new(config.normalize);
        Ok(Cleaner {
            config,
            lexicon,
            norm,
            rules,
            date_lines,
            off,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Cleans one page of plain text.
    pub fn clean(&self, text: &str) -> Result<Document> {
        if self.config.max_bytes > 0 && text.len() > self.config.max_bytes {
            return Err(Error::new(ErrorKind::TooLarge {
                len: text.len(),
                limit: self.config.max_bytes,
            }));
        }
        let blocks = blocks::lines(text);
        let feats: Vec<Features> = blocks
            .iter()
            .map(|b| Features::new(slice(text, b), &self.lexicon))
            .collect();
        let cues: Vec<Cue> = feats.iter().map(|f| self.cue(f)).collect();
        let labels = label::label(&feats, &cues, &self.rules);
        Ok(self.assemble(text, &blocks, &feats, &labels))
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

    fn cue(&self, f: &Features) -> Cue {
        match f.cue(self.date_lines) {
            Cue::Breadcrumb if self.off.breadcrumb => Cue::None,
            Cue::Latin if self.off.widget => Cue::None,
            Cue::Url if self.off.url => Cue::None,
            c => c,
        }
    }

    fn assemble(
        &self,
        text: &str,
        blocks: &[Block],
        feats: &[Features],
        labels: &[Labelled],
    ) -> Document {
        let mut doc = Document::default();
        for (i, (b, l)) in blocks.iter().zip(labels).enumerate() {
            let raw = slice(text, b);
            doc.blocks.push(BlockLabel {
                span: b.span,
                line: b.line,
                label: l.label,
                reason: l.reason,
            });
            match l.label {
                Label::Body => {
                    doc.paragraphs.push(Paragraph {
                        text: self.norm.normalize(raw),
                        span: b.span,
                        block: i,
                    });
                    continue;
                }
                Label::Title if doc.title.is_none() => doc.title = Some(self.norm.normalize(raw)),
                Label::Meta => self.meta(&mut doc.meta, raw, &feats[i], l.reason),
                _ => {}
            }
            doc.removed.push(Removed {
                text: raw.to_string(),
                span: b.span,
                label: l.label,
                reason: l.reason,
                block: i,
            });
        }
        doc
    }

    fn meta(&self, meta: &mut Meta, raw: &str, f: &Features, reason: Reason) {
        let value = || self.norm.normalize(after_label(raw, f));
        match reason {
            Reason::DateLine if meta.date.is_none() => meta.date = Some(self.norm.normalize(raw)),
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

fn slice<'a>(text: &'a str, b: &Block) -> &'a str {
    text.get(b.span.start..b.span.end).unwrap_or("")
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
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = &rest[end..];
    }
    rest.trim()
        .trim_start_matches(['-', '–', '—', '/', '|'])
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(d.title.as_deref(), Some("الحكومة تقر موازنة العام المقبل"));
        assert_eq!(d.paragraphs.len(), 4, "{:#?}", d.paragraphs);
        assert!(d.paragraphs[0].text.starts_with("أقرت الحكومة"));
        assert_eq!(d.paragraphs[2].text, "خفض العجز");
        assert_eq!(d.meta.byline.as_deref(), Some("سامر الحداد"));
        assert_eq!(d.meta.source.as_deref(), Some("وكالات"));
        assert_eq!(d.meta.tags, vec!["الموازنة", "العجز", "الحكومة"]);
        assert_eq!(d.meta.date.as_deref(), Some("الأحد 12 مارس 2023"));
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
        // every block is either a paragraph, the title or removed
        assert_eq!(d.blocks.len(), d.paragraphs.len() + d.removed.len());
        for p in &d.paragraphs {
            assert_eq!(
                p.text,
                Normalizer::new(Options::safe()).normalize(&PAGE[p.span.start..p.span.end])
            );
        }
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
