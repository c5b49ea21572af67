//! Deterministic synthetic marketplace catalog generator for brandscan benchmarks.
//!
//! std only: a seeded xoshiro256** PRNG drives word pools that look like real
//! marketplace listings (titles, plain and HTML descriptions, prices, image URLs),
//! with a configurable share of rows mentioning a brand term, some of them
//! obfuscated the way sellers evade filters. Same config + same terms = same bytes.
//!
//! Used by the benches (`mod corpus;`) and by `examples/gen_catalog.rs`.

#![allow(dead_code)]

use std::collections::HashSet;
use std::io::{self, Write};

/// Rows generated when neither `rows` nor `target_bytes` is set.
pub const DEFAULT_ROWS: u64 = 10_000;

/// The CSV header written first.
pub const HEADER: &str = "product_id,title,description,brand_name,price,image_url\n";

/// What to generate. Shares are probabilities in `0.0..=1.0`.
#[derive(Debug, Clone)]
pub struct CorpusConfig {
    pub seed: u64,
    /// Stop after this many data rows (header not counted).
    pub rows: Option<u64>,
    /// Stop after the row whose end reaches or crosses this many bytes (header counted).
    /// With both limits set, whichever comes first; with neither, [`DEFAULT_ROWS`].
    pub target_bytes: Option<u64>,
    /// Fraction of rows mentioning a brand term (title, description and/or image URL).
    pub brand_density: f64,
    /// Fraction of rows with accented / other-script (non-CJK) text.
    pub non_ascii_share: f64,
    /// Fraction of rows with Chinese text.
    pub cjk_share: f64,
    /// Fraction of rows whose description is HTML.
    pub html_share: f64,
    /// Fraction of brand mentions that are obfuscated: `N1ke`, `Nіke` (Cyrillic),
    /// `N I K E`, `Ｎｉｋｅ`, zero-width / soft hyphen inside, `Rollex`.
    pub evasion_share: f64,
    /// Inclusive range of description length in words.
    pub description_words: (usize, usize),
    /// Of the rows with Chinese text, the fraction whose title is all Chinese.
    pub cjk_title_share: f64,
    /// Of the rows with Chinese text, the fraction whose description is all Chinese.
    pub cjk_description_share: f64,
    /// Fraction of rows with typographic punctuation and symbols as sellers paste
    /// them: ’ “ ” ™ ® ° × ± — – …, `&nbsp;` in HTML, full-width brackets and digits.
    pub typographic_share: f64,
    /// Fraction of brand mentions drawn from the terms with Chinese characters (when
    /// the list has any); the rest draw from the whole list.
    pub cjk_terms_share: f64,
}

impl CorpusConfig {
    /// A named preset over the defaults: `ascii` (the defaults), `mixed` (nearly every
    /// row carries typographic punctuation, symbols, accented Latin, some full-width
    /// forms and Chinese phrases) or `cjk` (Chinese titles and descriptions as on
    /// Alibaba, with Chinese brand names).
    pub fn preset(name: &str) -> Option<CorpusConfig> {
        let d = CorpusConfig::default();
        match name {
            "ascii" => Some(d),
            "mixed" => Some(CorpusConfig {
                non_ascii_share: 0.5,
                cjk_share: 0.15,
                cjk_title_share: 0.2,
                cjk_description_share: 0.1,
                typographic_share: 0.97,
                ..d
            }),
            "cjk" => Some(CorpusConfig {
                non_ascii_share: 0.02,
                cjk_share: 0.92,
                cjk_title_share: 0.95,
                cjk_description_share: 0.9,
                typographic_share: 0.3,
                cjk_terms_share: 0.7,
                ..d
            }),
            _ => None,
        }
    }
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig {
            seed: 42,
            rows: Some(DEFAULT_ROWS),
            target_bytes: None,
            brand_density: 0.05,
            non_ascii_share: 0.05,
            cjk_share: 0.03,
            html_share: 0.3,
            evasion_share: 0.1,
            description_words: (20, 80),
            cjk_title_share: 0.6,
            cjk_description_share: 0.5,
            typographic_share: 0.0,
            cjk_terms_share: 0.0,
        }
    }
}

/// What [`write_catalog`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatalogStats {
    /// Data rows (header not counted).
    pub rows: u64,
    /// Bytes written, header included.
    pub bytes: u64,
    /// Rows in which a brand term was inserted (plain or obfuscated).
    pub brand_rows: u64,
}

/// Writes a CSV catalog (`product_id,title,description,brand_name,price,image_url`,
/// RFC 4180 quoting, `\n` line ends, UTF-8) to `out` and flushes it.
///
/// Brand mentions draw uniformly from `brand_terms` (empty terms are skipped; no
/// terms means no brand rows).
pub fn write_catalog<W: Write>(
    cfg: &CorpusConfig,
    brand_terms: &[String],
    mut out: W,
) -> io::Result<CatalogStats> {
    const FLUSH_AT: usize = 1 << 20;
    let terms: Vec<&str> = brand_terms
        .iter()
        .map(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    let cjk_terms: Vec<&str> = terms
        .iter()
        .copied()
        .filter(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        .collect();
    let mut gen = Gen {
        rng: Rng::new(cfg.seed),
        cfg,
        terms: &terms,
        cjk_terms: &cjk_terms,
        house: generate_terms(cfg.seed ^ 0x686f_7573_655f_6272, 96),
    };
    let max_rows = match (cfg.rows, cfg.target_bytes) {
        (None, None) => Some(DEFAULT_ROWS),
        (r, _) => r,
    };
    let mut stats = CatalogStats::default();
    let mut buf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 64 * 1024);
    let mut field: Vec<u8> = Vec::with_capacity(4096);
    buf.extend_from_slice(HEADER.as_bytes());
    stats.bytes = HEADER.len() as u64;
    loop {
        if max_rows.is_some_and(|m| stats.rows >= m) {
            break;
        }
        if cfg.target_bytes.is_some_and(|t| stats.bytes >= t) {
            break;
        }
        let before = buf.len();
        if gen.row(stats.rows, &mut buf, &mut field) {
            stats.brand_rows += 1;
        }
        stats.rows += 1;
        stats.bytes += (buf.len() - before) as u64;
        if buf.len() >= FLUSH_AT {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(stats)
}

/// `n` distinct pronounceable invented brand-like terms (about one in five is two
/// words, a few are all caps or carry a digit), deterministic for `seed`. Terms never
/// equal a word the catalog generator uses, so they only occur where inserted.
pub fn generate_terms(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x7465_726d_735f_6765);
    let reserved = pool_words();
    let mut seen: HashSet<String> = HashSet::with_capacity(n + n / 2);
    let mut terms = Vec::with_capacity(n);
    let mut s = String::with_capacity(32);
    while terms.len() < n {
        s.clear();
        invented_word(&mut rng, &mut s);
        let first_len = s.len();
        if first_len < 4 || reserved.contains(&s.to_ascii_lowercase()) {
            continue;
        }
        let roll = rng.below(100);
        if roll < 10 {
            s.push(' ');
            invented_word(&mut rng, &mut s);
        } else if roll < 20 {
            s.push(' ');
            s.push_str(rng.pick(TERM_SUFFIXES));
        } else if roll < 23 {
            s.make_ascii_uppercase();
        } else if roll < 26 {
            s.push(' ');
            s.push(char::from(b'1' + rng.below(9) as u8));
        }
        if seen.insert(s.to_lowercase()) {
            terms.push(s.clone());
        }
    }
    terms
}

// ---------------------------------------------------------------------------
// PRNG

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** seeded through SplitMix64.
#[derive(Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let mut s = [0u64; 4];
        for x in &mut s {
            *x = splitmix64(&mut sm);
        }
        Rng { s }
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`).
    #[inline]
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    #[inline]
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        if p >= 1.0 {
            return true;
        }
        ((self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)) < p
    }

    #[inline]
    fn pick<'p>(&mut self, xs: &[&'p str]) -> &'p str {
        xs[self.below(xs.len())]
    }

    /// Two different entries of `xs` (`xs.len() >= 2`).
    #[inline]
    fn pick2<'p>(&mut self, xs: &[&'p str]) -> (&'p str, &'p str) {
        let i = self.below(xs.len());
        let j = (i + 1 + self.below(xs.len() - 1)) % xs.len();
        (xs[i], xs[j])
    }
}

// ---------------------------------------------------------------------------
// Word pools

#[derive(Clone, Copy)]
enum Sizes {
    Shoe,
    Clothing,
    Mm,
    Phone,
    Volume,
    Dim,
    Pack,
    Ring,
}

struct Category {
    audience: &'static [&'static str],
    adjs: &'static [&'static str],
    materials: &'static [&'static str],
    nouns: &'static [&'static str],
    extras: &'static [&'static str],
    features: &'static [&'static str],
    sizes: Sizes,
    cn: &'static [&'static str],
}

#[rustfmt::skip]
const GENDER: &[&str] = &["Men's", "Women's", "Kids", "Unisex", "Boys", "Girls"];

#[rustfmt::skip]
static CATS: &[Category] = &[
    Category {
        audience: GENDER,
        adjs: &[
            "Lightweight", "Breathable", "Non-Slip", "Casual", "Comfortable", "Waterproof",
            "Cushioned", "Slip-On", "Classic", "Retro",
        ],
        materials: &[
            "Mesh", "Leather", "Suede", "Canvas", "Knit", "Rubber", "PU Leather",
        ],
        nouns: &[
            "Running Shoes", "Sneakers", "Walking Shoes", "Hiking Boots", "Loafers", "Sandals",
            "Slippers", "Basketball Shoes", "Trail Runners", "Ankle Boots",
        ],
        extras: &[
            "Sneakers", "Trainers", "Athletic Shoes", "Tennis Shoes", "Gym Shoes",
        ],
        features: &[
            "Breathable Mesh", "Memory Foam Insole", "Anti-Slip Sole", "Lace-Up", "Shock Absorbing",
            "Wide Fit", "Soft Sole", "High Top", "Low Top",
        ],
        sizes: Sizes::Shoe,
        cn: &[
            "运动鞋", "跑步鞋", "休闲鞋", "板鞋", "登山鞋", "凉鞋", "拖鞋",
        ],
    },
    Category {
        audience: &[],
        adjs: &[
            "Adjustable", "Quick Release", "Replacement", "Classic", "Slim", "Sport", "Luxury",
            "Vintage",
        ],
        materials: &[
            "Stainless Steel", "Silicone", "Genuine Leather", "Nylon", "Titanium", "Ceramic",
            "Milanese Mesh",
        ],
        nouns: &[
            "Watch Band", "Watch Strap", "Smartwatch Band", "Bracelet", "Link Bracelet",
        ],
        extras: &["Strap", "Wristband", "Replacement Band", "Band"],
        features: &[
            "Quick Release", "Butterfly Clasp", "Pin Buckle", "Magnetic Clasp", "Sweatproof",
            "Tool-Free Install", "Spring Bars Included",
        ],
        sizes: Sizes::Mm,
        cn: &[
            "不锈钢表带", "硅胶表带", "真皮表带", "手表带", "智能手表表带",
        ],
    },
    Category {
        audience: &[],
        adjs: &[
            "Shockproof", "Slim", "Clear", "Rugged", "Ultra Thin", "Anti-Scratch", "Heavy Duty",
            "Magnetic",
        ],
        materials: &[
            "Silicone", "TPU", "Leather", "Hard PC", "Carbon Fiber", "Tempered Glass",
        ],
        nouns: &[
            "Phone Case", "Protective Case", "Wallet Case", "Bumper Case", "Screen Protector",
            "Phone Holder", "Charging Cable", "Car Mount",
        ],
        extras: &["Cover", "Case", "Protector", "Shell"],
        features: &[
            "Drop Protection", "Card Slot", "Kickstand", "Wireless Charging Compatible",
            "Raised Edges", "Anti-Fingerprint", "Lanyard Hole",
        ],
        sizes: Sizes::Phone,
        cn: &["手机壳", "保护套", "钢化膜", "数据线", "手机支架"],
    },
    Category {
        audience: GENDER,
        adjs: &[
            "Casual", "Slim Fit", "Oversized", "Long Sleeve", "Short Sleeve", "Vintage", "Loose",
            "Warm", "Summer", "Winter",
        ],
        materials: &[
            "Cotton", "Linen", "Polyester", "Wool", "Fleece", "Denim", "Silk", "Cashmere",
        ],
        nouns: &[
            "T-Shirt", "Hoodie", "Jacket", "Dress", "Jeans", "Sweater", "Polo Shirt", "Cardigan",
            "Joggers", "Shorts", "Blazer", "Down Coat",
        ],
        extras: &["Top", "Pullover", "Outfit", "Tee", "Outerwear"],
        features: &[
            "Crew Neck", "V-Neck", "Zip Up", "With Pockets", "Drawstring", "Hooded", "Button Down",
            "Elastic Waist",
        ],
        sizes: Sizes::Clothing,
        cn: &["T恤", "卫衣", "夹克", "连衣裙", "牛仔裤", "毛衣", "羽绒服"],
    },
    Category {
        audience: &["Men's", "Women's", "Unisex"],
        adjs: &[
            "Large Capacity", "Waterproof", "Anti-Theft", "Vintage", "Crossbody", "Lightweight",
            "Travel", "Minimalist",
        ],
        materials: &[
            "Leather", "Canvas", "Nylon", "Oxford Cloth", "PU Leather", "Vegan Leather",
        ],
        nouns: &[
            "Backpack", "Handbag", "Tote Bag", "Shoulder Bag", "Wallet", "Messenger Bag",
            "Duffel Bag", "Clutch", "Card Holder", "Belt Bag",
        ],
        extras: &["Purse", "Daypack", "Satchel", "Bag"],
        features: &[
            "USB Charging Port", "Laptop Compartment", "RFID Blocking", "Multiple Pockets",
            "Adjustable Strap", "Zipper Closure",
        ],
        sizes: Sizes::Dim,
        cn: &["双肩包", "手提包", "斜挎包", "钱包", "旅行包"],
    },
    Category {
        audience: &[],
        adjs: &[
            "Non-Stick", "Heavy Duty", "Reusable", "BPA Free", "Dishwasher Safe", "Professional",
            "Insulated", "Portable",
        ],
        materials: &[
            "Stainless Steel", "Cast Iron", "Bamboo", "Glass", "Ceramic", "Food Grade Silicone",
            "Borosilicate Glass",
        ],
        nouns: &[
            "Frying Pan", "Water Bottle", "Knife Set", "Cutting Board", "Coffee Mug",
            "Food Storage Containers", "Travel Tumbler", "Baking Mat", "Spatula Set", "Tea Kettle",
        ],
        extras: &["Cookware", "Kitchen Tool", "Set", "Organizer"],
        features: &[
            "Leak Proof", "Double Wall", "Easy to Clean", "Ergonomic Handle", "Heat Resistant",
            "Induction Compatible",
        ],
        sizes: Sizes::Volume,
        cn: &["不粘锅", "保温杯", "菜刀", "砧板", "咖啡杯"],
    },
    Category {
        audience: &[],
        adjs: &[
            "Wireless", "Portable", "Fast Charging", "Bluetooth 5.3", "Noise Cancelling",
            "Ultra Slim", "Rechargeable", "Waterproof",
        ],
        materials: &["Aluminum", "ABS", "Braided Nylon", "Silicone"],
        nouns: &[
            "Earbuds", "Power Bank", "USB C Cable", "Charger", "Bluetooth Speaker", "Keyboard",
            "Mouse", "Headphones", "HDMI Cable", "Webcam", "Smart Watch",
        ],
        extras: &["Headset", "Adapter", "Charging Cable", "Speaker"],
        features: &[
            "Type-C", "20W PD", "LED Display", "40H Playtime", "IPX7 Waterproof", "Built-in Mic",
            "Plug and Play", "1080P HD",
        ],
        sizes: Sizes::Pack,
        cn: &["蓝牙耳机", "充电宝", "数据线", "充电器", "蓝牙音箱"],
    },
    Category {
        audience: &["Women's", "Men's", "Unisex"],
        adjs: &[
            "Dainty", "Minimalist", "Vintage", "Personalized", "Hypoallergenic", "Handmade",
            "Layered", "Chunky",
        ],
        materials: &[
            "925 Sterling Silver", "18K Gold Plated", "Titanium Steel", "Rose Gold",
            "Cubic Zirconia", "Freshwater Pearl",
        ],
        nouns: &[
            "Necklace", "Earrings", "Bracelet", "Ring", "Pendant", "Anklet", "Hoop Earrings",
            "Chain Necklace",
        ],
        extras: &["Jewelry", "Gift", "Charm"],
        features: &[
            "Gift for Her", "Adjustable Chain", "Nickel Free", "Tarnish Resistant", "With Gift Box",
        ],
        sizes: Sizes::Ring,
        cn: &["项链", "耳环", "手链", "戒指", "吊坠"],
    },
    Category {
        audience: &[],
        adjs: &[
            "Decorative", "Modern", "Rustic", "Foldable", "Soft", "Blackout", "Washable", "Nordic",
        ],
        materials: &[
            "Cotton", "Velvet", "Linen", "Microfiber", "Wood", "Metal", "Ceramic",
        ],
        nouns: &[
            "Throw Pillow Cover", "Curtains", "Bed Sheet Set", "Wall Clock", "Table Lamp",
            "Storage Basket", "Area Rug", "Photo Frame", "Blanket", "Candle Holder",
        ],
        extras: &["Home Decor", "Set", "Decor"],
        features: &[
            "for Living Room", "for Bedroom", "Machine Washable", "Easy Install",
            "Thermal Insulated",
        ],
        sizes: Sizes::Dim,
        cn: &["抱枕套", "窗帘", "床单", "挂钟", "台灯"],
    },
    Category {
        audience: &[],
        adjs: &[
            "Educational", "Kids", "Outdoor", "Remote Control", "Magnetic", "Inflatable",
            "Professional", "Adjustable",
        ],
        materials: &["Wooden", "Plastic", "Plush", "Foam", "Neoprene", "Carbon"],
        nouns: &[
            "Building Blocks", "RC Car", "Puzzle", "Stuffed Animal", "Yoga Mat", "Dumbbells",
            "Resistance Bands", "Jump Rope", "Fishing Rod", "Camping Tent",
        ],
        extras: &["Toy", "Gift Set", "Kit", "Equipment"],
        features: &[
            "for Boys and Girls", "Age 3+", "Non-Slip", "Extra Thick", "With Carry Bag", "STEM",
        ],
        sizes: Sizes::Pack,
        cn: &["积木", "遥控车", "拼图", "毛绒玩具", "瑜伽垫"],
    },
    Category {
        audience: &["Women's", "Men's"],
        adjs: &[
            "Natural", "Organic", "Long Lasting", "Waterproof", "Moisturizing", "Travel Size",
            "Vegan", "Cruelty Free",
        ],
        materials: &[
            "Vitamin C", "Hyaluronic Acid", "Argan Oil", "Aloe Vera", "Shea Butter", "Collagen",
        ],
        nouns: &[
            "Face Serum", "Lipstick", "Makeup Brush Set", "Hair Dryer", "Nail Polish",
            "Eyeshadow Palette", "Face Cream", "Hair Straightener",
        ],
        extras: &["Skin Care", "Beauty Tool", "Gift Set", "Cosmetics"],
        features: &[
            "for All Skin Types", "Anti-Aging", "Matte Finish", "Fast Drying", "Ceramic Plates",
            "Paraben Free",
        ],
        sizes: Sizes::Volume,
        cn: &["精华液", "口红", "化妆刷", "吹风机", "面霜"],
    },
    Category {
        audience: &[],
        adjs: &[
            "Cordless", "Heavy Duty", "Universal", "Portable", "Digital", "Magnetic",
            "Professional", "Waterproof",
        ],
        materials: &["Chrome Vanadium", "Alloy Steel", "Aluminum", "ABS"],
        nouns: &[
            "Drill", "Screwdriver Set", "Tire Inflator", "Dash Cam", "Car Phone Mount",
            "Socket Set", "LED Work Light", "Tape Measure", "Multimeter",
        ],
        extras: &["Tool Kit", "Tool", "Set", "Accessory"],
        features: &[
            "With Case", "12V", "4K", "Night Vision", "Rechargeable Battery", "108 Pieces",
        ],
        sizes: Sizes::Pack,
        cn: &["电钻", "螺丝刀套装", "充气泵", "行车记录仪", "车载支架"],
    },
];

#[rustfmt::skip]
const COLORS: &[&str] = &[
    "Black", "White", "Red", "Blue", "Navy", "Grey", "Gray", "Pink", "Green", "Beige", "Brown",
    "Khaki", "Purple", "Yellow", "Silver", "Gold", "Rose Gold", "Multicolor", "Black/White",
    "Dark Green", "Light Blue", "Burgundy", "Olive",
];

#[rustfmt::skip]
const OCCASIONS: &[&str] = &[
    "daily wear", "running", "the gym", "travel", "the office", "parties", "camping", "hiking",
    "school", "home", "outdoor activities", "weddings", "the beach", "fitness training",
    "business trips",
];

#[rustfmt::skip]
const COMPAT: &[&str] = &[
    "for", "Compatible with", "Replacement for", "Fits", "Works with", "Suitable for", "Fit for",
];

#[rustfmt::skip]
const PACKS: &[&str] = &["2 Pack", "3 Pcs", "Set of 4", "2 PCS", "Pack of 6"];

#[rustfmt::skip]
const NON_ASCII_TITLE: &[&str] = &[
    "Größe 42", "für Damen", "für Herren", "Qualität", "Édition Spéciale", "Qualité Supérieure",
    "para Niño", "para Niña", "Café", "Crème", "Beige Crème", "Doré", "Rosé", "Señorita",
    "Über Bequem", "Schön", "Ärmellos", "Pièce Unique", "Très Chic", "Żółty", "Čierna", "Güzel",
    "Новинка", "Хит продаж", "Ελληνικό", "جديد", "חדש", "ใหม่", "신상품", "送料無料",
];

#[rustfmt::skip]
const TYPOGRAPHIC: &[&str] = &[
    "20 × 30 cm", "±0.5 mm", "up to 40 °C", "—", "–", "“Premium”", "It’s a gift", "Brand™",
    "Design®", "©2024", "…", "•", "½ price", "¼ inch", "5′ 10″", "3–5 days", "€29.90", "£19",
    "¥199", "№5", "→", "★★★★★", "（新款）", "【包邮】", "４２码", "ＸＬ", "Ø 38 mm", "µm",
    "90° angle", "1/2″", "‘classic’", "«Новинка»", "✓ in stock", "♥", "·", "Size: M – L",
];

#[rustfmt::skip]
const NON_ASCII_SENT: &[&str] = &[
    "Produit de haute qualité, idéal pour un café en terrasse.",
    "Matériau : acier inoxydable, finition brossée.",
    "Größe bitte vor dem Kauf anhand der Maßtabelle prüfen.",
    "Hochwertige Verarbeitung, pflegeleicht und langlebig.",
    "Perfecto para niño y niña, muy cómodo.", "Envío rápido desde España, garantía de dos años.",
    "Prodotto di alta qualità, spedizione gratuita.", "Wysoka jakość, szybka wysyłka.",
    "Yüksek kaliteli ürün, hızlı kargo.", "Качественный товар, быстрая доставка.",
    "Υψηλή ποιότητα, γρήγορη αποστολή.", "送料無料、高品質な素材を使用しています。", "고품질 소재, 빠른 배송.",
    "Crème de la crème: élégant et durable.",
    "Kleines Geschenk für Ihre Liebsten – schön verpackt.",
];

#[rustfmt::skip]
const CN_AUDIENCE: &[&str] = &["男士", "女款", "儿童", "男女同款", "情侣款"];
#[rustfmt::skip]
const CN_FEATURES: &[&str] = &[
    "透气", "防滑", "轻便", "防水", "加厚", "新款", "2024新款", "高品质", "防摔", "大容量",
];
#[rustfmt::skip]
const CN_COLORS: &[&str] = &[
    "黑色", "白色", "红色", "蓝色", "灰色", "粉色", "绿色", "卡其色",
];

#[rustfmt::skip]
const CN_SENT: &[&str] = &[
    "高品质不锈钢表带，快速拆卸，适合日常佩戴。", "运动鞋轻便透气，男士女款均可，适合跑步和健身。", "手机壳采用优质硅胶材质，防摔防刮，手感舒适。",
    "包装内含：1件商品，不含其他配件。", "由于显示器不同，颜色可能存在轻微色差。", "尺码为手工测量，可能存在1-2厘米误差。", "全国包邮，七天无理由退换货。",
    "新款上市，限时优惠，欢迎选购。", "适合送礼，精美包装。", "材质：纯棉，柔软亲肤，透气吸汗。", "大容量设计，可放置笔记本电脑和日常用品。", "支持快速充电，兼容多种设备。",
];

#[rustfmt::skip]
const FIXED_SENT: &[&str] = &[
    "Please allow 1-2 cm difference due to manual measurement.",
    "Due to different monitor settings, the actual color may vary slightly from the picture.",
    "Satisfaction guaranteed: if you have any questions, please contact us and we will reply within 24 hours.",
    "Easy to clean, just wipe with a damp cloth or hand wash in cold water.",
    "Makes a great gift for birthdays, Christmas, Valentine's Day and anniversaries.",
    "Ships within 1-3 business days & arrives in a gift-ready box.",
    "Note: this listing is for the item only, other accessories shown are not included.",
    "We are a small family business, thank you for supporting us!",
];

#[rustfmt::skip]
const HOUSE_GENERIC: &[&str] = &["", "Generic", "Unbranded", "No Brand", "OEM", "N/A"];

#[rustfmt::skip]
const TERM_SUFFIXES: &[&str] = &[
    "Labs", "Co", "Home", "Sport", "Tech", "Studio", "Wear", "Outdoor", "Beauty", "Audio",
    "Living", "Kids", "Pro", "Goods", "Works",
];

#[rustfmt::skip]
const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br",
    "cr", "dr", "fl", "gr", "kr", "pr", "st", "tr", "sh", "ch", "th", "qu", "sk", "pl", "bl", "v",
    "z", "x",
];
#[rustfmt::skip]
const VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "y", "ai", "ea", "io", "ou", "a", "o", "e", "i",
];
#[rustfmt::skip]
const CODAS: &[&str] = &[
    "n", "r", "l", "s", "x", "m", "k", "nt", "rd", "st", "th", "v", "ck",
];

/// Lowercased whole words of every English pool, so generated terms avoid them.
fn pool_words() -> HashSet<String> {
    let mut set = HashSet::new();
    let mut add = |xs: &[&str]| {
        for x in xs {
            for w in x.split(|c: char| !c.is_alphanumeric()) {
                if !w.is_empty() {
                    set.insert(w.to_lowercase());
                }
            }
        }
    };
    for c in CATS {
        add(c.audience);
        add(c.adjs);
        add(c.materials);
        add(c.nouns);
        add(c.extras);
        add(c.features);
    }
    for xs in [
        COLORS,
        OCCASIONS,
        COMPAT,
        PACKS,
        FIXED_SENT,
        HOUSE_GENERIC,
        TERM_SUFFIXES,
        SENT_WORDS,
    ] {
        add(xs);
    }
    set
}

/// Static words of the sentence templates (kept here for `pool_words`).
const SENT_WORDS: &[&str] = &[
    "This is made of for long-lasting use and make it perfect for everyday use Perfect for",
    "Package includes x Size Color High quality with comfortable durable Our features a design",
    "Suitable for Material Weight g finish Note Compatible with Designed fans who want at better",
    "price replacement the original part Same style as great fast shipping in original packaging",
    "Works with all models Inspired by Top replica copy product images",
];

fn invented_word(rng: &mut Rng, s: &mut String) {
    let syllables = rng.range(2, 3);
    let start = s.len();
    for i in 0..syllables {
        if i > 0 || rng.below(100) >= 15 {
            s.push_str(rng.pick(ONSETS));
        }
        s.push_str(rng.pick(VOWELS));
        if (i + 1 == syllables && rng.below(100) < 55) || rng.below(100) < 10 {
            s.push_str(rng.pick(CODAS));
        }
    }
    // Capitalize the first letter (ASCII only here).
    if let Some(b) = s.as_bytes().get(start).copied() {
        let up = b.to_ascii_uppercase() as char;
        s.replace_range(start..start + 1, up.encode_utf8(&mut [0u8; 4]));
    }
}

// ---------------------------------------------------------------------------
// Byte helpers

#[inline]
fn push_u64(f: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    f.extend_from_slice(&tmp[i..]);
}

#[inline]
fn push_u64_padded(f: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = 1;
    let mut m = n;
    while m >= 10 {
        m /= 10;
        digits += 1;
    }
    for _ in digits..width {
        f.push(b'0');
    }
    push_u64(f, n);
}

/// Appends `s`, escaping `& < > "` when `html`.
#[inline]
fn push_text(f: &mut Vec<u8>, s: &str, html: bool) {
    if !html || !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"')) {
        f.extend_from_slice(s.as_bytes());
        return;
    }
    for c in s.chars() {
        push_char(f, c, true);
    }
}

#[inline]
fn push_char(f: &mut Vec<u8>, c: char, html: bool) {
    if html {
        match c {
            '&' => return f.extend_from_slice(b"&amp;"),
            '<' => return f.extend_from_slice(b"&lt;"),
            '>' => return f.extend_from_slice(b"&gt;"),
            '"' => return f.extend_from_slice(b"&quot;"),
            _ => {}
        }
    }
    let mut tmp = [0u8; 4];
    f.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

/// Appends `s` ASCII-lowercased.
#[inline]
fn push_lower(f: &mut Vec<u8>, s: &str) {
    f.extend(s.bytes().map(|b| b.to_ascii_lowercase()));
}

/// Appends a space (unless empty or already ending in one) then `s`.
#[inline]
fn word(f: &mut Vec<u8>, s: &str) {
    sep(f);
    f.extend_from_slice(s.as_bytes());
}

#[inline]
fn sep(f: &mut Vec<u8>) {
    if let Some(&last) = f.last() {
        if last != b' ' && last != b'\n' && last != b'>' {
            f.push(b' ');
        }
    }
}

/// URL slug: lowercase alphanumerics, runs of anything else become one `-`; a `-`
/// also separates it from a slug already in `f`.
fn push_slug(f: &mut Vec<u8>, s: &str) {
    let open = |f: &Vec<u8>| matches!(f.last(), Some(&b) if b != b'/' && b != b'-');
    let mut need_dash = open(f);
    for c in s.chars() {
        if c.is_alphanumeric() {
            if need_dash {
                f.push(b'-');
                need_dash = false;
            }
            if c.is_ascii() {
                f.push(c.to_ascii_lowercase() as u8);
            } else {
                for l in c.to_lowercase() {
                    push_char(f, l, false);
                }
            }
        } else if c != '\'' && open(f) {
            need_dash = true;
        }
    }
}

/// Appends one CSV field, quoted when it holds `,` `"` CR or LF.
#[inline]
fn push_csv_field(out: &mut Vec<u8>, field: &[u8]) {
    if !needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.reserve(field.len() + 8);
    out.push(b'"');
    let mut rest = field;
    while let Some(i) = find_quote(rest) {
        out.extend_from_slice(&rest[..=i]);
        out.push(b'"');
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Whether `field` holds `,` `"` CR or LF (branch-free per chunk, so it vectorizes).
#[inline]
fn needs_quotes(field: &[u8]) -> bool {
    field.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |acc, &b| {
            acc | (b == b',') | (b == b'"') | (b == b'\n') | (b == b'\r')
        })
    })
}

/// Index of the first `"` (SWAR, eight bytes at a time).
#[inline]
fn find_quote(hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = LO * b'"' as u64;
    let mut i = 0;
    for word in hay.chunks_exact(8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w) ^ QUOTES;
        if x.wrapping_sub(LO) & !x & HI != 0 {
            break;
        }
        i += 8;
    }
    hay[i..].iter().position(|&b| b == b'"').map(|p| p + i)
}

fn cyrillic_lookalike(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        'i' => 'і',
        'A' => 'А',
        'B' => 'В',
        'C' => 'С',
        'E' => 'Е',
        'H' => 'Н',
        'K' => 'К',
        'M' => 'М',
        'O' => 'О',
        'P' => 'Р',
        'T' => 'Т',
        'X' => 'Х',
        _ => return None,
    })
}

fn leet(c: char) -> Option<char> {
    Some(match c {
        'i' | 'I' | 'l' | 'L' => '1',
        'o' | 'O' => '0',
        'e' | 'E' => '3',
        'a' | 'A' => '@',
        's' | 'S' => '$',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Row generator

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Title,
    Desc,
    Both,
    Image,
}

struct Gen<'a> {
    rng: Rng,
    cfg: &'a CorpusConfig,
    terms: &'a [&'a str],
    cjk_terms: &'a [&'a str],
    house: Vec<String>,
}

impl<'a> Gen<'a> {
    /// Appends one CSV record to `out`; returns whether it mentions a brand.
    fn row(&mut self, idx: u64, out: &mut Vec<u8>, f: &mut Vec<u8>) -> bool {
        let cat = &CATS[self.rng.below(CATS.len())];
        let terms = self.terms;
        let term: Option<&'a str> = if !terms.is_empty() && self.rng.chance(self.cfg.brand_density)
        {
            if !self.cjk_terms.is_empty() && self.rng.chance(self.cfg.cjk_terms_share) {
                Some(self.cjk_terms[self.rng.below(self.cjk_terms.len())])
            } else {
                Some(terms[self.rng.below(terms.len())])
            }
        } else {
            None
        };
        let place = match self.rng.below(20) {
            0..=10 => Place::Title,
            11..=16 => Place::Desc,
            17..=18 => Place::Both,
            _ => Place::Image,
        };
        let in_title = term.filter(|_| matches!(place, Place::Title | Place::Both));
        let in_desc = term.filter(|_| matches!(place, Place::Desc | Place::Both));
        let in_image = term.filter(|_| place == Place::Image);
        let cjk = self.rng.chance(self.cfg.cjk_share);
        let non_ascii = self.rng.chance(self.cfg.non_ascii_share);
        let html = self.rng.chance(self.cfg.html_share);
        let typographic = self.rng.chance(self.cfg.typographic_share);

        // product_id
        out.push(b'P');
        push_u64_padded(out, idx + 1, 9);
        out.push(b',');
        // title
        f.clear();
        let noun = self.title(f, cat, in_title, cjk, non_ascii);
        if typographic {
            self.typographic(f, false, 2);
        }
        push_csv_field(out, f);
        out.push(b',');
        // description
        f.clear();
        self.description(f, cat, noun, in_desc, cjk, non_ascii, html);
        if typographic {
            self.typographic(f, html, 4);
        }
        push_csv_field(out, f);
        out.push(b',');
        // brand_name
        f.clear();
        match term {
            Some(t) if self.rng.chance(0.3) => f.extend_from_slice(t.as_bytes()),
            _ => {
                if self.rng.chance(0.5) {
                    f.extend_from_slice(self.rng.pick(HOUSE_GENERIC).as_bytes());
                } else {
                    let i = self.rng.below(self.house.len());
                    f.extend_from_slice(self.house[i].as_bytes());
                }
            }
        }
        push_csv_field(out, f);
        out.push(b',');
        // price
        self.price(out);
        out.push(b',');
        // image_url
        f.clear();
        if in_image.is_some() || !self.rng.chance(0.04) {
            self.image_url(f, noun, in_image);
            if self.rng.chance(0.1) {
                f.push(b',');
                self.image_url(f, noun, None);
            }
        }
        push_csv_field(out, f);
        out.push(b'\n');
        term.is_some()
    }

    /// Appends up to `n` (at least one) typographic snippets: measurements, quotes,
    /// trademark signs, dashes, full-width forms, `&nbsp;` in HTML.
    fn typographic(&mut self, f: &mut Vec<u8>, html: bool, n: usize) {
        for _ in 0..self.rng.range(1, n) {
            let snippet = self.rng.pick(TYPOGRAPHIC);
            if html && self.rng.chance(0.3) {
                f.extend_from_slice(b"&nbsp;");
            } else {
                f.push(b' ');
            }
            f.extend_from_slice(snippet.as_bytes());
        }
    }

    /// Writes a brand term, obfuscated with probability `evasion_share`.
    fn term(&mut self, f: &mut Vec<u8>, t: &str, html: bool) {
        if !self.rng.chance(self.cfg.evasion_share) {
            push_text(f, t, html);
            return;
        }
        let n_chars = t.chars().count();
        if n_chars < 2 {
            push_text(f, t, html);
            return;
        }
        let single_ascii_word = t.bytes().all(|b| b.is_ascii_alphanumeric());
        match self.rng.below(6) {
            0 => {
                // N1ke, Adid@s, R0lex: one substitution, never the first character.
                if let Some(pos) = t
                    .char_indices()
                    .skip(1)
                    .position(|(_, c)| leet(c).is_some())
                {
                    for (i, c) in t.chars().enumerate() {
                        let c = if i == pos + 1 {
                            leet(c).unwrap_or(c)
                        } else {
                            c
                        };
                        push_char(f, c, html);
                    }
                    return;
                }
            }
            1 => {
                // Nіke with a Cyrillic look-alike.
                if let Some(pos) = t.chars().position(|c| cyrillic_lookalike(c).is_some()) {
                    for (i, c) in t.chars().enumerate() {
                        let c = if i == pos {
                            cyrillic_lookalike(c).unwrap_or(c)
                        } else {
                            c
                        };
                        push_char(f, c, html);
                    }
                    return;
                }
            }
            2 if single_ascii_word && (3..=10).contains(&t.len()) => {
                // N I K E, N.i.k.e, n-i-k-e
                let sep = self.rng.pick(&[" ", ".", "-"]).as_bytes()[0];
                let upper = self.rng.chance(0.5);
                for (i, b) in t.bytes().enumerate() {
                    if i > 0 {
                        f.push(sep);
                    }
                    f.push(if upper { b.to_ascii_uppercase() } else { b });
                }
                return;
            }
            3 if t.is_ascii() => {
                // Ｎｉｋｅ: full-width forms.
                for b in t.bytes() {
                    if (0x21..0x7f).contains(&b) {
                        let c = char::from_u32(0xFF01 + u32::from(b - 0x21)).unwrap_or('?');
                        push_char(f, c, false);
                    } else {
                        f.push(b);
                    }
                }
                return;
            }
            4 if t.is_ascii()
                && t.len() >= 4
                && t.as_bytes()[t.len() / 2].is_ascii_alphabetic() =>
            {
                // Rollex: one doubled inner letter.
                let mid = t.len() / 2;
                push_text(f, &t[..mid], html);
                f.push(t.as_bytes()[mid]);
                push_text(f, &t[mid..], html);
                return;
            }
            _ => {}
        }
        // Fallback (and case 5): zero-width space, zero-width non-joiner or soft
        // hyphen after the first character.
        let invisible = self.rng.pick(&["\u{200b}", "\u{200c}", "\u{ad}"]);
        let mut chars = t.chars();
        if let Some(c) = chars.next() {
            push_char(f, c, html);
        }
        f.extend_from_slice(invisible.as_bytes());
        push_text(f, chars.as_str(), html);
    }

    fn model(&mut self, f: &mut Vec<u8>) {
        sep(f);
        let letter = |r: &mut Rng| b'A' + r.below(26) as u8;
        match self.rng.below(6) {
            0 => {
                f.push(letter(&mut self.rng));
                push_u64(f, self.rng.range(1, 9) as u64 * 100);
            }
            1 => {
                f.push(letter(&mut self.rng));
                f.push(letter(&mut self.rng));
                f.push(b'-');
                f.push(letter(&mut self.rng));
                push_u64(f, self.rng.range(100, 999) as u64);
            }
            2 => {
                f.extend_from_slice(b"Pro ");
                push_u64(f, self.rng.range(10, 16) as u64);
            }
            3 => {
                f.push(letter(&mut self.rng));
                f.push(letter(&mut self.rng));
                push_u64(f, self.rng.range(10, 99) as u64 * 100);
            }
            4 => {
                f.push(letter(&mut self.rng));
                push_u64(f, self.rng.range(1, 9) as u64);
            }
            _ => {
                push_u64(f, self.rng.range(100, 999) as u64);
                f.push(letter(&mut self.rng));
            }
        }
    }

    fn size(&mut self, f: &mut Vec<u8>, kind: Sizes) {
        sep(f);
        match kind {
            Sizes::Shoe => match self.rng.below(3) {
                0 => {
                    f.extend_from_slice(b"Size ");
                    push_u64(f, self.rng.range(35, 46) as u64);
                }
                1 => {
                    f.extend_from_slice(b"US ");
                    push_u64(f, self.rng.range(5, 13) as u64);
                    if self.rng.chance(0.3) {
                        f.extend_from_slice(b".5");
                    }
                }
                _ => {
                    f.extend_from_slice(b"EU ");
                    push_u64(f, self.rng.range(35, 46) as u64);
                }
            },
            Sizes::Clothing => {
                if self.rng.chance(0.5) {
                    f.extend_from_slice(b"Size ");
                }
                let s = self.rng.pick(&[
                    "S",
                    "M",
                    "L",
                    "XL",
                    "XXL",
                    "3XL",
                    "Small",
                    "Medium",
                    "Large",
                    "X-Large",
                    "Plus Size",
                    "One Size",
                ]);
                f.extend_from_slice(s.as_bytes());
            }
            Sizes::Mm => {
                push_u64(f, self.rng.range(7, 13) as u64 * 2);
                f.extend_from_slice(b"mm");
            }
            Sizes::Phone => {
                let s = self
                    .rng
                    .pick(&["6.1 inch", "6.7 inch", "6.5\"", "5.8 Inch", "6.3\""]);
                f.extend_from_slice(s.as_bytes());
            }
            Sizes::Volume => {
                if self.rng.chance(0.6) {
                    push_u64(f, [250u64, 350, 500, 750, 1000][self.rng.below(5)]);
                    f.extend_from_slice(b"ml");
                } else {
                    push_u64(f, [12u64, 20, 32, 40][self.rng.below(4)]);
                    f.extend_from_slice(b"oz");
                }
            }
            Sizes::Dim => {
                push_u64(f, self.rng.range(2, 20) as u64 * 5);
                f.extend_from_slice(if self.rng.chance(0.5) { b"x" } else { b" x " });
                push_u64(f, self.rng.range(2, 30) as u64 * 5);
                f.extend_from_slice(if self.rng.chance(0.7) {
                    b"cm"
                } else {
                    b" inch"
                });
            }
            Sizes::Pack => {
                let n = self.rng.range(1, 6) as u64;
                if self.rng.chance(0.5) {
                    push_u64(f, n);
                    f.extend_from_slice(b" Pack");
                } else {
                    f.extend_from_slice(b"Set of ");
                    push_u64(f, n + 1);
                }
            }
            Sizes::Ring => {
                f.extend_from_slice(b"Size ");
                push_u64(f, self.rng.range(5, 10) as u64);
            }
        }
    }

    /// Writes a title; returns the head noun (for the image file name).
    fn title(
        &mut self,
        f: &mut Vec<u8>,
        cat: &Category,
        term: Option<&str>,
        cjk: bool,
        non_ascii: bool,
    ) -> &'static str {
        let noun = self.rng.pick(cat.nouns);
        if cjk && self.rng.chance(self.cfg.cjk_title_share) {
            // All-Chinese title: 耐克运动鞋 男士 透气 黑色 42码
            if let Some(t) = term {
                self.term(f, t, false);
                if self.rng.chance(0.5) {
                    f.push(b' ');
                }
            }
            f.extend_from_slice(self.rng.pick(CN_AUDIENCE).as_bytes());
            f.extend_from_slice(self.rng.pick(cat.cn).as_bytes());
            let (a, b) = self.rng.pick2(CN_FEATURES);
            word(f, a);
            word(f, b);
            word(f, self.rng.pick(CN_COLORS));
            if matches!(cat.sizes, Sizes::Shoe | Sizes::Clothing) && self.rng.chance(0.5) {
                sep(f);
                push_u64(f, self.rng.range(35, 46) as u64);
                f.extend_from_slice("码".as_bytes());
            }
            return noun;
        }
        // 0-3 prefix, 4-6 compatible suffix, 7-8 middle, 9 counterfeit.
        let mode = term.map(|_| self.rng.below(10));
        let counterfeit_prefix = mode == Some(9) && self.rng.chance(0.5);
        if let (Some(t), Some(0..=3)) = (term, mode) {
            self.term(f, t, false);
        }
        if let (Some(t), true) = (term, counterfeit_prefix) {
            if self.rng.chance(0.5) {
                self.term(f, t, false);
                f.extend_from_slice(b" Style");
            } else {
                f.extend_from_slice(b"Replica ");
                self.term(f, t, false);
            }
        }
        if !cat.audience.is_empty() && self.rng.chance(0.5) {
            word(f, self.rng.pick(cat.audience));
        }
        if let (Some(t), Some(7..=8)) = (term, mode) {
            sep(f);
            self.term(f, t, false);
        }
        word(f, self.rng.pick(cat.adjs));
        if self.rng.chance(0.6) {
            word(f, self.rng.pick(cat.materials));
        }
        word(f, noun);
        let (feature1, feature2) = self.rng.pick2(cat.features);
        if self.rng.chance(0.7) {
            word(f, feature1);
        }
        let extra = self.rng.pick(cat.extras);
        if self.rng.chance(0.5) && !noun.ends_with(extra) {
            word(f, extra);
        }
        if self.rng.chance(0.25) {
            word(f, feature2);
        }
        if self.rng.chance(0.6) {
            self.size(f, cat.sizes);
        }
        if self.rng.chance(0.6) {
            word(f, self.rng.pick(COLORS));
        }
        if self.rng.chance(0.25) {
            self.model(f);
        }
        if non_ascii {
            if self.rng.chance(0.5) {
                f.extend_from_slice(b" -");
            }
            word(f, self.rng.pick(NON_ASCII_TITLE));
        }
        if cjk {
            word(f, self.rng.pick(cat.cn));
            f.extend_from_slice(self.rng.pick(CN_FEATURES).as_bytes());
        }
        if let (Some(t), Some(4..=6)) = (term, mode) {
            word(f, self.rng.pick(COMPAT));
            sep(f);
            self.term(f, t, false);
            if self.rng.chance(0.5) {
                self.model(f);
            }
        }
        if let (Some(t), Some(9), false) = (term, mode, counterfeit_prefix) {
            match self.rng.below(4) {
                0 => {
                    f.extend_from_slice(b" 1:1 ");
                    self.term(f, t, false);
                    f.extend_from_slice(b" Replica");
                }
                1 => {
                    f.extend_from_slice(b" AAA Quality ");
                    self.term(f, t, false);
                }
                2 => {
                    f.extend_from_slice(b" Inspired by ");
                    self.term(f, t, false);
                }
                _ => {
                    sep(f);
                    self.term(f, t, false);
                    f.extend_from_slice(b" Dupe");
                }
            }
        }
        if self.rng.chance(0.08) {
            word(f, self.rng.pick(PACKS));
        }
        noun
    }

    /// One English sentence from a template; returns its word count.
    fn sentence(&mut self, f: &mut Vec<u8>, cat: &Category, noun: &str, html: bool) -> usize {
        let start = f.len();
        match self.rng.below(15) {
            0 => {
                f.extend_from_slice(b"This ");
                push_lower(f, self.rng.pick(cat.adjs));
                f.push(b' ');
                push_lower(f, noun);
                f.extend_from_slice(b" is made of ");
                push_lower(f, self.rng.pick(cat.materials));
                f.extend_from_slice(b" for long-lasting use.");
            }
            1 => {
                let (a, b) = self.rng.pick2(cat.features);
                f.extend_from_slice(a.as_bytes());
                f.extend_from_slice(b" and ");
                push_lower(f, b);
                f.extend_from_slice(b" make it perfect for everyday use.");
            }
            2 => {
                f.extend_from_slice(b"Perfect for ");
                f.extend_from_slice(self.rng.pick(OCCASIONS).as_bytes());
                f.extend_from_slice(b", ");
                f.extend_from_slice(self.rng.pick(OCCASIONS).as_bytes());
                f.extend_from_slice(b" and ");
                f.extend_from_slice(self.rng.pick(OCCASIONS).as_bytes());
                f.push(b'.');
            }
            3 => {
                f.extend_from_slice(b"Package includes: ");
                push_u64(f, self.rng.range(1, 4) as u64);
                f.extend_from_slice(b" x ");
                f.extend_from_slice(noun.as_bytes());
                f.push(b'.');
            }
            4 => {
                f.extend_from_slice(b"Size:");
                self.size(f, cat.sizes);
                f.extend_from_slice(b". Color: ");
                f.extend_from_slice(self.rng.pick(COLORS).as_bytes());
                f.push(b'.');
            }
            5 | 6 => push_text(f, self.rng.pick(FIXED_SENT), html),
            7 => {
                f.extend_from_slice(b"High quality ");
                push_lower(f, self.rng.pick(cat.materials));
                f.extend_from_slice(b" with ");
                push_lower(f, self.rng.pick(cat.features));
                push_text(f, ", comfortable & durable.", html);
            }
            8 => {
                f.extend_from_slice(b"Our ");
                push_lower(f, noun);
                f.extend_from_slice(b" features ");
                let (a, b) = self.rng.pick2(cat.features);
                push_lower(f, a);
                f.extend_from_slice(b", ");
                push_lower(f, b);
                f.extend_from_slice(b" and a ");
                push_lower(f, self.rng.pick(cat.adjs));
                f.extend_from_slice(b" design.");
            }
            9 => {
                f.extend_from_slice(b"Suitable for ");
                f.extend_from_slice(self.rng.pick(OCCASIONS).as_bytes());
                f.extend_from_slice(b" and ");
                f.extend_from_slice(self.rng.pick(OCCASIONS).as_bytes());
                f.push(b'.');
            }
            10 => {
                f.extend_from_slice(b"Material: ");
                f.extend_from_slice(self.rng.pick(cat.materials).as_bytes());
                f.extend_from_slice(b". Weight: ");
                push_u64(f, self.rng.range(20, 900) as u64);
                f.extend_from_slice(b" g.");
            }
            11 => {
                f.extend_from_slice(self.rng.pick(cat.adjs).as_bytes());
                f.extend_from_slice(b" design with ");
                push_lower(f, self.rng.pick(COLORS));
                push_text(f, " & ", html);
                push_lower(f, self.rng.pick(COLORS));
                f.extend_from_slice(b" finish.");
            }
            12 => {
                f.extend_from_slice(b"Comes in ");
                push_lower(f, self.rng.pick(COLORS));
                f.extend_from_slice(b", ");
                push_lower(f, self.rng.pick(COLORS));
                f.extend_from_slice(b" and ");
                push_lower(f, self.rng.pick(COLORS));
                f.extend_from_slice(b", see product images.");
            }
            13 => {
                f.extend_from_slice(b"Great ");
                push_lower(f, self.rng.pick(cat.extras));
                f.extend_from_slice(b" for ");
                f.extend_from_slice(self.rng.pick(OCCASIONS).as_bytes());
                f.extend_from_slice(b", model");
                self.model(f);
                f.push(b'.');
            }
            _ => {
                f.extend_from_slice(b"Note: ");
                push_lower(f, self.rng.pick(cat.adjs));
                f.extend_from_slice(b" ");
                push_lower(f, noun);
                f.extend_from_slice(b" only, ");
                push_lower(f, self.rng.pick(cat.extras));
                f.extend_from_slice(b" not included.");
            }
        }
        1 + f[start..].iter().filter(|&&b| b == b' ').count()
    }

    /// A sentence mentioning a brand term.
    fn brand_sentence(&mut self, f: &mut Vec<u8>, t: &str, noun: &str, html: bool) {
        let strong = html && self.rng.chance(0.3);
        if strong {
            f.extend_from_slice(b"<strong>");
        }
        match self.rng.below(9) {
            0 => {
                f.extend_from_slice(b"Compatible with ");
                self.term(f, t, html);
                self.model(f);
                f.push(b'.');
            }
            1 => {
                f.extend_from_slice(b"Designed for ");
                self.term(f, t, html);
                f.extend_from_slice(b" fans who want quality at a better price.");
            }
            2 => {
                f.extend_from_slice(b"Perfect replacement for the original ");
                self.term(f, t, html);
                f.extend_from_slice(b" part.");
            }
            3 => {
                f.extend_from_slice(b"Same style as ");
                self.term(f, t, html);
                push_text(f, ", great quality & fast shipping.", html);
            }
            4 => {
                self.term(f, t, html);
                f.push(b' ');
                push_lower(f, noun);
                f.extend_from_slice(b" in original packaging.");
            }
            5 => {
                f.extend_from_slice(b"Works with all ");
                self.term(f, t, html);
                f.extend_from_slice(b" models.");
            }
            6 => {
                f.extend_from_slice(b"Inspired by ");
                self.term(f, t, html);
                f.extend_from_slice(b" design.");
            }
            7 => {
                f.extend_from_slice(b"Top quality ");
                self.term(f, t, html);
                f.extend_from_slice(b" replica, 1:1 copy.");
            }
            _ => {
                f.extend_from_slice(b"Fits ");
                self.term(f, t, html);
                f.extend_from_slice(b" and most other brands.");
            }
        }
        if strong {
            f.extend_from_slice(b"</strong>");
        }
    }

    fn cn_description(&mut self, f: &mut Vec<u8>, cat: &Category, term: Option<&str>, n: usize) {
        let at = term.map(|_| self.rng.below(n.max(1)));
        for i in 0..n {
            if let (Some(t), Some(a)) = (term, at) {
                if a == i {
                    let (pre, post) = match self.rng.below(4) {
                        0 => ("适用于", "。"),
                        1 => ("兼容", "全系列。"),
                        2 => ("", "同款，品质保证。"),
                        _ => ("", "风格设计。"),
                    };
                    f.extend_from_slice(pre.as_bytes());
                    self.term(f, t, false);
                    f.extend_from_slice(post.as_bytes());
                }
            }
            if i == 0 {
                f.extend_from_slice(self.rng.pick(cat.cn).as_bytes());
                f.extend_from_slice(self.rng.pick(CN_FEATURES).as_bytes());
                f.extend_from_slice("，".as_bytes());
            }
            f.extend_from_slice(self.rng.pick(CN_SENT).as_bytes());
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn description(
        &mut self,
        f: &mut Vec<u8>,
        cat: &Category,
        noun: &str,
        term: Option<&str>,
        cjk: bool,
        non_ascii: bool,
        html: bool,
    ) {
        let (lo, hi) = self.cfg.description_words;
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        let target = self.rng.range(lo, hi);
        if cjk && self.rng.chance(self.cfg.cjk_description_share) {
            // ~8 "words" per Chinese sentence.
            let n = (target / 8).max(1);
            if html {
                f.extend_from_slice(b"<p>");
            }
            self.cn_description(f, cat, term, n);
            if html {
                f.extend_from_slice(b"</p>");
            }
            return;
        }
        // Where the brand goes: 0 first sentence, 1 middle, 2 last / image alt.
        let brand_at = term.map(|_| self.rng.below(3));
        let mut words = 0;
        let mut list_done = !html;
        if html {
            f.extend_from_slice(b"<p>");
        }
        if let (Some(t), Some(0)) = (term, brand_at) {
            self.brand_sentence(f, t, noun, html);
            words += 6;
        }
        if non_ascii && self.rng.chance(0.5) {
            sep(f);
            push_text(f, self.rng.pick(NON_ASCII_SENT), html);
            words += 6;
        }
        let mut brand_mid_pending = brand_at == Some(1);
        let mut first = true;
        while words < target || first {
            first = false;
            if !list_done && words >= target / 2 {
                self.html_list(f, cat, noun);
                list_done = true;
                words += 12;
                continue;
            }
            if !html && !f.is_empty() && self.rng.chance(0.03) {
                f.push(b'\n');
            } else {
                sep(f);
            }
            if brand_mid_pending && words >= target / 3 {
                if let Some(t) = term {
                    self.brand_sentence(f, t, noun, html);
                    sep(f);
                    words += 6;
                }
                brand_mid_pending = false;
            }
            words += self.sentence(f, cat, noun, html);
        }
        if brand_mid_pending {
            if let Some(t) = term {
                sep(f);
                self.brand_sentence(f, t, noun, html);
            }
        }
        if non_ascii {
            sep(f);
            push_text(f, self.rng.pick(NON_ASCII_SENT), html);
        }
        if cjk {
            sep(f);
            f.extend_from_slice(self.rng.pick(CN_SENT).as_bytes());
        }
        if let (Some(t), Some(2)) = (term, brand_at) {
            if html && self.rng.chance(0.5) {
                if f.ends_with(b"<p>") {
                    f.truncate(f.len() - 3);
                } else if !f.ends_with(b"</ul>") {
                    f.extend_from_slice(b"</p>");
                }
                f.extend_from_slice(b"<img alt=\"");
                self.term(f, t, true);
                f.push(b' ');
                f.extend_from_slice(noun.as_bytes());
                f.extend_from_slice(b"\" src=\"");
                self.image_url(f, noun, None);
                f.extend_from_slice(b"\">");
                return;
            }
            sep(f);
            self.brand_sentence(f, t, noun, html);
        }
        if html {
            if f.ends_with(b"<p>") {
                f.truncate(f.len() - 3);
            } else if !f.ends_with(b"</ul>") {
                f.extend_from_slice(b"</p>");
            }
            if self.rng.chance(0.3) {
                f.extend_from_slice(b"<img alt=\"");
                f.extend_from_slice(self.rng.pick(cat.adjs).as_bytes());
                f.push(b' ');
                f.extend_from_slice(noun.as_bytes());
                word(f, self.rng.pick(COLORS));
                f.extend_from_slice(b"\" src=\"");
                self.image_url(f, noun, None);
                f.extend_from_slice(b"\">");
            }
        }
    }

    /// `</p><ul><li>…</li>…</ul><p>` (with optional newlines between blocks).
    fn html_list(&mut self, f: &mut Vec<u8>, cat: &Category, noun: &str) {
        let nl = self.rng.chance(0.5);
        if f.ends_with(b"<p>") {
            f.truncate(f.len() - 3);
        } else {
            f.extend_from_slice(b"</p>");
        }
        if nl {
            f.push(b'\n');
        }
        f.extend_from_slice(b"<ul>");
        for _ in 0..self.rng.range(3, 5) {
            f.extend_from_slice(b"<li>");
            match self.rng.below(3) {
                0 => {
                    f.extend_from_slice(b"<strong>");
                    f.extend_from_slice(self.rng.pick(cat.features).as_bytes());
                    f.extend_from_slice(b"</strong>: ");
                    self.sentence(f, cat, noun, true);
                }
                1 => {
                    f.extend_from_slice(self.rng.pick(cat.materials).as_bytes());
                    f.push(b' ');
                    push_lower(f, noun);
                    push_text(f, " & ", true);
                    push_lower(f, self.rng.pick(cat.extras));
                }
                _ => {
                    self.sentence(f, cat, noun, true);
                }
            }
            f.extend_from_slice(b"</li>");
        }
        f.extend_from_slice(b"</ul>");
        if nl {
            f.push(b'\n');
        }
        f.extend_from_slice(b"<p>");
    }

    fn price(&mut self, out: &mut Vec<u8>) {
        let (lo, hi) =
            [(99u64, 999u64), (1000, 4999), (5000, 19999), (20000, 99999)][self.rng.below(4)];
        let mut cents = lo + self.rng.below((hi - lo) as usize) as u64;
        if self.rng.chance(0.5) {
            cents = cents / 100 * 100 + 99;
        }
        push_u64(out, cents / 100);
        out.push(b'.');
        push_u64_padded(out, cents % 100, 2);
    }

    fn image_url(&mut self, f: &mut Vec<u8>, noun: &str, term: Option<&str>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        f.extend_from_slice(b"https://img.shopcdn.example/");
        let h = self.rng.next_u64();
        f.push(HEX[(h & 15) as usize]);
        f.push(HEX[((h >> 4) & 15) as usize]);
        f.push(b'/');
        f.push(HEX[((h >> 8) & 15) as usize]);
        f.push(HEX[((h >> 12) & 15) as usize]);
        f.push(b'/');
        if let Some(t) = term {
            push_slug(f, t);
        }
        push_slug(f, noun);
        f.push(b'-');
        push_u64(f, (h >> 16) % 9 + 1);
        f.extend_from_slice(if (h >> 32) & 3 == 0 { b".png" } else { b".jpg" });
    }
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(cfg: &CorpusConfig, terms: &[String]) -> (Vec<u8>, CatalogStats) {
        let mut buf = Vec::new();
        let stats = write_catalog(cfg, terms, &mut buf).expect("write to Vec");
        (buf, stats)
    }

    fn terms() -> Vec<String> {
        [
            "Nike",
            "Adidas",
            "Rolex",
            "Louis Vuitton",
            "iPhone",
            "H&M",
            "耐克",
            "Moët",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// Quote-aware CSV record splitter: returns each record's fields (unquoted).
    fn parse_csv(data: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = data.chars().peekable();
        let mut in_quotes = false;
        let mut at_field_start = true;
        while let Some(c) = chars.next() {
            if in_quotes {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cur.push('"');
                    } else {
                        in_quotes = false;
                        let next = chars.peek().copied();
                        assert!(
                            matches!(next, None | Some(',') | Some('\n')),
                            "junk after closing quote: {next:?}"
                        );
                    }
                } else {
                    cur.push(c);
                }
                continue;
            }
            match c {
                '"' => {
                    assert!(at_field_start, "quote inside unquoted field");
                    in_quotes = true;
                    at_field_start = false;
                }
                ',' => {
                    fields.push(std::mem::take(&mut cur));
                    at_field_start = true;
                }
                '\n' => {
                    fields.push(std::mem::take(&mut cur));
                    records.push(std::mem::take(&mut fields));
                    at_field_start = true;
                }
                '\r' => panic!("bare CR outside quotes"),
                _ => {
                    cur.push(c);
                    at_field_start = false;
                }
            }
        }
        assert!(!in_quotes, "unterminated quoted field");
        assert!(
            cur.is_empty() && fields.is_empty(),
            "last record not newline-terminated"
        );
        records
    }

    #[test]
    fn same_seed_same_bytes() {
        let cfg = CorpusConfig {
            rows: Some(3000),
            brand_density: 0.2,
            evasion_share: 0.5,
            ..Default::default()
        };
        let (a, sa) = gen(&cfg, &terms());
        let (b, sb) = gen(&cfg, &terms());
        assert_eq!(sa, sb);
        assert!(a == b, "same config must give identical bytes");
    }

    #[test]
    fn different_seed_different_bytes() {
        let cfg = CorpusConfig {
            rows: Some(200),
            ..Default::default()
        };
        let (a, _) = gen(&cfg, &terms());
        let (b, _) = gen(&CorpusConfig { seed: 7, ..cfg }, &terms());
        assert_ne!(a, b);
    }

    #[test]
    fn presets_carry_what_they_say() {
        let mut terms = terms();
        terms.push("耐克".into());
        let rows = |name: &str| {
            let cfg = CorpusConfig {
                rows: Some(2000),
                ..CorpusConfig::preset(name).expect("preset")
            };
            let (buf, _) = gen(&cfg, &terms);
            let text = String::from_utf8(buf).expect("valid UTF-8");
            parse_csv(&text).into_iter().skip(1).collect::<Vec<_>>()
        };
        let mixed = rows("mixed");
        let non_ascii = mixed
            .iter()
            .filter(|r| r[1..3].iter().any(|f| !f.is_ascii()))
            .count();
        assert!(
            non_ascii * 100 >= mixed.len() * 95,
            "{non_ascii} of {}",
            mixed.len()
        );
        let cjk = rows("cjk");
        let han = |s: &str| {
            s.chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count()
        };
        let chinese_titles = cjk
            .iter()
            .filter(|r| han(&r[1]) * 2 >= r[1].chars().count() / 2)
            .count();
        assert!(
            chinese_titles * 2 > cjk.len(),
            "{chinese_titles} of {}",
            cjk.len()
        );
        assert!(cjk
            .iter()
            .any(|r| r[1].contains("耐克") || r[2].contains("耐克")));
        assert_eq!(
            CorpusConfig::preset("ascii").map(|c| c.typographic_share),
            Some(0.0)
        );
        assert!(CorpusConfig::preset("klingon").is_none());
    }

    #[test]
    fn rows_honoured_and_every_record_has_six_fields() {
        let cfg = CorpusConfig {
            rows: Some(5000),
            brand_density: 0.3,
            evasion_share: 0.5,
            non_ascii_share: 0.3,
            cjk_share: 0.3,
            html_share: 0.5,
            ..Default::default()
        };
        let (buf, stats) = gen(&cfg, &terms());
        assert_eq!(stats.rows, 5000);
        assert_eq!(stats.bytes, buf.len() as u64);
        let text = String::from_utf8(buf).expect("valid UTF-8");
        assert!(text.starts_with(HEADER));
        let records = parse_csv(&text);
        assert_eq!(records.len() as u64, stats.rows + 1);
        for (i, r) in records.iter().enumerate() {
            assert_eq!(r.len(), 6, "record {i}: {r:?}");
        }
        // Quoting is exercised: commas, quotes and newlines inside fields.
        assert!(text.contains("\"\""));
        assert!(records.iter().any(|r| r[2].contains('\n')));
        assert!(records.iter().any(|r| r[2].contains("<li>")));
        // Product ids are unique.
        let ids: HashSet<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids.len(), 5000);
    }

    #[test]
    fn target_bytes_stops_after_crossing_row() {
        let cfg = CorpusConfig {
            rows: None,
            target_bytes: Some(200_000),
            ..Default::default()
        };
        let (buf, stats) = gen(&cfg, &terms());
        assert_eq!(stats.bytes, buf.len() as u64);
        assert!(stats.bytes >= 200_000);
        let text = String::from_utf8(buf).unwrap();
        let records = parse_csv(&text);
        assert_eq!(records.len() as u64, stats.rows + 1);
        // Without the last row we would be under target.
        let one_less = CorpusConfig {
            rows: Some(stats.rows - 1),
            target_bytes: None,
            ..cfg
        };
        let (shorter, _) = gen(&one_less, &terms());
        assert!((shorter.len() as u64) < 200_000);
        assert!(text.as_bytes().starts_with(&shorter));
    }

    #[test]
    fn brand_density_roughly_honoured() {
        let t = vec!["Zorblaxian".to_string()];
        let rows = 20_000;
        let cfg = CorpusConfig {
            rows: Some(rows),
            brand_density: 0.05,
            evasion_share: 0.0,
            ..Default::default()
        };
        let (buf, stats) = gen(&cfg, &t);
        let text = String::from_utf8(buf).unwrap();
        let records = parse_csv(&text);
        let mentioning = records[1..]
            .iter()
            .filter(|r| {
                [1, 2, 5]
                    .iter()
                    .any(|&i| r[i].to_lowercase().contains("zorblaxian"))
            })
            .count() as u64;
        assert_eq!(mentioning, stats.brand_rows);
        let share = stats.brand_rows as f64 / rows as f64;
        assert!((0.04..0.06).contains(&share), "share {share}");
    }

    #[test]
    fn csv_quoting() {
        let mut out = Vec::new();
        for f in [
            "plain",
            "a,b",
            "say \"hi\"",
            "x\ny",
            "",
            "0123456789abcdef\"01234567\"\"",
        ] {
            push_csv_field(&mut out, f.as_bytes());
            out.push(b'|');
        }
        let want =
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"x\ny\"||\"0123456789abcdef\"\"01234567\"\"\"\"\"|";
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn no_terms_no_brand_rows() {
        let (_, stats) = gen(&CorpusConfig::default(), &[]);
        assert_eq!(stats.brand_rows, 0);
        assert_eq!(stats.rows, DEFAULT_ROWS);
    }

    #[test]
    fn evasion_obfuscates_most_mentions() {
        let t = vec!["Rolex".to_string()];
        let cfg = CorpusConfig {
            rows: Some(4000),
            brand_density: 1.0,
            evasion_share: 1.0,
            ..Default::default()
        };
        let (buf, stats) = gen(&cfg, &t);
        assert_eq!(stats.brand_rows, 4000);
        let text = String::from_utf8(buf).unwrap();
        let records = parse_csv(&text);
        let plain_title = records[1..]
            .iter()
            .filter(|r| r[1].contains("Rolex"))
            .count();
        assert!(plain_title < 100, "plain in {plain_title} titles");
        for form in ["R0lex", "Rоlex", "Ｒｏｌｅｘ", "Rollex", "R\u{200b}olex"] {
            assert!(text.contains(form), "missing {form}");
        }
        assert!(text.contains("R O L E X") || text.contains("R.o.l.e.x"));
    }

    #[test]
    fn generate_terms_distinct_and_deterministic() {
        let a = generate_terms(1, 20_000);
        assert_eq!(a.len(), 20_000);
        let set: HashSet<String> = a.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(set.len(), a.len());
        assert_eq!(a, generate_terms(1, 20_000));
        assert_ne!(a[..100], generate_terms(2, 100)[..]);
        assert!(a.iter().any(|t| t.contains(' ')));
        assert!(a.iter().all(|t| t.len() >= 4));
    }
}
