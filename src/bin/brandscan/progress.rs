//! The progress bar on stderr: only when stderr is a terminal and every input is a file
//! (stdin has no size, and a pipe or a log file must not fill with redraws).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::RefCell;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

thread_local! {
    /// Where a command run on this thread by `serve`'s page reports its bytes read.
    static OBSERVER: RefCell<Option<Arc<AtomicU64>>> = const { RefCell::new(None) };
}

/// Report the bytes read by the commands run on this thread to `counter` (or stop, with
/// `None`): the page shows a scan's progress from the same counts the bar shows.
pub fn observe_on_this_thread(counter: Option<Arc<AtomicU64>>) {
    OBSERVER.with(|o| *o.borrow_mut() = counter);
}

/// A bar, or nothing; either way lines printed through it never tear.
pub struct Progress(Option<ProgressBar>, Option<Arc<AtomicU64>>);

impl Progress {
    /// A bar over the catalogs' total size when it can be known up front, else a
    /// spinner counting bytes (gzip: the reader counts decompressed bytes). `off` is
    /// `--quiet`, or a report going to the same terminal.
    pub fn new(catalogs: &[PathBuf], off: bool) -> Progress {
        let wanted = !off
            && std::io::stderr().is_terminal()
            && !catalogs.iter().any(|p| p.as_os_str() == "-");
        let observer = OBSERVER.with(|o| o.borrow().clone());
        if !wanted {
            return Progress(None, observer);
        }
        let total: Option<u64> = catalogs.iter().map(|p| plain_size(p)).sum();
        let target = ProgressDrawTarget::stderr();
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), target).with_style(
                ProgressStyle::with_template(
                    "{msg} [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            ),
            None => ProgressBar::with_draw_target(None, target).with_style(
                ProgressStyle::with_template("{spinner} {msg} {bytes} read, {bytes_per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.set_message("brandscan: scanning");
        bar.enable_steady_tick(Duration::from_millis(150));
        Progress(Some(bar), observer)
    }

    /// Bytes read so far.
    pub fn set(&self, bytes: u64) {
        if let Some(o) = &self.1 {
            o.store(bytes, Ordering::Relaxed);
        }
        if let Some(b) = &self.0 {
            b.set_position(bytes);
        }
    }

    /// Print a line on stderr; the bar is lifted while it is written.
    pub fn eprintln(&self, line: &dyn std::fmt::Display) {
        match &self.0 {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Remove the bar, so what follows on stderr starts on a clean line.
    pub fn clear(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// The file's size, or `None` when it is gzip (its read count is of decompressed bytes)
/// or cannot be read (the scan will say why).
fn plain_size(path: &Path) -> Option<u64> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic).ok()?;
    if n == 2 && magic == [0x1f, 0x8b] {
        return None;
    }
    Some(f.metadata().ok()?.len())
}
