//! Parquet's own geospatial types, found in the file's footer by hand.
//!
//! Parquet 2.11 added two logical types for columns of WKB: GEOMETRY
//! (planar edges) and GEOGRAPHY (edges along an interpolation algorithm,
//! spherical unless it says otherwise), each with an optional CRS string.
//! pyarrow writes them for `geoarrow.wkb` columns, geopandas for GeoParquet
//! 2.0, DuckDB with `GEOPARQUET_VERSION` `'V2'`, `'BOTH'` or `'NONE'`. The
//! footer decoder of polars 0.55 knows neither and refuses such a file.
//!
//! [`strip_geospatial_types`] reads the footer (Thrift compact protocol)
//! just far enough to find these annotations and writes it again without
//! them, so the column is the plain `BYTE_ARRAY` it is stored as and polars
//! reads it as binary WKB. Everything else in the footer is copied byte for
//! byte: row groups, page offsets and statistics stay as they were, and the
//! checks of the footer and page headers before decoding run on the result.
//!
//! [`check`] then walks the footer polars will decode and checks that every
//! field polars reads has the type Parquet's Thrift definition gives it.
//! polars' decoder reads a field by its id, whatever type the bytes say, so
//! a damaged type byte would make it read the bytes as something they are
//! not, and a boolean field that is not one panics it.
//!
//! A footer this module cannot walk is an error, never a panic: every
//! length and count is checked against the bytes that are there, nesting
//! is bounded, and nothing is allocated beyond the size of the footer.

use std::ops::Range;

/// Compact-protocol type codes (the low nibble of a field header).
const STOP: u8 = 0;
const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

/// Deeper than any Parquet footer nests (about seven levels).
const MAX_DEPTH: u32 = 64;

/// `SchemaElement` fields used here.
const SCHEMA_NAME: i16 = 4;
const SCHEMA_NUM_CHILDREN: i16 = 5;
const SCHEMA_LOGICAL_TYPE: i16 = 10;
/// `LogicalType` union members.
const LOGICAL_GEOMETRY: i16 = 17;
const LOGICAL_GEOGRAPHY: i16 = 18;

type R<T> = std::result::Result<T, String>;

/// Which of Parquet's geospatial logical types a column carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum GeoType {
    /// GEOMETRY: straight (planar) edges.
    Geometry,
    /// GEOGRAPHY: edges along this interpolation algorithm.
    Geography(Edges),
}

/// How a GEOGRAPHY column's edges run between vertices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Edges {
    Spherical,
    Vincenty,
    Thomas,
    Andoyer,
    Karney,
    /// A code this version of Parquet does not define.
    Other(i32),
}

impl Edges {
    fn from_code(code: i32) -> Edges {
        match code {
            0 => Edges::Spherical,
            1 => Edges::Vincenty,
            2 => Edges::Thomas,
            3 => Edges::Andoyer,
            4 => Edges::Karney,
            c => Edges::Other(c),
        }
    }

    /// The name GeoParquet's `edges` uses (`spherical`, `karney`, …).
    pub(crate) fn name(&self) -> String {
        match self {
            Edges::Spherical => "spherical".into(),
            Edges::Vincenty => "vincenty".into(),
            Edges::Thomas => "thomas".into(),
            Edges::Andoyer => "andoyer".into(),
            Edges::Karney => "karney".into(),
            Edges::Other(c) => format!("algorithm {c}"),
        }
    }
}

/// A column annotated with GEOMETRY or GEOGRAPHY.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GeoColumn {
    /// The column's name in the schema.
    pub name: String,
    /// A column of the table itself, not a field inside a group (struct or
    /// list). GeoParquet's geometry columns are always top-level.
    pub top_level: bool,
    pub kind: GeoType,
    /// The CRS string as written; `None` when absent (OGC:CRS84 by the
    /// specification).
    pub crs: Option<String>,
}

/// Find the GEOMETRY and GEOGRAPHY columns of a Parquet file and, when there
/// are any, rewrite its footer in place without those annotations. Returns
/// the columns found (none: the file is untouched).
pub(crate) fn strip_geospatial_types(file: &mut Vec<u8>) -> R<Vec<GeoColumn>> {
    let span = footer_span(file)?;
    let scan = scan(&file[span.clone()])?;
    if scan.columns.is_empty() {
        return Ok(scan.columns);
    }
    let footer = rewrite(&file[span.clone()], &scan);
    let len = u32::try_from(footer.len()).map_err(|_| "the rewritten footer is over 4 GB")?;
    file.truncate(span.start);
    file.extend_from_slice(&footer);
    file.extend_from_slice(&len.to_le_bytes());
    file.extend_from_slice(b"PAR1");
    Ok(scan.columns)
}

/// Check that every field of the footer that polars' decoder reads has the
/// type Parquet defines for it (see [`FILE_METADATA`]).
pub(crate) fn check(file: &[u8]) -> R<()> {
    let span = footer_span(file)?;
    Reader::new(&file[span]).walk(&FILE_METADATA, 1)
}

/// What a field holds, as far as the wire format goes.
#[derive(Clone, Copy)]
enum Kind {
    /// `i16`, `i32` or `i64` (and enums): a zigzag varint.
    Varint,
    Byte,
    Binary,
    Bool,
    Struct(&'static Shape),
    List(&'static Kind),
}

/// A check of a struct's integer fields, given as (field id, value).
type ValueCheck = fn(&[(i16, i64)]) -> R<()>;

/// A Thrift struct or union: its name, the fields polars decodes, and a
/// check of its integer fields' values where polars would fail on them.
struct Shape {
    name: &'static str,
    fields: &'static [(i16, Kind)],
    values: Option<ValueCheck>,
}

impl Kind {
    /// Whether a field of wire type `ty` holds this kind.
    fn accepts(self, ty: u8) -> bool {
        match self {
            Kind::Varint => matches!(ty, I16 | I32 | I64),
            Kind::Byte => ty == BYTE,
            Kind::Binary => ty == BINARY,
            Kind::Bool => matches!(ty, BOOL_TRUE | BOOL_FALSE),
            Kind::Struct(_) => ty == STRUCT,
            Kind::List(_) => matches!(ty, LIST | SET),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Varint => "an integer",
            Kind::Byte => "a byte",
            Kind::Binary => "a string",
            Kind::Bool => "a boolean",
            Kind::Struct(s) => s.name,
            Kind::List(_) => "a list",
        }
    }
}

fn type_name(ty: u8) -> &'static str {
    match ty {
        BOOL_TRUE | BOOL_FALSE => "a boolean",
        BYTE => "a byte",
        I16 | I32 | I64 => "an integer",
        DOUBLE => "a double",
        BINARY => "a string",
        LIST | SET => "a list",
        MAP => "a map",
        STRUCT => "a struct",
        UUID => "a UUID",
        _ => "an unknown type",
    }
}

use Kind::{Binary as Bin, Bool, Byte, List, Struct as S, Varint as Int};

const EMPTY: Shape = Shape {
    name: "an empty struct",
    fields: &[],
    values: None,
};
const TIME_UNIT: Shape = Shape {
    name: "TimeUnit",
    fields: &[(1, S(&EMPTY)), (2, S(&EMPTY)), (3, S(&EMPTY))],
    values: None,
};
const TIME: Shape = Shape {
    name: "TimeType",
    fields: &[(1, Bool), (2, S(&TIME_UNIT))],
    values: None,
};
const TIMESTAMP: Shape = Shape {
    name: "TimestampType",
    fields: &[(1, Bool), (2, S(&TIME_UNIT))],
    values: None,
};
const DECIMAL: Shape = Shape {
    name: "DecimalType",
    fields: &[(1, Int), (2, Int)],
    values: None,
};
const INT_TYPE: Shape = Shape {
    name: "IntType",
    fields: &[(1, Byte), (2, Bool)],
    values: None,
};
const LOGICAL_TYPE: Shape = Shape {
    name: "LogicalType",
    fields: &[
        (1, S(&EMPTY)),
        (2, S(&EMPTY)),
        (3, S(&EMPTY)),
        (4, S(&EMPTY)),
        (5, S(&DECIMAL)),
        (6, S(&EMPTY)),
        (7, S(&TIME)),
        (8, S(&TIMESTAMP)),
        (10, S(&INT_TYPE)),
        (11, S(&EMPTY)),
        (12, S(&EMPTY)),
        (13, S(&EMPTY)),
        (14, S(&EMPTY)),
        (15, S(&EMPTY)),
    ],
    values: None,
};
const SCHEMA_ELEMENT: Shape = Shape {
    name: "SchemaElement",
    fields: &[
        (1, Int),
        (2, Int),
        (3, Int),
        (4, Bin),
        (5, Int),
        (6, Int),
        (7, Int),
        (8, Int),
        (9, Int),
        (10, S(&LOGICAL_TYPE)),
    ],
    values: None,
};
const STATISTICS: Shape = Shape {
    name: "Statistics",
    fields: &[
        (1, Bin),
        (2, Bin),
        (3, Int),
        (4, Int),
        (5, Bin),
        (6, Bin),
        (7, Bool),
        (8, Bool),
    ],
    values: None,
};
const COLUMN_METADATA: Shape = Shape {
    name: "ColumnMetaData",
    fields: &[
        (1, Int),
        (2, List(&Int)),
        (3, List(&Bin)),
        (4, Int),
        (5, Int),
        (6, Int),
        (7, Int),
        (9, Int),
        (10, Int),
        (11, Int),
        (12, S(&STATISTICS)),
        (14, Int),
        (15, Int),
    ],
    values: Some(column_sizes),
};
const COLUMN_CHUNK: Shape = Shape {
    name: "ColumnChunk",
    fields: &[
        (1, Bin),
        (2, Int),
        (3, S(&COLUMN_METADATA)),
        (4, Int),
        (5, Int),
        (6, Int),
        (7, Int),
    ],
    values: None,
};
const SORTING_COLUMN: Shape = Shape {
    name: "SortingColumn",
    fields: &[(1, Int), (2, Bool), (3, Bool)],
    values: None,
};
const ROW_GROUP: Shape = Shape {
    name: "RowGroup",
    fields: &[
        (1, List(&S(&COLUMN_CHUNK))),
        (2, Int),
        (3, Int),
        (4, List(&S(&SORTING_COLUMN))),
        (5, Int),
        (6, Int),
        (7, Int),
    ],
    values: None,
};
const KEY_VALUE: Shape = Shape {
    name: "KeyValue",
    fields: &[(1, Bin), (2, Bin)],
    values: None,
};
const COLUMN_ORDER: Shape = Shape {
    name: "ColumnOrder",
    fields: &[(1, S(&EMPTY)), (2, S(&EMPTY))],
    values: None,
};
/// polars adds a column chunk's offset and size as unsigned numbers (and
/// panics when that overflows): they must not be negative.
fn column_sizes(values: &[(i16, i64)]) -> R<()> {
    for &(id, v) in values {
        let name = match id {
            5 => "num_values",
            6 => "total_uncompressed_size",
            7 => "total_compressed_size",
            9 => "data_page_offset",
            10 => "index_page_offset",
            11 => "dictionary_page_offset",
            _ => continue,
        };
        if v < 0 {
            return Err(format!("a column chunk's {name} is negative ({v})"));
        }
    }
    Ok(())
}

/// The fields of `FileMetaData` that polars 0.55 decodes, with their types
/// in `parquet.thrift`; other fields it skips by the type their bytes say.
const FILE_METADATA: Shape = Shape {
    name: "FileMetaData",
    fields: &[
        (1, Int),
        (2, List(&S(&SCHEMA_ELEMENT))),
        (3, Int),
        (4, List(&S(&ROW_GROUP))),
        (5, List(&S(&KEY_VALUE))),
        (6, Bin),
        (7, List(&S(&COLUMN_ORDER))),
    ],
    values: None,
};

/// Where the footer (the Thrift `FileMetaData`) lies in the file.
fn footer_span(file: &[u8]) -> R<Range<usize>> {
    let n = file.len();
    if n < 12 || &file[n - 4..] != b"PAR1" {
        return Err("the file does not end in the Parquet magic bytes PAR1".into());
    }
    let len = u32::from_le_bytes([file[n - 8], file[n - 7], file[n - 6], file[n - 5]]) as usize;
    // The footer lies between the leading "PAR1" and its length.
    if len > n - 12 {
        return Err(format!("the footer claims {len} bytes in a file of {n}"));
    }
    Ok(n - 8 - len..n - 8)
}

/// A `SchemaElement`: where it lies, and what is needed to keep or rewrite it.
struct Element {
    span: Range<usize>,
    name: String,
    num_children: i32,
    geo: Option<(GeoType, Option<String>)>,
    /// Every field: id, type and the bytes of its value (empty for booleans,
    /// whose value is the type).
    fields: Vec<(i16, u8, Range<usize>)>,
}

struct Scan {
    /// The bytes of the schema list's elements (after the list header).
    schema: Range<usize>,
    elements: Vec<Element>,
    columns: Vec<GeoColumn>,
}

fn scan(footer: &[u8]) -> R<Scan> {
    let mut r = Reader::new(footer);
    let mut last = 0;
    let mut schema: Option<(Range<usize>, Vec<Element>)> = None;
    while let Some((id, ty)) = r.field_header(&mut last)? {
        if id == 2 && ty == LIST && schema.is_none() {
            let (elem, n) = r.list_header()?;
            if n > 0 && elem != STRUCT {
                return Err(format!(
                    "the schema is a list of type {elem}, not of structs"
                ));
            }
            let start = r.pos;
            let mut elements = Vec::with_capacity(n);
            for _ in 0..n {
                elements.push(schema_element(&mut r)?);
            }
            schema = Some((start..r.pos, elements));
        } else {
            r.skip(ty, 1)?;
        }
    }
    let (schema, elements) = schema.ok_or("the footer has no schema")?;
    let columns = geo_columns(&elements);
    Ok(Scan {
        schema,
        elements,
        columns,
    })
}

/// The annotated columns, in schema order, with whether each is a direct
/// child of the root (the schema is the tree flattened depth first, each
/// group giving its number of children).
fn geo_columns(elements: &[Element]) -> Vec<GeoColumn> {
    let mut open: Vec<i64> = Vec::new();
    let mut out = Vec::new();
    for (i, e) in elements.iter().enumerate() {
        let top_level = i > 0 && open.len() == 1;
        if let Some(left) = open.last_mut() {
            *left -= 1;
        }
        if e.num_children > 0 || i == 0 {
            open.push(i64::from(e.num_children.max(0)));
        }
        while open.last() == Some(&0) {
            open.pop();
        }
        if let Some((kind, crs)) = &e.geo {
            out.push(GeoColumn {
                name: e.name.clone(),
                top_level,
                kind: kind.clone(),
                crs: crs.clone(),
            });
        }
    }
    out
}

fn schema_element(r: &mut Reader<'_>) -> R<Element> {
    let start = r.pos;
    let mut last = 0;
    let mut e = Element {
        span: 0..0,
        name: String::new(),
        num_children: 0,
        geo: None,
        fields: Vec::new(),
    };
    while let Some((id, ty)) = r.field_header(&mut last)? {
        let value = r.pos;
        match (id, ty) {
            (SCHEMA_NAME, BINARY) => e.name = String::from_utf8_lossy(r.binary()?).into_owned(),
            (SCHEMA_NUM_CHILDREN, I32) => e.num_children = r.i32()?,
            (SCHEMA_LOGICAL_TYPE, STRUCT) => e.geo = logical_type(r)?,
            _ => r.skip(ty, 2)?,
        }
        e.fields.push((id, ty, value..r.pos));
    }
    e.span = start..r.pos;
    Ok(e)
}

/// A `LogicalType` union: GEOMETRY (`{1: crs}`) or GEOGRAPHY (`{1: crs, 2:
/// algorithm}`), or `None` for any other member.
fn logical_type(r: &mut Reader<'_>) -> R<Option<(GeoType, Option<String>)>> {
    let mut last = 0;
    let mut found = None;
    while let Some((id, ty)) = r.field_header(&mut last)? {
        match (id, ty) {
            (LOGICAL_GEOMETRY | LOGICAL_GEOGRAPHY, STRUCT) => {
                let mut crs = None;
                let mut algorithm = 0;
                let mut last = 0;
                while let Some(field) = r.field_header(&mut last)? {
                    match field {
                        (1, BINARY) => {
                            let bytes = r.binary()?;
                            let text = std::str::from_utf8(bytes)
                                .map_err(|_| "the CRS of a geospatial column is not UTF-8")?;
                            crs = Some(text.to_string());
                        }
                        (2, I32) => algorithm = r.i32()?,
                        (_, ty) => r.skip(ty, 4)?,
                    }
                }
                found = Some(if id == LOGICAL_GEOMETRY {
                    (GeoType::Geometry, crs)
                } else {
                    (GeoType::Geography(Edges::from_code(algorithm)), crs)
                });
            }
            _ => r.skip(ty, 3)?,
        }
    }
    Ok(found)
}

/// The footer with the geospatial annotations taken out of the schema.
fn rewrite(footer: &[u8], scan: &Scan) -> Vec<u8> {
    let mut out = Vec::with_capacity(footer.len());
    out.extend_from_slice(&footer[..scan.schema.start]);
    for e in &scan.elements {
        if e.geo.is_none() {
            out.extend_from_slice(&footer[e.span.clone()]);
            continue;
        }
        // Field ids are written as deltas from the previous field, so the
        // headers after the dropped field are written again.
        let mut last = 0i16;
        for (id, ty, value) in &e.fields {
            if (*id, *ty) == (SCHEMA_LOGICAL_TYPE, STRUCT) {
                continue;
            }
            write_field_header(&mut out, *id, *ty, &mut last);
            out.extend_from_slice(&footer[value.clone()]);
        }
        out.push(STOP);
    }
    out.extend_from_slice(&footer[scan.schema.end..]);
    out
}

fn write_field_header(out: &mut Vec<u8>, id: i16, ty: u8, last: &mut i16) {
    let delta = i32::from(id) - i32::from(*last);
    if (1..=15).contains(&delta) {
        out.push(((delta as u8) << 4) | ty);
    } else {
        out.push(ty);
        let mut v = u64::from(((id << 1) ^ (id >> 15)) as u16);
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
    }
    *last = id;
}

/// A cursor over Thrift compact-protocol bytes that checks every step.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn byte(&mut self) -> R<u8> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or("the footer ends in the middle of a value")?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> R<&'a [u8]> {
        let left = self.remaining();
        if n > left as u64 {
            return Err(format!(
                "a value of {n} bytes where the footer has {left} left"
            ));
        }
        let s = &self.buf[self.pos..self.pos + n as usize];
        self.pos += n as usize;
        Ok(s)
    }

    fn varint(&mut self) -> R<u64> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a variable-length integer of more than 10 bytes".into())
    }

    fn zigzag(&mut self) -> R<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn i32(&mut self) -> R<i32> {
        let v = self.zigzag()?;
        i32::try_from(v).map_err(|_| format!("{v} does not fit a 32-bit integer"))
    }

    fn binary(&mut self) -> R<&'a [u8]> {
        let n = self.varint()?;
        self.take(n)
    }

    /// The next field's id and type, or `None` at the end of the struct.
    fn field_header(&mut self, last: &mut i16) -> R<Option<(i16, u8)>> {
        let b = self.byte()?;
        if b == STOP {
            return Ok(None);
        }
        let (delta, ty) = (b >> 4, b & 0x0f);
        if ty == STOP {
            return Err(format!("a field header of type 0 (byte {b:#04x})"));
        }
        let id = if delta == 0 {
            let v = self.zigzag()?;
            i16::try_from(v).map_err(|_| format!("field id {v} out of range"))?
        } else {
            last.checked_add(i16::from(delta))
                .ok_or("a field id beyond 32767")?
        };
        *last = id;
        Ok(Some((id, ty)))
    }

    /// A list or set header: element type and count. Every element takes
    /// at least one byte, so a count beyond the bytes left is damage.
    fn list_header(&mut self) -> R<(u8, usize)> {
        let b = self.byte()?;
        let ty = b & 0x0f;
        let n = match b >> 4 {
            15 => self.varint()?,
            n => u64::from(n),
        };
        if n > self.remaining() as u64 {
            return Err(format!(
                "a list of {n} elements where the footer has {} bytes left",
                self.remaining()
            ));
        }
        Ok((ty, n as usize))
    }

    /// Walk a struct of this shape: the fields it defines must have their
    /// types; the others are skipped.
    fn walk(&mut self, shape: &Shape, depth: u32) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(format!("values nested more than {MAX_DEPTH} deep"));
        }
        let mut last = 0;
        let mut ints = Vec::new();
        while let Some((id, ty)) = self.field_header(&mut last)? {
            match shape.fields.iter().find(|(i, _)| *i == id) {
                None => self.skip(ty, depth)?,
                Some(&(_, Kind::Varint)) if Kind::Varint.accepts(ty) && shape.values.is_some() => {
                    ints.push((id, self.zigzag()?))
                }
                Some(&(_, kind)) if kind.accepts(ty) => self.value(kind, depth, false)?,
                Some(&(_, kind)) => {
                    return Err(format!(
                        "field {id} of {} is {} where Parquet has {}",
                        shape.name,
                        type_name(ty),
                        kind.name()
                    ))
                }
            }
        }
        match shape.values {
            Some(check) => check(&ints),
            None => Ok(()),
        }
    }

    /// A value of a known kind (`in_list`: a list element).
    fn value(&mut self, kind: Kind, depth: u32, in_list: bool) -> R<()> {
        match kind {
            Kind::Varint => self.varint().map(|_| ()),
            Kind::Byte => self.take(1).map(|_| ()),
            Kind::Binary => self.binary().map(|_| ()),
            Kind::Bool if in_list => self.take(1).map(|_| ()),
            Kind::Bool => Ok(()),
            Kind::Struct(shape) => self.walk(shape, depth + 1),
            Kind::List(elem) => {
                let (ty, n) = self.list_header()?;
                let accepted = match elem {
                    Kind::Bool => matches!(ty, BOOL_TRUE | BOOL_FALSE),
                    k => k.accepts(ty),
                };
                if n > 0 && !accepted {
                    return Err(format!(
                        "a list of {} where Parquet has a list of {}",
                        type_name(ty),
                        elem.name()
                    ));
                }
                for _ in 0..n {
                    self.value(*elem, depth + 1, true)?;
                }
                Ok(())
            }
        }
    }

    /// Skip a value of type `ty` (as it appears in a field header).
    fn skip(&mut self, ty: u8, depth: u32) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(format!("values nested more than {MAX_DEPTH} deep"));
        }
        match ty {
            BOOL_TRUE | BOOL_FALSE => {}
            BYTE => {
                self.take(1)?;
            }
            I16 | I32 | I64 => {
                self.varint()?;
            }
            DOUBLE => {
                self.take(8)?;
            }
            BINARY => {
                self.binary()?;
            }
            LIST | SET => {
                let (elem, n) = self.list_header()?;
                for _ in 0..n {
                    self.skip_element(elem, depth + 1)?;
                }
            }
            MAP => {
                let n = self.varint()?;
                if n > 0 {
                    if n > self.remaining() as u64 {
                        return Err(format!(
                            "a map of {n} entries where the footer has {} bytes left",
                            self.remaining()
                        ));
                    }
                    let kv = self.byte()?;
                    for _ in 0..n {
                        self.skip_element(kv >> 4, depth + 1)?;
                        self.skip_element(kv & 0x0f, depth + 1)?;
                    }
                }
            }
            STRUCT => {
                let mut last = 0;
                while let Some((_, ty)) = self.field_header(&mut last)? {
                    self.skip(ty, depth + 1)?;
                }
            }
            UUID => {
                self.take(16)?;
            }
            t => return Err(format!("a value of unknown type {t}")),
        }
        Ok(())
    }

    /// Skip an element of a list, set or map: a boolean there is a byte.
    fn skip_element(&mut self, ty: u8, depth: u32) -> R<()> {
        match ty {
            BOOL_TRUE | BOOL_FALSE => self.take(1).map(|_| ()),
            STOP => Err("a collection of elements of type 0".into()),
            t => self.skip(t, depth),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal Thrift compact writer for building footers in tests.
    #[derive(Default)]
    struct W {
        out: Vec<u8>,
        last: Vec<i16>,
    }

    impl W {
        fn field(&mut self, id: i16, ty: u8) -> &mut Self {
            let last = self.last.last_mut().expect("inside a struct");
            write_field_header(&mut self.out, id, ty, last);
            self
        }
        fn begin(&mut self) -> &mut Self {
            self.last.push(0);
            self
        }
        fn end(&mut self) -> &mut Self {
            self.out.push(STOP);
            self.last.pop();
            self
        }
        fn varint(&mut self, mut v: u64) -> &mut Self {
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    self.out.push(b);
                    return self;
                }
                self.out.push(b | 0x80);
            }
        }
        fn i(&mut self, v: i64) -> &mut Self {
            self.varint(((v << 1) ^ (v >> 63)) as u64)
        }
        fn bin(&mut self, s: &[u8]) -> &mut Self {
            self.varint(s.len() as u64);
            self.out.extend_from_slice(s);
            self
        }
        fn list(&mut self, ty: u8, n: usize) -> &mut Self {
            if n < 15 {
                self.out.push(((n as u8) << 4) | ty);
                self
            } else {
                self.out.push(0xf0 | ty);
                self.varint(n as u64)
            }
        }
    }

    /// A `SchemaElement` (type, repetition, name, children, logical type).
    fn element(w: &mut W, name: &str, children: Option<i32>, geo: Option<(i16, Option<&str>)>) {
        w.begin();
        if children.is_none() {
            w.field(1, I32).i(6); // BYTE_ARRAY
        }
        w.field(3, I32).i(1); // OPTIONAL
        w.field(SCHEMA_NAME, BINARY).bin(name.as_bytes());
        if let Some(n) = children {
            w.field(SCHEMA_NUM_CHILDREN, I32).i(n.into());
        }
        if let Some((member, crs)) = geo {
            w.field(SCHEMA_LOGICAL_TYPE, STRUCT).begin();
            w.field(member, STRUCT).begin();
            if let Some(c) = crs {
                w.field(1, BINARY).bin(c.as_bytes());
            }
            if member == LOGICAL_GEOGRAPHY {
                w.field(2, I32).i(4); // karney
            }
            w.end();
            w.end();
        }
        w.end();
    }

    /// A whole file: magic, no pages, a footer with a schema of `root`
    /// holding `id`, a group `s` holding `inner` (GEOGRAPHY), and
    /// `geometry` (GEOMETRY with a CRS), then more footer fields.
    fn file(with_geo: bool) -> Vec<u8> {
        let mut w = W::default();
        w.begin();
        w.field(1, I32).i(2);
        w.field(2, LIST).list(STRUCT, 5);
        element(&mut w, "schema", Some(3), None);
        element(&mut w, "id", None, None);
        element(&mut w, "s", Some(1), None);
        let g = |m, c| with_geo.then_some((m, c));
        element(&mut w, "inner", None, g(LOGICAL_GEOGRAPHY, None));
        element(
            &mut w,
            "geometry",
            None,
            g(LOGICAL_GEOMETRY, Some("srid:3011")),
        );
        w.field(3, I64).i(0);
        w.field(4, LIST).list(STRUCT, 0);
        w.field(5, LIST).list(STRUCT, 1);
        w.begin()
            .field(1, BINARY)
            .bin(b"geo")
            .field(2, BINARY)
            .bin(b"{}")
            .end();
        w.field(6, BINARY).bin(b"test");
        w.field(7, LIST).list(STRUCT, 1);
        w.begin().field(1, STRUCT).begin().end().end();
        w.end();
        let footer = w.out;
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&footer);
        f.extend_from_slice(&(footer.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        f
    }

    #[test]
    fn finds_the_columns_and_rewrites_the_footer_as_if_they_had_no_type() {
        let mut f = file(true);
        let cols = strip_geospatial_types(&mut f).unwrap();
        assert_eq!(
            cols,
            vec![
                GeoColumn {
                    name: "inner".into(),
                    top_level: false,
                    kind: GeoType::Geography(Edges::Karney),
                    crs: None,
                },
                GeoColumn {
                    name: "geometry".into(),
                    top_level: true,
                    kind: GeoType::Geometry,
                    crs: Some("srid:3011".into()),
                },
            ]
        );
        assert_eq!(f, file(false));
        // Nothing left to strip, and the file stays as it is.
        assert!(strip_geospatial_types(&mut f).unwrap().is_empty());
        assert_eq!(f, file(false));
    }

    #[test]
    fn fields_after_the_dropped_one_keep_their_ids() {
        let mut w = W::default();
        w.begin().field(2, LIST).list(STRUCT, 2);
        element(&mut w, "schema", Some(1), None);
        w.begin();
        w.field(SCHEMA_NAME, BINARY).bin(b"g");
        w.field(SCHEMA_LOGICAL_TYPE, STRUCT).begin();
        w.field(LOGICAL_GEOMETRY, STRUCT).begin().end();
        w.end();
        w.field(40, BOOL_TRUE).field(41, I32).i(-7);
        w.end().end();
        let footer = w.out.clone();
        let scan = scan(&footer).unwrap();
        let out = rewrite(&footer, &scan);
        let mut r = Reader::new(&out);
        let mut last = 0;
        assert_eq!(r.field_header(&mut last).unwrap(), Some((2, LIST)));
        r.list_header().unwrap();
        r.skip(STRUCT, 1).unwrap();
        let mut last = 0;
        let mut ids = Vec::new();
        while let Some((id, ty)) = r.field_header(&mut last).unwrap() {
            ids.push((id, ty));
            if ty == I32 {
                assert_eq!(r.i32().unwrap(), -7);
            } else {
                r.skip(ty, 1).unwrap();
            }
        }
        assert_eq!(ids, vec![(4, BINARY), (40, BOOL_TRUE), (41, I32)]);
    }

    #[test]
    fn a_file_without_geospatial_types_is_left_alone() {
        let mut f = file(false);
        let before = f.clone();
        assert!(strip_geospatial_types(&mut f).unwrap().is_empty());
        assert_eq!(f, before);
    }

    #[test]
    fn every_truncation_and_byte_flip_is_an_error_or_a_value_never_a_panic() {
        let good = file(true);
        for end in 0..good.len() {
            let mut f = good[..end].to_vec();
            let _ = strip_geospatial_types(&mut f);
            let _ = check(&f);
        }
        for i in 0..good.len() {
            for b in [0x00, 0x0f, 0x15, 0x19, 0x1c, 0x80, 0xf9, 0xff] {
                let mut f = good.clone();
                f[i] = b;
                if let Ok(cols) = strip_geospatial_types(&mut f) {
                    assert!(cols.len() <= 2);
                }
                let _ = check(&f);
            }
        }
    }

    #[test]
    fn damage_is_described() {
        let err = |f: &[u8]| strip_geospatial_types(&mut f.to_vec()).unwrap_err();
        assert!(err(b"PAR1").contains("PAR1"));
        let mut f = file(true);
        let n = f.len();
        f[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(err(&f).contains("claims"), "{}", err(&f));
        // A list claiming more elements than there are bytes.
        let mut w = W::default();
        w.begin().field(4, LIST).list(STRUCT, 1_000_000_000);
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&w.out);
        f.extend_from_slice(&(w.out.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        assert!(err(&f).contains("1000000000 elements"), "{}", err(&f));
    }

    #[test]
    fn the_footer_polars_reads_has_the_types_parquet_defines() {
        let mut f = file(true);
        check(&f).unwrap();
        strip_geospatial_types(&mut f).unwrap();
        check(&f).unwrap();
        // A `SortingColumn.descending` that is not a boolean would panic polars.
        let mut w = W::default();
        w.begin().field(4, LIST).list(STRUCT, 1);
        w.begin().field(4, LIST).list(STRUCT, 1);
        w.begin().field(1, I32).i(0).field(2, I32).i(1).end();
        w.end().end();
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&w.out);
        f.extend_from_slice(&(w.out.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        let e = check(&f).unwrap_err();
        assert_eq!(
            e,
            "field 2 of SortingColumn is an integer where Parquet has a boolean"
        );
        // A list of the wrong elements.
        let mut w = W::default();
        w.begin().field(2, LIST).list(I32, 1).i(3).end();
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&w.out);
        f.extend_from_slice(&(w.out.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        let e = check(&f).unwrap_err();
        assert_eq!(
            e,
            "a list of an integer where Parquet has a list of SchemaElement"
        );
        // A negative offset, which polars would add to a size as unsigned numbers.
        let mut w = W::default();
        w.begin().field(4, LIST).list(STRUCT, 1);
        w.begin().field(1, LIST).list(STRUCT, 1);
        w.begin().field(3, STRUCT).begin();
        w.field(7, I64).i(100).field(9, I64).i(-1).end();
        w.end().end().end();
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&w.out);
        f.extend_from_slice(&(w.out.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        let e = check(&f).unwrap_err();
        assert_eq!(e, "a column chunk's data_page_offset is negative (-1)");
    }

    #[test]
    fn nesting_is_bounded() {
        // A struct field holding a struct holding a struct … 10 000 deep.
        let mut footer = vec![0x1c; 10_000];
        footer.extend(std::iter::repeat_n(STOP, 10_001));
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&footer);
        f.extend_from_slice(&(footer.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        let e = strip_geospatial_types(&mut f).unwrap_err();
        assert!(e.contains("nested more than 64"), "{e}");
    }

    #[test]
    fn long_field_ids_round_trip() {
        for id in [1i16, 15, 16, 300, -5, i16::MAX, i16::MIN] {
            let mut out = Vec::new();
            let mut last = 0;
            write_field_header(&mut out, id, I32, &mut last);
            out.push(0);
            let mut r = Reader::new(&out);
            let mut last = 0;
            assert_eq!(r.field_header(&mut last).unwrap(), Some((id, I32)));
        }
    }
}
