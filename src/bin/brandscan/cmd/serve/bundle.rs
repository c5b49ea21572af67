//! A `.zip` upload on the page (build feature `ocr`): a catalog and its pictures in one
//! file. The catalog is scanned with `--images` over the pictures, which are looked up
//! by file name as `scan --images DIR` looks them up.
//!
//! Nothing in the archive becomes a path as written: each entry keeps only its last
//! segment, cut to the characters an upload name may have, and lands in the job's own
//! directory. The unpacked bytes are counted against `--max-upload`, so a small archive
//! cannot unpack to fill the disk.

use super::jobs::{display_name, extension};
use anyhow::{anyhow, bail, Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Entries an archive may hold.
const MAX_ENTRIES: usize = 100_000;

/// File name endings of pictures (as `scan --images` reads them).
const PICTURES: &[&str] = &["jpg", "jpeg", "png", "webp", "gif", "bmp"];

/// What an archive held: the catalog's path and the pictures' folder.
#[derive(Debug)]
pub struct Unpacked {
    pub catalog: PathBuf,
    pub pictures: PathBuf,
    pub picture_count: usize,
}

/// Unpack `zip` into `dir`: its one catalog (a file the page takes as a catalog) into
/// `dir`, its pictures into `dir/pictures`; anything else is skipped. At most `max_bytes`
/// unpacked.
pub fn unpack(zip: &Path, dir: &Path, max_bytes: u64) -> Result<Unpacked> {
    let file = std::fs::File::open(zip).with_context(|| format!("{}", zip.display()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| anyhow!("not a zip archive: {e}"))?;
    if archive.len() > MAX_ENTRIES {
        bail!(
            "the archive holds {} files, more than {MAX_ENTRIES}",
            archive.len()
        );
    }
    let pictures = dir.join("pictures");
    std::fs::create_dir_all(&pictures)?;
    let mut catalogs: Vec<(String, PathBuf)> = Vec::new();
    let (mut left, mut picture_count) = (max_bytes, 0);
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| anyhow!("cannot read the archive: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let raw = entry.name().to_string();
        let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
        // macOS adds resource forks beside every file.
        if raw.starts_with("__MACOSX/") || last.starts_with("._") || last.is_empty() {
            continue;
        }
        let name = display_name(last);
        let lower = name.to_ascii_lowercase();
        let is_picture = Path::new(&lower)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| PICTURES.contains(&e));
        let is_catalog = !is_picture
            && !lower.ends_with(".zip")
            && lower.ends_with(&format!(".{}", extension(&lower)));
        let to = if is_picture {
            picture_count += 1;
            pictures.join(&name)
        } else if is_catalog {
            let to = dir.join(format!("unpacked-{name}"));
            catalogs.push((raw.clone(), to.clone()));
            to
        } else {
            continue;
        };
        let mut out = std::fs::File::create(&to)?;
        // One byte over what is left tells a file that does not fit.
        let copied = std::io::copy(&mut (&mut entry).take(left + 1), &mut out)
            .map_err(|e| anyhow!("{raw}: cannot unpack: {e}"))?;
        if copied > left {
            bail!("the archive unpacks to more than {max_bytes} bytes (--max-upload)");
        }
        left -= copied;
    }
    match catalogs.len() {
        0 => bail!(
            "the archive holds no catalog (a .csv, .tsv, .txt, .xlsx or .jsonl file, \
             or one of them .gz) beside its pictures"
        ),
        1 => Ok(Unpacked {
            catalog: catalogs.remove(0).1,
            pictures,
            picture_count,
        }),
        _ => bail!(
            "the archive holds more than one catalog ({}): keep one",
            catalogs
                .iter()
                .map(|c| c.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(path: &Path, files: &[(&str, &[u8])]) {
        let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for (name, bytes) in files {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }

    #[test]
    fn a_catalog_and_its_pictures_unpack_by_last_segment_only() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("shop.zip");
        zip_of(
            &zip,
            &[
                ("shop/catalog.csv", b"sku,title,image\nA1,Shoe,a1.png\n"),
                ("shop/pics/a1.png", b"png"),
                ("../../evil/a2.JPG", b"jpg"),
                ("__MACOSX/shop/._a1.png", b"fork"),
                ("notes.pdf", b"pdf"),
            ],
        );
        let u = unpack(&zip, dir.path(), 1 << 20).unwrap();
        assert_eq!(u.catalog, dir.path().join("unpacked-catalog.csv"));
        assert_eq!(u.picture_count, 2);
        assert!(u.pictures.join("a1.png").is_file() && u.pictures.join("a2.JPG").is_file());
        assert!(!dir.path().join("notes.pdf").exists());
        assert!(!dir.path().parent().unwrap().join("evil").exists());
    }

    #[test]
    fn archives_without_one_catalog_or_too_large_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("x.zip");
        zip_of(&zip, &[("a.png", b"png")]);
        let e = unpack(&zip, dir.path(), 1 << 20).unwrap_err().to_string();
        assert!(e.contains("no catalog"), "{e}");
        zip_of(&zip, &[("a.csv", b"sku\n"), ("b.tsv", b"sku\n")]);
        let e = unpack(&zip, dir.path(), 1 << 20).unwrap_err().to_string();
        assert!(e.contains("more than one catalog (a.csv, b.tsv)"), "{e}");
        zip_of(&zip, &[("a.csv", &[b'x'; 5000])]);
        let e = unpack(&zip, dir.path(), 4096).unwrap_err().to_string();
        assert!(e.contains("more than 4096 bytes"), "{e}");
        std::fs::write(&zip, b"sku,title\n").unwrap();
        let e = unpack(&zip, dir.path(), 4096).unwrap_err().to_string();
        assert!(e.contains("not a zip archive"), "{e}");
    }
}
