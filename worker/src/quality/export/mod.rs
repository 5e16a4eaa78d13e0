//! The same rule set in the formats other data quality tools read: AWS Glue Data Quality DQDL
//! ([`dqdl`]), a Great Expectations expectation suite ([`great_expectations`]) and Soda checks
//! ([`soda`]). A rule a format cannot express is written as a comment (DQDL, Soda) or listed in
//! the suite's `meta` (Great Expectations), never dropped in silence.

pub mod dqdl;
pub mod great_expectations;
pub mod soda;

use std::fmt;
use std::str::FromStr;

use profiler_crds::ContentType;
use profiler_crds::quality::{Rule, RuleSet};

/// A format a rule set can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// AWS Glue Data Quality Definition Language (`rules.dqdl`).
    Dqdl,
    /// A Great Expectations expectation suite (`expectations.json`).
    GreatExpectations,
    /// Soda checks in SodaCL (`checks.yml`).
    Soda,
}

impl ExportFormat {
    /// Every format, in documentation order.
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Dqdl, ExportFormat::GreatExpectations, ExportFormat::Soda];

    /// The name the CLI takes (`dqdl`, `gx`, `soda`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Dqdl => "dqdl",
            ExportFormat::GreatExpectations => "gx",
            ExportFormat::Soda => "soda",
        }
    }

    /// The file an export is written to in an output directory.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Dqdl => "rules.dqdl",
            ExportFormat::GreatExpectations => "expectations.json",
            ExportFormat::Soda => "checks.yml",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`ExportFormat::ALL`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown export format {0:?}: use dqdl, gx or soda")]
pub struct UnknownFormat(pub String);

impl FromStr for ExportFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dqdl" => Ok(ExportFormat::Dqdl),
            "gx" | "great-expectations" => Ok(ExportFormat::GreatExpectations),
            "soda" => Ok(ExportFormat::Soda),
            other => Err(UnknownFormat(other.to_owned())),
        }
    }
}

/// `set` in `format`; `dataset` names the table where the format needs one (Soda's
/// `checks for`, the suite's name), by default the last part of the rule set's `table`.
pub fn export(set: &RuleSet, format: ExportFormat, dataset: Option<&str>) -> String {
    let dataset = dataset.map(str::to_owned).unwrap_or_else(|| default_dataset(set));
    match format {
        ExportFormat::Dqdl => dqdl::render(set),
        ExportFormat::GreatExpectations => great_expectations::render(set, &dataset),
        ExportFormat::Soda => soda::render(set, &dataset),
    }
}

/// The table's name from the rule set's `table`: the last path segment without a data file
/// extension (`orders` for `s3://b/orders.parquet`), the last part of a dotted catalog name
/// (`orders` for `sales.orders`), or `table`.
pub fn default_dataset(set: &RuleSet) -> String {
    let table = set.table.as_deref().unwrap_or_default().trim_end_matches('/');
    let last = table.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = [".metadata.json", ".parquet", ".json", ".csv", ".avro", ".orc"]
        .iter()
        .find_map(|ext| last.strip_suffix(ext))
        .unwrap_or(last);
    let name = stem.rsplit('.').next().unwrap_or_default();
    if name.is_empty() { "table".to_owned() } else { name.to_owned() }
}

/// An anchored regular expression that matches exactly the strings the profiler classifies as
/// `content_type`, in the syntax shared by Java, Python and RE2 (no backslash but `\x27` for a
/// quote, so every format can carry it unchanged); `None` for `text` (anything else), which no
/// single regular expression states.
pub fn content_type_regex(content_type: ContentType) -> Option<&'static str> {
    Some(match content_type {
        ContentType::Integer => "^[+-]?[0-9]+$",
        ContentType::Decimal => "^[+-]?(([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)$",
        ContentType::Boolean => "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[TtFfYyNn])$",
        ContentType::Date => "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        ContentType::Timestamp => {
            "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$"
        }
        ContentType::Uuid => "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        ContentType::Email => "^[A-Za-z0-9.!#$%&\\x27*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}$",
        ContentType::Text => return None,
    })
}

/// A number as every format writes it: no exponent, no trailing `.0` (`1000000`, `0.25`).
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// A rule's rationale on one line (comments end at a line break).
pub fn one_line(rule: &Rule) -> String {
    rule.rationale.as_deref().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The content type as rule files write it (`email`).
pub fn content_type_name(content_type: ContentType) -> String {
    serde_json::to_value(content_type).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_names_come_from_the_table() {
        let mut set = RuleSet::new();
        assert_eq!(default_dataset(&set), "table");
        set.table = Some("s3://bucket/data/orders.parquet".into());
        assert_eq!(default_dataset(&set), "orders");
        set.table = Some("warehouse/db/events/".into());
        assert_eq!(default_dataset(&set), "events");
        set.table = Some("sales.orders".into());
        assert_eq!(default_dataset(&set), "orders");
    }

    #[test]
    fn formats_parse_and_numbers_have_no_exponent() {
        assert_eq!("gx".parse::<ExportFormat>(), Ok(ExportFormat::GreatExpectations));
        assert!("csv".parse::<ExportFormat>().is_err());
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(1e-7), "0.0000001");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(content_type_name(ContentType::Uuid), "uuid");
    }
}
