//! The `brandscan._brandscan` extension module: the core crate's engine behind a small
//! native API that `brandscan/__init__.py` wraps into the public Python package.
//!
//! Text crosses from Python as Arrow arrays through the Arrow C Data Interface (PyCapsules):
//! the matcher reads the caller's buffers in place, and the GIL is released while it runs.
//! Findings go back the same way, as Arrow arrays built here.

use arrow_array::builder::{Int64Builder, ListBuilder, StringBuilder, StructBuilder};
use arrow_array::cast::AsArray;
use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{make_array, Array, ArrayRef, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use brandscan::catalog::{CatalogOptions, CatalogReader, Columns, RawRecord, ReadOutcome};
use brandscan::check::{check, Listing};
// The columns of `scan -f csv`, in order, as built by `TableBuilder`.
use brandscan::report::FINDING_COLUMNS as TABLE_COLUMNS;
use brandscan::{Action, ErrorKind, Finding, MatcherBuilder, Rules, Scanner, Scratch};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

create_exception!(
    _brandscan,
    Error,
    PyException,
    "Base of every error brandscan raises."
);
create_exception!(
    _brandscan,
    WordListError,
    Error,
    "A word list could not be used: bad header, bad row, bad regex."
);
create_exception!(
    _brandscan,
    ConfigError,
    Error,
    "A brandscan.toml (or another supporting file) could not be used."
);
create_exception!(
    _brandscan,
    CatalogError,
    Error,
    "A catalog could not be read, or has no column to scan."
);
create_exception!(
    _brandscan,
    UsageError,
    Error,
    "An option had a value that cannot work."
);
create_exception!(
    _brandscan,
    FileError,
    Error,
    "Reading or writing a file failed."
);

/// A library error as the matching Python exception, with `path`, `line` and `column`
/// attributes where the error has them; the message is the CLI's (`file:line: problem`).
fn py_err(py: Python<'_>, e: brandscan::Error) -> PyErr {
    let message = e.to_string();
    let (err, location) = match e.kind() {
        ErrorKind::WordList { location, .. } => (WordListError::new_err(message), Some(location)),
        ErrorKind::Catalog { location, .. } => (CatalogError::new_err(message), Some(location)),
        ErrorKind::Input { location, .. } | ErrorKind::Policy { location, .. } => {
            (ConfigError::new_err(message), Some(location))
        }
        ErrorKind::Usage(_) => (UsageError::new_err(message), None),
        ErrorKind::Io { path, .. } => {
            let err = FileError::new_err(message);
            let _ = err.value(py).setattr("path", path.display().to_string());
            (err, None)
        }
        _ => (Error::new_err(message), None),
    };
    let value = err.value(py);
    let _ = value.setattr("line", py.None());
    let _ = value.setattr("column", py.None());
    if let Some(loc) = location {
        let _ = value.setattr("path", loc.file.display().to_string());
        let _ = value.setattr("line", loc.line);
        let _ = value.setattr("column", loc.column.clone());
    } else if value.getattr("path").is_err() {
        let _ = value.setattr("path", py.None());
    }
    err
}

/// A compiled scanner and what it was built from, so that it can be rebuilt elsewhere
/// (a pickled scanner carries its word lists' bytes, never the automaton).
#[pyclass(module = "brandscan._brandscan", frozen)]
struct Engine {
    scanner: Scanner,
    sources: Vec<(String, Vec<u8>)>,
    builtin: Option<bool>,
    authorized: Vec<String>,
    evasion: bool,
    fuzzy: bool,
    compatible_action: Option<String>,
    max_automaton_mb: u64,
}

fn parse_action(s: &str) -> PyResult<Action> {
    match s {
        "remove" => Ok(Action::Remove),
        "hide" => Ok(Action::Hide),
        "review" => Ok(Action::Review),
        other => Err(UsageError::new_err(format!(
            "compatible_action must be `remove`, `hide` or `review`, not `{other}`"
        ))),
    }
}

#[pymethods]
impl Engine {
    /// `sources`: `(name, bytes)` pairs; `bytes=None` reads the file `name`.
    #[new]
    #[pyo3(signature = (sources, builtin, authorized, evasion, fuzzy, compatible_action, max_automaton_mb))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        sources: Vec<(String, Option<Vec<u8>>)>,
        builtin: Option<bool>,
        authorized: Vec<String>,
        evasion: bool,
        fuzzy: bool,
        compatible_action: Option<String>,
        max_automaton_mb: u64,
    ) -> PyResult<Engine> {
        let action = compatible_action.as_deref().map(parse_action).transpose()?;
        if max_automaton_mb == 0 {
            return Err(UsageError::new_err("max_automaton_mb must be at least 1"));
        }
        let built = py.allow_threads(|| {
            let mut read = Vec::with_capacity(sources.len());
            for (name, bytes) in sources {
                let bytes = match bytes {
                    Some(b) => b,
                    None => std::fs::read(&name).map_err(|e| brandscan::Error::io(&name, e))?,
                };
                read.push((name, bytes));
            }
            let lists = read
                .iter()
                .map(|(name, bytes)| Rules::from_bytes(Path::new(name), bytes.clone()));
            let rules = Rules::select(builtin, lists)?;
            if rules.is_empty() {
                return Err(brandscan::Error::usage(
                    "no rules loaded: give a word list, or drop builtin=False",
                ));
            }
            let budget =
                usize::try_from(max_automaton_mb.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
            let matcher = MatcherBuilder::new()
                .authorized(&authorized)
                .compatible_action(action)
                .fuzzy(fuzzy)
                .evasion(evasion)
                .max_automaton_bytes(budget)
                .build(rules)?;
            Ok((Scanner::new(matcher), read, authorized))
        });
        let (scanner, sources, authorized) = built.map_err(|e| py_err(py, e))?;
        Ok(Engine {
            scanner,
            sources,
            builtin,
            authorized,
            evasion,
            fuzzy,
            compatible_action,
            max_automaton_mb,
        })
    }

    /// The word-list fingerprint of every report (`sha256:…`).
    #[getter]
    fn fingerprint(&self) -> String {
        self.scanner.matcher().rules().fingerprint()
    }

    /// Rules loaded, after merging duplicates.
    #[getter]
    fn rule_count(&self) -> usize {
        self.scanner.matcher().rules().len()
    }

    /// What rebuilds this engine: the arguments of `Engine(...)`, word lists as bytes.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let sources: Vec<(String, pyo3::Bound<'py, pyo3::types::PyBytes>)> = self
            .sources
            .iter()
            .map(|(n, b)| (n.clone(), pyo3::types::PyBytes::new(py, b)))
            .collect();
        (
            sources,
            self.builtin,
            self.authorized.clone(),
            self.evasion,
            self.fuzzy,
            self.compatible_action.clone(),
            self.max_automaton_mb,
        )
            .into_pyobject(py)
    }

    /// The object of `check --format json`, as JSON text.
    #[pyo3(signature = (id, fields))]
    fn check_json(&self, py: Python<'_>, id: String, fields: Vec<(String, String)>) -> String {
        let listing = Listing { id, fields };
        py.allow_threads(|| {
            let checked = check(&self.scanner, &listing, 1);
            serde_json::to_string(&checked.to_verdict(false)).unwrap_or_default()
        })
    }

    /// Findings per row of one text array (`field` names the column): a
    /// `list<struct<…>>` array, exported as `(schema, array)` capsules.
    fn scan_array<'py>(
        &self,
        py: Python<'py>,
        field: &str,
        schema: &Bound<'py, PyCapsule>,
        array: &Bound<'py, PyCapsule>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let input = import_array(schema, array)?;
        let text = TextColumn::new(&input)?;
        let field: Arc<str> = Arc::from(field);
        let out = py.allow_threads(|| {
            let mut scratch = Scratch::new();
            let mut found = Vec::new();
            let mut list = ListBuilder::new(finding_struct_builder())
                .with_field(Arc::new(Field::new("item", finding_struct_type(), false)));
            for i in 0..text.len() {
                let Some(value) = text.value(i) else {
                    list.append_null();
                    continue;
                };
                found.clear();
                self.scanner
                    .matcher()
                    .find_into(&field, value, &mut scratch, &mut found);
                let items = list.values();
                for f in &found {
                    append_finding(items, f);
                }
                list.append(true);
            }
            list.finish()
        });
        export(py, Arc::new(out) as ArrayRef)
    }

    /// The findings of a table's rows as one record batch in the columns of `scan -f csv`.
    /// `id`: the id column's capsules, or None (the row number is the id); `fields`:
    /// `(name, schema, array)` of each column to scan; `rows`: the rows' numbers, or
    /// None to number them from `first_row`.
    #[pyo3(signature = (id, fields, first_row, rows=None))]
    fn scan_columns<'py>(
        &self,
        py: Python<'py>,
        id: Option<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)>,
        fields: Vec<(String, Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)>,
        first_row: i64,
        rows: Option<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let id = id.map(|(s, a)| import_array(&s, &a)).transpose()?;
        let rows = rows.map(|(s, a)| import_array(&s, &a)).transpose()?;
        let mut columns = Vec::with_capacity(fields.len());
        for (name, s, a) in &fields {
            columns.push((Arc::<str>::from(name.as_str()), import_array(s, a)?));
        }
        let id_text = id.as_ref().map(TextColumn::new).transpose()?;
        let row_numbers = match &rows {
            Some(r) => Some(
                r.as_primitive_opt::<arrow_array::types::Int64Type>()
                    .ok_or_else(|| PyTypeError::new_err("the row column must be int64"))?,
            ),
            None => None,
        };
        let texts = columns
            .iter()
            .map(|(name, a)| Ok((name.clone(), TextColumn::new(a)?)))
            .collect::<PyResult<Vec<_>>>()?;
        let len = texts.first().map_or(0, |(_, t)| t.len());
        if texts.iter().any(|(_, t)| t.len() != len)
            || id_text.as_ref().is_some_and(|t| t.len() != len)
            || row_numbers.is_some_and(|r| r.len() != len)
        {
            return Err(PyValueError::new_err("columns of different lengths"));
        }
        let batch = py.allow_threads(|| {
            let mut scratch = Scratch::new();
            let mut found = Vec::new();
            let mut out = TableBuilder::default();
            let mut id_buf = String::new();
            for i in 0..len {
                found.clear();
                for (name, text) in &texts {
                    if let Some(value) = text.value(i) {
                        self.scanner
                            .matcher()
                            .find_into(name, value, &mut scratch, &mut found);
                    }
                }
                if found.is_empty() {
                    continue;
                }
                let row = match row_numbers {
                    Some(r) => r.value(i),
                    None => first_row + i as i64,
                };
                // The CLI trims the id cell; no id column makes the row number the id.
                id_buf.clear();
                match &id_text {
                    Some(t) => id_buf.push_str(t.value(i).unwrap_or("").trim()),
                    None => id_buf.push_str(&row.to_string()),
                }
                for f in &found {
                    out.push(&id_buf, row, f);
                }
            }
            out.finish()
        });
        let array = StructArray::from(batch);
        export(py, Arc::new(array) as ArrayRef)
    }
}

/// A string column of any of Arrow's three string layouts, read in place.
enum TextColumn<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
}

impl<'a> TextColumn<'a> {
    fn new(array: &'a ArrayRef) -> PyResult<TextColumn<'a>> {
        match array.data_type() {
            DataType::Utf8 => Ok(TextColumn::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(TextColumn::Large(array.as_string::<i64>())),
            DataType::Utf8View => Ok(TextColumn::View(array.as_string_view())),
            other => Err(PyTypeError::new_err(format!(
                "expected a string, large_string or string_view array, found {other}"
            ))),
        }
    }

    fn len(&self) -> usize {
        match self {
            TextColumn::Utf8(a) => a.len(),
            TextColumn::Large(a) => a.len(),
            TextColumn::View(a) => a.len(),
        }
    }

    /// The text of row `i`; None for a null.
    fn value(&self, i: usize) -> Option<&'a str> {
        match self {
            TextColumn::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            TextColumn::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            TextColumn::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

/// Findings as columns of `scan -f csv`.
#[derive(Default)]
struct TableBuilder {
    listing_id: StringBuilder,
    row: Int64Builder,
    field: StringBuilder,
    start: Int64Builder,
    end: Int64Builder,
    strings: [StringBuilder; 7],
}

impl TableBuilder {
    fn push(&mut self, listing_id: &str, row: i64, f: &Finding) {
        self.listing_id.append_value(listing_id);
        self.row.append_value(row);
        self.field.append_value(&f.field);
        self.start.append_value(f.start as i64);
        self.end.append_value(f.end as i64);
        for (b, v) in self.strings.iter_mut().zip(finding_strings(f)) {
            b.append_value(v);
        }
    }

    fn finish(mut self) -> RecordBatch {
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(self.listing_id.finish()),
            Arc::new(self.row.finish()),
            Arc::new(self.field.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.end.finish()),
        ];
        for b in &mut self.strings {
            arrays.push(Arc::new(b.finish()));
        }
        let fields: Vec<Field> = TABLE_COLUMNS
            .iter()
            .zip(&arrays)
            .map(|(name, a)| Field::new(*name, a.data_type().clone(), false))
            .collect();
        // The arrays match the fields by construction.
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .unwrap_or_else(|_| unreachable!("columns built together"))
    }
}

/// `matched, term, brand, severity, action, match_kind, context`, as the CSV report
/// writes them.
fn finding_strings(f: &Finding) -> [&str; 7] {
    [
        &f.matched,
        &f.term,
        &f.brand,
        f.severity.as_str(),
        f.action.as_str(),
        f.match_kind.as_str(),
        f.context.as_str(),
    ]
}

/// The fields of one finding in `scan_arrow`'s lists.
fn finding_fields() -> Fields {
    let mut fields = vec![
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
    ];
    // The seven text columns that follow `listing_id, row, field, start, end`.
    for &name in &TABLE_COLUMNS[5..] {
        fields.push(Field::new(name, DataType::Utf8, false));
    }
    Fields::from(fields)
}

fn finding_struct_type() -> DataType {
    DataType::Struct(finding_fields())
}

fn finding_struct_builder() -> StructBuilder {
    let mut builders: Vec<Box<dyn arrow_array::builder::ArrayBuilder>> =
        vec![Box::new(Int64Builder::new()), Box::new(Int64Builder::new())];
    for _ in 0..7 {
        builders.push(Box::new(StringBuilder::new()));
    }
    StructBuilder::new(finding_fields(), builders)
}

fn append_finding(b: &mut StructBuilder, f: &Finding) {
    let ints = [f.start as i64, f.end as i64];
    for (k, v) in ints.into_iter().enumerate() {
        if let Some(col) = b.field_builder::<Int64Builder>(k) {
            col.append_value(v);
        }
    }
    for (k, v) in finding_strings(f).into_iter().enumerate() {
        if let Some(col) = b.field_builder::<StringBuilder>(k + 2) {
            col.append_value(v);
        }
    }
    b.append(true);
}

/// Take an array out of `__arrow_c_array__` capsules without copying its buffers: the
/// array keeps the producer's buffers alive until it is dropped.
fn import_array(schema: &Bound<'_, PyCapsule>, array: &Bound<'_, PyCapsule>) -> PyResult<ArrayRef> {
    check_name(schema, "arrow_schema")?;
    check_name(array, "arrow_array")?;
    // SAFETY: the names were checked, so the capsules hold the C Data Interface structs
    // their producer promised. The array struct is moved out (its release callback is
    // ours to call now) and an empty one left behind, which the capsule's destructor
    // skips; the schema is only borrowed for the import.
    let data = unsafe {
        let schema = &*(schema.pointer() as *const FFI_ArrowSchema);
        let array = FFI_ArrowArray::from_raw(array.pointer() as *mut FFI_ArrowArray);
        from_ffi(array, schema)
    }
    .map_err(|e| PyValueError::new_err(format!("not an Arrow array: {e}")))?;
    Ok(make_array(data))
}

fn check_name(capsule: &Bound<'_, PyCapsule>, want: &str) -> PyResult<()> {
    let name = capsule.name()?;
    let name = name.map(|n| n.to_string_lossy().into_owned());
    if name.as_deref() != Some(want) {
        return Err(PyValueError::new_err(format!(
            "expected a PyCapsule named {want:?}, found {name:?}"
        )));
    }
    Ok(())
}

/// `(schema, array)` capsules of `array`, which `pyarrow.array` and
/// `pyarrow.record_batch` take through `__arrow_c_array__`.
fn export<'py>(py: Python<'py>, array: ArrayRef) -> PyResult<Bound<'py, PyTuple>> {
    let (ffi_array, ffi_schema) =
        to_ffi(&array.to_data()).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let schema = PyCapsule::new(py, ffi_schema, Some(name("arrow_schema")))?;
    let array = PyCapsule::new(py, ffi_array, Some(name("arrow_array")))?;
    PyTuple::new(py, [schema.into_any(), array.into_any()])
}

fn name(s: &str) -> CString {
    CString::new(s).unwrap_or_default()
}

/// `(id column index, [(field column index, field name)])`.
type ChosenColumns = (Option<usize>, Vec<(usize, String)>);

/// The CLI's column choice (`--fields`, `--id-column`, or detection from the header):
/// `(id index or None, [(index, field name)])`.
#[pyfunction]
#[pyo3(signature = (headers, fields=None, id_column=None, source="<table>"))]
fn detect_columns(
    py: Python<'_>,
    headers: Vec<String>,
    fields: Option<Vec<String>>,
    id_column: Option<String>,
    source: &str,
) -> PyResult<ChosenColumns> {
    let opts = CatalogOptions {
        id_column,
        fields,
        ..CatalogOptions::default()
    };
    let columns = Columns::detect(headers, &opts, source).map_err(|e| py_err(py, e))?;
    Ok((
        columns.id.map(|c| c.index),
        columns
            .fields
            .iter()
            .map(|c| (c.index, c.name.to_string()))
            .collect(),
    ))
}

/// Read a catalog file with the CLI's reader: `(headers, columns as string arrays
/// (capsules), row numbers (capsules), bad rows as messages, notices as messages)`.
#[pyfunction]
#[pyo3(signature = (path, id_column=None, fields=None, delimiter=None, encoding=None, sheet=None))]
#[allow(clippy::type_complexity)]
fn read_catalog<'py>(
    py: Python<'py>,
    path: PathBuf,
    id_column: Option<String>,
    fields: Option<Vec<String>>,
    delimiter: Option<String>,
    encoding: Option<String>,
    sheet: Option<String>,
) -> PyResult<(
    Vec<String>,
    Vec<Bound<'py, PyTuple>>,
    Bound<'py, PyTuple>,
    Vec<String>,
    Vec<String>,
)> {
    let delimiter = delimiter
        .as_deref()
        .map(brandscan::config::parse_delimiter)
        .transpose()
        .map_err(UsageError::new_err)?;
    let opts = CatalogOptions {
        id_column,
        fields,
        delimiter,
        encoding,
        sheet,
        ..CatalogOptions::default()
    };
    let read = py.allow_threads(|| -> brandscan::Result<_> {
        let mut reader = CatalogReader::open(&path, &opts)?;
        let columns = reader.columns().clone();
        let width = columns.headers.len();
        let mut out: Vec<StringBuilder> = (0..width).map(|_| StringBuilder::new()).collect();
        let mut rows = Int64Builder::new();
        let mut bad = Vec::new();
        let mut raw = RawRecord::default();
        loop {
            match reader.read(&mut raw)? {
                ReadOutcome::Eof => break,
                ReadOutcome::Bad(b) => bad.push(b.to_string()),
                ReadOutcome::Record => {
                    // The row `scan` would reject (the id or a scanned column not valid
                    // text) is left out with the same message; other columns are lossy.
                    if let Err(b) = brandscan::record::decode(reader.name(), 0, &columns, &raw) {
                        bad.push(b.to_string());
                        continue;
                    }
                    for (i, b) in out.iter_mut().enumerate() {
                        let cell = raw.record.get(i).unwrap_or(b"");
                        b.append_value(String::from_utf8_lossy(cell));
                    }
                    rows.append_value(raw.row as i64);
                }
            }
        }
        let notices = reader
            .take_notices()
            .into_iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>();
        let arrays: Vec<ArrayRef> = out
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        Ok((
            columns.headers,
            arrays,
            Arc::new(rows.finish()) as ArrayRef,
            bad,
            notices,
        ))
    });
    let (headers, arrays, rows, bad, notices) = read.map_err(|e| py_err(py, e))?;
    let arrays = arrays
        .into_iter()
        .map(|a| export(py, a))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((headers, arrays, export(py, rows)?, bad, notices))
}

/// The rule options of a `brandscan.toml`, read and checked by the library, as JSON:
/// `{"wordlists": [paths relative to the file resolved], "builtin": bool|null,
/// "authorized": [...]|null}`.
#[pyfunction]
fn config_rule_options(py: Python<'_>, path: PathBuf) -> PyResult<String> {
    let cfg = brandscan::config::Config::load(&path).map_err(|e| py_err(py, e))?;
    let wordlists = cfg.wordlists.as_ref().map(|v| {
        v.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    });
    Ok(serde_json::json!({
        "wordlists": wordlists,
        "builtin": cfg.use_builtin(),
        "authorized": cfg.authorized,
    })
    .to_string())
}

/// Column names of `scan -f csv`, in order.
#[pyfunction]
fn output_columns() -> Vec<&'static str> {
    TABLE_COLUMNS.to_vec()
}

#[pymodule]
fn _brandscan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(detect_columns, m)?)?;
    m.add_function(wrap_pyfunction!(read_catalog, m)?)?;
    m.add_function(wrap_pyfunction!(output_columns, m)?)?;
    m.add_function(wrap_pyfunction!(config_rule_options, m)?)?;
    m.add("Error", py.get_type::<Error>())?;
    m.add("WordListError", py.get_type::<WordListError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("CatalogError", py.get_type::<CatalogError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add("FileError", py.get_type::<FileError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
