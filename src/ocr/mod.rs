//! Text in product pictures (build feature `ocr`): read the words printed on a product
//! or laid over its photo, and match them with the same rules as the listing's text.
//!
//! A [`PictureReader`] resolves each picture column of a listing (a file name, or a URL
//! whose last path segment is the file name) to a file in a folder, reads its text with
//! two PaddleOCR models run by `rten` (detection, then recognition of each line cut out
//! upright), and matches that text: findings have field `image:<column>`, match kind
//! `image_text`, the text as read in `matched` and the reader's confidence. Their
//! action is `review` unless [`ImagePolicy::trust_confidence`] says the rule's own
//! action holds at that confidence.
//!
//! Results are cached by the picture's SHA-256, so a nightly run reads only new
//! pictures. A picture that cannot be read (not found, too many pixels, not a picture)
//! is reported with its file name and never stops the run.
//!
//! ```no_run
//! use brandscan::ocr::{PictureOptions, PictureReader};
//! use brandscan::{Matcher, Rules};
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Nike\n").unwrap()).unwrap();
//! let reader = PictureReader::new(PictureOptions::new("pictures")).unwrap();
//! let found = reader.check_file(&m, "image", "pictures/shoe.jpg".as_ref()).unwrap();
//! for f in found { println!("{} ({})", f.matched, f.confidence.unwrap()); }
//! ```

mod cache;
mod engine;
mod models;
mod text;

pub use engine::{Engine, ReadOptions, TextLine};
pub use models::{cache_root, default_model_dir, DETECTOR_FILE, RECOGNISER_FILE, SETUP_SCRIPT};
pub use text::{find_in_picture, join_cjk, ImagePolicy, PictureText};

use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::matcher::{Matcher, Scratch};
use crate::record::RecordText;
use cache::Cache;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Pictures with more pixels than this are not decoded by default (a 8000 × 5000 photo):
/// a decoded picture takes 3 bytes a pixel, and product pictures are far smaller.
pub const DEFAULT_MAX_PIXELS: u64 = crate::config::DEFAULT_IMAGE_MAX_PIXELS;

/// Settings of a [`PictureReader`].
#[derive(Debug, Clone)]
pub struct PictureOptions {
    /// Where picture files are looked up by name.
    pub dir: PathBuf,
    /// The model folder; `None` is [`default_model_dir`].
    pub models: Option<PathBuf>,
    /// How pictures are read.
    pub read: ReadOptions,
    /// Confidence thresholds of findings.
    pub policy: ImagePolicy,
    /// The cache folder; `None` is `cache_root()/pictures`. Off with `use_cache: false`.
    pub cache_dir: Option<PathBuf>,
    /// Whether to keep and reuse what was read, by picture hash.
    pub use_cache: bool,
    /// Pictures with more pixels than this are reported, not read.
    pub max_pixels: u64,
}

impl PictureOptions {
    /// Defaults for pictures in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> PictureOptions {
        PictureOptions {
            dir: dir.into(),
            models: None,
            read: ReadOptions::default(),
            policy: ImagePolicy::default(),
            cache_dir: None,
            use_cache: true,
            max_pixels: DEFAULT_MAX_PIXELS,
        }
    }

    /// The options the picture keys of `cfg` (`brandscan.toml` with the flags laid over
    /// it) give for pictures in `dir`.
    ///
    /// ```
    /// use brandscan::config::Config;
    /// use brandscan::ocr::PictureOptions;
    /// let cfg = Config::parse("b.toml", "image_trust = 0.9\nno_image_tiles = true\n").unwrap();
    /// let o = PictureOptions::from_config(&cfg, "pictures");
    /// assert_eq!((o.policy.trust_confidence, o.read.tile_side), (0.9, 0));
    /// assert_eq!(o.max_pixels, brandscan::ocr::DEFAULT_MAX_PIXELS);
    /// ```
    pub fn from_config(cfg: &crate::config::Config, dir: impl Into<PathBuf>) -> PictureOptions {
        let mut o = PictureOptions::new(dir);
        o.models = cfg.ocr_models.clone();
        if cfg.no_image_tiles() {
            o.read.tile_side = 0;
        }
        o.policy = ImagePolicy {
            min_confidence: cfg.image_min_confidence(),
            trust_confidence: cfg.image_trust.unwrap_or(o.policy.trust_confidence),
        };
        o.cache_dir = cfg.image_cache.clone();
        o.use_cache = !cfg.no_image_cache();
        o.max_pixels = cfg.image_max_pixels();
        o
    }
}

/// What a run of pictures came to, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PictureStats {
    /// Pictures read by the models.
    pub read: u64,
    /// Pictures whose text came from the cache.
    pub cached: u64,
    /// Picture names with no file in the folder.
    pub missing: u64,
    /// Pictures that could not be read (too large, not a picture).
    pub failed: u64,
}

/// Reads pictures and matches their text. `Send + Sync`: one serves every worker.
#[derive(Debug)]
pub struct PictureReader {
    engine: Engine,
    opts: PictureOptions,
    cache: Option<Cache>,
    read: AtomicU64,
    cached: AtomicU64,
    missing: AtomicU64,
    failed: AtomicU64,
    after_read: Option<fn()>,
}

/// A picture that could not be read, with its file name. Shown as
/// `picture PATH: REASON`; the column goes into the location it is reported at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureProblem {
    /// The picture column.
    pub column: Arc<str>,
    /// The picture's file.
    pub path: PathBuf,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for PictureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "picture {}: {}", self.path.display(), self.reason)
    }
}

/// A picture column: its header names a picture, not the picture's alt text or size.
///
/// ```
/// use brandscan::ocr::is_picture_column;
/// assert!(is_picture_column("Image Src") && is_picture_column("main_img") && is_picture_column("主图"));
/// assert!(!is_picture_column("Image Alt Text") && !is_picture_column("title"));
/// ```
pub fn is_picture_column(name: &str) -> bool {
    let n = name.to_lowercase();
    ["image", "img", "picture", "photo", "图片", "主图"]
        .iter()
        .any(|w| n.contains(w))
        && !["alt", "position", "width", "height", "size"]
            .iter()
            .any(|w| n.contains(w))
}

/// The file names a picture field names: each URL's last path segment (query and
/// fragment dropped) or each name, split on whitespace, `,`, `;` and `|`.
///
/// ```
/// use brandscan::ocr::picture_names;
/// assert_eq!(
///     picture_names("https://cdn.example/p/a%20b.jpg?v=2, shoe-2.png;x/y/z.webp"),
///     ["a b.jpg", "shoe-2.png", "z.webp"]
/// );
/// ```
pub fn picture_names(field: &str) -> Vec<String> {
    field
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter_map(|tok| {
            let tok = tok.split(['?', '#']).next().unwrap_or("");
            let last = tok.rsplit(['/', '\\']).next().unwrap_or("");
            let name = percent_decode(last);
            (!name.is_empty() && name != "." && name != "..").then_some(name)
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(hi), Some(lo)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

const PICTURE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "gif", "bmp"];

fn looks_like_picture(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PICTURE_EXTENSIONS.iter().any(|p| e.eq_ignore_ascii_case(p)))
}

/// A picture sent with a listing (to `serve`), not named in a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentPicture {
    /// The picture column it stands for; its findings have field `image:<column>`.
    pub column: String,
    /// The picture file's bytes (JPEG, PNG, WebP, GIF or BMP).
    pub bytes: Vec<u8>,
}

/// What one record's pictures came to.
#[derive(Debug, Default)]
pub struct RecordPictures {
    /// Findings, field `image:<column>`.
    pub findings: Vec<Finding>,
    /// The text read for each `image:<column>` field, which findings point into.
    pub texts: Vec<(Arc<str>, String)>,
    /// Pictures that could not be read.
    pub problems: Vec<PictureProblem>,
}

impl PictureReader {
    /// Load the models and the cache.
    pub fn new(opts: PictureOptions) -> Result<PictureReader> {
        let models = opts.models.clone().unwrap_or_else(default_model_dir);
        let engine = Engine::load(&models, opts.read.clone())?;
        let cache = if opts.use_cache {
            let dir = opts
                .cache_dir
                .clone()
                .unwrap_or_else(|| cache_root().join("pictures"));
            Some(Cache::open(&dir, &cache_key(&models, &opts.read))?)
        } else {
            None
        };
        Ok(PictureReader {
            engine,
            opts,
            cache,
            read: AtomicU64::new(0),
            cached: AtomicU64::new(0),
            missing: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            after_read: None,
        })
    }

    /// Call `f` after each picture the models read (not one from the cache), on the
    /// thread that read it, once the picture's buffers are freed: the command line
    /// hands freed memory back to the system there, so that a run over many pictures
    /// stays at one picture's peak.
    pub fn after_each_picture(mut self, f: fn()) -> PictureReader {
        self.after_read = Some(f);
        self
    }

    /// The settings.
    pub fn options(&self) -> &PictureOptions {
        &self.opts
    }

    /// Counts so far.
    pub fn stats(&self) -> PictureStats {
        PictureStats {
            read: self.read.load(Ordering::Relaxed),
            cached: self.cached.load(Ordering::Relaxed),
            missing: self.missing.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
        }
    }

    /// The lines of text in the picture `bytes` (cached by their hash).
    pub fn read_bytes(&self, bytes: &[u8]) -> std::result::Result<Arc<Vec<TextLine>>, String> {
        self.read_bytes_until(bytes, &Cancel::new())
    }

    /// [`PictureReader::read_bytes`] that stops between model runs once `cancel` is set
    /// (and then caches nothing and answers an error).
    pub fn read_bytes_until(
        &self,
        bytes: &[u8],
        cancel: &Cancel,
    ) -> std::result::Result<Arc<Vec<TextLine>>, String> {
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        if let Some(lines) = self.cache.as_ref().and_then(|c| c.get(&hash)) {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Ok(lines);
        }
        let img = decode(bytes, self.opts.max_pixels)?;
        let lines = self.engine.read_until(&img, &|| cancel.is_cancelled());
        drop(img);
        if let Some(f) = self.after_read {
            f();
        }
        let lines = lines.map_err(|e| e.to_string())?;
        if cancel.is_cancelled() {
            return Err("cancelled".to_string());
        }
        let lines = Arc::new(lines);
        self.read.fetch_add(1, Ordering::Relaxed);
        if let Some(c) = &self.cache {
            c.put(hash, lines.clone());
        }
        Ok(lines)
    }

    /// Read the picture at `path` and match its text as field `image:<column>`.
    pub fn check_file(&self, matcher: &Matcher, column: &str, path: &Path) -> Result<Vec<Finding>> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let lines = self
            .read_bytes(&bytes)
            .map_err(|reason| Error::input(crate::error::Location::file(path), reason))?;
        let text = PictureText::from_lines(&lines, self.opts.policy.min_confidence);
        let field: Arc<str> = Arc::from(format!("image:{column}"));
        Ok(find_in_picture(
            matcher,
            &field,
            &text,
            &self.opts.policy,
            &mut Scratch::new(),
        ))
    }

    /// Read pictures sent as bytes, each with its column, and match their text: the
    /// pictures of one column make one field `image:<column>`, as in
    /// [`PictureReader::scan_record`]. Stops between model runs once `cancel` is set. A
    /// picture that cannot be read is an error with its index in `pictures`.
    pub fn check_pictures(
        &self,
        matcher: &Matcher,
        pictures: &[SentPicture],
        scratch: &mut Scratch,
        cancel: &Cancel,
    ) -> std::result::Result<Vec<Finding>, (usize, String)> {
        let mut columns: Vec<(&str, Vec<TextLine>)> = Vec::new();
        for (i, p) in pictures.iter().enumerate() {
            let lines = self.read_bytes_until(&p.bytes, cancel).map_err(|e| {
                self.failed.fetch_add(1, Ordering::Relaxed);
                (i, e)
            })?;
            match columns.iter_mut().find(|(c, _)| *c == p.column) {
                Some((_, all)) => all.extend(lines.iter().cloned()),
                None => columns.push((&p.column, lines.to_vec())),
            }
        }
        let mut found = Vec::new();
        for (column, lines) in columns {
            let text = PictureText::from_lines(&lines, self.opts.policy.min_confidence);
            let field: Arc<str> = Arc::from(format!("image:{column}"));
            found.extend(find_in_picture(
                matcher,
                &field,
                &text,
                &self.opts.policy,
                scratch,
            ));
        }
        Ok(found)
    }

    /// Read the pictures a record names in its picture columns and match their text.
    /// Several pictures in one column make one field, their texts joined by newlines.
    pub fn scan_record(
        &self,
        matcher: &Matcher,
        rec: &RecordText<'_>,
        scratch: &mut Scratch,
    ) -> RecordPictures {
        let mut out = RecordPictures::default();
        for f in rec.fields.iter().filter(|f| is_picture_column(f.name)) {
            let mut lines: Vec<TextLine> = Vec::new();
            for name in picture_names(f.text) {
                let path = self.opts.dir.join(&name);
                let bytes = match std::fs::read(&path) {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        if looks_like_picture(&name) {
                            self.missing.fetch_add(1, Ordering::Relaxed);
                        }
                        continue;
                    }
                    Err(e) => {
                        self.failed.fetch_add(1, Ordering::Relaxed);
                        out.problems.push(PictureProblem {
                            column: f.name.clone(),
                            path,
                            reason: e.to_string(),
                        });
                        continue;
                    }
                };
                match self.read_bytes(&bytes) {
                    Ok(l) => lines.extend(l.iter().cloned()),
                    Err(reason) => {
                        self.failed.fetch_add(1, Ordering::Relaxed);
                        out.problems.push(PictureProblem {
                            column: f.name.clone(),
                            path,
                            reason,
                        });
                    }
                }
            }
            let text = PictureText::from_lines(&lines, self.opts.policy.min_confidence);
            if text.text.is_empty() {
                continue;
            }
            let field: Arc<str> = Arc::from(format!("image:{}", f.name));
            out.findings.extend(find_in_picture(
                matcher,
                &field,
                &text,
                &self.opts.policy,
                scratch,
            ));
            out.texts.push((field, text.text));
        }
        out
    }
}

impl PictureReader {
    /// The step [`crate::scan::scan_catalogs_with`] runs on each record: read its
    /// pictures, add their findings, and turn each picture that could not be read into
    /// a warning naming the catalog line and the picture (`files` are the catalogs'
    /// names, by input index). The record's text findings stand either way.
    pub fn scan_step(
        &self,
        matcher: &Matcher,
        files: &[Arc<str>],
        rec: &RecordText<'_>,
        scratch: &mut Scratch,
        found: &mut crate::RecordFindings,
    ) -> crate::scan::Extra {
        let pics = self.scan_record(matcher, rec, scratch);
        found.findings.extend(pics.findings);
        let file = files.get(rec.file_index).map_or("<catalog>", |f| f);
        crate::scan::Extra {
            texts: pics.texts,
            notices: pics
                .problems
                .into_iter()
                .map(|p| {
                    let at = crate::error::Location::file(file)
                        .at_line(rec.line)
                        .in_column(p.column.to_string());
                    crate::catalog::Notice::warning(
                        at,
                        format!("listing {}: {}", rec.listing_id, p),
                    )
                })
                .collect(),
        }
    }
}

/// Decode a picture, refusing more than `max_pixels` before any pixel is decoded.
fn decode(bytes: &[u8], max_pixels: u64) -> std::result::Result<image::RgbImage, String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read: {e}"))?;
    if reader.format().is_none() {
        return Err("not a picture (JPEG, PNG, WebP, GIF or BMP)".to_string());
    }
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| format!("cannot decode: {e}"))?;
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(format!(
            "{w} × {h} pixels is more than the limit of {max_pixels} (--image-max-pixels)"
        ));
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read: {e}"))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    reader.limits(limits);
    let img = reader.decode().map_err(|e| format!("cannot decode: {e}"))?;
    Ok(img.to_rgb8())
}

/// Names the cache after what changes what is read: the models and the read options.
fn cache_key(models: &Path, read: &ReadOptions) -> String {
    let mut h = Sha256::new();
    for f in [DETECTOR_FILE, RECOGNISER_FILE] {
        let len = std::fs::metadata(models.join(f))
            .map(|m| m.len())
            .unwrap_or(0);
        h.update(format!("{f}:{len};"));
    }
    h.update(read.key());
    let d = h.finalize();
    d[..6].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_over_the_pixel_cap_and_non_pictures_are_refused_by_name() {
        let mut png = Vec::new();
        image::RgbImage::new(300, 200)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(decode(&png, 60_000).is_ok());
        let err = decode(&png, 59_999).unwrap_err();
        assert!(
            err.contains("300 × 200") && err.contains("--image-max-pixels"),
            "{err}"
        );
        let err = decode(b"sku,title\n", 1 << 20).unwrap_err();
        assert!(err.contains("not a picture"), "{err}");
        let err = decode(&png[..60], 1 << 20).unwrap_err();
        assert!(err.contains("cannot decode"), "{err}");
    }

    #[test]
    fn picture_names_take_the_last_segment_of_each_url() {
        assert_eq!(picture_names(""), Vec::<String>::new());
        assert_eq!(picture_names("a.jpg b.jpg"), ["a.jpg", "b.jpg"]);
        assert_eq!(picture_names("https://x/y/"), Vec::<String>::new());
        assert_eq!(picture_names("../../etc/passwd"), ["passwd"]);
        assert_eq!(picture_names("C:\\pics\\shoe%2.jpg"), ["shoe%2.jpg"]);
    }
}
