//! Output safety and limits: a closed pipe, a full disk, `-o` onto a pipe, no output on
//! a usage error or a failed run, and word lists over the memory budget.

use crate::util::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("brandscan")
}

/// A catalog whose every row has a finding, big enough that its report overflows a
/// pipe's buffer many times.
fn big_catalog(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "sku,title").unwrap();
    for i in 0..rows {
        writeln!(f, "S{i},Nike running shoe size {i}").unwrap();
    }
    drop(f);
    path
}

#[test]
fn a_closed_pipe_exits_zero_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = big_catalog(dir.path(), 20_000);
    let mut child = Command::new(bin())
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(&catalog)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 100];
    stdout.read_exact(&mut head).unwrap();
    assert!(head.starts_with(b"listing_id,row,field"));
    // Like `| head`: the reader goes away with most of the report unread.
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
}

#[test]
fn a_full_disk_on_stdout_is_an_error() {
    let dev_full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(dev_full) = dev_full else {
        // Not every system has /dev/full; there is nothing to test there.
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalog = big_catalog(dir.path(), 5_000);
    let out = Command::new(bin())
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(&catalog)
        .stdout(dev_full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn output_onto_a_named_pipe_writes_into_it_instead_of_replacing_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg("-o")
        .arg(&fifo)
        .arg(data("formats/listings.jsonl")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report = reader.join().unwrap();
    assert!(report.starts_with("listing_id,row,field"), "{report}");
    assert_eq!(report.lines().count(), 5);
    // Still a pipe: a rename would have put a regular file in its place.
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn usage_errors_leave_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let catalog = data("formats/listings.jsonl");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["missing.csv".into()],
        vec!["--id-column".into(), "nope".into(), catalog.clone().into()],
        vec!["--fields".into(), "nope".into(), catalog.clone().into()],
        vec!["--encoding".into(), "nope".into(), catalog.clone().into()],
        vec![
            "--max-field-bytes".into(),
            "lots".into(),
            catalog.clone().into(),
        ],
        vec![
            "-w".into(),
            data("bad/wordlist_empty_term.csv").into(),
            catalog.clone().into(),
        ],
        vec![data("bad/empty.csv").into()],
    ];
    for args in cases {
        let r = run(brandscan().arg("scan").arg("-o").arg(&out).args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{args:?} left a file"
        );
    }
}

#[test]
fn a_failed_run_keeps_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    std::fs::write(&out, "yesterday\n").unwrap();
    let r = run(brandscan()
        .args(["scan", "--strict", "-o"])
        .arg(&out)
        .arg(data("bad/wrong_field_count.csv")));
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "yesterday\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A good run replaces it whole.
    let r = run(brandscan()
        .args(["scan", "-o"])
        .arg(&out)
        .arg(data("formats/listings.jsonl")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("listing_id,"));
}

#[test]
fn a_word_list_over_the_memory_budget_is_refused() {
    // 20,000 distinct invented terms: a few MiB of automaton.
    let terms: String = (0..20_000)
        .map(|i| format!("brandname{i:05} signature line\n"))
        .collect();
    let (_d, list) = wordlist("huge.txt", &terms);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let r = run(brandscan()
        .args(["scan", "--max-automaton-mb", "1", "-w"])
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .arg(data("formats/listings.jsonl")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("the word lists are too big")
            && r.stderr
                .contains("over the memory budget of 1.0 MiB (--max-automaton-mb)"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    // The default budget takes it.
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&list)
        .arg(data("formats/listings.jsonl")));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("2024-05-01.csv");
    let link = dir.path().join("latest.csv");
    std::fs::write(&real, "old\n").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let r = run(brandscan()
        .arg("scan")
        .arg("-o")
        .arg(&link)
        .arg(data("formats/listings.jsonl")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .starts_with("listing_id,"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}
