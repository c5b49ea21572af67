//! Output that is never half-written: a temporary file renamed into place on success.
//!
//! A target that exists and is not a regular file — `/dev/null`, `/dev/stdout`, a named
//! pipe — is written directly: renaming a file over it would replace the device or pipe
//! itself (as root, `-o /dev/null` would turn /dev/null into a file). Through a symlink,
//! the file it points to is replaced (or created, when the link dangles) and the link kept.
//!
//! A new file gets the usual mode under the user's umask (0644 under umask 022, 0600
//! under 077); a file replaced keeps its mode. The temporary file is removed when the
//! run fails, and on SIGINT or SIGTERM ([`remove_temporary_files_on_signal`]). One left
//! by a run killed harder (SIGKILL, a power cut) is named in a warning by the next run
//! writing to the same folder, and removed when it is ours and over an hour old.

use anyhow::{bail, Context, Result};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The temporary files being written now, for the signal handler to remove.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// What temporary report files are called: `.brandscan-XXXXXX.tmp`.
const TMP_PREFIX: &str = ".brandscan-";
const TMP_SUFFIX: &str = ".tmp";

/// A stale temporary file older than this, and ours, is removed.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Keeps a temporary file's path in [`TEMPORARY`] while it exists.
pub struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Registered {
        lock_temporary().push(path.to_path_buf());
        Registered(path.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut t = lock_temporary();
        if let Some(i) = t.iter().position(|p| *p == self.0) {
            t.swap_remove(i);
        }
    }
}

fn lock_temporary() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A list of paths stays whole whatever panicked while it was held.
    TEMPORARY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where a report goes.
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    Direct {
        file: BufWriter<std::fs::File>,
        path: PathBuf,
    },
    File {
        tmp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
        registered: Registered,
    },
}

impl Output {
    /// Standard output, or a temporary file beside `path`.
    pub fn create(path: Option<&Path>, inputs: &[PathBuf]) -> Result<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            )));
        };
        if path.as_os_str() == "-" {
            return Ok(Output::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            )));
        }
        for input in inputs {
            if same_file(input, path) {
                bail!("output {} is also an input", path.display());
            }
        }
        // Through a symlink (`/dev/stdout`, `latest.csv -> 2024-05-01.csv`) the file to
        // replace is the one it points to: renaming onto the link would replace the link.
        let target = follow_links(path);
        let special = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special(path) || special(&target) || target.starts_with("/proc") {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(Output::Direct {
                file: BufWriter::with_capacity(1 << 16, file),
                path: path.to_path_buf(),
            });
        }
        let path = target.as_path();
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        warn_stale(dir);
        let mut builder = tempfile::Builder::new();
        builder.prefix(TMP_PREFIX).suffix(TMP_SUFFIX);
        // The mode of an ordinary new file: open(2) applies the umask to it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        let registered = Registered::new(tmp.path());
        Ok(Output::File {
            tmp: BufWriter::with_capacity(1 << 16, tmp),
            path: path.to_path_buf(),
            registered,
        })
    }

    /// Flush and move the file into place. Dropping an `Output` without calling this
    /// removes the temporary file.
    pub fn commit(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush().context("writing standard output"),
            Output::Direct { mut file, path } => file
                .flush()
                .with_context(|| format!("writing {}", path.display())),
            Output::File {
                tmp,
                path,
                registered,
            } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("writing {}", path.display()))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("writing {}", path.display()))?;
                // A report being replaced keeps its mode; a new one has the mode it was
                // created with, under the umask.
                #[cfg(unix)]
                if let Ok(m) = std::fs::metadata(&path) {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = m.permissions().mode() & 0o777;
                    tmp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(mode))
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                tmp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                drop(registered);
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::Direct { file, .. } => file.write(buf),
            Output::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.write_all(buf),
            Output::Direct { file, .. } => file.write_all(buf),
            Output::File { tmp, .. } => tmp.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::Direct { file, .. } => file.flush(),
            Output::File { tmp, .. } => tmp.flush(),
        }
    }
}

/// Where `path` leads through any symlinks, also when the last one dangles (the file is
/// then created where it points). At most 40 links are followed, as the kernel does.
fn follow_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&p) {
                Ok(to) if to.is_absolute() => p = to,
                Ok(to) => {
                    let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                    p = dir.join(to);
                }
                Err(_) => return p,
            },
            _ => return p,
        }
    }
    p
}

/// Name the temporary files of earlier runs in `dir`, and remove the ones that are
/// ours and over an hour old: a run in progress renames its file within seconds of
/// finishing, so an old one was left by a run that was killed.
fn warn_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        // Our own files are registered by their full path (tempfile makes a relative
        // directory absolute), this listing names them by the directory given: compare
        // the names, which are random.
        if lock_temporary()
            .iter()
            .any(|p| p.file_name() == Some(name.as_ref()))
        {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let age = meta
            .modified()
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        let mb = meta.len() as f64 / 1e6;
        if age >= STALE_AFTER && is_ours(&meta) && std::fs::remove_file(&path).is_ok() {
            eprintln!(
                "brandscan: removed {} ({mb:.1} MB), left {} h ago by a run that was killed",
                path.display(),
                age.as_secs() / 3600
            );
        } else {
            eprintln!(
                "brandscan: warning: {} ({mb:.1} MB) is a temporary file of another brandscan \
                 run, still writing or killed; remove it if no run is writing here",
                path.display()
            );
        }
    }
}

#[cfg(unix)]
fn is_ours(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn is_ours(_meta: &std::fs::Metadata) -> bool {
    true
}

/// On SIGINT or SIGTERM, remove the temporary files being written, then die of the
/// signal as the process would have. Call first thing in `main`, before any thread is
/// started: the signals are blocked in every thread and waited for by one of its own.
#[cfg(unix)]
pub fn remove_temporary_files_on_signal() {
    // SAFETY: plain libc calls on a sigset_t this function owns; pthread_sigmask only
    // changes the calling (main) thread's mask, which threads started later inherit.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let spawned = std::thread::Builder::new()
            .name("brandscan-signals".into())
            .spawn(move || {
                let mut sig: libc::c_int = 0;
                if libc::sigwait(&set, &mut sig) != 0 {
                    return;
                }
                for path in lock_temporary().iter() {
                    let _ = std::fs::remove_file(path);
                }
                libc::signal(sig, libc::SIG_DFL);
                libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
                libc::raise(sig);
            });
        if spawned.is_err() {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

#[cfg(not(unix))]
pub fn remove_temporary_files_on_signal() {}

/// The library names the report it writes `<output>`, not knowing where it goes: put
/// the real name in an error about it (`-o FILE`, or standard output).
pub fn name_output(e: anyhow::Error, path: Option<&Path>) -> anyhow::Error {
    let unnamed = e
        .chain()
        .find_map(|c| c.downcast_ref::<brandscan::Error>())
        .and_then(|b| match b.kind() {
            brandscan::ErrorKind::Io { path, source } if path.as_os_str() == "<output>" => {
                Some((source.kind(), source.to_string()))
            }
            _ => None,
        });
    let Some((kind, message)) = unnamed else {
        return e;
    };
    let name = match path {
        Some(p) if p.as_os_str() != "-" => p.to_path_buf(),
        _ => PathBuf::from("standard output"),
    };
    anyhow::Error::new(brandscan::Error::io(name, io::Error::new(kind, message)))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
