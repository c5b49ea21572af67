//! Which columns hold the listing id and the text to scan (docs/matching.md#catalog-input), whatever the
//! input format: every reader hands its header row here.

use super::{CatalogOptions, Notice};
use crate::error::{Error, Location, Result};
use std::sync::Arc;

/// Column names checked, in this order, for the listing id.
pub const ID_COLUMNS: &[&str] = &[
    "product_id",
    "id",
    "sku",
    "item_sku",
    "handle",
    "listing_id",
    "asin",
    "product id",
    // Chinese marketplace exports (1688, Taobao, Tmall, JD, Pinduoduo, Douyin): product
    // id, product number, item id, then the seller's own codes (article number, merchant
    // code, product code, style number).
    "商品ID",
    "商品编号",
    "产品ID",
    "产品编号",
    "宝贝ID",
    "货号",
    "商家编码",
    "商品编码",
    "款号",
];

/// Words that make a column a text field to scan when they occur in its name.
pub const FIELD_WORDS: &[&str] = &[
    "title",
    "name",
    "description",
    "bullet",
    "keyword",
    "tag",
    "body",
    "image",
    "img",
    "picture",
    "photo",
    // Chinese headers: title (商品标题, 标题, 副标题), name (商品名称, 宝贝名称),
    // description, details, keywords (two spellings), selling points, tags, pictures
    // (图片, 主图 "main picture").
    "标题",
    "名称",
    "描述",
    "详情",
    "关键词",
    "关键字",
    "卖点",
    "标签",
    "图片",
    "主图",
];

/// Columns that name the brand of the listing, not text a shopper reads: the seller's
/// own statement of the brand, not a use of it.
const BRAND_COLUMNS: &[&str] = &[
    "brand_name",
    "brand name",
    "brand-name",
    "品牌",
    "品牌名称",
    "品牌名",
];

/// A column of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// 0-based index in the record.
    pub index: usize,
    /// Header name, as reported in findings. A name that occurs more than once in the
    /// header gets `#2`, `#3`, … on its later occurrences, so findings stay traceable.
    pub name: Arc<str>,
}

/// The columns chosen for a catalog.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Every header name, in order.
    pub headers: Vec<String>,
    /// The id column; `None` makes the row number the id.
    pub id: Option<Column>,
    /// The columns to scan.
    pub fields: Vec<Column>,
    /// The encoding the catalog was decoded from, when it was not read as UTF-8: named
    /// in the message of a row whose bytes were not valid in it.
    pub encoding: Option<&'static str>,
}

impl Columns {
    /// Choose the id and text columns from `headers`, as docs/matching.md#catalog-input says, or as the options
    /// name them.
    ///
    /// ```
    /// use brandscan::catalog::{CatalogOptions, Columns};
    /// let headers = vec!["SKU".to_string(), "Item Name".to_string(), "price".to_string()];
    /// let c = Columns::detect(headers, &CatalogOptions::default(), "x.csv").unwrap();
    /// assert_eq!(c.id.unwrap().index, 0);
    /// assert_eq!(&*c.fields[0].name, "Item Name");
    /// ```
    pub fn detect(headers: Vec<String>, opts: &CatalogOptions, file: &str) -> Result<Columns> {
        Columns::detect_at(headers, opts, file, 1).map(|(c, _)| c)
    }

    /// [`Columns::detect`] for a header on `line`, with the warnings a user should see
    /// (no id column, a used column name that occurs twice).
    pub(crate) fn detect_at(
        headers: Vec<String>,
        opts: &CatalogOptions,
        file: &str,
        line: u64,
    ) -> Result<(Columns, Vec<Notice>)> {
        let at = || Location::file(file).at_line(line);
        let all = |name: &str| -> Vec<usize> {
            headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.trim().eq_ignore_ascii_case(name.trim()))
                .map(|(i, _)| i)
                .collect()
        };
        let missing = |what: &str, name: &str| {
            let near = crate::suggest::did_you_mean(name, headers.iter().map(|h| h.trim()));
            Error::catalog(
                at(),
                format!(
                    "{what} `{name}` is not in the header{} (columns: {})",
                    crate::suggest::hint(&near),
                    headers.join(", ")
                ),
            )
        };
        let mut notices = Vec::new();
        let id_positions = match &opts.id_column {
            Some(name) => {
                let found = all(name);
                if found.is_empty() {
                    return Err(missing("id column", name));
                }
                found
            }
            None => ID_COLUMNS
                .iter()
                .map(|c| all(c))
                .find(|p| !p.is_empty())
                .unwrap_or_default(),
        };
        let id = id_positions.first().copied();
        if id_positions.len() > 1 {
            notices.push(Notice::warning(
                at().in_column(headers[id_positions[0]].trim()),
                format!(
                    "column `{}` appears {} times in the header (columns {}): the first is the listing id",
                    headers[id_positions[0]].trim(),
                    id_positions.len(),
                    numbers(&id_positions)
                ),
            ));
        }
        let mut fields: Vec<usize> = match &opts.fields {
            Some(names) => {
                let mut v = Vec::new();
                for n in names {
                    let found = all(n);
                    if found.is_empty() {
                        return Err(missing("field", n));
                    }
                    v.extend(found);
                }
                v
            }
            None => headers
                .iter()
                .enumerate()
                .filter(|(i, h)| Some(*i) != id && is_text_column(h))
                .map(|(i, _)| i)
                .collect(),
        };
        let mut seen = std::collections::HashSet::new();
        fields.retain(|i| seen.insert(*i));
        if fields.is_empty() {
            return Err(Error::catalog(
                at(),
                format!(
                    "no text column to scan was found (columns: {}); name them with --fields",
                    headers.join(", ")
                ),
            ));
        }
        if id.is_none() && opts.id_column.is_none() {
            notices.push(Notice::warning(
                at(),
                format!(
                    "no id column (looked for {}): the row number is the listing id; name one with --id-column",
                    ID_COLUMNS.join(", ")
                ),
            ));
        }
        // A used name that occurs twice would make two columns report the same `field`:
        // both are scanned, and the later ones are told apart by their occurrence.
        let mut warned: Vec<String> = Vec::new();
        let mut named = Vec::with_capacity(fields.len());
        for &i in &fields {
            let name = headers[i].trim();
            let same = all(name);
            let nth = same.iter().position(|&j| j == i).unwrap_or(0) + 1;
            if same.len() > 1 && !warned.iter().any(|w| w.eq_ignore_ascii_case(name)) {
                warned.push(name.to_string());
                notices.push(Notice::warning(
                    at().in_column(name),
                    format!(
                        "column `{name}` appears {} times in the header (columns {}): each is scanned, reported as {}",
                        same.len(),
                        numbers(&same),
                        (1..=same.len())
                            .map(|k| format!("`{}`", occurrence_name(name, k)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            named.push(Column {
                index: i,
                name: Arc::from(occurrence_name(name, nth)),
            });
        }
        let columns = Columns {
            id: id.map(|i| Column {
                index: i,
                name: Arc::from(headers[i].trim()),
            }),
            fields: named,
            headers,
            encoding: None,
        };
        Ok((columns, notices))
    }
}

/// True when a column the options name is missing from `headers` but one of them is a
/// near miss (`Titel` for `Title`): the header is right and the name mistyped.
pub(crate) fn mistyped_column(headers: &[String], opts: &CatalogOptions) -> bool {
    let names = opts.id_column.iter().chain(opts.fields.iter().flatten());
    let cells = || headers.iter().map(|h| h.trim());
    names
        .filter(|n| !cells().any(|h| h.eq_ignore_ascii_case(n.trim())))
        .any(|n| !crate::suggest::did_you_mean(n, cells()).is_empty())
}

fn occurrence_name(name: &str, nth: usize) -> String {
    if nth <= 1 {
        name.to_string()
    } else {
        format!("{name}#{nth}")
    }
}

/// 1-based column numbers, for messages.
fn numbers(indexes: &[usize]) -> String {
    indexes
        .iter()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_text_column(header: &str) -> bool {
    let h = header.trim().to_lowercase();
    if BRAND_COLUMNS.contains(&h.as_str()) {
        return false;
    }
    // Shopify's variant options: a shopper picks from the values (`Rolex Green`); the
    // option's name is a label (`Color`, `Size`) and the other variant columns are
    // codes, figures and settings (`Variant SKU`, `Variant Barcode`), except its picture.
    if let Some(rest) = h.strip_prefix("option") {
        let rest = rest
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_matches([' ', '_']);
        if matches!(rest, "name" | "value") {
            return rest == "value";
        }
    }
    if h.starts_with("variant ") && !h.contains("image") {
        return false;
    }
    // A picture's position, size or alt text's siblings that hold no words.
    if h.starts_with("image ")
        && (h.ends_with(" position") || h.ends_with(" width") || h.ends_with(" height"))
    {
        return false;
    }
    FIELD_WORDS.iter().any(|w| h.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(headers: &[&str], opts: &CatalogOptions) -> Result<(Columns, Vec<Notice>)> {
        Columns::detect_at(
            headers.iter().map(|s| s.to_string()).collect(),
            opts,
            "t.csv",
            1,
        )
    }

    #[test]
    fn duplicate_text_columns_are_all_scanned_and_named_apart() {
        let (c, notices) = detect(&["id", "title", "price", "Title"], &Default::default()).unwrap();
        let names: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
        assert_eq!(names, ["title", "Title#2"]);
        assert_eq!(notices.len(), 1);
        assert!(
            notices[0].message.contains("appears 2 times") && notices[0].message.contains("2, 4"),
            "{}",
            notices[0]
        );
    }

    #[test]
    fn duplicate_id_column_uses_the_first_and_warns() {
        let (c, notices) = detect(&["sku", "title", "sku"], &Default::default()).unwrap();
        assert_eq!(c.id.map(|c| c.index), Some(0));
        assert!(notices[0].message.contains("the first is the listing id"));
    }

    #[test]
    fn missing_id_column_is_a_warning_not_an_error() {
        let (c, notices) = detect(&["title", "price"], &Default::default()).unwrap();
        assert!(c.id.is_none());
        assert_eq!(notices.len(), 1);
        assert!(notices[0].message.contains("no id column"));
        assert_eq!(notices[0].location.line, Some(1));
    }

    #[test]
    fn shopify_option_values_are_text_their_names_and_variant_codes_are_not() {
        let headers = [
            "Handle",
            "Title",
            "Option1 Name",
            "Option1 Value",
            "Option2 Name",
            "Option2 Value",
            "Variant SKU",
            "Variant Barcode",
            "Variant Image",
            "Image Src",
            "Image Position",
            "Image Alt Text",
            "SEO Title",
            "SEO Description",
            "Vendor",
        ];
        let (c, _) = detect(&headers, &Default::default()).unwrap();
        let names: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
        assert_eq!(
            names,
            [
                "Title",
                "Option1 Value",
                "Option2 Value",
                "Variant Image",
                "Image Src",
                "Image Alt Text",
                "SEO Title",
                "SEO Description"
            ]
        );
    }

    #[test]
    fn a_mistyped_column_gets_a_suggestion() {
        let opts = CatalogOptions {
            fields: Some(vec!["Titel".into()]),
            ..Default::default()
        };
        let headers = ["sku", "Title", "price"].map(String::from);
        let err = detect(&["sku", "Title", "price"], &opts)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("field `Titel` is not in the header (did you mean `Title`?)"),
            "{err}"
        );
        assert!(mistyped_column(&headers, &opts));
        let far = CatalogOptions {
            id_column: Some("listing".into()),
            ..Default::default()
        };
        assert!(!mistyped_column(&headers, &far));
    }

    #[test]
    fn chinese_marketplace_headers() {
        let (c, _) = detect(
            &[
                "商品ID",
                "商品标题",
                "品牌名称",
                "价格",
                "商品描述",
                "关键词",
                "主图",
            ],
            &Default::default(),
        )
        .unwrap();
        assert_eq!(c.id.map(|c| c.index), Some(0));
        let names: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
        assert_eq!(names, ["商品标题", "商品描述", "关键词", "主图"]);
        let (c, _) = detect(&["货号", "宝贝名称", "详情"], &Default::default()).unwrap();
        assert_eq!(c.id.map(|c| c.index), Some(0));
        assert_eq!(c.fields.len(), 2);
        // The English `id` comes first, as before.
        let (c, _) = detect(&["id", "商品ID", "标题"], &Default::default()).unwrap();
        assert_eq!(c.id.map(|c| c.index), Some(0));
    }

    #[test]
    fn unused_duplicates_are_not_reported() {
        let (_, notices) = detect(&["id", "title", "price", "price"], &Default::default()).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
    }
}
