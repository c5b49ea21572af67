//! Makes the synthetic pictures of the OCR evaluation: product pictures with brand words
//! (Latin and Chinese, several fonts, sizes, rotations, plain and busy backgrounds, small
//! print on large pictures) and brand-free ones (product wording, no text at all, a logo
//! shape with no words), plus a catalog that names them and the truth.
//!
//! ```text
//! cargo run --release --features ocr-eval --example ocr_synth -- OUT_DIR [COUNT] [SEED]
//! scripts/ocr-eval OUT_DIR     # scans it and prints recall, false findings, speed
//! ```
//!
//! Writes `OUT_DIR/pics/*.{png,jpg}`, `OUT_DIR/catalog.csv` (`sku,title,image`) and
//! `OUT_DIR/truth.csv` (`sku,kind,brand,text,font,px,angle,background,side`). Every brand
//! word is checked against the built-in lists (it must be found in plain text) and every
//! brand-free phrase too (it must not be), so the truth agrees with the matcher.
//! The fonts are the machine's (DejaVu, Liberation, WenQuanYi); missing ones are skipped.

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use brandscan::{Matcher, Rules, Scanner};
use image::{Rgb, RgbImage};
use std::io::Write;
use std::path::{Path, PathBuf};

const LATIN_BRANDS: &[&str] = &[
    "Nike",
    "Adidas",
    "Gucci",
    "Rolex",
    "Chanel",
    "Prada",
    "Louis Vuitton",
    "Puma",
    "Samsung",
    "Lego",
    "Dior",
    "Versace",
    "Fendi",
    "Burberry",
    "Balenciaga",
    "Cartier",
    "Omega",
    "Reebok",
    "Under Armour",
    "Ray-Ban",
    "Hermes",
    "Moncler",
    "Tiffany",
    "Swarovski",
    "Lancome",
    "Sony",
];
const CHINESE_BRANDS: &[&str] = &[
    "耐克",
    "阿迪达斯",
    "香奈儿",
    "古驰",
    "劳力士",
    "迪奥",
    "普拉达",
    "华为",
    "范思哲",
    "巴黎世家",
];
const LATIN_WORDS: &[&str] = &[
    "Premium Quality",
    "Running Shoes",
    "100% Cotton",
    "Free Shipping",
    "New Arrival",
    "Waterproof",
    "Best Seller",
    "Limited Offer",
    "Size 42",
    "Soft and light",
    "SALE 50% OFF",
    "Stainless Steel",
    "Handmade",
    "Summer Collection",
    "Gift for her",
    "Fast Delivery",
    "Eco Friendly",
    "Washable",
    "Made to last",
    "Breathable Mesh",
    "Kids 3-6 years",
];
const CHINESE_WORDS: &[&str] = &[
    "新品上市",
    "限时特价",
    "包邮",
    "纯棉",
    "运动鞋",
    "防水耐磨",
    "热卖",
    "透气舒适",
    "夏季新款",
    "买一送一",
    "品质保证",
];
const FONTS: &[(&str, bool)] = &[
    ("dejavu/DejaVuSans.ttf", false),
    ("dejavu/DejaVuSans-Bold.ttf", false),
    ("dejavu/DejaVuSerif.ttf", false),
    ("dejavu/DejaVuSansCondensed-Oblique.ttf", false),
    ("dejavu/DejaVuSansMono.ttf", false),
    ("liberation/LiberationSans-Regular.ttf", false),
    ("liberation/LiberationSans-Bold.ttf", false),
    ("liberation/LiberationSerif-Bold.ttf", false),
    ("liberation/LiberationSerif-Italic.ttf", false),
    ("liberation/LiberationMono-Bold.ttf", false),
    ("wqy/wqy-microhei.ttc", true),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

struct LoadedFont {
    name: String,
    font: FontVec,
    cjk: bool,
}

fn load_fonts() -> Vec<LoadedFont> {
    let root = Path::new("/usr/share/fonts/truetype");
    FONTS
        .iter()
        .filter_map(|(rel, cjk)| {
            let data = std::fs::read(root.join(rel)).ok()?;
            let font = FontVec::try_from_vec_and_index(data, 0).ok()?;
            Some(LoadedFont {
                name: rel.rsplit('/').next().unwrap_or(rel).to_string(),
                font,
                cjk: *cjk,
            })
        })
        .collect()
}

/// The text drawn as coverage (0 to 1), tightly around its line box.
fn rasterize(font: &FontVec, text: &str, px: f32) -> (Vec<f32>, usize, usize) {
    let scaled = font.as_scaled(PxScale::from(px));
    let pad = (px * 0.15).ceil() as usize + 2;
    let mut width = 0f32;
    let mut last = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(l) = last {
            width += scaled.kern(l, id);
        }
        width += scaled.h_advance(id);
        last = Some(id);
    }
    let w = width.ceil() as usize + 2 * pad;
    let h = (scaled.ascent() - scaled.descent()).ceil() as usize + 2 * pad;
    let mut cov = vec![0f32; w * h];
    let mut x = pad as f32;
    let mut last = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(l) = last {
            x += scaled.kern(l, id);
        }
        let glyph =
            id.with_scale_and_position(px, ab_glyph::point(x, pad as f32 + scaled.ascent()));
        if let Some(outline) = font.outline_glyph(glyph) {
            let b = outline.px_bounds();
            outline.draw(|gx, gy, v| {
                let (px_, py_) = (b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64);
                if px_ >= 0 && py_ >= 0 && (px_ as usize) < w && (py_ as usize) < h {
                    let k = py_ as usize * w + px_ as usize;
                    cov[k] = (cov[k] + v).min(1.0);
                }
            });
        }
        x += scaled.h_advance(id);
        last = Some(id);
    }
    (cov, w, h)
}

fn luminance(p: &Rgb<u8>) -> f32 {
    0.299 * p.0[0] as f32 + 0.587 * p.0[1] as f32 + 0.114 * p.0[2] as f32
}

/// Paint a background: plain, dark, a gradient, or busy (shapes and noise).
fn background(rng: &mut Rng, w: u32, h: u32) -> (RgbImage, &'static str) {
    let kind = rng.below(10);
    let mut img = RgbImage::new(w, h);
    let c = |rng: &mut Rng, lo: u8, hi: u8| {
        Rgb([0, 1, 2].map(|_| lo + rng.below((hi - lo) as usize + 1) as u8))
    };
    match kind {
        0..=2 => {
            let col = c(rng, 200, 255);
            img.pixels_mut().for_each(|p| *p = col);
            (img, "plain")
        }
        3..=4 => {
            let col = c(rng, 0, 70);
            img.pixels_mut().for_each(|p| *p = col);
            (img, "dark")
        }
        5..=6 => {
            let (a, b) = (c(rng, 0, 255), c(rng, 0, 255));
            for (x, y, p) in img.enumerate_pixels_mut() {
                let t = (x + y) as f32 / (w + h) as f32;
                *p = Rgb([0, 1, 2].map(|k| (a.0[k] as f32 * (1.0 - t) + b.0[k] as f32 * t) as u8));
            }
            (img, "gradient")
        }
        _ => {
            let base = c(rng, 60, 220);
            img.pixels_mut().for_each(|p| *p = base);
            for _ in 0..(12 + rng.below(30)) {
                let col = c(rng, 0, 255);
                let (cx, cy) = (rng.below(w as usize) as i64, rng.below(h as usize) as i64);
                let r = 10 + rng.below((w.min(h) / 4) as usize) as i64;
                let round = rng.below(2) == 0;
                for y in (cy - r).max(0)..(cy + r).min(h as i64) {
                    for x in (cx - r).max(0)..(cx + r).min(w as i64) {
                        if !round || (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                            img.put_pixel(x as u32, y as u32, col);
                        }
                    }
                }
            }
            for p in img.pixels_mut() {
                let n = rng.below(41) as i32 - 20;
                *p = Rgb(p.0.map(|v| (v as i32 + n).clamp(0, 255) as u8));
            }
            (img, "busy")
        }
    }
}

/// Draw coverage `cov` (w × h) turned by `angle` degrees, centred at (cx, cy).
#[allow(clippy::too_many_arguments)]
fn stamp(
    img: &mut RgbImage,
    cov: &[f32],
    w: usize,
    h: usize,
    angle: f32,
    cx: f32,
    cy: f32,
    color: Rgb<u8>,
) {
    let (s, c) = angle.to_radians().sin_cos();
    let half = ((w * w + h * h) as f32).sqrt() / 2.0 + 2.0;
    let (iw, ih) = img.dimensions();
    for y in (cy - half).max(0.0) as u32..((cy + half) as u32).min(ih) {
        for x in (cx - half).max(0.0) as u32..((cx + half) as u32).min(iw) {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            // Inverse rotation into the text's own frame.
            let u = dx * c + dy * s + w as f32 / 2.0;
            let v = -dx * s + dy * c + h as f32 / 2.0;
            if u < 0.0 || v < 0.0 || u >= (w - 1) as f32 || v >= (h - 1) as f32 {
                continue;
            }
            let (u0, v0) = (u as usize, v as usize);
            let (fu, fv) = (u - u0 as f32, v - v0 as f32);
            let a = cov[v0 * w + u0] * (1.0 - fu) + cov[v0 * w + u0 + 1] * fu;
            let b = cov[(v0 + 1) * w + u0] * (1.0 - fu) + cov[(v0 + 1) * w + u0 + 1] * fu;
            let t = a * (1.0 - fv) + b * fv;
            if t > 0.0 {
                let p = img.get_pixel_mut(x, y);
                *p =
                    Rgb([0, 1, 2]
                        .map(|k| (p.0[k] as f32 * (1.0 - t) + color.0[k] as f32 * t) as u8));
            }
        }
    }
}

/// A logo-like mark with no letters: a swoosh of arcs, or rings.
fn logo(img: &mut RgbImage, rng: &mut Rng) {
    let (w, h) = img.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let r = w.min(h) as f32 / 4.0;
    let col = Rgb([
        rng.below(80) as u8,
        rng.below(80) as u8,
        rng.below(80) as u8,
    ]);
    let rings = rng.below(2) == 0;
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let d = (dx * dx + dy * dy).sqrt();
        let on = if rings {
            (d - r).abs() < r * 0.12 || (d - r * 0.5).abs() < r * 0.1
        } else {
            // A crescent: inside one circle, outside a shifted one.
            d < r && ((dx - r * 0.35).powi(2) + (dy + r * 0.3).powi(2)).sqrt() > r * 0.85
        };
        if on {
            *p = col;
        }
    }
}

fn found_in_text(scanner: &Scanner, text: &str) -> bool {
    !scanner.scan_fields([("title", text)]).is_empty()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The pictures of the feature's tests (tests/data/ocr/): one each of the cases the
/// tests name, small and deterministic.
fn fixtures(out: &Path) {
    let fonts = load_fonts();
    let font = |name: &str| &fonts.iter().find(|f| f.name == name).expect(name).font;
    std::fs::create_dir_all(out).expect("create fixture folder");
    let plain = |w: u32, h: u32| RgbImage::from_pixel(w, h, Rgb([245, 242, 236]));
    let ink = Rgb([20, 20, 30]);
    let cases: [(&str, &str, &str, f32, f32, u32, u32); 6] = [
        (
            "a1.png",
            "DejaVuSans-Bold.ttf",
            "NIKE Air running",
            48.0,
            0.0,
            520,
            260,
        ),
        (
            "a2.png",
            "wqy-microhei.ttc",
            "香奈儿 新品上市",
            44.0,
            0.0,
            480,
            240,
        ),
        (
            "a3.png",
            "LiberationSerif-Bold.ttf",
            "ROLEX",
            56.0,
            18.0,
            420,
            320,
        ),
        (
            "a4.png",
            "LiberationSans-Bold.ttf",
            "GUCCI",
            56.0,
            180.0,
            400,
            220,
        ),
        (
            "a5.jpg",
            "DejaVuSans.ttf",
            "Free Shipping",
            40.0,
            0.0,
            480,
            240,
        ),
        (
            "a6.png",
            "DejaVuSans-Bold.ttf",
            "PRADA",
            20.0,
            0.0,
            2000,
            1500,
        ),
    ];
    for (name, f, text, px, angle, w, h) in cases {
        let mut img = plain(w, h);
        let (cov, cw, ch) = rasterize(font(f), text, px);
        let (cx, cy) = if name == "a6.png" {
            (1500.0, 1200.0)
        } else {
            (w as f32 / 2.0, h as f32 / 2.0)
        };
        stamp(&mut img, &cov, cw, ch, angle, cx, cy, ink);
        img.save(out.join(name)).expect("save fixture");
    }
    // Not a picture, whatever its name says. (Neutral file names: a name like
    // `nike-box.png` would be a finding of its own in the picture column's text.)
    std::fs::write(out.join("a7.jpg"), b"\xff\xd8\xff\xe0 truncated").expect("a7.jpg");
}

fn main() {
    let mut args = std::env::args().skip(1);
    if let Some(flag) = std::env::args().nth(1).filter(|a| a == "--fixtures") {
        let _ = flag;
        let out = std::env::args()
            .nth(2)
            .unwrap_or_else(|| "tests/data/ocr".into());
        fixtures(Path::new(&out));
        return;
    }
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: ocr_synth OUT_DIR [COUNT] [SEED]");
        std::process::exit(2);
    };
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let scanner =
        Scanner::new(Matcher::new(Rules::builtin().expect("built-in lists")).expect("matcher"));
    let usable = |words: &[&'static str], want: bool| -> Vec<&'static str> {
        words
            .iter()
            .copied()
            .filter(|w| found_in_text(&scanner, w) == want)
            .collect()
    };
    let latin_brands = usable(LATIN_BRANDS, true);
    let chinese_brands = usable(CHINESE_BRANDS, true);
    let latin_words = usable(LATIN_WORDS, false);
    let chinese_words = usable(CHINESE_WORDS, false);
    let fonts = load_fonts();
    assert!(
        !fonts.is_empty(),
        "no fonts found under /usr/share/fonts/truetype"
    );
    let cjk_fonts: Vec<&LoadedFont> = fonts.iter().filter(|f| f.cjk).collect();
    let pics = out.join("pics");
    std::fs::create_dir_all(&pics).expect("create OUT_DIR/pics");
    let mut catalog = std::fs::File::create(out.join("catalog.csv")).expect("catalog.csv");
    let mut truth = std::fs::File::create(out.join("truth.csv")).expect("truth.csv");
    writeln!(catalog, "sku,title,image").unwrap();
    writeln!(truth, "sku,kind,brand,text,font,px,angle,background,side").unwrap();
    let mut rng = Rng(seed);
    for i in 0..count {
        let sku = format!("P{i:05}");
        let roll = rng.below(100);
        let kind = match roll {
            0..=59 => "brand",
            60..=84 => "clean",
            85..=92 => "notext",
            _ => "logo",
        };
        let chinese = rng.below(4) == 0 && !cjk_fonts.is_empty();
        let small_print = kind == "brand" && rng.below(8) == 0;
        let side = if small_print {
            2400
        } else {
            *rng.pick(&[400u32, 600, 800, 1000, 1200, 1600])
        };
        let aspect = 0.75 + rng.unit() * 0.5;
        let (w, h) = (side, ((side as f32 * aspect) as u32).max(200));
        let (mut img, bg) = background(&mut rng, w, h);
        let (mut brand, mut text, mut font_name, mut px, mut angle) =
            (String::new(), String::new(), String::new(), 0f32, 0f32);
        if kind == "brand" || kind == "clean" {
            let font = if chinese {
                *rng.pick(&cjk_fonts)
            } else {
                rng.pick(&fonts)
            };
            let (b, filler) = if chinese {
                (*rng.pick(&chinese_brands), *rng.pick(&chinese_words))
            } else {
                (*rng.pick(&latin_brands), *rng.pick(&latin_words))
            };
            text = if kind == "clean" {
                filler.to_string()
            } else {
                let b = match rng.below(3) {
                    0 => b.to_uppercase(),
                    _ => b.to_string(),
                };
                brand = b.clone();
                match rng.below(3) {
                    0 => b,
                    1 if chinese => format!("{b}{filler}"),
                    1 => format!("{b} {filler}"),
                    _ if chinese => format!("{filler} {b}"),
                    _ => format!("{filler} {b}"),
                }
            };
            px = if small_print {
                *rng.pick(&[18f32, 22.0, 26.0])
            } else {
                let max = (w.min(h) as f32 / 6.0).max(20.0);
                (14.0 + rng.unit() * (max - 14.0)).round()
            };
            angle = match rng.below(20) {
                0..=10 => 0.0,
                11..=14 => (rng.unit() * 2.0 - 1.0) * 25.0,
                15..=16 => *rng.pick(&[90.0, -90.0]),
                17..=18 => 180.0,
                _ => (rng.unit() * 2.0 - 1.0) * 45.0,
            };
            let (mut cov, mut cw, mut ch) = rasterize(&font.font, &text, px);
            // Shrink text that would not fit the picture whatever its turn.
            let diag = ((cw * cw + ch * ch) as f32).sqrt();
            if diag > w.min(h) as f32 * 0.95 {
                px = (px * w.min(h) as f32 * 0.95 / diag).floor().max(10.0);
                (cov, cw, ch) = rasterize(&font.font, &text, px);
            }
            let diag = ((cw * cw + ch * ch) as f32).sqrt() / 2.0;
            let cx = diag + rng.unit() * (w as f32 - 2.0 * diag).max(0.0);
            let cy = diag + rng.unit() * (h as f32 - 2.0 * diag).max(0.0);
            let under = *img.get_pixel((cx as u32).min(w - 1), (cy as u32).min(h - 1));
            let color = if luminance(&under) > 128.0 {
                Rgb([
                    rng.below(60) as u8,
                    rng.below(60) as u8,
                    rng.below(60) as u8,
                ])
            } else {
                Rgb([
                    195 + rng.below(60) as u8,
                    195 + rng.below(60) as u8,
                    195 + rng.below(60) as u8,
                ])
            };
            stamp(&mut img, &cov, cw, ch, angle, cx, cy, color);
            font_name = font.name.clone();
        } else if kind == "logo" {
            logo(&mut img, &mut rng);
        }
        let name = if rng.below(2) == 0 {
            format!("{sku}.png")
        } else {
            format!("{sku}.jpg")
        };
        img.save(pics.join(&name)).expect("save picture");
        // A URL half of the time: the catalog names pictures as exports do.
        let image_field = if rng.below(2) == 0 {
            format!("https://cdn.example.com/p/{name}?w=800")
        } else {
            name.clone()
        };
        writeln!(catalog, "{sku},Product {i},{}", csv_field(&image_field)).unwrap();
        writeln!(
            truth,
            "{sku},{kind},{},{},{font_name},{px},{angle:.1},{bg},{}",
            csv_field(&brand),
            csv_field(&text),
            w.max(h)
        )
        .unwrap();
    }
    eprintln!("ocr_synth: {count} pictures in {}", pics.display());
}
