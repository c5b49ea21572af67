//! Output that is never half-written: a temporary file renamed into place on success.
//!
//! A target that exists and is not a regular file — `/dev/null`, `/dev/stdout`, a named
//! pipe — is written directly: renaming a file over it would replace the device or pipe
//! itself (as root, `-o /dev/null` would turn /dev/null into a file). Through a symlink,
//! the file it points to is replaced and the link kept.

use anyhow::{bail, Context, Result};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

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
        let target = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
            }
            _ => path.to_path_buf(),
        };
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
        let tmp = tempfile::Builder::new()
            .prefix(".brandscan-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(Output::File {
            tmp: BufWriter::with_capacity(1 << 16, tmp),
            path: path.to_path_buf(),
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
            Output::File { tmp, path } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("writing {}", path.display()))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("writing {}", path.display()))?;
                // A temporary file is private (0600); a report is an ordinary file. Keep the
                // mode of a report being replaced, else use the usual 0644.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(&path)
                        .map(|m| m.permissions().mode() & 0o777)
                        .unwrap_or(0o644);
                    tmp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(mode))
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                tmp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", path.display()))?;
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

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
