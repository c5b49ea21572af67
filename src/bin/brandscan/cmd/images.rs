//! Pictures (build feature `ocr`): the reader the image flags describe, and what a run
//! of pictures came to, for stderr.

use anyhow::Result;
use brandscan::config::Config;
use brandscan::ocr::{PictureOptions, PictureReader, PictureStats};
use std::path::Path;

/// Load the models and the cache for pictures in `dir`, as the picture keys of `cfg`
/// (the file with the flags over it) say.
///
/// Each picture's tensors (tens of MB, of sizes that change with every picture and
/// every line of text) are mapped and unmapped rather than kept in glibc's heap, and
/// what the heap freed is handed back after each picture, so a long run stays near one
/// picture's peak per worker (docs/ocr.md, Memory).
pub fn reader(cfg: &Config, dir: &Path) -> Result<PictureReader> {
    super::memory::fixed_mmap_threshold();
    Ok(PictureReader::new(PictureOptions::from_config(cfg, dir))?
        .after_each_picture(super::memory::release_free_memory))
}

/// `pictures: 120 read, 30 from the cache, 2 not found in DIR, 1 unreadable`.
pub fn summary(s: &PictureStats, dir: &Path) -> String {
    format!(
        "brandscan: pictures: {} read, {} from the cache, {} not found in {}, {} unreadable",
        s.read,
        s.cached,
        s.missing,
        dir.display(),
        s.failed
    )
}
