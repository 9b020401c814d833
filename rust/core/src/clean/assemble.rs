//! Labels to a document in one pass: the body's paragraphs normalized once with their
//! sentences mapped to the input, the title, metadata, every removed block with its reason, and
//! appended articles. Nothing is edited after assembly.

use super::{Article, BlockLabel, Document, Meta, Paragraph, Removed, Sentence};
use super::{Cleaner, PageBlock};
use crate::align::Span;
use crate::features::Features;
use crate::label::{self, Label, Reason};
use crate::labeller::Judged;
use crate::language;
use crate::lexicon::Family;

impl Cleaner {
    /// Labels to a document, in one pass: the body's paragraphs normalized once with their
    /// sentences, the title, metadata, every removed block with its reason, appended articles.
    pub(super) fn assemble(&self, page: &[PageBlock<'_>], j: &Judged) -> Document {
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
