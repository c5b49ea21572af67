//! The page's jobs: an uploaded catalog, the scan, fix and audit runs over it, and the
//! files they wrote, all in one directory of the job's own.
//!
//! Every run is the command line's own: the arguments are parsed by the same clap
//! definitions (`brandscan scan <catalog> -f html -o report.html`, ...) and handed to the
//! same `cmd::*::run` functions, over the word-list options `serve` was started with.
//! So a report, a cleaned catalog or an audit from the page is byte for byte what the
//! same command gives in a terminal.
//!
//! Files live under one private temporary directory (mode 0700), made at the first upload
//! and removed at shutdown. Its name carries the server's pid
//! (`brandscan-page-<pid>-XXXXXX`), so a server started later removes the directory of one
//! that was killed before it could clean up (same user, pid no longer running). A job's directory is removed when the user deletes it, `--job-ttl` after
//! its last use, and shortly after every one of its results has been downloaded. Paths
//! are never made from what a client sends as is: the catalog is named by the upload's
//! last path segment cut to letters, digits, `.-_` and spaces, with an extension from a
//! fixed list, and downloads are looked up by name among the
//! files the job wrote.

use crate::args::{Cli, Command};
use crate::cmd;
use crate::progress::observe_on_this_thread;
use anyhow::{anyhow, Result};
use brandscan::config::{Config, Layer};
use brandscan::scan::Stats;
use brandscan::Action;
use clap::Parser;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long results stay after the last of them was downloaded, for a second click.
const AFTER_DOWNLOAD: Duration = Duration::from_secs(60);

/// Brands in the totals' top list.
const TOP_BRANDS: usize = 10;

/// Every job of the page.
pub struct Jobs {
    root: Mutex<Root>,
    /// Directories of killed servers removed at start.
    swept: usize,
    jobs: Mutex<HashMap<String, Arc<Job>>>,
    running: Arc<AtomicUsize>,
    max_jobs: usize,
    ttl: Duration,
    cfg: Config,
}

/// One uploaded catalog and what was made of it.
pub struct Job {
    pub id: String,
    dir: PathBuf,
    /// The uploaded file's name, for the page and for download names; never a path.
    name: String,
    /// `csv`, `tsv.gz`, ...: chosen from [`EXTENSIONS`].
    ext: &'static str,
    read: Arc<AtomicU64>,
    size: AtomicU64,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    scan: Run,
    audit: Option<Run>,
    last_used: Option<Instant>,
    /// Files the job wrote: name → (label, which run).
    files: Vec<FileEntry>,
    downloaded: HashSet<String>,
    all_downloaded_at: Option<Instant>,
    /// The catalog unpacked from a `.zip` upload, and its pictures' folder.
    unpacked: Option<(PathBuf, PathBuf)>,
}

#[derive(Clone)]
struct FileEntry {
    name: String,
    label: String,
    run: &'static str,
}

#[derive(Default, Clone)]
struct Run {
    phase: Phase,
    step: String,
    step_no: usize,
    steps: usize,
    error: Option<String>,
    notes: Vec<String>,
    result: Value,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Phase {
    #[default]
    Uploading,
    Running,
    Done,
    Failed,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::Uploading => "uploading",
            Phase::Running => "running",
            Phase::Done => "done",
            Phase::Failed => "failed",
        }
    }
}

/// Catalog extensions the page takes; the upload's own name picks one, else `csv`.
const EXTENSIONS: &[&str] = &[
    "csv.gz",
    "tsv.gz",
    "txt.gz",
    "jsonl.gz",
    "ndjson.gz",
    "csv",
    "tsv",
    "txt",
    "xlsx",
    "jsonl",
    "ndjson",
    "gz",
];

/// The jobs' directory: made at the first upload, so a server nobody uploads to leaves
/// nothing behind even when it is killed.
enum Root {
    NotYet,
    Made(tempfile::TempDir),
    /// Shut down: no more uploads.
    Closed,
}

/// The start of every jobs directory's name; the pid and a random part follow.
const ROOT_PREFIX: &str = "brandscan-page-";

/// A slot among `--max-jobs`, held while a job uploads or runs.
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Jobs {
    /// The page's jobs; their directory is made at the first upload. Directories that
    /// servers of this user left behind when they were killed are removed now.
    pub fn new(cfg: Config, max_jobs: usize, ttl: Duration) -> Result<Jobs> {
        Ok(Jobs {
            root: Mutex::new(Root::NotYet),
            swept: sweep_dead_servers(&std::env::temp_dir()),
            jobs: Mutex::new(HashMap::new()),
            running: Arc::new(AtomicUsize::new(0)),
            max_jobs: max_jobs.max(1),
            ttl,
            cfg,
        })
    }

    /// How many directories of killed servers were removed at start.
    pub fn swept_at_start(&self) -> usize {
        self.swept
    }

    /// How often [`Jobs::sweep`] should run: often enough that a job outlives
    /// `--job-ttl` by at most half of it, and at most every ten seconds.
    pub fn sweep_every(&self) -> Duration {
        (self.ttl / 2).clamp(Duration::from_millis(100), Duration::from_secs(10))
    }

    /// The jobs' directory, made on first use.
    fn root(&self) -> Result<PathBuf> {
        let mut root = lock(&self.root);
        match &*root {
            Root::Made(dir) => Ok(dir.path().to_path_buf()),
            Root::Closed => Err(anyhow!("the server is shutting down")),
            Root::NotYet => {
                let dir = tempfile::Builder::new()
                    .prefix(&format!("{ROOT_PREFIX}{}-", std::process::id()))
                    .tempdir()
                    .map_err(|e| {
                        anyhow!("cannot create a directory for the page's uploads: {e}")
                    })?;
                let path = dir.path().to_path_buf();
                *root = Root::Made(dir);
                Ok(path)
            }
        }
    }

    /// Take a slot for a new job, or `None` when `--max-jobs` are busy.
    pub fn slot(&self) -> Option<Slot> {
        let n = self.running.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(self.running.clone());
        (n < self.max_jobs).then_some(slot)
    }

    pub fn max_jobs(&self) -> usize {
        self.max_jobs
    }

    /// A new job for an upload named `name`; the caller writes the catalog to
    /// [`Job::catalog_path`].
    pub fn create(&self, name: &str) -> Result<Arc<Job>> {
        let id = random_id();
        let dir = self.root()?.join(&id);
        std::fs::create_dir(&dir)
            .map_err(|e| anyhow!("cannot create a directory for the upload: {e}"))?;
        let job = Arc::new(Job {
            id: id.clone(),
            dir,
            name: display_name(name),
            ext: extension(name),
            read: Arc::new(AtomicU64::new(0)),
            size: AtomicU64::new(0),
            state: Mutex::new(State {
                last_used: Some(Instant::now()),
                ..State::default()
            }),
        });
        lock(&self.jobs).insert(id, job.clone());
        Ok(job)
    }

    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        let job = lock(&self.jobs).get(id).cloned()?;
        lock(&job.state).last_used = Some(Instant::now());
        Some(job)
    }

    /// Forget a job and delete its files.
    pub fn remove(&self, id: &str) -> bool {
        let Some(job) = lock(&self.jobs).remove(id) else {
            return false;
        };
        let _ = std::fs::remove_dir_all(&job.dir);
        true
    }

    /// Delete the jobs not used for `--job-ttl`, and those whose every result was
    /// downloaded a while ago; running jobs are kept.
    pub fn sweep(&self) -> usize {
        let now = Instant::now();
        let stale: Vec<String> = lock(&self.jobs)
            .values()
            .filter(|j| {
                let s = lock(&j.state);
                let busy = matches!(s.scan.phase, Phase::Uploading | Phase::Running)
                    || s.audit.as_ref().is_some_and(|a| a.phase == Phase::Running);
                let idle = s
                    .last_used
                    .is_some_and(|t| now.duration_since(t) >= self.ttl);
                let fetched = s
                    .all_downloaded_at
                    .is_some_and(|t| now.duration_since(t) >= AFTER_DOWNLOAD.min(self.ttl));
                // An upload that stalls past the time limit is dropped too.
                (idle && !(busy && s.scan.phase != Phase::Uploading)) || (fetched && !busy)
            })
            .map(|j| j.id.clone())
            .collect();
        for id in &stale {
            self.remove(id);
        }
        stale.len()
    }

    /// Delete every job and the directory: at shutdown.
    pub fn clear(&self) {
        lock(&self.jobs).clear();
        if let Root::Made(dir) = std::mem::replace(&mut *lock(&self.root), Root::Closed) {
            let _ = dir.close();
        }
    }

    /// Scan, then fix, the uploaded catalog on a thread of its own; `slot` is given
    /// back when done.
    pub fn start_scan(self: &Arc<Self>, job: Arc<Job>, slot: Slot) {
        {
            let mut s = lock(&job.state);
            s.scan.phase = Phase::Running;
            s.scan.steps = 4;
        }
        let cfg = self.cfg.clone();
        std::thread::spawn(move || {
            let _slot = slot;
            observe_on_this_thread(Some(job.read.clone()));
            let r = scan_job(&job, &cfg);
            observe_on_this_thread(None);
            let mut s = lock(&job.state);
            match r {
                Ok(()) => s.scan.phase = Phase::Done,
                Err(e) => {
                    s.scan.phase = Phase::Failed;
                    s.scan.error = Some(cmd::error_line(&e));
                }
            }
            s.last_used = Some(Instant::now());
        });
    }

    /// The audit of `brands` (plus the complaint's own terms) and the cleaned catalog
    /// for them, on a thread of its own.
    pub fn start_audit(
        self: &Arc<Self>,
        job: Arc<Job>,
        slot: Slot,
        brands: Vec<String>,
        terms: Option<(String, &'static str)>,
    ) -> Result<()> {
        let terms_path = match terms {
            Some((text, ext)) => {
                let p = job.dir.join(format!("complaint-terms.{ext}"));
                std::fs::write(&p, text)
                    .map_err(|e| anyhow!("cannot keep the complaint's terms: {e}"))?;
                Some(p)
            }
            None => None,
        };
        {
            let mut s = lock(&job.state);
            s.files.retain(|f| f.run != "audit");
            s.audit = Some(Run {
                phase: Phase::Running,
                steps: 3,
                result: json!({"brands": brands}),
                ..Run::default()
            });
        }
        let cfg = self.cfg.clone();
        std::thread::spawn(move || {
            let _slot = slot;
            let r = audit_job(&job, &cfg, &brands, terms_path.as_deref());
            let mut s = lock(&job.state);
            if let Some(a) = s.audit.as_mut() {
                match r {
                    Ok(()) => a.phase = Phase::Done,
                    Err(e) => {
                        a.phase = Phase::Failed;
                        a.error = Some(cmd::error_line(&e));
                    }
                }
            }
            s.last_used = Some(Instant::now());
        });
        Ok(())
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Remove the jobs directories in `tmp` that belong to this user and to a server that
/// is no longer running (killed before it could clean up). A directory whose pid runs
/// is left alone, even if the pid was reused: better a stale directory than a live
/// server's uploads gone. Returns how many were removed.
fn sweep_dead_servers(tmp: &Path) -> usize {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(entries) = std::fs::read_dir(tmp) else {
            return 0;
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(dead_server_pid) else {
                continue;
            };
            // Not a link, a directory of ours: never follow a name someone else planted.
            let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
                continue;
            };
            if !meta.is_dir() || meta.uid() != me || pid_runs(pid) {
                continue;
            }
            if std::fs::remove_dir_all(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
    #[cfg(not(unix))]
    {
        let _ = tmp;
        0
    }
}

/// The pid in a jobs directory's name (`brandscan-page-<pid>-XXXXXX`), unless it is ours.
fn dead_server_pid(name: &str) -> Option<i32> {
    let (pid, random) = name.strip_prefix(ROOT_PREFIX)?.split_once('-')?;
    let pid: i32 = pid.parse().ok()?;
    (pid > 0 && !random.is_empty() && pid as u32 != std::process::id()).then_some(pid)
}

/// Whether a process `pid` exists (whoever owns it).
#[cfg(unix)]
fn pid_runs(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

impl Job {
    /// Where the upload goes: under its own name (the reports name it), with the
    /// extension that says its format.
    pub fn catalog_path(&self) -> PathBuf {
        let lower = self.name.to_ascii_lowercase();
        let stem = match lower.strip_suffix(&format!(".{}", self.ext)) {
            Some(s) => &self.name[..s.len()],
            None => self.name.as_str(),
        };
        self.dir.join(format!("{stem}.{}", self.ext))
    }

    pub fn set_size(&self, n: u64) {
        self.size.store(n, Ordering::Relaxed);
    }

    /// True while the audit may not start: the scan has not finished or an audit runs.
    pub fn busy(&self) -> bool {
        let s = lock(&self.state);
        s.scan.phase != Phase::Done || s.audit.as_ref().is_some_and(|a| a.phase == Phase::Running)
    }

    /// A file the job wrote, by name: its path, the name to save it as, and whether it
    /// is an HTML report (shown in the page, not downloaded).
    pub fn file(&self, name: &str) -> Option<(PathBuf, String)> {
        let s = lock(&self.state);
        let f = s.files.iter().find(|f| f.name == name)?;
        let path = self.dir.join(&f.name);
        let stem = self
            .name
            .rsplit_once('.')
            .map_or(self.name.as_str(), |(s, _)| s);
        let stem = stem.strip_suffix(".csv").unwrap_or(stem);
        Some((path, format!("{stem}-{}", f.name)))
    }

    /// Note that `name` was sent whole; once every result was, the job is deleted a
    /// little later.
    pub fn downloaded(&self, name: &str) {
        let mut s = lock(&self.state);
        s.downloaded.insert(name.to_string());
        let every = s
            .files
            .iter()
            .filter(|f| !f.name.ends_with(".html"))
            .all(|f| s.downloaded.contains(&f.name));
        if every && s.scan.phase == Phase::Done {
            s.all_downloaded_at = Some(Instant::now());
        }
    }

    /// The job as the page polls it.
    pub fn status(&self) -> Value {
        let s = lock(&self.state);
        let files = |run: &str| -> Vec<Value> {
            s.files
                .iter()
                .filter(|f| f.run == run)
                .map(|f| {
                    let bytes = std::fs::metadata(self.dir.join(&f.name)).map_or(0, |m| m.len());
                    json!({
                        "name": f.name,
                        "label": f.label,
                        "bytes": bytes,
                        "url": format!("/v1/jobs/{}/files/{}", self.id, f.name),
                        "downloaded": s.downloaded.contains(&f.name),
                    })
                })
                .collect()
        };
        let run = |r: &Run, which: &str| {
            json!({
                "state": r.phase.as_str(),
                "step": r.step,
                "step_no": r.step_no,
                "steps": r.steps,
                "error": r.error,
                "notes": r.notes,
                "result": r.result,
                "files": files(which),
            })
        };
        json!({
            "id": self.id,
            "name": self.name,
            "size": self.size.load(Ordering::Relaxed),
            "read": self.read.load(Ordering::Relaxed),
            "scan": run(&s.scan, "scan"),
            "audit": s.audit.as_ref().map(|a| run(a, "audit")),
        })
    }

    fn step(&self, audit: bool, no: usize, what: &str) {
        let mut s = lock(&self.state);
        let r = if audit {
            s.audit.get_or_insert_with(Run::default)
        } else {
            &mut s.scan
        };
        r.step_no = no;
        r.step = what.to_string();
        self.read.store(0, Ordering::Relaxed);
    }

    fn add_file(&self, run: &'static str, name: &str, label: &str) {
        if self.dir.join(name).exists() {
            lock(&self.state).files.push(FileEntry {
                name: name.to_string(),
                label: label.to_string(),
                run,
            });
        }
    }

    fn note(&self, audit: bool, note: String) {
        let mut s = lock(&self.state);
        let r = if audit {
            s.audit.get_or_insert_with(Run::default)
        } else {
            &mut s.scan
        };
        r.notes.push(note);
    }

    fn out(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// The catalog to scan: the upload, or the one unpacked from a `.zip` upload.
fn catalog_of(job: &Job) -> String {
    match &lock(&job.state).unpacked {
        Some((catalog, _)) => catalog.display().to_string(),
        None => job.catalog_path().display().to_string(),
    }
}

/// A `.zip` upload (build feature `ocr`): its catalog and pictures unpacked, and the
/// `--images` flag over them.
#[cfg(feature = "ocr")]
fn unpack(job: &Job, cfg: &Config) -> Result<Vec<String>> {
    if job.ext != "zip" {
        return Ok(Vec::new());
    }
    let u = super::bundle::unpack(
        &job.catalog_path(),
        &job.dir,
        cfg.serve().max_upload() as u64,
    )?;
    job.note(
        false,
        format!(
            "The archive's catalog was scanned with the text in its {} picture(s).",
            u.picture_count
        ),
    );
    let images = vec!["--images".to_string(), u.pictures.display().to_string()];
    lock(&job.state).unpacked = Some((u.catalog, u.pictures));
    Ok(images)
}

fn scan_job(job: &Job, cfg: &Config) -> Result<()> {
    job.step(false, 1, "report");
    #[cfg(feature = "ocr")]
    let images = unpack(job, cfg)?;
    #[cfg(not(feature = "ocr"))]
    let images: Vec<String> = Vec::new();
    let catalog = catalog_of(job);
    let scan = |format: &str, out: &str| -> Result<Ran> {
        let mut argv = vec!["scan", &catalog, "-q", "-f", format, "-o", out];
        argv.extend(images.iter().map(String::as_str));
        run_cli(cfg, &argv)
    };
    let out = job.out("report.html");
    let stats = match scan("html", &out)? {
        Ran::Scan(stats) => stats,
        Ran::Done => return Err(anyhow!("scan gave no counts")),
    };
    lock(&job.state).scan.result = totals(&stats);
    job.add_file("scan", "report.html", "Report (HTML)");
    job.step(false, 2, "findings");
    let out = job.out("findings.csv");
    scan("csv", &out)?;
    job.add_file("scan", "findings.csv", "Findings (CSV)");
    job.step(false, 3, "listings");
    let out = job.out("listings.csv");
    scan("listings", &out)?;
    job.add_file("scan", "listings.csv", "Flagged listings (CSV)");
    job.step(false, 4, "cleaned catalog");
    fix_files(job, cfg, &catalog, &[], "scan", "")
}

/// `fix` over the catalog; a catalog `fix` cannot write back (a workbook, JSON Lines)
/// is a note, not a failure of the job.
fn fix_files(
    job: &Job,
    cfg: &Config,
    catalog: &str,
    brands: &[String],
    run: &'static str,
    prefix: &str,
) -> Result<()> {
    // In the format of the catalog scanned: a .zip upload's catalog is written back
    // as the catalog it holds, not as an archive.
    let cleaned = format!("{prefix}cleaned.{}", extension(catalog));
    let changes = format!("{prefix}changes.csv");
    let left = format!("{prefix}left-for-a-person.csv");
    let (o, c, l) = (job.out(&cleaned), job.out(&changes), job.out(&left));
    let mut argv = vec![
        "fix".to_string(),
        catalog.to_string(),
        "-q".into(),
        "-o".into(),
        o,
        "--changes".into(),
        c,
        "--left".into(),
        l,
    ];
    argv.extend(brands.iter().map(|b| format!("--brand={b}")));
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    match run_cli(cfg, &argv) {
        Ok(_) => {
            job.add_file(run, &cleaned, "Cleaned catalog");
            job.add_file(run, &changes, "Changes made (CSV)");
            job.add_file(run, &left, "Listings left for a person (CSV)");
        }
        Err(e) => job.note(
            run == "audit",
            format!("No cleaned catalog: {}", cmd::error_line(&e)),
        ),
    }
    Ok(())
}

fn audit_job(job: &Job, cfg: &Config, brands: &[String], terms: Option<&Path>) -> Result<()> {
    let catalog = catalog_of(job);
    let mut base: Vec<String> = vec!["audit".into(), catalog.clone(), "-q".into()];
    base.extend(brands.iter().map(|b| format!("--brand={b}")));
    if let Some(t) = terms {
        base.push("--terms".into());
        base.push(t.display().to_string());
    }
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v = base.clone();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    job.step(true, 1, "audit");
    let json_out = job.out("audit.json");
    let argv = with(&["-f", "json", "-o", &json_out]);
    run_cli(cfg, &argv.iter().map(String::as_str).collect::<Vec<_>>())?;
    let text =
        std::fs::read_to_string(&json_out).map_err(|e| anyhow!("cannot read the audit: {e}"))?;
    let mut result: Value =
        serde_json::from_str(&text).map_err(|e| anyhow!("cannot read the audit: {e}"))?;
    // The page shows the figures and the first listings; the files have them all.
    if let Some(list) = result.get_mut("listings").and_then(Value::as_array_mut) {
        list.truncate(200);
    }
    // The upload's name, not where the server keeps it.
    if let Some(files) = result.get_mut("files") {
        *files = json!([job.name]);
    }
    if let Some(a) = lock(&job.state).audit.as_mut() {
        a.result = result;
    }
    job.add_file("audit", "audit.json", "Audit (JSON)");
    job.step(true, 2, "audit report");
    let html_out = job.out("audit.html");
    let argv = with(&["-f", "html", "-o", &html_out]);
    run_cli(cfg, &argv.iter().map(String::as_str).collect::<Vec<_>>())?;
    job.add_file("audit", "audit.html", "Audit report (HTML)");
    let csv_out = job.out("audit.csv");
    let argv = with(&["-f", "csv", "-o", &csv_out]);
    run_cli(cfg, &argv.iter().map(String::as_str).collect::<Vec<_>>())?;
    job.add_file("audit", "audit.csv", "What to change (CSV)");
    job.step(true, 3, "cleaned catalog");
    if terms.is_some() {
        job.note(
            true,
            "The cleaned catalog cuts these brands' words from the loaded lists; the \
             complaint's own terms are in the audit, not cut."
                .to_string(),
        );
    }
    fix_files(job, cfg, &catalog, brands, "audit", "brand-")
}

enum Ran {
    Scan(Box<Stats>),
    Done,
}

/// Run one command line, as `brandscan` would, over `serve`'s word-list options.
fn run_cli(base: &Config, argv: &[&str]) -> Result<Ran> {
    let mut full: Vec<OsString> = vec!["brandscan".into(), "--no-config".into()];
    full.extend(argv.iter().map(OsString::from));
    let cli = Cli::try_parse_from(full).map_err(|e| anyhow!("{e}"))?;
    // The server's options (its brandscan.toml and flags) first, the command's flags over
    // them: what `brandscan <command>` does in the server's directory.
    let layered = |flags: Config| {
        let mut c = base.clone();
        c.update(&flags);
        c
    };
    match cli.command {
        Command::Scan(a) => {
            let cfg = layered(a.to_config());
            cmd::scan::run_counted(a, &cfg).map(|(_, s)| Ran::Scan(Box::new(s)))
        }
        Command::Fix(a) => {
            let cfg = layered(a.to_config());
            cmd::fix::run(a, &cfg).map(|_| Ran::Done)
        }
        Command::Audit(a) => {
            let cfg = layered(a.to_config());
            cmd::audit::run(a, &cfg).map(|_| Ran::Done)
        }
        _ => Err(anyhow!("not a page command")),
    }
}

/// The figures the page shows above the report: the summary paragraph's.
fn totals(stats: &Stats) -> Value {
    let top: Vec<Value> = stats
        .top_brands(TOP_BRANDS)
        .into_iter()
        .map(|(b, s)| json!({"brand": b, "listings": s.listings}))
        .collect();
    json!({
        "rows_read": stats.rows_read,
        "rows_scanned": stats.rows_scanned,
        "rows_rejected": stats.rows_rejected,
        "listings_flagged": stats.listings_flagged(),
        "remove": stats.listings(Action::Remove),
        "hide": stats.listings(Action::Hide),
        "review": stats.listings(Action::Review),
        "findings": stats.findings,
        "seconds": stats.elapsed.as_secs_f64(),
        "top_brands": top,
    })
}

/// The extension the upload's name ends with, among those the page takes.
pub fn extension(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    // A catalog and its pictures in one archive (build feature `ocr`).
    #[cfg(feature = "ocr")]
    if lower.ends_with(".zip") {
        return "zip";
    }
    EXTENSIONS
        .iter()
        .find(|e| lower.ends_with(&format!(".{e}")))
        .copied()
        .unwrap_or("csv")
}

/// The upload's name as shown and saved as: its last path segment, printable characters
/// only, at most 100 of them.
pub fn display_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(100)
        .collect();
    let clean = clean.trim_matches(|c| c == '.' || c == ' ').to_string();
    if clean.is_empty() {
        "catalog.csv".to_string()
    } else {
        clean
    }
}

/// 128 random bits as hex: a job id that cannot be guessed.
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !ok {
        // No /dev/urandom: hash what differs between calls and processes.
        use sha2::Digest;
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let mut h = sha2::Sha256::new();
        h.update(format!(
            "{:?} {} {} {:p}",
            std::time::SystemTime::now(),
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed),
            &bytes
        ));
        bytes.copy_from_slice(&h.finalize()[..16]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding it leaves plain data behind; keep serving.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names_never_become_paths() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\x\\..\\shop.csv"), "shop.csv");
        assert_eq!(display_name("..."), "catalog.csv");
        assert_eq!(display_name("<b>a</b>.csv"), "b.csv");
        assert_eq!(extension("Export.CSV.GZ"), "csv.gz");
        assert_eq!(extension("x.xlsx"), "xlsx");
        assert_eq!(extension("x.exe"), "csv");
        assert_eq!(extension("../x/.."), "csv");
    }

    #[test]
    fn only_other_servers_directories_are_candidates() {
        assert_eq!(dead_server_pid("brandscan-page-4242-a1B2c3"), Some(4242));
        let me = format!("brandscan-page-{}-a1B2c3", std::process::id());
        assert_eq!(dead_server_pid(&me), None);
        // The old unnumbered names, and names that only look alike, are left alone.
        assert_eq!(dead_server_pid("brandscan-page-a1B2c3"), None);
        assert_eq!(dead_server_pid("brandscan-page-4242-"), None);
        assert_eq!(dead_server_pid("brandscan-page--1-x"), None);
        assert_eq!(dead_server_pid("brandscan-pages-4242-x"), None);
    }

    #[test]
    fn the_sweep_takes_dead_servers_directories_only() {
        let tmp = tempfile::tempdir().unwrap();
        // pid 2^22 + 1 is above Linux's pid_max: never running.
        let dead = tmp.path().join("brandscan-page-4194305-abc123");
        let alive = tmp
            .path()
            .join(format!("brandscan-page-{}-abc123", std::process::id()));
        let other = tmp.path().join("brandscan-page-abc123");
        for d in [&dead, &alive, &other] {
            std::fs::create_dir_all(d.join("job")).unwrap();
        }
        assert_eq!(sweep_dead_servers(tmp.path()), 1);
        assert!(!dead.exists());
        assert!(alive.exists() && other.exists());
    }

    #[test]
    fn ids_are_random_hex() {
        let (a, b) = (random_id(), random_id());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
