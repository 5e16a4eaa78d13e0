//! Finding a rule's column in a schema: a top-level column, a struct field as `parent.child`
//! (the names the profile gives flattened struct fields), or a whole struct.

use arrow_schema::{DataType, Fields, Schema};

/// A column a rule reads: where it sits in a batch and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRef {
    /// Name as the rule wrote it.
    pub name: String,
    /// Child indices from the top-level column down.
    pub path: Vec<usize>,
    /// Arrow type (dictionaries by their value type).
    pub data_type: DataType,
}

/// The column `name` of `schema`, if it has one.
pub fn find(schema: &Schema, name: &str) -> Option<ColumnRef> {
    let mut path = Vec::new();
    walk(schema.fields(), "", name, &mut path)
}

fn walk(fields: &Fields, prefix: &str, wanted: &str, path: &mut Vec<usize>) -> Option<ColumnRef> {
    for (i, field) in fields.iter().enumerate() {
        let full = format!("{prefix}{}", field.name());
        if full == wanted {
            let mut found = path.clone();
            found.push(i);
            return Some(ColumnRef { name: full, path: found, data_type: value_type(field.data_type()).clone() });
        }
        if let DataType::Struct(children) = field.data_type()
            && wanted.starts_with(&format!("{full}."))
        {
            path.push(i);
            let found = walk(children, &format!("{full}."), wanted, path);
            path.pop();
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// The type whose values are judged: dictionaries by their value type.
pub fn value_type(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::Dictionary(_, v) => v,
        other => other,
    }
}

/// Every column name a rule may use, for the message of a missing column.
pub fn names(schema: &Schema) -> Vec<String> {
    fn collect(fields: &Fields, prefix: &str, out: &mut Vec<String>) {
        for field in fields {
            let full = format!("{prefix}{}", field.name());
            out.push(full.clone());
            if let DataType::Struct(children) = field.data_type() {
                collect(children, &format!("{full}."), out);
            }
        }
    }
    let mut out = Vec::new();
    collect(schema.fields(), "", &mut out);
    out
}
