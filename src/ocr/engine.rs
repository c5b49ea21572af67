//! The two models and the geometry between them: find text regions, cut each out upright,
//! read it.
//!
//! Detection runs the DB model on the whole picture (longest side at most
//! [`ReadOptions::detect_side`]) and, on large pictures, on tiles at full resolution so
//! that small print is not scaled away. Each region of the probability map becomes an
//! oriented rectangle (principal axes of its pixels, or the upright box when that is
//! tighter), is grown by the DB unclip ratio and cut out upright at the recogniser's
//! height. Tall regions are turned a quarter; a line read with low confidence is read
//! again upside down (and the other quarter turn), and the better reading wins.

use super::models::model_paths;
use crate::error::{Error, Result};
use image::RgbImage;
use rten::{Model, RunOptions, ThreadPool};
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;
use std::path::Path;
use std::sync::Arc;

/// One line of text read from a picture.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TextLine {
    /// The text as read.
    pub text: String,
    /// Mean probability of its characters, 0 to 1.
    pub confidence: f32,
}

/// How pictures are read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Longest side of the whole-picture detection pass, in pixels.
    pub detect_side: u32,
    /// Also detect on full-resolution tiles of this size when the picture's longest side
    /// is more than 1.5 times `detect_side`; 0 turns tiles off.
    pub tile_side: u32,
    /// Below this a line is read again turned around.
    pub retry_below: f32,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            detect_side: 960,
            tile_side: 960,
            retry_below: 0.85,
        }
    }
}

impl ReadOptions {
    /// A short text that changes whenever a setting changes what is read (cache keys).
    pub fn key(&self) -> String {
        format!(
            "d{}t{}r{}",
            self.detect_side, self.tile_side, self.retry_below
        )
    }
}

/// The loaded models. `Send + Sync`: one engine serves every worker thread.
pub struct Engine {
    det: Model,
    rec: Model,
    /// Index 0 is the CTC blank.
    charset: Vec<String>,
    opts: ReadOptions,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("charset", &self.charset.len())
            .field("opts", &self.opts)
            .finish()
    }
}

/// Height of the recogniser's input.
const REC_HEIGHT: usize = 48;
/// Longest recogniser input: lines longer than this are squeezed.
const REC_MAX_WIDTH: usize = 1600;
/// DB post-processing, as PaddleOCR sets it for this detector.
const DB_THRESH: f32 = 0.3;
const DB_BOX_THRESH: f32 = 0.5;
const DB_UNCLIP: f32 = 1.6;

thread_local! {
    /// Each worker runs the models on a pool of its own with one thread: the pictures
    /// are already spread over the cores, and nested pools would fight for them.
    static POOL: Arc<ThreadPool> = Arc::new(ThreadPool::with_num_threads(1));
}

fn run_opts(pool: &Arc<ThreadPool>) -> RunOptions {
    RunOptions::default().with_thread_pool(Some(pool.clone()))
}

impl Engine {
    /// Load the models from `dir` (see [`super::default_model_dir`]).
    pub fn load(dir: &Path, opts: ReadOptions) -> Result<Engine> {
        let (det_path, rec_path) = model_paths(dir)?;
        let load = |p: &Path| {
            Model::load_file(p)
                .map_err(|e| Error::usage(format!("{}: cannot load the model: {e}", p.display())))
        };
        let det = load(&det_path)?;
        let rec = load(&rec_path)?;
        let chars = rec.metadata().get("character").ok_or_else(|| {
            Error::usage(format!(
                "{}: the model has no `character` list in its metadata",
                rec_path.display()
            ))
        })?;
        let mut charset = vec![String::new()];
        charset.extend(chars.split('\n').map(str::to_string));
        // PaddleOCR recognisers end their classes with a space.
        charset.push(" ".to_string());
        Ok(Engine {
            det,
            rec,
            charset,
            opts,
        })
    }

    /// The options the engine reads with.
    pub fn options(&self) -> &ReadOptions {
        &self.opts
    }

    /// Read every line of text in `img`, top to bottom, left to right.
    pub fn read(&self, img: &RgbImage) -> Result<Vec<TextLine>> {
        self.read_until(img, &|| false)
    }

    /// [`Engine::read`] that gives up as soon as `stop()` is true, between model runs:
    /// the lines read so far are returned, and the caller, which asked to stop, drops
    /// them. A deadline frees the core within one model run.
    pub fn read_until(
        &self,
        img: &RgbImage,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Vec<TextLine>> {
        let pool = POOL.with(Arc::clone);
        off_the_workers(|| self.read_on(&pool, img, stop))
    }

    fn read_on(
        &self,
        pool: &Arc<ThreadPool>,
        img: &RgbImage,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Vec<TextLine>> {
        let (w, h) = img.dimensions();
        if w < 4 || h < 4 {
            return Ok(Vec::new());
        }
        let mut boxes = self.detect(pool, img, 0, 0, w, h, self.opts.detect_side)?;
        let tile = self.opts.tile_side;
        if tile > 0 && w.max(h) as f32 > self.opts.detect_side as f32 * 1.5 {
            let step = tile - tile / 8;
            let mut y = 0;
            loop {
                let th = tile.min(h - y);
                let mut x = 0;
                loop {
                    if stop() {
                        return Ok(Vec::new());
                    }
                    let tw = tile.min(w - x);
                    boxes.extend(self.detect(pool, img, x, y, tw, th, tile)?);
                    if x + tw >= w {
                        break;
                    }
                    x += step;
                }
                if y + th >= h {
                    break;
                }
                y += step;
            }
            boxes = dedupe(boxes);
        }
        boxes.sort_by(|a, b| {
            let (ay, by) = (a.cy - a.h / 2.0, b.cy - b.h / 2.0);
            let line = a.h.min(b.h) / 2.0;
            if (ay - by).abs() < line {
                a.cx.total_cmp(&b.cx)
            } else {
                ay.total_cmp(&by)
            }
        });
        let mut lines = Vec::new();
        for b in &boxes {
            if stop() {
                break;
            }
            if let Some(line) = self.recognise_box(pool, img, b)? {
                lines.push(line);
            }
        }
        Ok(lines)
    }

    /// Text regions of the part `x, y, w, h` of `img`, detected at a longest side of at
    /// most `side`, in `img`'s coordinates.
    #[allow(clippy::too_many_arguments)]
    fn detect(
        &self,
        pool: &Arc<ThreadPool>,
        img: &RgbImage,
        x: u32,
        y: u32,
        w: u32,
        h: u32,
        side: u32,
    ) -> Result<Vec<RBox>> {
        let scale = (side as f32 / w.max(h) as f32).min(1.0);
        let dw = round32(w as f32 * scale);
        let dh = round32(h as f32 * scale);
        let (sx, sy) = (w as f32 / dw as f32, h as f32 / dh as f32);
        let mut data = vec![0f32; 3 * dw * dh];
        let plane = dw * dh;
        for j in 0..dh {
            for i in 0..dw {
                let px = sample(
                    img,
                    x as f32 + (i as f32 + 0.5) * sx - 0.5,
                    y as f32 + (j as f32 + 0.5) * sy - 0.5,
                );
                // BGR, as PaddleOCR's OpenCV pipeline feeds it.
                for c in 0..3 {
                    data[c * plane + j * dw + i] = (px[2 - c] / 255.0 - 0.5) / 0.5;
                }
            }
        }
        let input = NdTensor::from_data([1, 3, dh, dw], data);
        let out = self
            .det
            .run_one(input.into(), Some(run_opts(pool)))
            .map_err(|e| Error::system(format!("text detection failed: {e}")))?;
        let prob: NdTensor<f32, 4> = out.try_into().map_err(|e| {
            Error::system(format!("text detection gave an unexpected output: {e:?}"))
        })?;
        let [_, _, ph, pw] = prob.shape();
        let prob = prob.to_vec();
        let mut boxes = regions(&prob, pw, ph);
        for b in &mut boxes {
            b.cx = x as f32 + b.cx * sx * dw as f32 / pw as f32;
            b.cy = y as f32 + b.cy * sy * dh as f32 / ph as f32;
            // Only exact for upright boxes; the sides of a tilted box scale by a mix of
            // both factors, and sx and sy differ by a few percent at most.
            let s = (sx + sy) / 2.0;
            b.w *= s * dw as f32 / pw as f32;
            b.h *= s * dh as f32 / ph as f32;
        }
        Ok(boxes)
    }

    fn recognise_box(
        &self,
        pool: &Arc<ThreadPool>,
        img: &RgbImage,
        b: &RBox,
    ) -> Result<Option<TextLine>> {
        // Tall regions are text running up or down the picture: turn it to lie flat.
        let tall = b.h > b.w * 1.5;
        let first = if tall { b.turned(1) } else { *b };
        let mut best = self.recognise(pool, img, &first)?;
        if best
            .as_ref()
            .is_none_or(|l| l.confidence < self.opts.retry_below)
        {
            let others: &[u8] = if tall { &[3] } else { &[2] };
            for &q in others {
                if let Some(line) = self.recognise(pool, img, &b.turned(q))? {
                    if best.as_ref().is_none_or(|l| line.confidence > l.confidence) {
                        best = Some(line);
                    }
                }
            }
        }
        Ok(best.filter(|l| !l.text.trim().is_empty()))
    }

    fn recognise(
        &self,
        pool: &Arc<ThreadPool>,
        img: &RgbImage,
        b: &RBox,
    ) -> Result<Option<TextLine>> {
        if b.w < 2.0 || b.h < 2.0 {
            return Ok(None);
        }
        let width = ((REC_HEIGHT as f32 * b.w / b.h).round() as usize).clamp(8, REC_MAX_WIDTH);
        let (cos, sin) = (b.angle.cos(), b.angle.sin());
        let plane = REC_HEIGHT * width;
        let mut data = vec![0f32; 3 * plane];
        for j in 0..REC_HEIGHT {
            let v = ((j as f32 + 0.5) / REC_HEIGHT as f32 - 0.5) * b.h;
            for i in 0..width {
                let u = ((i as f32 + 0.5) / width as f32 - 0.5) * b.w;
                let px = sample(
                    img,
                    b.cx + u * cos - v * sin - 0.5,
                    b.cy + u * sin + v * cos - 0.5,
                );
                for c in 0..3 {
                    data[c * plane + j * width + i] = (px[2 - c] / 255.0 - 0.5) / 0.5;
                }
            }
        }
        let input = NdTensor::from_data([1, 3, REC_HEIGHT, width], data);
        let out = self
            .rec
            .run_one(input.into(), Some(run_opts(pool)))
            .map_err(|e| Error::system(format!("text recognition failed: {e}")))?;
        let probs: NdTensor<f32, 3> = out.try_into().map_err(|e| {
            Error::system(format!("text recognition gave an unexpected output: {e:?}"))
        })?;
        let [_, steps, classes] = probs.shape();
        let probs = probs.to_vec();
        Ok(ctc_decode(&probs, steps, classes, &self.charset))
    }
}

/// Run `f`, which waits on the models' own pool, where waiting takes no other work.
///
/// On a worker of the scan's rayon pool the models' pool is another pool, and a rayon
/// worker that waits on another pool runs its own pool's pending work meanwhile: the
/// next listings of the batch, whose pictures were then decoded and read while the first
/// was half done, one inside the other. With `-j1` heaptrack found three pictures in the
/// works at once after 20, and the peak grew with the number of pictures (docs/ocr.md,
/// Memory). A plain thread waits without taking work; elsewhere `f` runs where it is.
fn off_the_workers<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_none() {
        return f();
    }
    std::thread::scope(|s| s.spawn(f).join())
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Greedy CTC: the best class at each step, repeats merged, blanks dropped; the
/// confidence is the mean probability of the kept steps.
fn ctc_decode(probs: &[f32], steps: usize, classes: usize, charset: &[String]) -> Option<TextLine> {
    let mut text = String::new();
    let (mut sum, mut n) = (0f32, 0usize);
    let mut last = 0usize;
    for t in 0..steps {
        let row = &probs[t * classes..(t + 1) * classes];
        let (best, p) =
            row.iter().enumerate().fold(
                (0, f32::MIN),
                |acc, (i, &p)| if p > acc.1 { (i, p) } else { acc },
            );
        if best != 0 && best != last {
            if let Some(c) = charset.get(best) {
                text.push_str(c);
                sum += p;
                n += 1;
            }
        }
        last = best;
    }
    (n > 0).then(|| TextLine {
        text,
        confidence: sum / n as f32,
    })
}

/// A rotated rectangle: centre, size along its own axes, angle of its width axis.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RBox {
    cx: f32,
    cy: f32,
    w: f32,
    h: f32,
    angle: f32,
    score: f32,
}

impl RBox {
    /// The same region turned `q` quarter turns, so it is cut out that way up.
    fn turned(&self, q: u8) -> RBox {
        let mut b = *self;
        b.angle += q as f32 * std::f32::consts::FRAC_PI_2;
        if q % 2 == 1 {
            std::mem::swap(&mut b.w, &mut b.h);
        }
        b
    }

    /// Upright bounds: x0, y0, x1, y1.
    fn bounds(&self) -> (f32, f32, f32, f32) {
        let (c, s) = (self.angle.cos().abs(), self.angle.sin().abs());
        let hw = (self.w * c + self.h * s) / 2.0;
        let hh = (self.w * s + self.h * c) / 2.0;
        (self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh)
    }
}

/// Drop a region mostly inside a larger one: the same text seen whole and in a tile.
fn dedupe(mut boxes: Vec<RBox>) -> Vec<RBox> {
    boxes.sort_by(|a, b| (b.w * b.h).total_cmp(&(a.w * a.h)));
    let mut kept: Vec<RBox> = Vec::new();
    for b in boxes {
        let (x0, y0, x1, y1) = b.bounds();
        let area = (x1 - x0) * (y1 - y0);
        let inside = kept.iter().any(|k| {
            let (a0, b0, a1, b1) = k.bounds();
            let iw = (x1.min(a1) - x0.max(a0)).max(0.0);
            let ih = (y1.min(b1) - y0.max(b0)).max(0.0);
            iw * ih > 0.6 * area
        });
        if !inside {
            kept.push(b);
        }
    }
    kept
}

fn round32(v: f32) -> usize {
    (((v / 32.0).round() as usize) * 32).max(32)
}

/// Bilinear sample at `(x, y)` (pixel centres at integers), edges clamped.
fn sample(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = img.dimensions();
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| img.get_pixel(x, y).0;
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    let mut out = [0f32; 3];
    for k in 0..3 {
        let top = a[k] as f32 * (1.0 - fx) + b[k] as f32 * fx;
        let bot = c[k] as f32 * (1.0 - fx) + d[k] as f32 * fx;
        out[k] = top * (1.0 - fy) + bot * fy;
    }
    out
}

/// The DB post-processing: threshold the probability map, dilate by one pixel, take
/// each 8-connected region, keep those whose mean probability passes, and fit each with
/// a rectangle grown by the unclip ratio. Coordinates are the map's.
fn regions(prob: &[f32], w: usize, h: usize) -> Vec<RBox> {
    let mut mask = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            // A 2x2 dilation, as PaddleOCR does: the pixel or its left, upper and
            // upper-left neighbours.
            let on = |x: usize, y: usize| prob[y * w + x] > DB_THRESH;
            mask[y * w + x] = on(x, y)
                || (x > 0 && on(x - 1, y))
                || (y > 0 && on(x, y - 1))
                || (x > 0 && y > 0 && on(x - 1, y - 1));
        }
    }
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    let mut pixels: Vec<(usize, usize)> = Vec::new();
    for start in 0..w * h {
        if !mask[start] || seen[start] {
            continue;
        }
        pixels.clear();
        seen[start] = true;
        stack.push(start);
        while let Some(p) = stack.pop() {
            let (x, y) = (p % w, p / w);
            pixels.push((x, y));
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let q = ny as usize * w + nx as usize;
                    if mask[q] && !seen[q] {
                        seen[q] = true;
                        stack.push(q);
                    }
                }
            }
        }
        if pixels.len() < 9 {
            continue;
        }
        let score = pixels.iter().map(|&(x, y)| prob[y * w + x]).sum::<f32>() / pixels.len() as f32;
        if score < DB_BOX_THRESH {
            continue;
        }
        if let Some(b) = fit(&pixels, score) {
            out.push(b);
        }
    }
    out
}

/// The tighter of the principal-axes rectangle and the upright one around `pixels`,
/// grown by the DB unclip distance (area × ratio / perimeter on every side).
fn fit(pixels: &[(usize, usize)], score: f32) -> Option<RBox> {
    let n = pixels.len() as f32;
    let (mx, my) = pixels
        .iter()
        .fold((0f32, 0f32), |(a, b), &(x, y)| (a + x as f32, b + y as f32));
    let (mx, my) = (mx / n, my / n);
    let (mut sxx, mut syy, mut sxy) = (0f32, 0f32, 0f32);
    for &(x, y) in pixels {
        let (dx, dy) = (x as f32 - mx, y as f32 - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let pca = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let rect = |angle: f32| {
        let (c, s) = (angle.cos(), angle.sin());
        let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for &(x, y) in pixels {
            // Pixel corners, not centres: a one-pixel-high line is one pixel high.
            for (ox, oy) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                let (px, py) = (x as f32 + ox, y as f32 + oy);
                let u = px * c + py * s;
                let v = -px * s + py * c;
                u0 = u0.min(u);
                u1 = u1.max(u);
                v0 = v0.min(v);
                v1 = v1.max(v);
            }
        }
        let (uc, vc) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
        RBox {
            cx: uc * c - vc * s,
            cy: uc * s + vc * c,
            w: u1 - u0,
            h: v1 - v0,
            angle,
            score,
        }
    };
    let a = rect(pca);
    let b = rect(0.0);
    let mut r = if b.w * b.h <= a.w * a.h * 1.05 { b } else { a };
    // Keep the width axis pointing right, so that a flat line is cut out left to right.
    if r.angle.cos() < 0.0 {
        r.angle += std::f32::consts::PI;
    }
    if r.w.min(r.h) < 2.0 {
        return None;
    }
    let d = r.w * r.h * DB_UNCLIP / (2.0 * (r.w + r.h));
    r.w += 2.0 * d;
    r.h += 2.0 * d;
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items of a one-thread pool that each wait on another pool: how many are in the
    /// works at once, at most.
    fn most_in_flight(wait: fn(&rayon::ThreadPool)) -> usize {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let models = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let workers = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        workers.install(|| {
            use rayon::prelude::*;
            (0..8).into_par_iter().for_each(|_| {
                most.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                wait(&models);
                now.fetch_sub(1, Ordering::SeqCst);
            });
        });
        most.load(Ordering::SeqCst)
    }

    #[test]
    fn a_worker_waiting_for_the_models_starts_no_other_picture() {
        fn pause() {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // Waiting on the other pool directly, the worker takes up the next items.
        assert!(most_in_flight(|m| m.install(pause)) > 1);
        assert_eq!(most_in_flight(|m| off_the_workers(|| m.install(pause))), 1);
    }

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let charset: Vec<String> = ["", "N", "I", "K", "E"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // N N blank I K K blank K E
        let path = [1, 1, 0, 2, 3, 3, 0, 3, 4];
        let mut probs = vec![0.0; path.len() * 5];
        for (t, &c) in path.iter().enumerate() {
            probs[t * 5 + c] = 0.9;
        }
        let line = ctc_decode(&probs, path.len(), 5, &charset).unwrap();
        assert_eq!(line.text, "NIKKE");
        assert!((line.confidence - 0.9).abs() < 1e-6);
        assert_eq!(ctc_decode(&[1.0, 0.0], 1, 2, &charset[..2]), None);
    }

    #[test]
    fn a_tilted_bar_is_fitted_along_its_slope() {
        let (w, h) = (120, 80);
        let mut prob = vec![0f32; w * h];
        // A bar 60 long and 6 thick at about 20 degrees.
        let angle = 20f32.to_radians();
        for t in 0..600 {
            for k in 0..6 {
                let u = t as f32 / 10.0;
                let v = k as f32;
                let x = 20.0 + u * angle.cos() - v * angle.sin();
                let y = 20.0 + u * angle.sin() + v * angle.cos();
                prob[y as usize * w + x as usize] = 0.9;
            }
        }
        let boxes = regions(&prob, w, h);
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        let b = boxes[0];
        assert!((b.angle.to_degrees() - 20.0).abs() < 4.0, "{b:?}");
        assert!(b.w > b.h * 3.0, "{b:?}");
    }

    #[test]
    fn an_upright_word_keeps_an_upright_box_and_faint_regions_go() {
        let (w, h) = (64, 32);
        let mut prob = vec![0f32; w * h];
        for y in 10..20 {
            for x in 8..40 {
                prob[y * w + x] = 0.8;
            }
            for x in 50..60 {
                prob[y * w + x] = 0.35;
            }
        }
        let boxes = regions(&prob, w, h);
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        assert_eq!(boxes[0].angle, 0.0);
        let (x0, y0, x1, y1) = boxes[0].bounds();
        assert!(
            x0 < 8.0 && x1 > 41.0 && y0 < 10.0 && y1 > 21.0,
            "{:?}",
            boxes[0]
        );
    }

    #[test]
    fn a_region_seen_whole_and_in_a_tile_is_kept_once() {
        let whole = RBox {
            cx: 50.0,
            cy: 20.0,
            w: 80.0,
            h: 20.0,
            angle: 0.0,
            score: 0.9,
        };
        let part = RBox {
            cx: 70.0,
            cy: 20.0,
            w: 40.0,
            h: 18.0,
            angle: 0.0,
            score: 0.9,
        };
        let other = RBox {
            cx: 50.0,
            cy: 80.0,
            w: 80.0,
            h: 20.0,
            angle: 0.0,
            score: 0.9,
        };
        assert_eq!(dedupe(vec![part, whole, other]), vec![whole, other]);
    }
}
