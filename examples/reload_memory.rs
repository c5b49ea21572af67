//! Live heap and resident memory over repeated reloads of a large word list, as
//! `brandscan serve` reloads it: tells a leak (live bytes grow with every reload) from
//! fragmentation (live bytes flat while the resident size grows).
//!
//! ```text
//! cargo run --release --example reload_memory -- [--terms N] [--reloads N] [--no-trim]
//! ```
//!
//! Every allocation goes through a counting allocator over the system one, so the live
//! figure is exact. Reloads go through `CheckService::request_reload`, on the service's
//! reload thread, with the same `malloc_trim` after each as the server (unless
//! `--no-trim`).

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use brandscan::service::CheckService;
use brandscan::{Matcher, Rules};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);
static TRIM: AtomicUsize = AtomicUsize::new(1);
/// Reloads whose old lists were freed (and trimmed).
static AFTER: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the counters are
// only added to.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
            BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
            BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn after_reload() {
    trim();
    AFTER.fetch_add(1, Ordering::SeqCst);
}

fn trim() {
    if TRIM.load(Ordering::Relaxed) == 0 {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn main() {
    let mut terms = 200_000usize;
    let mut reloads = 20usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{what} needs a number"))
        };
        match a.as_str() {
            "--terms" => terms = num("--terms"),
            "--reloads" => reloads = num("--reloads"),
            "--no-trim" => TRIM.store(0, Ordering::Relaxed),
            other => panic!("unknown argument {other}"),
        }
    }
    let text: Arc<str> = corpus::generate_terms(1, terms).join("\n").into();
    let mb = |b: isize| b as f64 / (1024.0 * 1024.0);
    let svc = Arc::new(
        CheckService::new(Box::new(move || {
            Matcher::new(Rules::parse_txt("terms.txt", &text)?)
        }))
        .expect("the list loads")
        .after_reload(after_reload),
    );
    trim();
    println!("reloads  live_MB  blocks  rss_MB");
    let show = |n: usize| {
        println!(
            "{n:7}  {:7.1}  {:6}  {:6}",
            mb(LIVE.load(Ordering::Relaxed)),
            BLOCKS.load(Ordering::Relaxed),
            rss_mb()
        );
    };
    show(0);
    for i in 1..=reloads {
        let (tx, rx) = mpsc::channel();
        svc.request_reload(Box::new(move |r| {
            let _ = tx.send(r.is_ok());
        }));
        assert!(rx.recv().expect("an answer"), "reload {i} failed");
        // The old lists are freed, and trimmed, on the reload thread after the answer.
        while AFTER.load(Ordering::SeqCst) < i {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if [1, 2, 3, 6, 10, 20, 30, 40, 50].contains(&i) || i == reloads {
            show(i);
        }
    }
}
