//! JSONL files streamed in bounded steps: each record's text field replaced by the task's
//! result, the other fields carried.

use super::*;

/// Counts the bytes read from the file (before decompression), for progress.
pub(super) struct Counting<R> {
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

pub(super) enum Sink {
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

pub(super) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
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
pub(super) fn read_line_capped(
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
pub(super) fn record(task: &Task, raw: &[u8], opts: &Options, folder: &str) -> Processed {
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
