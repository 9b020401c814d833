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

mod files;
mod jsonl;
mod output;

use files::{create_new, temporary};
pub use files::{is_temporary, write_atomic};
pub use jsonl::{JsonlFile, Step};
use output::*;

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

#[cfg(test)]
mod tests {
    use super::files::NAME_MAX;
    use super::jsonl::read_line_capped;
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
