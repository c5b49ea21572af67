#!/usr/bin/env python3
"""Write the format and bad-input fixtures under tests/data/formats and tests/data/bad.

The files are committed; this script is how they were made, so they can be remade or
changed on purpose. Output is deterministic (gzip mtime 0, fixed workbook dates).

    pip install openpyxl==3.1.5
    python3 tests/data/make_fixtures.py

Only the .xlsx needs openpyxl; everything else is the standard library.
"""

import datetime
import gzip
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FORMATS = os.path.join(HERE, "formats")
BAD = os.path.join(HERE, "bad")

# One set of listings, written in every format, so every format test expects the same
# findings (with tests/data/wordlists/test_rules.csv): F1 Rolex [compatible], F2 耐克
# (Nike), F3 clean, F4 NIKE (Nike), F5 Louis-Vuitton (Louis Vuitton) [counterfeit].
HEADER = ["sku", "title", "description", "brand_name", "price"]
LISTINGS = [
    ["F1", "Strap for Rolex Submariner", "Stainless steel, 20 mm", "Acme", "19.99"],
    ["F2", "耐克运动鞋 男款", "透气网面", "Acme", "99"],
    ["F3", "Plain cotton tee", "Soft and breathable", "Acme", "9.50"],
    ["F4", "NIKE running shoe", "Light and fast", "Acme", "59"],
    ["F5", "Louis-Vuitton style tote", "Vegan leather", "Acme", "30"],
]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def delimited(rows, sep, end="\n"):
    import csv

    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=end).writerows(rows)
    return buf.getvalue()


def formats():
    rows = [HEADER] + LISTINGS
    # Chinese back office: GB18030, comma-separated, no BOM.
    write(os.path.join(FORMATS, "listings_gb18030.csv"), delimited(rows, ",").encode("gb18030"))
    # Excel "Unicode Text": UTF-16LE with a BOM, tab-separated, CRLF.
    write(
        os.path.join(FORMATS, "listings_utf16.txt"),
        b"\xff\xfe" + delimited(rows, "\t", "\r\n").encode("utf-16-le"),
    )
    # Amazon inventory flat file: template metadata, labels, attribute names, data.
    amazon = [
        ["TemplateType=fptcustom", "Version=2021.1", "TemplateSignature=U0hPRVM=",
         "The top 3 rows are for Amazon.com use only. Do not modify or delete the top 3 rows."],
        ["SKU", "Product Name", "Product Description", "Brand Name", "Standard Price"],
        ["item_sku", "item_name", "product_description", "brand_name", "standard_price"],
    ] + LISTINGS
    text = delimited(amazon, "\t")
    write(os.path.join(FORMATS, "amazon_template.tsv"), text.encode("utf-8"))
    # A nightly job's gzip of the same flat file.
    write(os.path.join(FORMATS, "amazon_template.tsv.gz"), gz(text.encode("utf-8")))
    # JSON Lines, fields by key, keys in varying order, arrays and numbers.
    import json

    lines = []
    for i, (sku, title, desc, brand, price) in enumerate(LISTINGS):
        obj = {"sku": sku, "title": title, "description": desc, "brand_name": brand,
               "price": float(price), "tags": ["sale", "new"] if i % 2 == 0 else []}
        if i == 2:
            obj = dict(reversed(list(obj.items())))
        lines.append(json.dumps(obj, ensure_ascii=False))
    jsonl = ("\n".join(lines) + "\n").encode("utf-8")
    write(os.path.join(FORMATS, "listings.jsonl"), jsonl)
    write(os.path.join(FORMATS, "listings.jsonl.gz"), gz(jsonl))
    xlsx()


# A Chinese marketplace export (1688 / Taobao style): Chinese headers, Chinese context
# words. Written as UTF-8 (taobao_export.csv) and as GB18030 without a BOM
# (formats/taobao_gb18030.csv); the table in README.md lists the expected findings.
CN_HEADER = ["商品ID", "商品标题", "品牌名称", "关键词", "商品详情", "价格"]
CN_LISTINGS = [
    ["CN001", "适用于苹果iPhone 15 手机壳 磨砂", "自有品牌", "手机壳 保护套", "全包防摔", "12.9"],
    ["CN002", "高仿 古驰 腰带 男士", "无", "腰带 皮带", "头层牛皮", "88"],
    ["CN003", "兼容乐高积木 城市系列 拼装玩具", "自有品牌", "积木", "ABS材质", "59"],
    ["CN004", "精仿劳力士 机械表 男", "无", "手表", "自动机芯", "399"],
    ["CN005", "莆田 耐克 空军一号 板鞋", "无", "板鞋 运动鞋", "真皮鞋面", "168"],
    ["CN006", "1比1 香奈儿 链条包", "无", "女包", "羊皮", "299"],
    ["CN007", "配iPhone 充电线 1米", "自有品牌", "数据线", "快充", "9.9"],
    ["CN008", "纯棉T恤 搭配耐克运动裤", "自有品牌", "T恤", "纯棉", "39"],
    ["CN009", "新鲜苹果 10斤装", "果园直供", "水果", "脆甜多汁", "45"],
    ["CN010", "大牌同款 老花手提包 路易威登", "无", "手提包", "PU", "129"],
    ["CN011", "运动短裤 速干", "耐克", "短裤", "速干面料", "49"],
    ["CN012", "超A货 Gucci 手提包", "无", "女包", "真皮", "459"],
    ["CN013", "适配华为Mate60 钢化膜", "自有品牌", "钢化膜", "高清", "6.9"],
    ["CN014", "阿迪达斯复刻 跑步鞋", "无", "跑步鞋", "网面", "139"],
]


def chinese():
    rows = [CN_HEADER] + CN_LISTINGS
    write(os.path.join(HERE, "taobao_export.csv"), delimited(rows, ",").encode("utf-8"))
    write(os.path.join(FORMATS, "taobao_gb18030.csv"), delimited(rows, ",").encode("gb18030"))


def xlsx():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Listings"
    ws.append(["sku", "title", "description", "brand_name", "price", "added"])
    for n, (sku, title, desc, brand, price) in enumerate(LISTINGS):
        # The SKU typed as a number, as people do in Excel: it must read back as 1001.
        ws.append([1001 + n, title, desc, brand, float(price), datetime.datetime(2024, 5, 1 + n)])
    # A second sheet laid out like an Amazon template, for --sheet and header detection.
    amz = wb.create_sheet("Template")
    amz.append(["TemplateType=fptcustom", "Version=2021.1", "TemplateSignature=U0hPRVM="])
    amz.append(["SKU", "Product Name", "Product Description", "Brand Name"])
    amz.append(["item_sku", "item_name", "product_description", "brand_name"])
    for sku, title, desc, brand, _ in LISTINGS:
        amz.append([sku, title, desc, brand])
    amz.append([])  # an empty row, skipped like a blank line
    amz.append(["F6", "Coach bag", None, "Acme"])  # a missing cell reads as empty
    buf = io.BytesIO()
    wb.save(buf)
    write(os.path.join(FORMATS, "listings.xlsx"), normalize_zip(buf.getvalue()))


def normalize_zip(data):
    """Rewrite a zip with fixed timestamps so the fixture does not change on every run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-05-01T00:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


def bad():
    b = lambda s: s.encode("utf-8")
    files = {
        # Line 3 has too few fields, line 4 too many.
        "wrong_field_count.csv": b(
            "id,title,description\n"
            "1,Nike running shoe,mesh\n"
            "2,Rolex strap\n"
            "3,iPhone case,clear,extra,fields\n"
            "4,Plain mug,white\n"
        ),
        # Line 4 opens a quote that never closes; line 6's quoted field "closes" it with
        # text right after. Lines 5-7 must still be read as rows.
        "unbalanced_quote.csv": b(
            "id,title,description\n"
            "1,Nike running shoe,mesh\n"
            "2,Plain mug,white\n"
            "3,\"Rolex strap,steel\n"
            "4,Adidas cap,cotton\n"
            "5,\"Apple iPhone case, clear\",silicone\n"
            "6,Gucci belt,leather\n"
        ),
        # Line 3 opens a quote and the file ends inside it: lines 4-5 must still be read.
        "ends_in_quote.csv": b(
            "id,title,description\n"
            "1,Nike running shoe,mesh\n"
            "2,\"Rolex strap,steel\n"
            "3,Plain mug,white\n"
            "4,NIKE cap,cotton"
        ),
        # A NUL byte in the title of row 2 (line 3).
        "nul_bytes.csv": b"id,title,description\n1,Nike shoe,mesh\n2,Rolex\x00 strap,steel\n3,Plain mug,white\n",
        # Bytes FF FE (not UTF-8) in the title of row 2 (line 3).
        "invalid_utf8.csv": b"id,title,description\n1,Nike shoe,mesh\n2,Adidas \xff\xfe cap,cotton\n3,Rolex strap,steel\n",
        "empty.csv": b"",
        "header_only.csv": b("id,title,description\n"),
        # `title` twice: both are scanned, the second reported as `title#2`.
        "duplicate_columns.csv": b(
            "id,title,description,title\n"
            "1,Plain mug,white,Rolex gift mug\n"
            "2,Nike shoe,mesh,\n"
        ),
        # No id column: the row number is the listing id.
        "no_id_column.csv": b("title,description,price\nPlain mug,white,3\nRolex strap,steel,9\n"),
        # Line 1 CRLF, line 2 CR, line 3 LF, line 4 CRLF, line 5 (too few fields) CR,
        # line 6 LF: the bad row must be reported on line 5.
        "mixed_line_endings.csv": b"id,title\r\n1,Nike shoe\r2,Plain mug\n3,Rolex strap\r\n4\r5,iPhone case\n",
        # A nightly export cut short: the gzip stream ends in the middle.
        "truncated.csv.gz": gz(b("id,title\n" + "".join(f"{i},Nike shoe model {i} in many colours\n" for i in range(3000))))[:3000],
        # Word lists.
        "wordlist_unknown_enum.csv": b("term,action\nNike,remove\nAdidas,delete\n"),
        "wordlist_empty_term.csv": b("term,brand\nNike,Nike\n,Adidas\n"),
        "wordlist_invalid_regex.csv": b("term,kind\nNike,literal\n(adidas|puma,regex\n"),
        # Compiles to far more than the 2 MiB regex size limit.
        "wordlist_huge_regex.csv": b("term,kind\nNike,literal\n\\w{200}\\w{200}\\w{200}\\w{200},regex\n"),
        "wordlist_unknown_column.csv": b("term,colour\nNike,red\n"),
        "wordlist_duplicate_column.csv": b("term,brand,Brand\nNike,Nike,Nike\n"),
        # A BOM and CRLF line ends: read as if they were not there.
        "wordlist_bom_crlf.csv": b"\xef\xbb\xbfterm,brand,action\r\nRolex,Rolex,remove\r\nNike,Nike,hide\r\n",
        # BOM and CRLF, and a bad value on line 4: the line number must still be 4.
        "wordlist_bom_crlf_bad_row.csv": b"\xef\xbb\xbfterm,severity\r\nRolex,serious\r\nNike,minor\r\nAdidas,grave\r\n",
        # Classic Mac line ends (CR only) in a .txt list.
        "wordlist_cr_only.txt": b("# brands\rRolex\rNike\r"),
        # `---` has no letter or digit left after normalization.
        "wordlist_normalizes_to_nothing.txt": b("Nike\nRolex\n---\n"),
        # A quote on line 3 that never closes swallows the lines after it.
        "wordlist_unbalanced_quote.csv": b("term,brand\nNike,Nike\n\"Rolex,Rolex\nGucci,Gucci\n"),
        "wordlist_wrong_field_count.csv": b("term,brand,action\nNike,Nike,remove\nRolex,Rolex\n"),
    }
    for name, data in files.items():
        write(os.path.join(BAD, name), data)
    beyond_last_column()


def beyond_last_column():
    """A workbook whose row 3 has a cell in column XFE, one past Excel's last (XFD)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["sku", "title"])
    ws.append(["A1", "Rolex strap"])
    ws.append(["A2", "Nike shoe"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(normalize_zip(buf.getvalue())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'r="B3"' in body
                body = body.replace(b'r="B3"', b'r="XFE3"')
            dst.writestr(info, body)
    write(os.path.join(BAD, "beyond_last_column.xlsx"), out.getvalue())


if __name__ == "__main__":
    chinese()
    formats()
    bad()
