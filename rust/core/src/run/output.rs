//! A task's result as bytes: a cleaned body, a normalized text, or a JSON record of the
//! document with its fields.

use super::*;

/// A result as a file: the text and, for cleaned and segmented pages, a final line break
/// (nothing for an empty result). Normalized text is written as it is.
pub(super) fn body_bytes(body: String, line_break: bool) -> Vec<u8> {
    let mut b = body.into_bytes();
    if line_break && !b.is_empty() {
        b.push(b'\n');
    }
    b
}

pub(super) fn record_line(rec: &Map<String, Value>) -> Vec<u8> {
    let mut v = serde_json::to_vec(rec).unwrap_or_default();
    v.push(b'\n');
    v
}

/// Adds arclean's fields to a record; a field the record already has keeps its value and
/// arclean's goes under `arclean_NAME`.
/// The record's own `url` as the page's address when the page gives none.
pub(super) fn record_url(fields: &mut [(&'static str, Value)], url: &str) {
    let Some((_, Value::Object(meta))) = fields.iter_mut().find(|(k, _)| *k == "meta") else {
        return;
    };
    if !meta.get("url").is_none_or(Value::is_null) {
        return;
    }
    let mut m = crate::clean::Meta::default();
    m.url_from(url);
    if let (Some(u), Some(h)) = (m.url, m.host) {
        meta.insert("url".into(), Value::String(u));
        meta.insert("host".into(), Value::String(h));
    }
}

pub(super) fn add_fields(rec: &mut Map<String, Value>, fields: Vec<(&'static str, Value)>) {
    for (k, v) in fields {
        if rec.contains_key(k) {
            rec.insert(format!("arclean_{k}"), v);
        } else {
            rec.insert(k.to_string(), v);
        }
    }
}

/// A task's result on one page.
pub(super) struct Applied {
    pub(super) body: String,
    /// Fields of the JSON record (only computed for record output).
    pub(super) fields: Vec<(&'static str, Value)>,
    pub(super) stats: Stats,
    /// The page's site (cleaning only): see `SiteOf::resolve`.
    pub(super) site: Option<String>,
    /// The quality filter dropped the document.
    pub(super) dropped: bool,
}

pub(super) fn core_failure(e: crate::Error) -> Failure {
    let kind = match e.kind() {
        ErrorKind::TooLarge { .. } | ErrorKind::TooManyBlocks { .. } => FailureKind::TooLarge,
        _ => FailureKind::Internal,
    };
    Failure::new(kind, e.to_string())
}

pub(super) fn apply(
    task: &Task,
    text: &str,
    html: bool,
    opts: &Options,
    site: SiteOf<'_>,
) -> Result<Applied, Failure> {
    let record = opts.output == Output::Record;
    let mut stats = Stats {
        pages: 1,
        ..Stats::default()
    };
    let mut site_key = None;
    let mut dropped = false;
    let (body, fields) = match task {
        Task::Clean(cleaner) => {
            let doc = cleaner
                .clean_page_of(text, html, site)
                .map_err(core_failure)?;
            site_key = Some(site.resolve(doc.meta.url.as_deref()));
            stats.low_confidence =
                u64::from(!doc.paragraphs.is_empty() && doc.confidence < LOW_CONFIDENCE);
            for r in &doc.removed {
                let e = stats.reasons.entry(r.reason.as_str()).or_default();
                e.0 += 1;
                e.1 += r.text.len() as u64;
            }
            let (kept, removed) = doc.text_bytes();
            (stats.kept, stats.removed) = (kept as u64, removed as u64);
            if !doc.paragraphs.is_empty() {
                if let Some(bound) = opts.filter.check(&doc.quality) {
                    stats.filtered.insert(bound, 1);
                    dropped = true;
                }
            }
            let fields = if record && !dropped {
                document_fields(&doc, text)
            } else {
                Vec::new()
            };
            (if dropped { String::new() } else { doc.text() }, fields)
        }
        Task::Normalize(n) => (n.normalize(text), Vec::new()),
        Task::Segment(s) => segment(s, text, record),
    };
    stats.empty_results = u64::from(body.is_empty() && !dropped);
    Ok(Applied {
        body,
        fields,
        stats,
        site: site_key,
        dropped,
    })
}

/// Sentences one per line, paragraphs separated by a blank line; the record has both with
/// code-point spans in the input.
pub(super) fn segment(
    seg: &Segmenter,
    text: &str,
    record: bool,
) -> (String, Vec<(&'static str, Value)>) {
    let paras = crate::segment::paragraphs(text);
    let mut body = String::with_capacity(text.len());
    let mut sentences: Vec<Span> = Vec::new();
    let mut per_para = Vec::with_capacity(paras.len());
    for p in &paras {
        let before = sentences.len();
        seg.sentences_into(&text[p.start..p.end], p.start, &mut sentences);
        per_para.push(before..sentences.len());
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        for (k, s) in sentences[before..].iter().enumerate() {
            if k > 0 {
                body.push('\n');
            }
            body.push_str(&text[s.start..s.end]);
        }
    }
    if !record {
        return (body, Vec::new());
    }
    let offs = paras
        .iter()
        .chain(&sentences)
        .flat_map(|s| [s.start, s.end])
        .collect();
    let map = CharOffsets::new(text, offs);
    let span = |s: &Span| json!([map.get(s.start), map.get(s.end)]);
    let fields = vec![
        (
            "paragraphs",
            Value::Array(
                paras
                    .iter()
                    .map(|p| json!({"text": &text[p.start..p.end], "span": span(p)}))
                    .collect(),
            ),
        ),
        (
            "sentences",
            Value::Array(
                per_para
                    .iter()
                    .enumerate()
                    .flat_map(|(k, r)| {
                        sentences[r.clone()].iter().map(move |s| (k, s))
                    })
                    .map(|(k, s)| json!({"text": &text[s.start..s.end], "span": span(s), "paragraph": k}))
                    .collect(),
            ),
        ),
    ];
    (body, fields)
}

/// Title, metadata, paragraphs, sentences and removed blocks of a cleaned page; spans are
/// code points of `text` (the decoded page, or the record's text).
pub(super) fn document_fields(doc: &Document, text: &str) -> Vec<(&'static str, Value)> {
    let mut offs = Vec::new();
    for p in &doc.paragraphs {
        offs.extend([p.span.start, p.span.end]);
        offs.extend(
            p.sentences
                .iter()
                .flat_map(|s| [s.input.start, s.input.end]),
        );
    }
    offs.extend(doc.removed.iter().flat_map(|r| [r.span.start, r.span.end]));
    for p in doc.articles.iter().flat_map(|a| &a.paragraphs) {
        offs.extend([p.span.start, p.span.end]);
    }
    let map = CharOffsets::new(text, offs);
    let span = |s: Span| json!([map.get(s.start), map.get(s.end)]);
    let meta_of = |m: &crate::clean::Meta| {
        json!({
            "date": m.date, "date_raw": m.date_raw, "byline": m.byline, "source": m.source,
            "tags": m.tags, "lang": m.lang, "url": m.url, "host": m.host,
        })
    };
    let meta = meta_of(&doc.meta);
    let quality: Map<String, Value> = crate::quality::Quality::NAMES
        .iter()
        .zip(doc.quality.values())
        .map(|(k, v)| ((*k).to_string(), json!((f64::from(v) * 1e6).round() / 1e6)))
        .collect();
    let paragraphs: Vec<Value> = doc
        .paragraphs
        .iter()
        .map(|p| json!({"text": p.text, "span": span(p.span)}))
        .collect();
    let sentences: Vec<Value> = doc
        .paragraphs
        .iter()
        .enumerate()
        .flat_map(|(k, p)| {
            p.sentences.iter().map(move |s| {
                json!({"text": &p.text[s.span.start..s.span.end], "span": span(s.input), "paragraph": k})
            })
        })
        .collect();
    let removed: Vec<Value> = doc
        .removed
        .iter()
        .map(|r| {
            json!({"text": r.text, "span": span(r.span), "label": r.label.as_str(), "reason": r.reason.as_str()})
        })
        .collect();
    let articles: Vec<Value> = doc
        .articles
        .iter()
        .map(|a| {
            let paragraphs: Vec<Value> = a
                .paragraphs
                .iter()
                .map(|p| json!({"text": p.text, "span": span(p.span)}))
                .collect();
            json!({"title": a.title, "meta": meta_of(&a.meta), "text": a.text(), "paragraphs": paragraphs})
        })
        .collect();
    vec![
        ("title", json!(doc.title)),
        ("meta", meta),
        ("paragraphs", Value::Array(paragraphs)),
        ("sentences", Value::Array(sentences)),
        ("removed", Value::Array(removed)),
        ("articles", Value::Array(articles)),
        ("quality", Value::Object(quality)),
    ]
}
