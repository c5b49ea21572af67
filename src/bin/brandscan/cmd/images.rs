//! Pictures (build feature `ocr`): the reader the image flags describe, and what a run
//! of pictures came to, for stderr.

use crate::args::ImageArgs;
use anyhow::{bail, Result};
use brandscan::ocr::{ImagePolicy, PictureOptions, PictureReader, PictureStats, ReadOptions};
use std::path::Path;

/// Load the models and the cache for pictures in `dir`.
pub fn reader(args: &ImageArgs, dir: &Path) -> Result<PictureReader> {
    for (flag, v) in [
        ("--image-min-confidence", Some(args.image_min_confidence)),
        ("--image-trust", args.image_trust),
    ] {
        if let Some(v) = v.filter(|v| !(0.0..=1.0).contains(v)) {
            bail!("{flag} {v}: a confidence is a number from 0 to 1");
        }
    }
    let mut opts = PictureOptions::new(dir);
    opts.models = args.ocr_models.clone();
    opts.read = ReadOptions {
        tile_side: if args.no_image_tiles {
            0
        } else {
            ReadOptions::default().tile_side
        },
        ..ReadOptions::default()
    };
    opts.policy = ImagePolicy {
        min_confidence: args.image_min_confidence,
        trust_confidence: args
            .image_trust
            .unwrap_or(ImagePolicy::default().trust_confidence),
    };
    opts.cache_dir = args.image_cache.clone();
    opts.use_cache = !args.no_image_cache;
    opts.max_pixels = args.image_max_pixels;
    Ok(PictureReader::new(opts)?)
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
