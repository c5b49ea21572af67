//! Pictures (build feature `ocr`): the reader the image flags describe, and what a run
//! of pictures came to, for stderr.

use anyhow::Result;
use brandscan::config::Config;
use brandscan::ocr::{PictureOptions, PictureReader, PictureStats};
use std::path::Path;

/// Load the models and the cache for pictures in `dir`, as the picture keys of `cfg`
/// (the file with the flags over it) say.
pub fn reader(cfg: &Config, dir: &Path) -> Result<PictureReader> {
    Ok(PictureReader::new(PictureOptions::from_config(cfg, dir))?)
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
