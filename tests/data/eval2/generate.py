#!/usr/bin/env python3
"""Second evaluation set for brandscan: evasions as other filters' test data write them.

Deterministic (fixed seed), standard library only. Writes `listings.csv` beside this
file. Nothing here reads brandscan's word lists: the brands, their product marks and
Chinese names, the title shapes and the evasion techniques are written out below, the
techniques taken from the test suites of two profanity filters (see README.md).

    python3 tests/data/eval2/generate.py
"""
import csv
import os
import random

R = random.Random(20261207)
HERE = os.path.dirname(os.path.abspath(__file__))

# brand (as reports name it), the word sellers write, its goods, a product mark, Chinese name
BRANDS = [
    ("Nike", "Nike", "shoes", "Air Max", "耐克"),
    ("Adidas", "Adidas", "shoes", "Ultraboost", "阿迪达斯"),
    ("Gucci", "Gucci", "bag", "GG Marmont", "古驰"),
    ("Louis Vuitton", "Louis Vuitton", "bag", "Neverfull", "路易威登"),
    ("Chanel", "Chanel", "bag", "Boy Bag", "香奈儿"),
    ("Hermès", "Hermes", "bag", "Birkin", "爱马仕"),
    ("Prada", "Prada", "bag", "Re-Edition", "普拉达"),
    ("Balenciaga", "Balenciaga", "shoes", "Triple S", "巴黎世家"),
    ("Dior", "Dior", "bag", "Lady Dior", "迪奥"),
    ("Rolex", "Rolex", "watch", "Submariner", "劳力士"),
    ("Omega", "Omega", "watch", "Speedmaster", "欧米茄"),
    ("Cartier", "Cartier", "watch", "Santos", "卡地亚"),
    ("Supreme", "Supreme", "apparel", "Box Logo", None),
    ("Moncler", "Moncler", "apparel", "Maya", "盟可睐"),
    ("Versace", "Versace", "apparel", "Medusa", "范思哲"),
    ("Fendi", "Fendi", "bag", "Baguette", "芬迪"),
    ("Burberry", "Burberry", "apparel", "Nova Check", "博柏利"),
    ("Givenchy", "Givenchy", "bag", "Antigona", "纪梵希"),
    ("Valentino", "Valentino", "shoes", "Rockstud", "华伦天奴"),
    ("Celine", "Celine", "bag", "Triomphe", "赛琳"),
    ("Tiffany & Co.", "Tiffany", "jewellery", "Return to Tiffany", "蒂芙尼"),
    ("Pandora", "Pandora", "jewellery", "Moments", "潘多拉"),
    ("Swarovski", "Swarovski", "jewellery", "Millenia", "施华洛世奇"),
    ("Bulgari", "Bvlgari", "jewellery", "Serpenti", "宝格丽"),
    ("Michael Kors", "Michael Kors", "bag", "Jet Set", "迈克高仕"),
    ("Lululemon", "Lululemon", "apparel", "Align", "露露乐蒙"),
    ("Moncler", "Moncler", "apparel", "Maya", "盟可睐"),
    ("Under Armour", "Under Armour", "apparel", "HeatGear", "安德玛"),
    ("UGG", "UGG", "shoes", "Tasman", None),
    ("Timberland", "Timberland", "shoes", "6-Inch Premium", "添柏岚"),
    ("Oakley", "Oakley", "eyewear", "Holbrook", "欧克利"),
    ("Ray-Ban", "RayBan", "eyewear", "Wayfarer", "雷朋"),
    ("Apple", "iPhone", "electronics", "AirPods", "苹果"),
    ("Samsung", "Samsung", "electronics", "Galaxy Buds", "三星"),
    ("Sony", "Sony", "electronics", "PlayStation", "索尼"),
    ("Bose", "Bose", "electronics", "QuietComfort", "博士"),
    ("Toshiba", "Toshiba", "electronics", "Satellite", "东芝"),
    ("Lenovo", "Lenovo", "electronics", "ThinkPad", "联想"),
    ("Huawei", "Huawei", "electronics", "MateBook", "华为"),
    ("Dyson", "Dyson", "home", "Supersonic", "戴森"),
    ("Stanley", "Stanley", "drinkware", "Quencher", "史丹利"),
    ("Owala", "Owala", "drinkware", "FreeSip", None),
    ("Hydro Flask", "Hydroflask", "drinkware", "Wide Mouth", None),
    ("LEGO", "Lego", "toys", "Technic", "乐高"),
    ("Pokémon", "Pokemon", "toys", "Pikachu", "宝可梦"),
    ("Disney", "Disney", "toys", "Mickey Mouse", "迪士尼"),
    ("Sanrio", "Sanrio", "toys", "Hello Kitty", "三丽鸥"),
    ("Pop Mart", "Labubu", "toys", "The Monsters", "泡泡玛特"),
    ("DeWalt", "DeWalt", "tools", "20V MAX", "得伟"),
    ("Makita", "Makita", "tools", "LXT", "牧田"),
    ("Casio", "Casio", "watch", "G-Shock", "卡西欧"),
    ("Seiko", "Seiko", "watch", "Presage", "精工"),
    ("Patek Philippe", "Patek", "watch", "Nautilus", "百达翡丽"),
    ("Audemars Piguet", "Audemars Piguet", "watch", "Royal Oak", "爱彼"),
    ("Chopard", "Chopard", "jewellery", "Happy Diamonds", "萧邦"),
    ("Estée Lauder", "Estee Lauder", "cosmetics", "Advanced Night Repair", "雅诗兰黛"),
    ("Lancôme", "Lancome", "cosmetics", "Genifique", "兰蔻"),
    ("Saint Laurent", "Saint Laurent", "cosmetics", "Libre", "圣罗兰"),
    ("Nintendo", "Nintendo", "electronics", "Switch OLED", "任天堂"),
    ("Canada Goose", "Canada Goose", "apparel", "Expedition", None),
]
# One record per brand: the duplicate Moncler row above is dropped.
seen = set()
BRANDS = [b for b in BRANDS if not (b[0] in seen or seen.add(b[0]))]

SHAPES = {
    "shoes": ["{w} Men's Running Shoes Size 10 Black", "Women's {w} Sneakers Low Top White Leather",
              "{w} Slides Summer Sandals Unisex", "Kids {w} Trainers Lightweight Breathable"],
    "bag": ["{w} Women's Leather Shoulder Bag Crossbody Purse", "Vintage {w} Tote Bag Brown Canvas",
            "{w} Mini Backpack Black Nylon", "{w} Wallet Card Holder Zip Around"],
    "apparel": ["{w} Hoodie Oversized Pullover Sweatshirt", "{w} Logo T-Shirt Cotton Crew Neck",
                "{w} Puffer Jacket Winter Down Coat", "Men's {w} Track Pants Slim Fit"],
    "watch": ["{w} Automatic Men's Watch 41mm Stainless Steel", "{w} Chronograph Watch Blue Dial",
              "Ladies {w} Quartz Watch Gold Tone", "{w} Diver Watch Ceramic Bezel 40mm"],
    "jewellery": ["{w} Necklace 18K Gold Plated Pendant", "{w} Bracelet Sterling Silver Charm",
                  "{w} Heart Earrings Rose Gold", "{w} Ring Crystal Band Size 7"],
    "eyewear": ["{w} Sunglasses Polarized UV400 Men", "{w} Aviator Sunglasses Gold Frame",
                "{w} Square Frame Glasses Tortoise"],
    "electronics": ["{w} Wireless Earbuds Bluetooth 5.3 Noise Cancelling", "{w} 65W USB-C Laptop Charger",
                    "{w} Portable Speaker Waterproof Bass", "Refurbished {w} Laptop 16GB RAM 512GB SSD"],
    "home": ["{w} Hair Dryer Ionic 1600W", "{w} Cordless Vacuum Cleaner Lightweight"],
    "drinkware": ["{w} 40oz Tumbler with Handle and Straw", "{w} Insulated Water Bottle 32 oz Leakproof",
                  "{w} Travel Mug Stainless Steel Pink"],
    "toys": ["{w} Plush Toy 12 inch Soft Doll", "{w} Building Blocks Set 500 pcs Gift",
             "{w} Keychain Figure Blind Box"],
    "tools": ["{w} 20V Cordless Drill Driver Kit", "{w} Impact Wrench with Battery and Charger"],
    "cosmetics": ["{w} Eau de Parfum 100ml Spray for Women", "{w} Serum 50ml Anti Aging",
                  "{w} Matte Lipstick Long Lasting"],
}

def title(brand, word=None, shape=None):
    shape = shape or R.choice(SHAPES[brand[2]])
    return shape.format(w=word if word is not None else brand[1])

# Techniques from the test data of finnbear/rustrict (src/test_positive.txt: `$#1t`, `f!u!c!k`,
# `sh*t`, `f^ck`, `@$$`, `sh∥t`, `ℌit❗er`, `P🇪nis`, `C U N T`, `F_u c_K`, `c.0.c.k`, `crаp`,
# `ғυcĸ`, `fऀuऀcऀk`, `heII`) and jo3-l/obscenity (src/transformer/resolve-leetspeak/dictionary.ts:
# a→@4, c→(, e→3, g→6, i→1|!, l→/, o→0, s→$5, t→7, z→2).
EDGE_SYMBOL = {"s": "$", "a": "@", "i": "!", "l": "|", "c": "(", "e": "€", "o": "0"}
INNER = ["*", "^", "#", "•", "★", "♥", "✿", "∥"]
EMOJI = ["💎", "🔥", "⭐", "✨", "👜", "👟", "💯", "❤\ufe0f", "❗", "⚡", "🌟", "👍🏽",
         "👩\u200d💻", "🏳\ufe0f\u200d🌈", "😍", "🎁"]
DIGIT = {"a": "4", "e": "3", "g": "6", "i": "1", "l": "1", "o": "0", "s": "5", "t": "7", "z": "2", "b": "8"}
LOOK = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "j": "ј",
        "s": "ѕ", "h": "һ", "d": "ԁ", "A": "Α", "B": "Β", "E": "Ε", "H": "Η", "I": "Ι", "K": "Κ",
        "M": "Μ", "N": "Ν", "O": "Ο", "P": "Ρ", "T": "Τ", "X": "Χ", "Z": "Ζ", "C": "С", "S": "Ѕ",
        "u": "υ", "v": "ν", "k": "κ", "n": "ո", "l": "ӏ"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]

def positions(word, pred):
    return [i for i, c in enumerate(word) if pred(i, c)]

def edge_symbol(w):
    opts = []
    if w[0].lower() in EDGE_SYMBOL:
        opts.append(EDGE_SYMBOL[w[0].lower()] + w[1:])
    if w[-1].lower() in EDGE_SYMBOL:
        opts.append(w[:-1] + EDGE_SYMBOL[w[-1].lower()])
    return R.choice(opts) if opts else None

def inner_symbol(w):
    if len(w) < 4:
        return None
    i = R.randrange(2, len(w) - 1)
    mode = R.random()
    if mode < 0.45:
        return w[:i] + R.choice(EMOJI) + w[i:]
    if mode < 0.7:
        return w[:i] + R.choice(INNER) + w[i + 1:]
    return w[:i] + R.choice(INNER + EMOJI) + w[i:]

def split(w):
    if len(w) < 5:
        return None
    i = R.randrange(2, len(w) - 1)
    return w[:i] + R.choice(["-", "-", ".", "·"]) + w[i:]

def lookalike(w):
    ps = positions(w, lambda i, c: c in LOOK)
    if not ps:
        return None
    out = list(w)
    for p in R.sample(ps, min(len(ps), R.choice([1, 1, 2]))):
        out[p] = LOOK[out[p]]
    return "".join(out)

def digits(w):
    ps = positions(w, lambda i, c: 0 < i < len(w) - 1 and c.lower() in DIGIT)
    if not ps:
        return None
    out = list(w)
    for p in R.sample(ps, min(len(ps), R.choice([1, 1, 2]))):
        out[p] = DIGIT[out[p].lower()]
    return "".join(out)

def spaced(w):
    if not (4 <= len(w) <= 9) or not w.isalpha():
        return None
    letters = list(w.upper() if R.random() < 0.6 else w)
    sep = R.choice([" ", ".", "-", "_", "*", " . ", "!"])
    return sep.join(letters)

def zero_width(w):
    if len(w) < 4:
        return None
    out = list(w)
    for p in sorted(R.sample(range(1, len(w)), R.choice([1, 1, 2])), reverse=True):
        out.insert(p, R.choice(INVISIBLE))
    return "".join(out)

def on_longest_word(fn, name):
    """Sellers disguise one word of a name and leave the rest: `Louis V-uitton`."""
    words = name.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = fn(words[i])
    return None if w is None else " ".join(words[:i] + [w] + words[i + 1:])

EVASIONS = [("edge_symbol", edge_symbol, "pending"), ("inner_symbol", inner_symbol, "pending"),
            ("split", split, "pending"), ("lookalike", lookalike, "supported"),
            ("digits", digits, "supported"), ("spaced", spaced, "supported"),
            ("zero_width", zero_width, "supported")]

def between_words(name, w):
    """True when the one separator of the split `w` stands where `name` has its space."""
    words = name.split()
    cut = [i for i, c in enumerate(w) if c in "-.·"]
    return len(words) > 1 and len(cut) == 1 and w[:cut[0]].lower() == words[0].lower()

rows = []
def add(cls, title_, expected, action="", kind="", context="", tags="", note=""):
    rows.append(dict(cls=cls, title=title_, tags=tags, expected=expected, action=action,
                     match_kind=kind, context=context, note=note))

for cls, fn, _ in EVASIONS:
    n = 0
    tries = 0
    while n < 110 and tries < 5000:
        tries += 1
        b = R.choice(BRANDS)
        w = on_longest_word(fn, b[1])
        if w is None or w == b[1]:
            continue
        kind, note = "obfuscated", f"{b[1]} -> {w!r}"
        if cls == "split" and between_words(b[0], w):
            # A separator where the brand's name has a space (`Hydro.flask` for Hydro
            # Flask) is the flexible separator of a multi-word term: `normalized`, as
            # `louis-vuitton` (SPEC §2, separators), not a split word.
            kind, note = "normalized", note + ", between the words of the name"
        add(cls, title(b, w), b[0], kind=kind, note=note)
        n += 1

# Capitalisation. Brands that are common words, in the brand's own sense.
CAPS = [("Coach", "Coach", "Shoulder Bag Leather", None), ("Puma", "Puma", "Suede Sneakers", None),
        ("Converse", "Converse", "High Top Canvas Shoes", "Chuck Taylor"), ("Vans", "Vans", "Skate Shoes Black", "Old Skool"),
        ("Supreme", "Supreme", "Hoodie Red", None), ("Guess", "Guess", "Crossbody Bag", None),
        ("Apple", "Apple", "Charging Cable 2m", "AirPods"), ("Canon", "Canon", "Camera Battery Pack", "PowerShot"),
        ("Crocs", "Crocs", "Clogs Unisex", "Jibbitz"), ("Timberland", "Timberland", "Waterproof Boots", None),
        ("Omega", "Omega", "Diver Watch Blue", "Seamaster"), ("Tesla", "Tesla", "Floor Mats All Weather", "Cybertruck"),
        ("Jeep", "Jeep", "Seat Covers Front", None), ("Fossil", "Fossil", "Leather Watch Strap", None),
        ("Champion", "Champion", "Crewneck Sweatshirt", "Reverse Weave"), ("Dove", "Dove", "Body Wash 500ml", None),
        ("Intel", "Intel", "Desktop Processor Boxed", "Pentium"), ("Google", "Google", "Phone Case Clear", "Chromebook"),
        ("Dell", "Dell", "Laptop Battery 6 Cell", "Alienware"), ("Marvel", "Marvel", "Action Figure Set", "Captain America")]
INNOCENT_CAPS = ["coach bus toy model", "life coach journal", "puma cub plush", "how to converse with confidence",
                 "moving vans toy truck", "supreme court poster", "guess who board game", "apple pie recipe book",
                 "canon law textbook", "dove grey cushion cover", "fossil fuel chart", "omega 3 fish oil",
                 "champion trophy cup", "marvel at the stars poster", "crocs and alligators puzzle",
                 "jeep toy for toddlers", "tesla coil kit", "google it mug", "dell boy costume", "intel inside sticker"]
INNOCENT_TITLE = ["Coach Bus Toy Model 1:50", "Soccer Coach Whistle Lanyard", "Big Apple New York Magnet",
                  "Apple Cider Vinegar Gummies", "Gap Filler Foam Spray", "Sea Shell Wind Chime",
                  "Polar Bear Plush Toy", "Senior Citizen Bus Pass Holder", "Omega Wolf Moon Poster", "Life Coach Planner Notebook", "Puma Cub Plush Toy", "How To Converse With Confidence",
                  "Moving Vans Toy Truck Set", "Supreme Court Justice Poster", "Guess Who Board Game Classic",
                  "Apple Pie Baking Dish", "Canon Law Handbook Hardcover", "Dove Grey Velvet Cushion",
                  "Fossil Hunting Kit For Kids", "Omega 3 Fish Oil Capsules", "Champion Trophy Gold Cup",
                  "Crocs And Alligators Jigsaw Puzzle", "Jeep Ride On Toy Car"]
for b, w, goods, mark in CAPS:
    # The brand in capitals in an otherwise ordinary title: the brand, at its own action.
    for shape in ["{W} {g} new with tags", "Authentic {W} {gl}", "{W} {g} - gently used, great condition",
                  "Womens {W} {gl} size M", "Original {W} {gl} from the outlet"]:
        add("caps_word", shape.format(W=w.upper(), g=goods, gl=goods.lower()), b, note="capitals stand out")
    # The whole field in capitals or title case: the brand, for a person to look at.
    for shape in ["{W} {G} NEW", "{W} {G} FAST SHIPPING", "{w} {g} Great Gift Idea", "New {w} {g} For Men",
                  "{w} {g} Limited Edition"]:
        add("caps_field", shape.format(W=w.upper(), G=goods.upper(), w=w, g=goods), b, action="review",
            note="field in capitals or title case")
    if mark:
        # ... unless a product mark of the brand is in the field too.
        for shape in ["{W} {M} {G}", "{W} {M} NEW IN BOX", "{w} {m} {g} Brand New", "{w} {m} Original Packaging",
                      "{W} {M} AUTHENTIC", "{w} {m} {g}", "NEW {W} {M}", "{W} {M} {G} SALE",
                      "Genuine {w} {m} {g}"]:
            add("caps_mark", shape.format(W=w.upper(), M=mark.upper(), G=goods.upper(), w=w, m=mark, g=goods),
                b, action="remove", note=f"product mark {mark}")
    # A lowercase tag: found, for a person.
    for tags in ["{l}, gift, sale", "summer, {l}, trending", "{l}", "men, {l}, new", "{l}, original"]:
        add("caps_tags", "Gift for him" if w not in ("Coach", "Guess") else "Shoulder bag for women", b,
            action="review", tags=tags.format(l=w.lower()), note="lowercase in a tag field")
for t in INNOCENT_CAPS:
    for shape in ["{t}", "{t} for kids", "vintage {t}", "{t} - free shipping", "new {t}"]:
        add("caps_negative", shape.format(t=t), "", note="common words in lower case")
for i, t in enumerate(INNOCENT_TITLE * 5):
    t = t + ["", " New", " Gift", " Sale", " Set"][i // len(INNOCENT_TITLE)]
    add("caps_negative_title", t, "", note="title case, the common word's own sense; reported at most as review")

# Chinese counterfeit wording before or after a Chinese or Latin brand name.
ZH_FAKE = ["高仿", "复刻", "原单", "莆田", "精仿", "A货", "超A", "大牌同款", "一比一", "1比1"]
ZH_GOODS = {"shoes": "运动鞋", "bag": "女包", "apparel": "卫衣", "watch": "手表", "jewellery": "项链",
            "eyewear": "太阳镜", "electronics": "耳机", "home": "吹风机", "drinkware": "保温杯",
            "toys": "公仔", "tools": "电钻", "cosmetics": "香水"}
zh_brands = [b for b in BRANDS if b[4]]
for i in range(120):
    b = R.choice(zh_brands)
    f = ZH_FAKE[i % len(ZH_FAKE)]
    name = b[4] if i % 3 else b[1]
    shape = R.choice(["{f} {n}{g} 新款", "{n} {f}{g} 男女同款", "【{f}】{n} 正品级 {g}", "{f}{n}经典款{g}包邮"])
    add("zh_counterfeit", shape.format(f=f, n=name, g=ZH_GOODS[b[2]]), b[0], action="remove",
        context="counterfeit", note=f"counterfeit wording {f}")
ZH_COMPAT = ["适用于", "适配", "兼容", "用于"]
COMPAT_GOODS = [("Apple", "苹果", "iPhone 15", "手机壳"), ("Apple", "苹果", "AirPods Pro", "保护套"),
                ("Samsung", "三星", "Galaxy S24", "钢化膜"), ("Huawei", "华为", "Mate 60", "充电器"),
                ("Dyson", "戴森", "V10", "吸尘器配件"), ("Nintendo", "任天堂", "Switch", "手柄"),
                ("Sony", "索尼", "PS5", "散热底座"), ("Lenovo", "联想", "ThinkPad", "电池"),
                ("Stanley", "史丹利", "Quencher", "杯盖"), ("Rolex", "劳力士", "Submariner", "表带"),
                ("Makita", "牧田", "18V", "电池"), ("DeWalt", "得伟", "20V", "充电器"),
                ("Xiaomi", "小米", "Redmi", "手机壳"), ("Canon", "佳能", "EOS R6", "电池")]
for i in range(112):
    b, zh, model, goods = COMPAT_GOODS[i % len(COMPAT_GOODS)]
    c = ZH_COMPAT[(i // len(COMPAT_GOODS)) % len(ZH_COMPAT)]
    name = zh if i % 2 else model.split()[0] if b == "Apple" else zh
    add("zh_compatible", f"{c}{name} {model} {goods}", b, context="compatible", note=f"compatible wording {c}")

# Counterfeit wording with no brand the lists know, or none at all.
FAKE_ALONE = ["AAA+ Replica boots premium nubuck", "1:1 mirror quality designer bag", "Replica luxury watch automatic",
              "AAA quality designer sunglasses", "Top quality replica handbag with box", "Fake designer belt for men",
              "Mirror quality 1:1 wallet", "Knockoff designer sneakers cheap", "[Replica] [AAA+] crossbody bag",
              "Designer dupe tote bag AAA", "高仿 女包 新款", "复刻 手表 机械", "A货 运动鞋 男", "超A 太阳镜",
              "一比一 钱包 女", "精仿 皮带 男士", "原单 卫衣 潮牌", "莆田 运动鞋 气垫", "1比1 项链 女"]
for i in range(110):
    t = FAKE_ALONE[i % len(FAKE_ALONE)]
    extra = ["", " free shipping", " - new", " 包邮", " hot sale", " gift box"][(i // len(FAKE_ALONE)) % 6]
    add("counterfeit_alone", t + extra, "(counterfeit wording)", action="remove", context="counterfeit",
        note="counterfeit wording, no known brand")

# Negatives: the same characters and words, innocent.
NEG = ["$5 off coupon book", "Price $19.99 phone stand", "email me @ for bulk orders", "Save 20%! summer dress",
       "Great 🔥 deal on socks", "Cotton T-shirt well-known quality", "A B C blocks for toddlers",
       "Hand-made mug with 💎 pattern", "High-end kitchen knife set", "AAA batteries 24 pack", "copy paper A4 500 sheets",
       "1:1 scale model kit", "aspect ratio 1:1 photo frame", "fake plant in pot", "faux leather jacket",
       "mirror for bathroom wall", "replica of Roman coin", "Tesla coil science kit", "the North side garden gnome",
       "高仿真 绿植 盆栽", "高仿真花 客厅 摆件", "兼容 USB-C 数据线", "适用于 办公室 收纳盒", "用于 厨房 的 剪刀",
       "复刻版 经典 儿童 绘本", "原单位 发票 打印纸", "S-hook 10 pack", "X-Large storage box", "e-book reader cover",
       "N-95 style face mask", "Model A-1 battery", "R2-D2 style robot toy", "5mm beads 100 pcs", "4pack socks",
       "3M tall ladder", "No. 5 paint brush", "Size 8 1/2 shoes", "Wi-Fi extender", "USB 3.0 hub", "zip-lock bags 50 ct",
       "Hello 👋 kitty-cat mug", "Sun ☀ hat for kids", "Heart ♥ necklace silver", "Star ★ wall sticker",
       "Gift•box•set", "I❤NY T-shirt", "Spa day gift box", "Hermit crab shell", "Polo shirt plain", "Dove tail joint jig"]
for i, t in enumerate(NEG * 3):
    suffix = ["", " new", " - sale"][i // len(NEG)]
    add("negative", t + suffix, "", note="same symbols or words, innocent")

# Held out: Chinese lines written after the two zh classes above were read but before any
# change to the matcher for them, and never tuned on. Other brands, Taobao/1688-shaped titles
# (store tags in brackets, brand as Latin, Chinese or "Latin/中文", selling points after), the
# same counterfeit wording with its usual suffixes (版, 级, 货, 品质). The innocent lines use the
# ordinary sense of words that are also Chinese brand names (小米 millet, 联想 association,
# 三星堆 the museum, 之宝 treasure, 美的 beautiful, 奔驰 galloping, 大众 mass market, 冠军
# champion, 鳄鱼 crocodile, 精工 fine work, 博士 doctorate) and words near counterfeit wording
# (仿真 lifelike, 复古 retro, 原创 original design, A字 A-line, 等比例 to scale).
H = random.Random(14)
HELD_BRANDS = [  # brand as the lists name it, Latin word, Chinese name, goods
    ("Coach", "COACH", "蔻驰", "女包"), ("Giorgio Armani", "Armani", "阿玛尼", "西装"),
    ("Longines", "Longines", "浪琴", "手表"), ("Tissot", "Tissot", "天梭", "机械表"),
    ("Breitling", "Breitling", "百年灵", "腕表"), ("Tudor", "Tudor", "帝舵", "手表"),
    ("Vacheron Constantin", "Vacheron Constantin", "江诗丹顿", "腕表"), ("Panerai", "Panerai", "沛纳海", "手表"),
    ("New Balance", "New Balance", "新百伦", "跑鞋"), ("Puma", "PUMA", "彪马", "板鞋"),
    ("Converse", "CONVERSE", "匡威", "帆布鞋"), ("Vans", "VANS", "范斯", "滑板鞋"),
    ("The North Face", "The North Face", "北面", "冲锋衣"), ("Arc'teryx", "Arcteryx", "始祖鸟", "冲锋衣"),
    ("Loewe", "Loewe", "罗意威", "手袋"), ("Bottega Veneta", "Bottega Veneta", "葆蝶家", "编织包"),
    ("Miu Miu", "MiuMiu", "缪缪", "女包"), ("Goyard", "Goyard", "戈雅", "托特包"),
    ("Dolce & Gabbana", "Dolce&Gabbana", "杜嘉班纳", "连衣裙"), ("Salvatore Ferragamo", "Ferragamo", "菲拉格慕", "皮带"),
    ("Montblanc", "Montblanc", "万宝龙", "钢笔"), ("Van Cleef & Arpels", "Van Cleef", "梵克雅宝", "四叶草手链"),
    ("Canon", "Canon", "佳能", "相机"), ("Philips", "Philips", "飞利浦", "剃须刀"),
    ("Guerlain", "Guerlain", "娇兰", "口红"), ("Shiseido", "Shiseido", "资生堂", "精华"),
    ("La Mer", "La Mer", "海蓝之谜", "面霜"), ("Jo Malone", "Jo Malone", "祖玛珑", "香水"),
    ("Mattel", "Barbie", "芭比", "娃娃"), ("Zippo", "Zippo", "之宝", "打火机"),
    ("Thermos", "Thermos", "膳魔师", "保温杯"), ("ASICS", "ASICS", "亚瑟士", "跑鞋"),
    ("Skechers", "Skechers", "斯凯奇", "老爹鞋"), ("Fila", "FILA", "斐乐", "运动鞋"),
    ("Longchamp", "Longchamp", "珑骧", "饺子包"), ("Rimowa", "Rimowa", "日默瓦", "行李箱"),
    ("Xiaomi", "Xiaomi", "小米", "手环"), ("Hugo Boss", "Hugo Boss", "雨果博斯", "衬衫"),
    ("Lacoste", "Lacoste", "鳄鱼", "POLO衫"),
]
HELD_FAKE = ["高仿", "高仿版", "复刻", "顶级复刻", "原单", "原单品质", "莆田", "莆田版", "精仿", "精仿版",
             "A货", "超A", "超A级", "大牌同款", "一比一", "1比1", "仿品"]
HELD_SHAPES = ["{n}{g}{f} 专柜品质 支持验货", "【{f}】{n} {g} 2024新款 现货速发", "{f}{n}同款{g} 男女款",
               "厂家直销 {n} {g} {f}", "{n}/{l} {f}{g} 正品包装 送礼盒", "[{f}] {l} {g} 官方同款",
               "{f} {l}/{n} {g} 顶级品质", "新款{n}{g} {f} 细节做工一流"]
for i in range(110):
    brand, latin, zh, goods = H.choice(HELD_BRANDS)
    f = HELD_FAKE[i % len(HELD_FAKE)]
    shape = HELD_SHAPES[(i // len(HELD_FAKE) + i) % len(HELD_SHAPES)]
    n = zh if i % 2 or "{l}" in shape else latin
    add("zh_heldout_counterfeit", shape.format(f=f, n=n, l=latin, g=goods), brand, action="remove",
        context="counterfeit", note=f"held out: counterfeit wording {f}")
HELD_INNOCENT = ["东北小米 新米 黄小米 2.5kg 杂粮", "联想记忆卡片 儿童 早教", "三星堆 文创 冰箱贴 青铜面具",
                 "镇店之宝 手工 紫砂壶", "美的风景 明信片 一套30张", "万马奔腾 奔驰骏马 十字绣", "大众款 平价 纯棉T恤",
                 "冠军奖杯 定制 金属 运动会", "鳄鱼 毛绒玩具 大号 抱枕", "精工制作 实木餐桌 北欧风", "博士帽 学位服 毕业礼服",
                 "烟台红富士苹果 新鲜水果 5斤装", "高仿真绿植 假花 客厅摆件", "仿真水果 模型 道具", "复古 连衣裙 法式 碎花",
                 "原创设计 手工 耳环 女", "A字裙 半身裙 高腰 显瘦", "1比1 等比例 仿真 汽车模型 合金", "一比一 等比例 手办 模型",
                 "原单位 证明 模板", "超值 A4 打印纸 500张", "北面墙 装饰画 客厅 大幅", "始祖鸟 化石 模型 科普 儿童",
                 "路易十四 油画 复制品 装饰画", "苹果造型 抱枕 水果", "小米粥 杂粮 组合", "适用于 客厅 卧室 的 地毯",
                 "兼容 Type-C 充电线 快充", "配 钥匙扣 挂件", "同款 颜色 多选"]
for i in range(110):
    t = HELD_INNOCENT[i % len(HELD_INNOCENT)]
    t += ["", " 包邮", " 新款", " 现货"][i // len(HELD_INNOCENT)]
    add("zh_heldout_negative", t, "", note="held out: the ordinary sense of brand-like and counterfeit-like words")

# Fresh held-out lines, written by hand before the change that made the `zh_heldout_negative`
# class pass and never tuned on: Taobao-shaped titles with the ordinary sense of words that
# are also Chinese brand names or counterfeit wording (三星级 three-star, 宝马/奔驰 horses,
# 红米 red rice, 小米辣 chili, 美的 "beautiful", 长城 the Great Wall, 老板椅 a boss chair, 雷达
# radar, 1比1 life-size models), and counterfeit offers of brands in Chinese or Latin,
# glued to Chinese or spaced.
FRESH_INNOCENT = [
    "三星级酒店 一次性拖鞋 加厚防滑 100双装", "汗血宝马 纯铜马摆件 马到成功 客厅装饰",
    "万马奔腾 奔驰的骏马 十字绣 客厅大幅", "新疆红米 糙米 五谷杂粮 5斤装",
    "最美的风景 明信片 旅行纪念 30张", "长城 八达岭 纪念品 冰箱贴 北京旅游",
    "小天鹅 芭蕾舞 儿童演出服 纱裙", "骆驼 毛绒玩具 沙漠骆驼公仔 儿童礼物",
    "熊猫 毛绒公仔 四川成都 纪念品", "凤凰 刺绣 旗袍 中式改良 连衣裙",
    "纯银戒指 永久保色 可刻字 情侣对戒", "海鸥 装饰画 海边风景 客厅挂画",
    "红蜻蜓 标本 昆虫 科普教具", "倒车雷达 汽车 探头 4个装 蜂鸣",
    "精工制作 红木茶盘 整块 实木", "博士服 毕业 学位服 全套 定制",
    "苹果醋 饮料 整箱 12瓶", "小米辣 新鲜 朝天椒 500g 农家",
    "鳄鱼 咬手指 玩具 亲子游戏 桌游", "冠军 奖杯 定制 比赛 奖牌 刻字",
    "大宝 二宝 兄弟装 亲子T恤 夏季", "统一 班服 定制 纯棉 T恤 印字",
    "1比1 真人大小 仿真恐龙模型 展览道具", "一比一 还原 天安门城楼 拼装模型",
    "1:1 等身 仿真人体骨骼模型 医学教学", "高仿真 绿植 假花 客厅摆设 盆栽",
    "复古 原宿风 卫衣 女 宽松 加绒", "北面 阳台 窗帘 遮光 免打孔",
    "联想记忆 思维导图 儿童 学习书", "老板椅 办公椅 真皮 可躺 大班椅",
    "小牛 毛绒玩偶 牛年 吉祥物 公仔", "福建莆田 特产 桂圆干 500g",
    "高仿真 婴儿 重生娃娃 硅胶 可入水",
]
FRESH_FAKE = [
    ("高仿 劳力士 绿水鬼 男士 机械表", "Rolex"), ("顶级复刻 百达翡丽 鹦鹉螺 5711 男表", "Patek Philippe"),
    ("原单 巴黎世家 老爹鞋 男女 增高", "Balenciaga"), ("莆田纯原 耐克 AJ1 倒钩 篮球鞋", "Nike"),
    ("精仿 香奈儿 CF 链条包 羊皮", "Chanel"), ("A货 古驰 双G 腰带 男士 真皮", "Gucci"),
    ("超A 爱马仕 铂金包 togo皮", "Hermès"), ("一比一 卡地亚 蓝气球 女表 石英", "Cartier"),
    ("1比1 迪奥 马鞍包 老花 女包", "Dior"), ("大牌同款 普拉达 尼龙 双肩包", "Prada"),
    ("高仿LV老花手提包 女 大容量", "Louis Vuitton"), ("复刻版 欧米茄 海马300 潜水表", "Omega"),
    ("原单Moncler羽绒服 男 短款", "Moncler"), ("精仿 Burberry 格子围巾 羊绒", "Burberry"),
    ("高仿 阿迪达斯 椰子350 跑鞋", "Adidas"), ("仿品 宝格丽 蛇头 项链 女", "Bulgari"),
    ("顶级A货 芬迪 法棍包 腋下包", "Fendi"), ("1:1复刻 沛纳海 潜行系列 手表", "Panerai"),
    ("莆田鞋 新百伦990 灰色 复古跑鞋", "New Balance"), ("超A货 圣罗兰 信封包 链条", "Saint Laurent"),
    ("原单 加拿大鹅 远征 羽绒服 男", "Canada Goose"), ("高仿苹果AirPods Pro 无线耳机", "Apple"),
    ("高仿 华为手表 GT4 智能手表", "Huawei"),
]
for t in FRESH_INNOCENT:
    add("zh_fresh_negative", t, "", note="fresh held out: ordinary sense, written before the change")
for t, brand in FRESH_FAKE:
    add("zh_fresh_counterfeit", t, brand, action="remove", context="counterfeit",
        note="fresh held out: counterfeit offer, written before the change")

with open(os.path.join(HERE, "listings.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "class", "title", "tags", "expected", "action", "match_kind", "context", "note"])
    for i, r in enumerate(rows, 1):
        w.writerow([f"V{i:04d}", r["cls"], r["title"], r["tags"], r["expected"], r["action"],
                    r["match_kind"], r["context"], r["note"]])
print(f"{len(rows)} listings")
