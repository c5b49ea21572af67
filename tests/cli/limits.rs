//! Output files (mode, links, temporary files, signals), word-list budgets refused
//! before loading, and messages that name what went wrong once and precisely.

use crate::util::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn catalog(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("c.csv");
    std::fs::write(&p, "id,title\n1,Rolex strap\n2,Plain mug\n").unwrap();
    p
}

fn temporary_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".brandscan-") && n.ends_with(".tmp"))
        .collect()
}

#[cfg(unix)]
#[test]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog(dir.path());
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    for (umask, want) in [("077", 0o600), ("022", 0o644)] {
        let out = format!("r{umask}.csv");
        let html = format!("r{umask}.html");
        let status = Command::new("sh")
            .current_dir(dir.path())
            .arg("-c")
            .arg(format!(
                "umask {umask}; \"$0\" scan -q --fail-on never c.csv -o {out} && \"$0\" scan -q --fail-on never -f html c.csv -o {html} && \"$0\" fix -q c.csv -o f{umask}.csv --changes ch{umask}.csv --left l{umask}.csv"
            ))
            .arg(assert_cmd::cargo::cargo_bin("brandscan"))
            .status()
            .unwrap();
        assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
        for name in [
            out,
            html,
            format!("f{umask}.csv"),
            format!("ch{umask}.csv"),
            format!("l{umask}.csv"),
        ] {
            assert_eq!(mode(&name), want, "{name} under umask {umask}");
        }
    }
    // A report replaced keeps its mode.
    std::fs::set_permissions(
        dir.path().join("r022.csv"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    run(brandscan().current_dir(dir.path()).args([
        "scan",
        "-q",
        "--fail-on",
        "never",
        "c.csv",
        "-o",
        "r022.csv",
    ]));
    assert_eq!(mode("r022.csv"), 0o640);
    let _ = cat;
}

#[cfg(unix)]
#[test]
fn a_dangling_link_is_kept_and_its_target_written() {
    let dir = tempfile::tempdir().unwrap();
    catalog(dir.path());
    std::os::unix::fs::symlink("reports/today.csv", dir.path().join("latest.csv")).unwrap();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    run(brandscan().current_dir(dir.path()).args([
        "scan",
        "-q",
        "--fail-on",
        "never",
        "c.csv",
        "-o",
        "latest.csv",
    ]));
    let link = std::fs::symlink_metadata(dir.path().join("latest.csv")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let report = std::fs::read_to_string(dir.path().join("reports/today.csv")).unwrap();
    assert!(report.contains("Rolex"), "{report}");
}

#[cfg(unix)]
#[test]
fn stale_temporary_files_are_named_and_old_ones_removed() {
    let dir = tempfile::tempdir().unwrap();
    catalog(dir.path());
    let old = dir.path().join(".brandscan-OLD123.tmp");
    let young = dir.path().join(".brandscan-NEW456.tmp");
    std::fs::write(&old, "half a report").unwrap();
    std::fs::write(&young, "another run").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let r = run(brandscan().current_dir(dir.path()).args([
        "scan",
        "-q",
        "--fail-on",
        "never",
        "c.csv",
        "-o",
        "r.csv",
    ]));
    assert!(!old.exists(), "an old temporary file of ours stays");
    assert!(young.exists(), "a young one may be another run's");
    assert!(
        r.stderr.contains(".brandscan-OLD123.tmp") && r.stderr.contains("removed"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(".brandscan-NEW456.tmp"), "{}", r.stderr);
}

/// SIGTERM and SIGINT while `scan -o` writes: the temporary file goes with the process.
#[cfg(unix)]
#[test]
fn a_signal_during_scan_removes_the_temporary_file() {
    use std::io::Write;
    for sig in ["-TERM", "-INT"] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("brandscan"))
            .current_dir(dir.path())
            .args(["scan", "-q", "--fail-on", "never", "-", "-o", "r.csv"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // More than the reader samples before it knows the columns; the rest never comes.
        let rows: String = (0..20_000)
            .map(|i| format!("{i},Rolex strap {i}\n"))
            .collect();
        stdin.write_all(b"id,title\n").unwrap();
        stdin.write_all(rows.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while temporary_files(dir.path()).is_empty() {
            assert!(Instant::now() < deadline, "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
        let ok = Command::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let status = child.wait().unwrap();
        drop(stdin);
        assert!(!status.success(), "{sig}: {status:?}");
        assert_eq!(temporary_files(dir.path()), Vec::<String>::new(), "{sig}");
        assert!(!dir.path().join("r.csv").exists());
    }
}

#[test]
fn a_missing_file_is_reported_once() {
    let r = run(brandscan().args(["scan", "no-such-catalog.csv"]));
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.matches("os error 2").count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("no-such-catalog.csv"), "{}", r.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_names_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog(dir.path());
    let r = run(brandscan()
        .args(["scan", "-q", "-o", "/dev/full"])
        .arg(&cat));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("/dev/full"), "{}", r.stderr);
    assert!(!r.stderr.contains("<output>"), "{}", r.stderr);
}

#[test]
fn regex_rules_that_need_no_word_are_refused() {
    for pattern in [".*", "x*", "\\w+"] {
        let (_d, wl) = wordlist(
            "r.csv",
            &format!("term,kind\nrolex,literal\n\"{pattern}\",regex\n"),
        );
        let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
        assert_ne!(r.code, 0, "{pattern}: {}{}", r.stdout, r.stderr);
        let out = format!("{}{}", r.stdout, r.stderr);
        assert!(
            out.contains("every listing") && out.contains("r.csv:3"),
            "{pattern}: {out}"
        );
        let r = run(brandscan()
            .args(["check", "--no-builtin", "--title", "mug", "-w"])
            .arg(&wl));
        assert_eq!(r.code, 2, "{pattern}: {}", r.stderr);
    }
}

#[test]
fn many_regex_rules_are_warned_about() {
    let list: String = std::iter::once("term,kind\n".to_string())
        .chain((0..1001).map(|i| format!("zq{i}x+y,regex\n")))
        .collect();
    let (_d, wl) = wordlist("many.csv", &list);
    let r = run(brandscan()
        .args(["check", "--no-builtin", "--title", "zq7xxy", "-w"])
        .arg(&wl));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("1001 regex rules"), "{}", r.stderr);
}

#[test]
fn a_list_over_the_budget_is_refused_before_it_is_loaded() {
    let terms: String = (0..200_000).map(|i| format!("zq{i:07}brand\n")).collect();
    let (_d, wl) = wordlist("huge.txt", &terms);
    let r = run(brandscan()
        .args([
            "check",
            "--no-builtin",
            "--max-automaton-mb",
            "1",
            "--title",
            "x",
            "-w",
        ])
        .arg(&wl));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("huge.txt has more than"), "{}", r.stderr);
    assert!(
        r.stderr.contains("the first"),
        "counting stops early: {}",
        r.stderr
    );
    // Under the budget it loads.
    let r = run(brandscan()
        .args([
            "check",
            "--no-builtin",
            "--max-automaton-mb",
            "512",
            "--title",
            "zq0000042brand",
            "-w",
        ])
        .arg(&wl));
    assert_eq!(r.code, 1, "{}", r.stderr);
}
