//! Runs a task (clean, normalize, segment) over files: read, decode, apply, write, many files
//! at a time on the current rayon pool. The caller (the command line) finds the files, names
//! the outputs, shows progress and reports; everything that touches the bytes is here.
//!
//! - Page files (text or HTML): [`run_files`]; one output per input (a body, or a JSON record),
//!   written atomically ([`write_atomic`]), or returned when the job has no output path.
//! - JSONL files (`.jsonl`, gzip-compressed or not): [`JsonlFile`] streams records in steps of
//!   bounded size; the text field is replaced by the result and other fields are carried.
//!
//! A bad input never stops the run: it becomes a [`Failure`] with a kind and a message. Outputs
//! are the same for any number of threads.

use crate::align::{CharOffsets, Span};
use crate::clean::{Document, SiteOf};
use crate::decode::{decode_page, Decoded, NotText};
use crate::error::ErrorKind;
use crate::{Cleaner, Normalizer, Segmenter};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What is done to each page.
#[derive(Clone)]
pub enum Task {
    Clean(Arc<Cleaner>),
    Normalize(Arc<Normalizer>),
    Segment(Arc<Segmenter>),
}

/// What a page (a file, or a JSONL record's text) is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Html,
    /// Decided by the content.
    Auto,
}

/// What is written for each page: the resulting text, or a JSON record with everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Body,
    Record,
}

/// Settings of a run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Decode every input with this encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub output: Output,
    /// Page files over this size are refused without being read (0: no limit).
    pub max_bytes: u64,
    /// The field of JSONL records that holds the page.
    pub text_field: String,
    /// Cleaned documents that break one of these bounds are dropped: no record, an empty body.
    pub filter: crate::quality::Thresholds,
    /// A page's site is the folder it sits in (a JSONL file's, for its records), whatever its
    /// address says.
    pub site_from_folder: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            encoding: None,
            output: Output::Body,
            max_bytes: crate::clean::DEFAULT_MAX_BYTES as u64,
            text_field: "text".to_string(),
            filter: crate::quality::Thresholds::default(),
            site_from_folder: false,
        }
    }
}

/// One page file to process.
#[derive(Clone, Debug)]
pub struct Job {
    pub input: PathBuf,
    /// Where the result goes; `None` returns it in [`Outcome::data`].
    pub output: Option<PathBuf>,
    pub kind: Kind,
    /// The name recorded in JSON records (`source`).
    pub source: String,
}

/// Why an input (or a JSONL record) was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    Unreadable,
    Binary,
    Empty,
    TooLarge,
    BadRecord,
    Unwritable,
    Internal,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Unreadable => "unreadable",
            FailureKind::Binary => "binary",
            FailureKind::Empty => "empty",
            FailureKind::TooLarge => "too_large",
            FailureKind::BadRecord => "bad_record",
            FailureKind::Unwritable => "unwritable",
            FailureKind::Internal => "internal",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    /// The line of a JSONL record (1-based).
    pub line: Option<u64>,
}

impl Failure {
    fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            line: None,
        }
    }
}

/// Counts over pages; merged in input order, so the same for any number of threads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Pages processed (files or records).
    pub pages: u64,
    /// Bytes read (compressed size for gzip).
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Text bytes kept as body, and removed (title and metadata included).
    pub kept: u64,
    pub removed: u64,
    /// Reason -> (blocks, text bytes) removed.
    pub reasons: BTreeMap<&'static str, (u64, u64)>,
    /// Pages whose result is empty (no article found).
    pub empty_results: u64,
    /// Encoding name -> pages.
    pub encodings: BTreeMap<&'static str, u64>,
    /// Pages with invalid bytes replaced.
    pub replaced: u64,
    /// Pages with mojibake repaired, and the characters repaired.
    pub mojibake_pages: u64,
    pub mojibake_chars: u64,
    /// Cleaned pages with a body kept at a confidence under `LOW_CONFIDENCE`.
    pub low_confidence: u64,
    /// The same counts per site: the host of the page's address (canonical link, `og:url`, a
    /// JSONL record's `url`), else the folder a page file sits in.
    pub sites: BTreeMap<String, SiteStats>,
    /// Documents dropped by the quality filter, by the bound they broke (`min_words`...).
    pub filtered: BTreeMap<String, u64>,
}

/// A cleaned page whose body was kept with a confidence under this is listed for a look (on
/// `../shared/corpus` the median page is at 0.98; the few under 0.85 mostly lost part of their
/// article).
pub const LOW_CONFIDENCE: f32 = 0.85;

/// Counts of one site's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SiteStats {
    pub pages: u64,
    pub bytes_in: u64,
    pub kept: u64,
    pub removed: u64,
    pub empty_results: u64,
    pub low_confidence: u64,
}

impl SiteStats {
    fn merge(&mut self, o: &SiteStats) {
        self.pages += o.pages;
        self.bytes_in += o.bytes_in;
        self.kept += o.kept;
        self.removed += o.removed;
        self.empty_results += o.empty_results;
        self.low_confidence += o.low_confidence;
    }
}

impl Stats {
    pub fn merge(&mut self, o: &Stats) {
        self.pages += o.pages;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        self.kept += o.kept;
        self.removed += o.removed;
        for (r, (n, b)) in &o.reasons {
            let e = self.reasons.entry(r).or_default();
            e.0 += n;
            e.1 += b;
        }
        self.empty_results += o.empty_results;
        for (e, n) in &o.encodings {
            *self.encodings.entry(e).or_default() += n;
        }
        self.replaced += o.replaced;
        self.mojibake_pages += o.mojibake_pages;
        self.mojibake_chars += o.mojibake_chars;
        self.low_confidence += o.low_confidence;
        for (k, n) in &o.filtered {
            *self.filtered.entry(k.clone()).or_default() += n;
        }
        for (k, v) in &o.sites {
            match self.sites.get_mut(k) {
                Some(e) => e.merge(v),
                None => {
                    self.sites.insert(k.clone(), *v);
                }
            }
        }
    }

    /// Files this page's counts (a `Stats` of one page) under `site`.
    fn of_site(&mut self, site: String) {
        let own = SiteStats {
            pages: self.pages,
            bytes_in: self.bytes_in,
            kept: self.kept,
            removed: self.removed,
            empty_results: self.empty_results,
            low_confidence: self.low_confidence,
        };
        self.sites.entry(site).or_default().merge(&own);
    }

    fn decoded(&mut self, d: &Decoded) {
        *self.encodings.entry(d.encoding).or_default() += 1;
        self.replaced += u64::from(d.replaced);
        if d.mojibake > 0 {
            self.mojibake_pages += 1;
            self.mojibake_chars += d.mojibake as u64;
        }
    }
}

/// The result of one job: its counts, or why it failed; the output when the job had no path.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub stats: Stats,
    pub failure: Option<Failure>,
    pub data: Option<Vec<u8>>,
}

/// Processes page files in parallel on the current rayon pool; outcomes in job order.
pub fn run_files(task: &Task, jobs: &[Job], opts: &Options) -> Vec<Outcome> {
    jobs.par_iter()
        .map(|job| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_file(task, job, opts)))
                .unwrap_or_else(|_| Outcome {
                    failure: Some(Failure::new(FailureKind::Internal, "internal error")),
                    ..Outcome::default()
                })
        })
        .collect()
}

fn run_file(task: &Task, job: &Job, opts: &Options) -> Outcome {
    let mut out = Outcome::default();
    match page_file(task, job, opts) {
        Ok((data, stats)) => {
            out.stats = stats;
            out.stats.bytes_out = data.len() as u64;
            match &job.output {
                Some(path) => {
                    if let Err(f) = protect(&job.input, path).and_then(|_| {
                        write_atomic(path, &[&data]).map_err(|e| {
                            Failure::new(
                                FailureKind::Unwritable,
                                format!("{}: {e}", path.display()),
                            )
                        })
                    }) {
                        out.failure = Some(f);
                    }
                }
                None => out.data = Some(data),
            }
        }
        Err(f) => out.failure = Some(f),
    }
    if out.failure.is_some() {
        out.stats = Stats::default();
    }
    out
}

/// Refuses an output that is the input itself (the caller names outputs; this is the last guard).
fn protect(input: &Path, output: &Path) -> Result<(), Failure> {
    if same_file(input, output) {
        return Err(Failure::new(
            FailureKind::Unwritable,
            format!("{}: refusing to overwrite an input file", output.display()),
        ));
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // the output first: it usually does not exist yet, and then it is not the input
    let Ok(y) = std::fs::metadata(b) else {
        return false;
    };
    match (std::fs::metadata(a), Ok::<_, io::Error>(y)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn io_failure(path: &Path, e: &io::Error) -> Failure {
    Failure::new(FailureKind::Unreadable, format!("{}: {e}", path.display()))
}

fn page_file(task: &Task, job: &Job, opts: &Options) -> Result<(Vec<u8>, Stats), Failure> {
    let meta = std::fs::metadata(&job.input).map_err(|e| io_failure(&job.input, &e))?;
    if meta.is_dir() {
        return Err(Failure::new(
            FailureKind::Unreadable,
            format!("{}: is a folder", job.input.display()),
        ));
    }
    if opts.max_bytes > 0 && meta.len() > opts.max_bytes {
        return Err(Failure::new(
            FailureKind::TooLarge,
            format!(
                "{}: {} bytes (limit {})",
                job.input.display(),
                meta.len(),
                opts.max_bytes
            ),
        ));
    }
    let bytes = read_capped(&job.input, opts.max_bytes)?;
    let named = |f: Failure| Failure {
        message: format!("{}: {}", job.input.display(), f.message),
        ..f
    };
    let html = match job.kind {
        Kind::Html => true,
        Kind::Text => false,
        Kind::Auto => crate::html::sniff(&bytes),
    };
    let (text, decoded) = decode_page(&bytes, html, opts.encoding).map_err(|NotText::Binary| {
        named(Failure::new(FailureKind::Binary, "binary data, not text"))
    })?;
    if text.trim().is_empty() {
        return Err(named(Failure::new(FailureKind::Empty, "no text")));
    }
    let mut stats = Stats {
        bytes_in: bytes.len() as u64,
        ..Stats::default()
    };
    stats.decoded(&decoded);
    let folder = folder_of(&job.source);
    let site = SiteOf {
        name: opts.site_from_folder.then_some(folder.as_str()),
        fallback: Some(&folder),
    };
    let applied = apply(task, &text, html, opts, site).map_err(named)?;
    stats.merge(&applied.stats);
    if let Some(site) = applied.site.clone() {
        stats.of_site(site);
    }
    let data = match opts.output {
        Output::Body => body_bytes(applied.body, !matches!(task, Task::Normalize(_))),
        Output::Record if applied.dropped => Vec::new(),
        Output::Record => {
            let mut rec = Map::new();
            rec.insert("source".into(), Value::String(job.source.clone()));
            rec.insert("text".into(), Value::String(applied.body));
            rec.insert("encoding".into(), Value::String(decoded.encoding.into()));
            if decoded.mojibake > 0 {
                rec.insert("mojibake_repaired".into(), json!(decoded.mojibake));
            }
            add_fields(&mut rec, applied.fields);
            record_line(&rec)
        }
    };
    Ok((data, stats))
}

/// The folder a page file sits in, as given (`.` for none): its site when the page names none.
pub fn folder_of(source: &str) -> String {
    let p = Path::new(source).parent().map(|d| d.to_string_lossy());
    p.filter(|d| !d.is_empty())
        .map_or_else(|| ".".to_string(), |d| d.into_owned())
}

/// A file's bytes, at most `max_bytes` (0: no limit) whatever size the file system reports: a
/// device or a pipe says 0, a growing file more than it said.
fn read_capped(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Failure> {
    let file = File::open(path).map_err(|e| io_failure(path, &e))?;
    let limit = if max_bytes > 0 {
        max_bytes.saturating_add(1)
    } else {
        u64::MAX
    };
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| io_failure(path, &e))?;
    if max_bytes > 0 && bytes.len() as u64 > max_bytes {
        return Err(Failure::new(
            FailureKind::TooLarge,
            format!("{}: more than {max_bytes} bytes", path.display()),
        ));
    }
    Ok(bytes)
}

/// A result as a file: the text and, for cleaned and segmented pages, a final line break
/// (nothing for an empty result). Normalized text is written as it is.
fn body_bytes(body: String, line_break: bool) -> Vec<u8> {
    let mut b = body.into_bytes();
    if line_break && !b.is_empty() {
        b.push(b'\n');
    }
    b
}

fn record_line(rec: &Map<String, Value>) -> Vec<u8> {
    let mut v = serde_json::to_vec(rec).unwrap_or_default();
    v.push(b'\n');
    v
}

/// Adds arclean's fields to a record; a field the record already has keeps its value and
/// arclean's goes under `arclean_NAME`.
/// The record's own `url` as the page's address when the page gives none.
fn record_url(fields: &mut [(&'static str, Value)], url: &str) {
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

fn add_fields(rec: &mut Map<String, Value>, fields: Vec<(&'static str, Value)>) {
    for (k, v) in fields {
        if rec.contains_key(k) {
            rec.insert(format!("arclean_{k}"), v);
        } else {
            rec.insert(k.to_string(), v);
        }
    }
}

/// A task's result on one page.
struct Applied {
    body: String,
    /// Fields of the JSON record (only computed for record output).
    fields: Vec<(&'static str, Value)>,
    stats: Stats,
    /// The page's site (cleaning only): see `SiteOf::resolve`.
    site: Option<String>,
    /// The quality filter dropped the document.
    dropped: bool,
}

fn core_failure(e: crate::Error) -> Failure {
    let kind = match e.kind() {
        ErrorKind::TooLarge { .. } | ErrorKind::TooManyBlocks { .. } => FailureKind::TooLarge,
        _ => FailureKind::Internal,
    };
    Failure::new(kind, e.to_string())
}

fn apply(
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
fn segment(seg: &Segmenter, text: &str, record: bool) -> (String, Vec<(&'static str, Value)>) {
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
fn document_fields(doc: &Document, text: &str) -> Vec<(&'static str, Value)> {
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

/// Writes `parts` to `path` through a temporary file beside it (`.NAME.arclean-PID-N.tmp`),
/// then a rename: a reader never sees a partial file, a killed run leaves only the temporary.
/// No fsync: the outputs survive the process being killed, not a power cut (a sync per file
/// costs more than cleaning it).
pub fn write_atomic(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let tmp = temporary(path);
    let res = (|| {
        let mut f = BufWriter::new(create_new(&tmp)?);
        for p in parts {
            f.write_all(p)?;
        }
        f.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// Creates a new file, and its folder when that is missing (tried first: one call per file).
fn create_new(path: &Path) -> io::Result<File> {
    match File::create_new(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(d) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(d)?;
            }
            File::create_new(path)
        }
        r => r,
    }
}

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// A fresh temporary path beside `path`.
fn temporary(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let suffix = format!(".arclean-{}-{n}.tmp", std::process::id());
    // a name near the file system's limit (255 bytes) leaves no room for the suffix: shorten it
    let room = NAME_MAX.saturating_sub(suffix.len() + 1);
    let mut cut = name.len().min(room);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let tmp = format!(".{}{suffix}", &name[..cut]);
    match dir {
        Some(d) => d.join(tmp),
        None => PathBuf::from(tmp),
    }
}

/// Whether a file name is one of [`write_atomic`]'s temporaries (left by a killed run).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp") && name.contains(".arclean-")
}

/// Counts the bytes read from the file (before decompression), for progress.
struct Counting<R> {
    inner: R,
    n: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

enum Sink {
    Memory(Vec<u8>),
    Plain(BufWriter<File>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
}

impl Sink {
    fn write(&mut self, b: &[u8]) -> io::Result<()> {
        match self {
            Sink::Memory(v) => {
                v.extend_from_slice(b);
                Ok(())
            }
            Sink::Plain(w) => w.write_all(b),
            Sink::Gzip(w) => w.write_all(b),
        }
    }
}

/// A JSONL file being processed: records read, processed and written in steps of bounded size,
/// so memory stays bounded whatever the file's size. The output (plain or gzip, as its name
/// says) is a temporary until [`JsonlFile::finish`] renames it.
pub struct JsonlFile {
    input: PathBuf,
    reader: Box<dyn BufRead + Send>,
    read: Arc<AtomicU64>,
    sink: Sink,
    tmp: Option<(PathBuf, PathBuf)>,
    line: u64,
    done: bool,
    /// Why the input could not be read to its end (a truncated gzip, an I/O error): the file
    /// fails at [`JsonlFile::finish`] and its output is not committed.
    broken: Option<String>,
    max_record: u64,
}

/// A record's output line and counts, or why it failed.
type Processed = Result<(Vec<u8>, Stats), Failure>;

/// What one step did.
#[derive(Debug, Default)]
pub struct Step {
    pub stats: Stats,
    pub failures: Vec<Failure>,
    /// Records written.
    pub written: u64,
    /// The output of this step when the file has no output path.
    pub data: Vec<u8>,
    /// Bytes of the file read so far (compressed).
    pub position: u64,
    pub done: bool,
    /// Lines of the records whose result is empty (no article found).
    pub empty_lines: Vec<u64>,
    /// Lines of the records kept at a low confidence.
    pub low_lines: Vec<u64>,
}

impl JsonlFile {
    /// Opens `input` (gzip recognized by its magic bytes) and, when `output` is given, a
    /// temporary beside it (gzip when the name ends with `.gz`).
    pub fn open(input: &Path, output: Option<&Path>, opts: &Options) -> Result<JsonlFile, Failure> {
        let mut file = File::open(input).map_err(|e| io_failure(input, &e))?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(Failure::new(
                FailureKind::Unreadable,
                format!("{}: is a folder", input.display()),
            ));
        }
        let mut magic = [0u8; 2];
        let k = read_full(&mut file, &mut magic).map_err(|e| io_failure(input, &e))?;
        let read = Arc::new(AtomicU64::new(0));
        let head = io::Cursor::new(magic[..k].to_vec());
        let counted = Counting {
            inner: head.chain(file),
            n: read.clone(),
        };
        let reader: Box<dyn BufRead + Send> = if magic[..k] == [0x1f, 0x8b] {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(BufReader::new(counted)),
            ))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, counted))
        };
        let (sink, tmp) = match output {
            None => (Sink::Memory(Vec::new()), None),
            Some(out) => {
                protect(input, out)?;
                let unwritable = |e: io::Error| {
                    Failure::new(FailureKind::Unwritable, format!("{}: {e}", out.display()))
                };
                let tmp = temporary(out);
                let f = BufWriter::with_capacity(1 << 16, create_new(&tmp).map_err(unwritable)?);
                let gz = out
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
                let sink = if gz {
                    Sink::Gzip(flate2::write::GzEncoder::new(
                        f,
                        flate2::Compression::default(),
                    ))
                } else {
                    Sink::Plain(f)
                };
                (sink, Some((tmp, out.to_path_buf())))
            }
        };
        Ok(JsonlFile {
            input: input.to_path_buf(),
            reader,
            read,
            sink,
            tmp,
            line: 0,
            done: false,
            broken: None,
            max_record: opts.max_bytes,
        })
    }

    /// Reads up to `max_records` records (or about `max_bytes` of them), processes them in
    /// parallel on the current rayon pool and writes the results in order. A bad record (not
    /// JSON, not an object, no text field, too large) is a failure with its line; the file goes on.
    pub fn step(
        &mut self,
        task: &Task,
        opts: &Options,
        max_records: usize,
        max_bytes: usize,
    ) -> Step {
        let mut step = Step::default();
        let mut batch: Vec<(u64, Result<Vec<u8>, Failure>)> = Vec::new();
        let mut size = 0usize;
        // every byte read counts toward the step, blank lines too: a step stays bounded in time
        while !self.done && batch.len() < max_records && size < max_bytes {
            let mut buf = Vec::new();
            let mut consumed = 0;
            match read_line_capped(&mut self.reader, &mut buf, self.max_record, &mut consumed) {
                Ok(None) => self.done = true,
                Ok(Some(too_long)) => {
                    self.line += 1;
                    size += consumed;
                    if too_long {
                        let f = Failure::new(
                            FailureKind::TooLarge,
                            format!("record over {} bytes", self.max_record),
                        );
                        batch.push((self.line, Err(f)));
                    } else if !buf.trim_ascii().is_empty() {
                        batch.push((self.line, Ok(buf)));
                    }
                }
                Err(e) => {
                    self.done = true;
                    self.broken = Some(format!(
                        "{}: unreadable after line {} ({e}); its output is not written",
                        self.input.display(),
                        self.line
                    ));
                }
            }
        }
        let folder = folder_of(&self.input.to_string_lossy());
        let results: Vec<(u64, Processed)> = batch
            .into_par_iter()
            .map(|(line, r)| {
                let res = r.and_then(|raw| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        record(task, &raw, opts, &folder)
                    }))
                    .unwrap_or_else(|_| Err(Failure::new(FailureKind::Internal, "internal error")))
                });
                (line, res)
            })
            .collect();
        for (line, r) in results {
            match r {
                Ok((data, stats)) => {
                    step.stats.merge(&stats);
                    if stats.empty_results > 0 {
                        step.empty_lines.push(line);
                    }
                    if stats.low_confidence > 0 {
                        step.low_lines.push(line);
                    }
                    step.stats.bytes_out += data.len() as u64;
                    step.written += u64::from(!data.is_empty());
                    if let Err(e) = self.sink.write(&data) {
                        self.done = true;
                        step.failures.push(Failure::new(
                            FailureKind::Unwritable,
                            format!("{}: {e}", self.output_name()),
                        ));
                        break;
                    }
                }
                Err(f) => step.failures.push(Failure {
                    message: format!("{}:{line}: {}", self.input.display(), f.message),
                    line: Some(line),
                    ..f
                }),
            }
        }
        let position = self.read.load(Ordering::Relaxed);
        step.position = position;
        if let Sink::Memory(v) = &mut self.sink {
            step.data = std::mem::take(v);
        }
        step.done = self.done;
        step
    }

    fn output_name(&self) -> String {
        self.tmp
            .as_ref()
            .map(|(_, o)| o.display().to_string())
            .unwrap_or_else(|| "<stdout>".into())
    }

    /// Completes the output: flushes it and renames the temporary to the output's name.
    pub fn finish(self) -> Result<(), Failure> {
        if let Some(why) = self.broken.clone() {
            self.abandon();
            return Err(Failure::new(FailureKind::Unreadable, why));
        }
        let Some((tmp, out)) = self.tmp else {
            return Ok(());
        };
        let res = (|| {
            let f = match self.sink {
                Sink::Plain(w) => w.into_inner().map_err(|e| e.into_error())?,
                Sink::Gzip(g) => g.finish()?.into_inner().map_err(|e| e.into_error())?,
                Sink::Memory(_) => return Ok(()),
            };
            drop(f);
            std::fs::rename(&tmp, &out)
        })();
        res.map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure::new(FailureKind::Unwritable, format!("{}: {e}", out.display()))
        })
    }

    /// Drops the output's temporary (the run was interrupted or the file failed).
    pub fn abandon(self) {
        if let Some((tmp, _)) = &self.tmp {
            drop(self.sink);
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut k = 0;
    while k < buf.len() {
        match r.read(&mut buf[k..]) {
            Ok(0) => break,
            Ok(n) => k += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(k)
}

/// Reads one line into `buf` (without its line break). `None` at the end; `Some(true)` when the
/// line was longer than `cap` bytes (0: no cap): the rest is skipped, not kept.
/// `consumed` grows by the bytes read, line break included.
fn read_line_capped(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: u64,
    consumed: &mut usize,
) -> io::Result<Option<bool>> {
    let mut any = false;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let (chunk, used, end) = match memchr::memchr(b'\n', avail) {
            Some(k) => (&avail[..k], k + 1, true),
            None => (avail, avail.len(), false),
        };
        if !too_long {
            if cap > 0 && (buf.len() + chunk.len()) as u64 > cap {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        r.consume(used);
        *consumed += used;
        if end {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(too_long));
        }
    }
}

/// One JSONL record: the text field replaced by the result; with record output, arclean's
/// fields added.
fn record(task: &Task, raw: &[u8], opts: &Options, folder: &str) -> Processed {
    let bad = |m: String| Failure::new(FailureKind::BadRecord, m);
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let value: Value = serde_json::from_slice(raw).map_err(|e| bad(format!("not JSON: {e}")))?;
    let Value::Object(mut rec) = value else {
        return Err(bad("not a JSON object".into()));
    };
    let field = &opts.text_field;
    let text = match rec.get_mut(field.as_str()) {
        Some(Value::String(s)) => std::mem::take(s),
        Some(Value::Null) | None => {
            return Err(bad(format!("no text field '{field}' (see --text-field)")))
        }
        Some(_) => return Err(bad(format!("field '{field}' is not a string"))),
    };
    let mut stats = Stats {
        bytes_in: raw.len() as u64 + 1,
        ..Stats::default()
    };
    let text = match crate::mojibake::repair(&text) {
        Some((fixed, n)) => {
            stats.mojibake_pages = 1;
            stats.mojibake_chars = n as u64;
            fixed
        }
        None => text,
    };
    let html = crate::html::sniff(text.as_bytes());
    let applied = if text.trim().is_empty() {
        Applied {
            body: String::new(),
            fields: Vec::new(),
            stats: Stats {
                pages: 1,
                empty_results: 1,
                ..Stats::default()
            },
            site: None,
            dropped: false,
        }
    } else {
        // the record's own `url` names its site, else the page's address, else none
        let mut own = crate::clean::Meta::default();
        if let Some(Value::String(url)) = rec.get("url") {
            own.url_from(url);
        }
        let site = SiteOf {
            name: if opts.site_from_folder {
                Some(folder)
            } else {
                own.host.as_deref()
            },
            fallback: None,
        };
        apply(task, &text, html, opts, site)?
    };
    stats.merge(&applied.stats);
    if let Some(site) = applied.site.clone() {
        stats.of_site(site);
    }
    if applied.dropped {
        return Ok((Vec::new(), stats)); // the quality filter drops the record
    }
    rec.insert(field.clone(), Value::String(applied.body));
    if opts.output == Output::Record {
        let mut fields = applied.fields;
        if let Some(Value::String(url)) = rec.get("url") {
            record_url(&mut fields, url);
        }
        add_fields(&mut rec, fields);
    }
    Ok((record_line(&rec), stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        let mut s = String::from("الرئيسية\nأخبار\nرياضة\n\n");
        for k in 0..4 {
            s.push_str(&format!(
                "قالت وزارة الزراعة في بيانها رقم {k} إن موسم الحصاد بدأ مبكرا هذا العام بسبب الأمطار الغزيرة التي هطلت في الشتاء.\n\n"
            ));
        }
        s.push_str("اقرأ أيضا:\nعنوان خبر آخر عن الطقس\n");
        s
    }

    fn cleaner() -> Task {
        Task::Clean(Arc::new(Cleaner::new(crate::Config::default()).unwrap()))
    }

    #[test]
    fn files_in_parallel_same_as_one_by_one() {
        let dir = std::env::temp_dir().join(format!("arclean-run-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut jobs = Vec::new();
        for k in 0..6 {
            let p = dir.join(format!("{k}.txt"));
            std::fs::write(&p, page()).unwrap();
            jobs.push(Job {
                input: p,
                output: None,
                kind: Kind::Auto,
                source: format!("{k}.txt"),
            });
        }
        std::fs::write(dir.join("bin.txt"), b"\x00\x01\x02binary").unwrap();
        std::fs::write(dir.join("empty.txt"), b"  \n").unwrap();
        for name in ["bin.txt", "empty.txt", "missing.txt"] {
            jobs.push(Job {
                input: dir.join(name),
                output: None,
                kind: Kind::Text,
                source: name.into(),
            });
        }
        let task = cleaner();
        let opts = Options::default();
        let all = run_files(&task, &jobs, &opts);
        let kinds: Vec<_> = all
            .iter()
            .map(|o| o.failure.as_ref().map(|f| f.kind))
            .collect();
        assert_eq!(
            kinds[6..],
            [
                Some(FailureKind::Binary),
                Some(FailureKind::Empty),
                Some(FailureKind::Unreadable)
            ]
        );
        for (k, o) in all.iter().enumerate().take(6) {
            let one = run_files(&task, &jobs[k..k + 1], &opts);
            assert_eq!(one[0].data, o.data);
            let body = String::from_utf8(o.data.clone().unwrap()).unwrap();
            assert!(
                body.contains("موسم الحصاد") && !body.contains("اقرأ"),
                "{body}"
            );
            assert!(o.stats.removed > 0 && o.stats.kept > 0);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn jsonl_streams_in_steps_and_carries_fields() {
        let dir = std::env::temp_dir().join(format!("arclean-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.jsonl");
        let mut lines = String::new();
        for k in 0..5 {
            lines.push_str(
                &serde_json::to_string(&json!({"id": k, "text": page(), "title": "t"})).unwrap(),
            );
            lines.push('\n');
        }
        lines.push_str("not json\n\n{\"id\": 9}\n");
        std::fs::write(&input, &lines).unwrap();
        let out = dir.join("out.jsonl.gz");
        let opts = Options {
            output: Output::Record,
            ..Options::default()
        };
        let mut f = JsonlFile::open(&input, Some(&out), &opts).unwrap();
        let mut failures = Vec::new();
        let mut written = 0;
        loop {
            let s = f.step(&cleaner(), &opts, 2, 1 << 20);
            failures.extend(s.failures);
            written += s.written;
            if s.done {
                break;
            }
        }
        f.finish().unwrap();
        assert_eq!(written, 5);
        let lines_of: Vec<u64> = failures.iter().filter_map(|f| f.line).collect();
        assert_eq!(lines_of, [6, 8]);
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(&out).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        let recs: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(recs.len(), 5);
        assert_eq!(recs[3]["id"], 3);
        assert_eq!(recs[3]["title"], "t"); // carried; arclean's title under another name
        assert!(recs[3].get("arclean_title").is_some());
        assert!(recs[3]["text"].as_str().unwrap().contains("موسم الحصاد"));
        assert!(!recs[3]["removed"].as_array().unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporaries_of_long_names_fit_the_file_system() {
        let long = "م".repeat(120) + ".txt"; // 244 bytes
        let t = temporary(Path::new(&long));
        let name = t.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= NAME_MAX, "{}", name.len());
        assert!(is_temporary(name));
    }

    #[test]
    fn capped_lines() {
        let mut r = io::Cursor::new(b"abc\r\n0123456789\nxy".to_vec());
        let mut b = Vec::new();
        assert_eq!(
            read_line_capped(&mut r, &mut b, 5, &mut 0).unwrap(),
            Some(false)
        );
        assert_eq!(b, b"abc");
        b.clear();
        assert_eq!(
            read_line_capped(&mut r, &mut b, 5, &mut 0).unwrap(),
            Some(true)
        );
        b.clear();
        assert_eq!(
            read_line_capped(&mut r, &mut b, 5, &mut 0).unwrap(),
            Some(false)
        );
        assert_eq!(b, b"xy");
        b.clear();
        assert_eq!(read_line_capped(&mut r, &mut b, 5, &mut 0).unwrap(), None);
    }
}
