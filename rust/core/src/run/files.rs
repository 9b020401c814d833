//! Writing outputs atomically: a temporary file beside the target, renamed over it.

use super::*;

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
pub(super) fn create_new(path: &Path) -> io::Result<File> {
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
pub(super) const NAME_MAX: usize = 255;

/// A fresh temporary path beside `path`.
pub(super) fn temporary(path: &Path) -> PathBuf {
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
