#!/usr/bin/env python3
"""Generate the labelled evaluation set for brandscan's matcher.

    python3 tests/data/eval/generate.py            # writes tests/data/eval/listings.csv

Deterministic (fixed seed, sorted inputs): running it again gives the same file. Reads
the built-in word lists (`wordlists/*.csv`) for brand terms and `data/english_words.txt.gz`
to keep invented misspellings from being real words. Standard library only.

Each listing is `id,kind,title,description,expected,context`:

* `kind` - what the listing tests: `exact` and `normalized` (controls), the evasion kinds
  `lookalike`, `styled`, `zero_width`, `substitution`, `spaced`, `stretched`, then
  `compatible`, `counterfeit`, `html`, `fuzzy`, and `innocent` near-misses;
* `expected` - the brands (the word lists' `brand` column) the listing really mentions,
  `;`-joined, empty for innocent listings;
* `context` - the context the brand's finding should carry (`compatible`,
  `counterfeit` or empty).

See README.md beside this file for what each kind contains and why.
"""

import csv
import glob
import gzip
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
PER_KIND = 110
SEED = 20261128

rng = random.Random(SEED)

with gzip.open(os.path.join(ROOT, "data", "english_words.txt.gz"), "rt") as fh:
    ENGLISH = set(fh.read().split())

RULES = []
for path in sorted(glob.glob(os.path.join(ROOT, "wordlists", "*.csv"))):
    with open(path, newline="", encoding="utf-8") as fh:
        RULES.extend(csv.DictReader(fh))

LITERALS = [r for r in RULES if r["kind"] in ("", "literal")]
ALL_TERMS = {r["term"].lower() for r in LITERALS}


def eligible(r, min_len=5):
    """Brand terms an evasion is generated for: one ASCII word, case-insensitive, not
    an English word, long enough for the obfuscation view (four letters or more)."""
    t = r["term"]
    return (
        r["case"] != "sensitive"
        and t.isascii()
        and t.isalpha()
        and len(t) >= min_len
        and t.lower() not in ENGLISH
    )


SINGLE = sorted({(r["term"], r["brand"]) for r in LITERALS if eligible(r)})
LONG = [(t, b) for t, b in SINGLE if len(t) >= 6]
MULTI = sorted(
    {
        (r["term"], r["brand"])
        for r in LITERALS
        if r["case"] != "sensitive"
        and r["term"].isascii()
        and " " in r["term"]
        and all(w.isalpha() for w in r["term"].split())
        and not all(w.lower() in ENGLISH for w in r["term"].split())
    }
)
ACCENTED = sorted(
    {(r["term"], r["brand"]) for r in LITERALS if not r["term"].isascii() and any(
        c in "àáâäçèéêëíîïñóôöúûüÿ" for c in r["term"].lower())}
)
SENSITIVE = sorted({r["term"] for r in LITERALS if r["case"] == "sensitive" and r["term"].isalpha()
                    and r["term"] != r["term"].lower()})

# Product words that are no brand in any list: the rest of each title.
PRODUCTS = [
    "running shoes", "leather wallet", "crossbody bag", "steel watch", "hoodie", "t-shirt",
    "sunglasses", "backpack", "sneakers", "belt", "scarf", "phone case", "wireless earbuds",
    "perfume 100ml", "lipstick", "baseball cap", "socks 3 pairs", "tote bag", "jacket",
    "watch strap", "slides", "tracksuit", "keychain", "beanie", "sweatshirt",
]
EXTRAS = ["for men", "for women", "new", "2024", "size 42", "black", "white", "free shipping",
          "gift", "unisex", "limited", "original box"]


def title(brand_text):
    parts = [brand_text, rng.choice(PRODUCTS)]
    if rng.random() < 0.6:
        parts.append(rng.choice(EXTRAS))
    if rng.random() < 0.3:
        parts.insert(0, rng.choice(["New", "Hot", "Sale", "Genuine", "Vintage"]))
    return " ".join(parts)


def cap(t):
    r = rng.random()
    if r < 0.4:
        return t
    if r < 0.7:
        return t.upper()
    return t.lower()


LOOKALIKES = {
    "a": ["\u0430", "\u03b1"], "c": ["\u0441", "\u03f2"], "e": ["\u0435"], "i": ["\u0456", "\u03b9"],
    "j": ["\u0458"], "o": ["\u043e", "\u03bf"], "p": ["\u0440", "\u03c1"], "s": ["\u0455"],
    "x": ["\u0445"], "y": ["\u0443"], "h": ["\u04bb"],
    "A": ["\u0410", "\u0391"], "B": ["\u0412", "\u0392"], "C": ["\u0421"], "E": ["\u0415", "\u0395"],
    "H": ["\u041d", "\u0397"], "I": ["\u0406", "\u0399"], "K": ["\u041a", "\u039a"],
    "M": ["\u041c", "\u039c"], "N": ["\u039d"], "O": ["\u041e", "\u039f"], "P": ["\u0420", "\u03a1"],
    "T": ["\u0422", "\u03a4"], "X": ["\u0425", "\u03a7"], "Y": ["\u03a5"], "Z": ["\u0396"],
}


def lookalike(t):
    t = cap(t)
    spots = [i for i, c in enumerate(t) if c in LOOKALIKES]
    if not spots:
        return None
    chars = list(t)
    for i in rng.sample(spots, min(len(spots), rng.choice([1, 1, 2]))):
        chars[i] = rng.choice(LOOKALIKES[chars[i]])
    return "".join(chars)


def styled(t):
    style = rng.choice(["bold", "italic_bold", "sans_bold", "circled", "neg_squared", "double"])
    out = []
    for c in t:
        up, low = c.isupper(), c.lower()
        k = ord(low) - ord("a")
        if style == "neg_squared":
            out.append(chr(0x1F170 + k))
        elif style == "circled":
            out.append(chr((0x24B6 if up else 0x24D0) + k))
        else:
            base = {"bold": 0x1D400, "italic_bold": 0x1D468, "sans_bold": 0x1D5D4,
                    "double": 0x1D538}[style]
            cp = base + k + (0 if up else 26)
            holes = {0x1D53A: "\u2102", 0x1D53F: "\u210d", 0x1D545: "\u2115", 0x1D547: "\u2119",
                     0x1D548: "\u211a", 0x1D549: "\u211d", 0x1D551: "\u2124"}
            out.append(holes.get(cp, chr(cp)))
    return "".join(out)


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


def zero_width(t):
    t = cap(t)
    chars = list(t)
    for i in sorted(rng.sample(range(1, len(t)), rng.choice([1, 1, 2])), reverse=True):
        chars.insert(i, rng.choice(INVISIBLE))
    return "".join(chars)


SUBS = {"o": ["0"], "i": ["1", "!"], "l": ["1", "|"], "e": ["3"], "a": ["4", "@"], "s": ["5", "$"],
        "t": ["7"], "b": ["8"], "g": ["9"]}


def substitution(t):
    t = cap(t)
    spots = [i for i, c in enumerate(t) if i > 0 and c.lower() in SUBS]
    if not spots:
        return None
    n = 2 if len(t) >= 7 and len(spots) >= 2 and rng.random() < 0.3 else 1
    chars = list(t)
    picked = sorted(rng.sample(spots, n))
    if n == 2 and picked[1] - picked[0] < 2:
        picked = picked[:1]
    for i in picked:
        chars[i] = rng.choice(SUBS[chars[i].lower()])
    return "".join(chars)


def spaced(t):
    sep = rng.choice([" ", " ", ".", "-", "_"])
    return sep.join(cap(t).replace(" ", ""))


def stretched(t):
    t = cap(t)
    vowels = [i for i, c in enumerate(t) if c.lower() in "aeiouy"] or list(range(len(t)))
    i = rng.choice(vowels)
    return t[:i] + t[i] * rng.randint(3, 5) + t[i + 1:]


KEYS = "qwertyuiopasdfghjklzxcvbnm"


def fuzzy(t):
    for _ in range(50):
        kind = rng.choice(["insert", "delete", "swap", "substitute"])
        i = rng.randrange(1, len(t) - 1)
        c = t[i]
        if kind == "insert":
            s = t[:i] + c + t[i:]
        elif kind == "delete":
            s = t[:i] + t[i + 1:]
        elif kind == "swap":
            if i + 2 >= len(t) or t[i].lower() == t[i + 1].lower():
                continue
            s = t[:i] + t[i + 1] + t[i] + t[i + 2:]
        else:
            k = KEYS.index(c.lower()) if c.lower() in KEYS else 0
            s = t[:i] + KEYS[(k + 1) % len(KEYS)] + t[i + 1:]
        low = s.lower()
        if any(a == b == c for a, b, c in zip(low, low[1:], low[2:])):
            continue  # three in a row reads as stretched, not misspelt
        if low != t.lower() and low not in ENGLISH and low not in ALL_TERMS and low != t.lower() + "s":
            return s
    return None


COMPATIBLE = ["Strap for {b}", "Compatible with {b}", "Case fits {b}", "Replacement for {b}",
              "Works with {b}", "Suitable for {b}", "Charger for {b}", "Fit for {b}"]
COUNTERFEIT = ["{b} style {p}", "1:1 {b} {p}", "Replica {b} {p}", "AAA {b} {p}",
               "{b} {p} dupe", "{p} inspired by {b}", "Mirror quality {b} {p}", "{b} {p} knockoff",
               "{p} similar to {b}", "Fake {b} {p}"]


def entity_encode(t):
    """Write a brand the way HTML editors do: accents and spaces as entities."""
    named = {"é": "&eacute;", "è": "&egrave;", "ë": "&euml;", "ü": "&uuml;", "ö": "&ouml;",
             "ä": "&auml;", "ç": "&ccedil;", "à": "&agrave;", "ô": "&ocirc;", "&": "&amp;"}
    out = "".join(named.get(c, c) for c in t)
    return out.replace(" ", rng.choice(["&nbsp;", " ", "&#32;"]))


def html(t):
    b = entity_encode(t)
    form = rng.randrange(4)
    if form == 0:
        return f"<p>Genuine <strong>{b}</strong> quality.</p><ul><li>Fast shipping</li></ul>"
    if form == 1:
        return f"<div><img src=\"/img/item-1.jpg\" alt=\"{b} {rng.choice(PRODUCTS)}\"></div>"
    if form == 2:
        return f"<p><a href=\"/c/sale\" title=\"{b} collection\">See more</a></p>"
    return f"<h2>About</h2><p>Made like {b}&reg; classics &amp; more.</p>"


def innocents():
    fixed = [
        "sign in ike", "a 1 ke", "Pineapple slicer", "Applesauce jar 500g", "coach bus toy",
        "Shell-shaped soap dish", "N1K3-200 pump spare part", "新鲜红富士苹果 5kg", "13M garden hose",
        "A1 steak sauce", "Size S M L XL", "Sooo cute puppy plush", "Zzz sleep mask",
        "Brrr winter gloves", "www.example-shop.com gift card", "Кроссовки для бега", "Ο ήλιος mug",
        "Grade A B C blocks", "T3i camera bag", "G7X screen protector", "RX100 battery",
        "X100V lens hood", "5mm 41mm 2pcs strap pins", "Replica vintage map poster",
        "Copy paper A4 500 sheets", "AAA batteries 24 pack", "fake plant in pot",
        "Inspired by nature wall art", "Better than ever coffee mug", "for men gift set",
        "compatible with most phones", "Yummm cookie jar", "Heeey sticker", "Noooo mug",
        "U S B cable", "I N T R O sign", "B-2-B label printer", "M3 screw set", "P30 case",
        "i5 laptop sleeve", "H2O bottle", "Ex5 speaker", "$5 gift card", "@home decor",
        "Wow! so soft", "Top 1 seller", "4 x 4 puzzle", "R2-D2 style lamp", "MP3 player case",
        "Hard Shell Case for 15 inch laptop", "Slip On Running Shoes for women",
        "Keen Daytona sandals", "Joma Champion polo shirt", "Keen Marshall hiking boot",
        "Retro style RAM cooler", "Skill builder cards",
    ]
    out = [(t, "") for t in fixed]
    # Model numbers: letters and digits as product codes are written.
    for _ in range(70):
        L = rng.choice("ABCDEFGHJKLMNPRSTVWXZ")
        code = rng.choice([
            f"{L}{rng.randint(1, 9)}{rng.choice('ABCDEFGHKMNPRSTX')}{rng.randint(1, 9)}-{rng.randint(100, 999)}",
            f"{L}{rng.choice('ABCDEFGHKMNPRSTX')}{rng.randint(10, 999)}",
            f"{rng.randint(1, 9)}{L}{rng.choice('ABCDEFGHKMNPRSTX')}",
            f"{L}{rng.randint(1, 9)}",
            f"{L}{L.lower()}{rng.randint(1, 9)}{rng.choice('aeiou')}{rng.choice('klmnrst')}",
        ])
        out.append((f"{code} {rng.choice(PRODUCTS)}", ""))
    # Case-sensitive brands written as the common words they are.
    for _ in range(70):
        w = rng.choice(SENSITIVE).lower()
        out.append((f"{rng.choice(['the', 'a', 'my', 'big', 'little'])} {w} {rng.choice(PRODUCTS)}", ""))
    # English words that contain a brand term inside them.
    inside = sorted(
        {w for w in ENGLISH for t, _ in SINGLE if len(t) >= 4 and t.lower() in w and w != t.lower()
         and w not in ALL_TERMS and not w.startswith(t.lower() + "s")}
    )
    for w in rng.sample(inside, min(60, len(inside))):
        out.append((f"{w.capitalize()} {rng.choice(PRODUCTS)}", ""))
    # English words one edit from a long brand term: only `--fuzzy` could take them.
    near = []
    for t, _ in LONG:
        low = t.lower()
        for i in range(len(low)):
            for c in KEYS:
                for w in (low[:i] + c + low[i + 1:], low[:i] + low[i + 1:]):
                    if w in ENGLISH and w != low:
                        near.append(w)
    near = sorted(set(near))
    for w in rng.sample(near, min(40, len(near))):
        out.append((f"{w.capitalize()} {rng.choice(PRODUCTS)}", ""))
    # Spaced and stretched ordinary words, substitutions in ordinary words.
    for w in rng.sample(sorted(w for w in ENGLISH if 4 <= len(w) <= 7), 40):
        form = rng.randrange(3)
        if form == 0:
            s = " ".join(w.upper())
        elif form == 1:
            s = stretched(w)
        else:
            s = substitution(w) or w
        if s.replace(" ", "").lower() in ALL_TERMS:
            continue
        out.append((f"{s} {rng.choice(PRODUCTS)}", ""))
    return out


def main():
    listings = []

    def add(kind, t, expected, context="", desc=""):
        listings.append((kind, t, desc, expected, context))

    def brands(pool, n):
        return [rng.choice(pool) for _ in range(n)]

    for t, b in brands(SINGLE, PER_KIND):
        add("exact", title(cap(t)), b)
    normalized_pool = ACCENTED + MULTI
    for t, b in brands(normalized_pool, PER_KIND):
        if t in dict(ACCENTED) and rng.random() < 0.6:
            import unicodedata
            s = "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
        elif " " in t and rng.random() < 0.7:
            s = t.replace(" ", rng.choice(["-", "_", "", "  "]))
        else:
            s = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c
                        for c in t)
        add("normalized", title(s), b)
    for kind, fn, pool in [
        ("lookalike", lookalike, SINGLE),
        ("styled", styled, SINGLE),
        ("zero_width", zero_width, SINGLE),
        ("substitution", substitution, SINGLE),
        ("spaced", spaced, SINGLE),
        ("stretched", stretched, SINGLE),
        ("fuzzy", fuzzy, LONG),
    ]:
        n = 0
        while n < PER_KIND:
            t, b = rng.choice(pool)
            s = fn(t)
            if s is None:
                continue
            add(kind, title(s), b)
            n += 1
    for t, b in brands(SINGLE + MULTI, PER_KIND):
        tmpl = rng.choice(COMPATIBLE)
        add("compatible", f"{tmpl.format(b=cap(t))} {rng.choice(PRODUCTS)}", b, "compatible")
    for t, b in brands(SINGLE + MULTI, PER_KIND):
        tmpl = rng.choice(COUNTERFEIT)
        add("counterfeit", tmpl.format(b=cap(t), p=rng.choice(PRODUCTS)), b, "counterfeit")
    for t, b in brands(SINGLE + MULTI + ACCENTED, PER_KIND):
        add("html", rng.choice(PRODUCTS).capitalize(), b, "", html(t))
    # Evasions the matcher does not claim to catch: measured and printed, not floored.
    hard = [
        lambda t: (SUBS.get(t[0].lower(), [None])[0] or "") + t[1:] if t[0].lower() in SUBS else None,
        lambda t: (substitution(t) or "")[:2] + "\u200b" + (substitution(t) or "")[2:] or None,
        lambda t: t[:2] + "*" + t[3:],
        lambda t: "\U0001F525".join(t.upper()),
        lambda t: fuzzy(fuzzy(t) or t) if len(t) >= 7 else None,
    ]
    for fn in hard:
        n = 0
        while n < 12:
            t, b = rng.choice(LONG)
            s = fn(t)
            if not s or s.lower() == t.lower():
                continue
            add("hard", title(s), b)
            n += 1
    for t, _ in innocents():
        add("innocent", t, "")

    path = os.path.join(HERE, "listings.csv")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "kind", "title", "description", "expected", "context"])
        for i, (kind, t, desc, expected, context) in enumerate(listings, 1):
            w.writerow([f"E{i:04d}", kind, t, desc, expected, context])
    counts = {}
    for kind, *_ in listings:
        counts[kind] = counts.get(kind, 0) + 1
    print(f"{path}: {len(listings)} listings", counts)


if __name__ == "__main__":
    main()
