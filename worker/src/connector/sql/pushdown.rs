//! Profiling by pushdown: one aggregate query computes every column's basic metrics in the
//! engine; quantiles (Redshift) and top values come from small per-column queries; a sample query
//! pulls rows back for the profiler's own engine instead.
//!
//! Every name is quoted by [`Dialect::quote_identifier`]; the only other text in the queries is
//! generated here (aliases, numbers). Results are read as text, as both engines return them.

use profiler_crds::{
    BooleanStats, ColumnKind, ColumnProfile, DecimalStats, DistinctCount, Distribution, Moments, NumericStats,
    Quantile, Sampling, TextStats, ValueCount,
};
use profiler_engine::QUANTILE_RANKS;

use super::decimal::{SqlDecimal, SumSql, sql_decimal};
use super::dialect::{Dialect, SqlError, TableRef};
use super::types::{SqlColumn, sql_kind};

/// Relative standard error of both engines' approximate distinct count (HyperLogLog, ~2.3%).
const APPROX_DISTINCT_RSE: f64 = 0.023;

/// Rank error of Athena's `approx_percentile` (its default accuracy).
const APPROX_PERCENTILE_RANK_ERROR: f64 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    NonNull,
    Distinct,
    Min,
    Max,
    Sum,
    /// Exact sum of a decimal column, or the low half of a split one.
    DecimalSum,
    /// High half of the exact sum of a wide decimal column.
    DecimalSumHigh,
    Mean,
    StddevPop,
    Zeros,
    Negatives,
    Quantiles,
    MinLength,
    MaxLength,
    TotalLength,
    Empty,
    True,
}

/// The aggregate query over all columns and how to read its single result row.
#[derive(Debug, Clone)]
pub struct AggregatePlan {
    dialect: Dialect,
    /// The query.
    pub sql: String,
    columns: Vec<(SqlColumn, ColumnKind)>,
    /// (column index, metric) of each output after the first (`rows`).
    slots: Vec<(usize, Metric)>,
    /// Outputs appended after the plan's own (a [`RulePlan`](super::RulePlan)'s).
    extra: usize,
}

impl AggregatePlan {
    /// Builds the aggregate query for `columns` of `table`.
    pub fn new(dialect: Dialect, table: &TableRef, columns: &[SqlColumn]) -> Result<Self, SqlError> {
        Self::with_extra(dialect, table, columns, &[])
    }

    /// Builds the aggregate query for `columns` of `table` with `extra` select items (aggregates
    /// with their aliases) after the plan's own, in the same query; read them back with
    /// [`AggregatePlan::extra_values`].
    pub fn with_extra(
        dialect: Dialect,
        table: &TableRef,
        columns: &[SqlColumn],
        extra: &[String],
    ) -> Result<Self, SqlError> {
        let dbl = dialect.double();
        let mut select = vec!["COUNT(*) AS \"rows\"".to_owned()];
        let mut slots = Vec::new();
        let mut planned = Vec::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            let q = dialect.quote_identifier(&column.name)?;
            let kind = sql_kind(&column.data_type);
            let mut metrics: Vec<(Metric, String)> = vec![(Metric::NonNull, format!("COUNT({q})"))];
            match kind {
                ColumnKind::Numeric => {
                    let as_double = format!("CAST({q} AS {dbl})");
                    metrics.extend([
                        (Metric::Distinct, dialect.approx_distinct(&q)),
                        (Metric::Min, format!("MIN({q})")),
                        (Metric::Max, format!("MAX({q})")),
                    ]);
                    match sql_decimal(&column.data_type).map(|d| d.sum_sql(&q)) {
                        None => metrics.push((Metric::Sum, format!("SUM({as_double})"))),
                        Some(SumSql::Whole(sum)) => metrics.push((Metric::DecimalSum, sum)),
                        Some(SumSql::Split { low, high }) => {
                            metrics.extend([(Metric::DecimalSum, low), (Metric::DecimalSumHigh, high)])
                        }
                    }
                    metrics.extend([
                        (Metric::Mean, format!("AVG({as_double})")),
                        (Metric::StddevPop, format!("STDDEV_POP({as_double})")),
                        (Metric::Zeros, format!("SUM(CASE WHEN {q} = 0 THEN 1 ELSE 0 END)")),
                        (Metric::Negatives, format!("SUM(CASE WHEN {q} < 0 THEN 1 ELSE 0 END)")),
                    ]);
                    if dialect == Dialect::Athena {
                        let ranks: Vec<String> = QUANTILE_RANKS.iter().map(|r| r.to_string()).collect();
                        metrics.push((
                            Metric::Quantiles,
                            format!("approx_percentile({as_double}, ARRAY[{}])", ranks.join(", ")),
                        ));
                    }
                }
                ColumnKind::Temporal => metrics.extend([
                    (Metric::Distinct, dialect.approx_distinct(&q)),
                    (Metric::Min, format!("MIN({q})")),
                    (Metric::Max, format!("MAX({q})")),
                ]),
                ColumnKind::String => metrics.extend([
                    (Metric::Distinct, dialect.approx_distinct(&q)),
                    (Metric::Min, format!("MIN({q})")),
                    (Metric::Max, format!("MAX({q})")),
                    (Metric::MinLength, format!("MIN(LENGTH({q}))")),
                    (Metric::MaxLength, format!("MAX(LENGTH({q}))")),
                    (Metric::TotalLength, format!("SUM(LENGTH({q}))")),
                    (Metric::Empty, format!("SUM(CASE WHEN {q} = '' THEN 1 ELSE 0 END)")),
                ]),
                ColumnKind::Boolean => metrics.push((Metric::True, format!("SUM(CASE WHEN {q} THEN 1 ELSE 0 END)"))),
                ColumnKind::Binary | ColumnKind::List | ColumnKind::Other => {}
            }
            for (metric, expr) in metrics {
                select.push(format!("{expr} AS \"c{i}_{}\"", slots.len()));
                slots.push((i, metric));
            }
            planned.push((column.clone(), kind));
        }
        select.extend(extra.iter().cloned());
        let sql = format!("SELECT {} FROM {}", select.join(", "), table.quoted(dialect)?);
        Ok(Self { dialect, sql, columns: planned, slots, extra: extra.len() })
    }

    /// The values of the extra outputs in a result row (empty when the row is short).
    pub fn extra_values<'a>(&self, row: &'a [Option<String>]) -> &'a [Option<String>] {
        row.get(self.slots.len() + 1..).unwrap_or_default()
    }

    /// Names of the result's columns of the plan's own outputs, in order (the extra outputs
    /// follow).
    pub fn output_names(&self) -> Vec<String> {
        let mut names = vec!["rows".to_owned()];
        names.extend(self.slots.iter().enumerate().map(|(n, (i, _))| format!("c{i}_{n}")));
        names
    }

    /// Reads the result row (values as text, NULL as `None`) into the row count and one profile
    /// per column. Quantiles are filled for Athena; Redshift's come from [`quantile_query`].
    pub fn parse(&self, row: &[Option<String>]) -> Result<(u64, Vec<ColumnProfile>), SqlError> {
        let width = self.slots.len() + 1 + self.extra;
        if row.len() != width {
            return Err(self.bad("row width", format!("{} values for {width} outputs", row.len())));
        }
        let rows = self.count(row[0].as_deref(), "rows")?;
        let mut values: Vec<Vec<(Metric, Option<&str>)>> = vec![Vec::new(); self.columns.len()];
        for ((i, metric), value) in self.slots.iter().zip(&row[1..]) {
            values[*i].push((*metric, value.as_deref()));
        }
        let mut profiles = Vec::with_capacity(self.columns.len());
        for ((column, kind), metrics) in self.columns.iter().zip(values) {
            profiles.push(self.column_profile(column, *kind, rows, &metrics)?);
        }
        Ok((rows, profiles))
    }

    fn column_profile(
        &self,
        column: &SqlColumn,
        kind: ColumnKind,
        rows: u64,
        metrics: &[(Metric, Option<&str>)],
    ) -> Result<ColumnProfile, SqlError> {
        let get = |m: Metric| metrics.iter().find(|(x, _)| *x == m).and_then(|(_, v)| *v);
        let what = |m: Metric| format!("{m:?} of {:?}", column.name);
        let count = |m: Metric| -> Result<u64, SqlError> { self.count(get(m), &what(m)) };
        let float =
            |m: Metric| -> Result<Option<f64>, SqlError> { get(m).map(|v| self.float(v, &what(m))).transpose() };
        let non_null = count(Metric::NonNull)?;
        let mut p = ColumnProfile::with_counts(
            column.name.clone(),
            column.data_type.clone(),
            kind,
            rows,
            rows.saturating_sub(non_null),
        );
        p.min = get(Metric::Min).map(str::to_owned);
        p.max = get(Metric::Max).map(str::to_owned);
        if let Some(estimate) = float(Metric::Distinct)? {
            p.distinct = Some(DistinctCount {
                estimate,
                lower_bound: (estimate * (1.0 - 2.0 * APPROX_DISTINCT_RSE)).max(0.0),
                upper_bound: estimate * (1.0 + 2.0 * APPROX_DISTINCT_RSE),
                relative_standard_error: APPROX_DISTINCT_RSE,
                exact: false,
            });
        }
        match kind {
            ColumnKind::Numeric => {
                let (mean, stddev) = (float(Metric::Mean)?, float(Metric::StddevPop)?);
                let variance = stddev.map(|s| s * s);
                let decimal = match sql_decimal(&column.data_type) {
                    Some(d) => Some(self.decimal(d, &mut p, get(Metric::DecimalSum), get(Metric::DecimalSumHigh))?),
                    None => None,
                };
                let sum = match &decimal {
                    Some(d) => self.float(&d.sum, &what(Metric::DecimalSum))?,
                    None => float(Metric::Sum)?.unwrap_or(0.0),
                };
                let quantiles = match get(Metric::Quantiles) {
                    Some(text) => Some(self.quantile_array(text, &column.name)?),
                    None => None,
                };
                p.numeric = Some(NumericStats {
                    min: float(Metric::Min)?,
                    max: float(Metric::Max)?,
                    sum,
                    mean,
                    variance,
                    stddev,
                    zeros: count(Metric::Zeros)?,
                    negatives: count(Metric::Negatives)?,
                    nan: 0,
                    positive_infinity: 0,
                    negative_infinity: 0,
                    moments: Moments {
                        n: non_null,
                        mean: mean.unwrap_or(0.0),
                        m2: variance.unwrap_or(0.0) * non_null as f64,
                        sum,
                    },
                    distribution: quantiles.map(|quantiles| Distribution {
                        quantiles,
                        histogram: Vec::new(),
                        rank_error: APPROX_PERCENTILE_RANK_ERROR,
                        histogram_exact: false,
                    }),
                    decimal,
                });
            }
            ColumnKind::String => {
                let total_length = count(Metric::TotalLength)?;
                p.text = Some(TextStats {
                    min_length: get(Metric::MinLength)
                        .map(|v| self.count(Some(v), &what(Metric::MinLength)))
                        .transpose()?,
                    max_length: get(Metric::MaxLength)
                        .map(|v| self.count(Some(v), &what(Metric::MaxLength)))
                        .transpose()?,
                    mean_length: (non_null > 0).then(|| total_length as f64 / non_null as f64),
                    total_length,
                    empty: count(Metric::Empty)?,
                    top_values: Vec::new(),
                    top_values_max_error: 0,
                    inferred_type: None,
                });
            }
            ColumnKind::Boolean => {
                let true_count = count(Metric::True)?;
                p.boolean = Some(BooleanStats { true_count, false_count: non_null.saturating_sub(true_count) });
            }
            _ => {}
        }
        Ok(p)
    }

    /// The exact figures of a decimal column: `p.min` and `p.max` rewritten at the column's scale,
    /// and the sum from its one or two parts.
    fn decimal(
        &self,
        d: SqlDecimal,
        p: &mut ColumnProfile,
        sum: Option<&str>,
        high: Option<&str>,
    ) -> Result<DecimalStats, SqlError> {
        let what = |m: &str| format!("{m} of {:?}", p.name);
        let normalize = |v: &Option<String>, m: &str| -> Result<Option<String>, SqlError> {
            v.as_deref().map(|t| d.normalize(t).map_err(|_| self.bad(&what(m), t.to_owned()))).transpose()
        };
        p.min = normalize(&p.min, "Min")?;
        p.max = normalize(&p.max, "Max")?;
        let exact = d.sum(sum, high).map_err(|e| self.bad(&what("exact sum"), e.to_string()))?;
        Ok(d.stats(p.min.clone(), p.max.clone(), exact))
    }

    /// A count: NULL (an aggregate over no rows) is 0; "12.0" is accepted.
    fn count(&self, value: Option<&str>, what: &str) -> Result<u64, SqlError> {
        let Some(text) = value else { return Ok(0) };
        if let Ok(n) = text.trim().parse::<u64>() {
            return Ok(n);
        }
        match self.float(text, what)? {
            f if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(f as u64),
            _ => Err(self.bad(what, text.to_owned())),
        }
    }

    fn float(&self, text: &str, what: &str) -> Result<f64, SqlError> {
        text.trim().parse::<f64>().map_err(|_| self.bad(what, text.to_owned()))
    }

    /// Athena's `approx_percentile` array, e.g. `[1.0, 2.5, ...]`.
    fn quantile_array(&self, text: &str, column: &str) -> Result<Vec<Quantile>, SqlError> {
        let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
        let values: Result<Vec<f64>, SqlError> =
            inner.split(',').map(|v| self.float(v, &format!("quantiles of {column:?}"))).collect();
        let values = values?;
        if values.len() != QUANTILE_RANKS.len() {
            return Err(self.bad(&format!("quantiles of {column:?}"), text.to_owned()));
        }
        Ok(quantiles(&values))
    }

    fn bad(&self, what: &str, value: String) -> SqlError {
        SqlError::BadResult { dialect: self.dialect, what: what.to_owned(), value }
    }
}

fn quantiles(values: &[f64]) -> Vec<Quantile> {
    QUANTILE_RANKS
        .iter()
        .zip(values)
        .map(|(rank, value)| Quantile { rank: *rank, value: *value, label: value.to_string() })
        .collect()
}

/// Exact quantiles of one numeric column (Redshift: ordered-set aggregates sharing one ORDER BY,
/// so one query per column).
pub fn quantile_query(dialect: Dialect, table: &TableRef, column: &str) -> Result<String, SqlError> {
    let q = dialect.quote_identifier(column)?;
    let dbl = dialect.double();
    let items: Vec<String> = QUANTILE_RANKS
        .iter()
        .enumerate()
        .map(|(i, r)| format!("PERCENTILE_CONT({r}) WITHIN GROUP (ORDER BY CAST({q} AS {dbl})) AS \"q{i}\""))
        .collect();
    Ok(format!("SELECT {} FROM {}", items.join(", "), table.quoted(dialect)?))
}

/// Reads a [`quantile_query`] result row.
pub fn parse_quantiles(dialect: Dialect, row: &[Option<String>]) -> Result<Option<Vec<Quantile>>, SqlError> {
    if row.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut values = Vec::with_capacity(row.len());
    for v in row {
        let text = v.as_deref().unwrap_or("");
        values.push(text.trim().parse::<f64>().map_err(|_| SqlError::BadResult {
            dialect,
            what: "quantile".into(),
            value: text.to_owned(),
        })?);
    }
    Ok(Some(quantiles(&values)))
}

/// The `k` most frequent non-null values of a column with their counts, most frequent first
/// (ties by value).
pub fn top_values_query(dialect: Dialect, table: &TableRef, column: &str, k: u32) -> Result<String, SqlError> {
    let q = dialect.quote_identifier(column)?;
    Ok(format!(
        "SELECT {q} AS \"value\", COUNT(*) AS \"count\" FROM {} WHERE {q} IS NOT NULL GROUP BY {q} ORDER BY 2 DESC, 1 LIMIT {k}",
        table.quoted(dialect)?
    ))
}

/// Reads [`top_values_query`] result rows.
pub fn parse_top_values(dialect: Dialect, rows: &[Vec<Option<String>>]) -> Result<Vec<ValueCount>, SqlError> {
    rows.iter()
        .map(|row| match row.as_slice() {
            [Some(value), Some(count)] => count
                .trim()
                .parse::<u64>()
                .map(|count| ValueCount { value: value.clone(), count })
                .map_err(|_| SqlError::BadResult { dialect, what: "top value count".into(), value: count.clone() }),
            other => Err(SqlError::BadResult { dialect, what: "top value row".into(), value: format!("{other:?}") }),
        })
        .collect()
}

/// Rows to pull back and profile locally. `row_count` (from the aggregate or the catalog) sizes
/// the sampling rate of a reservoir sample: rows are sampled at 1.2 × size / rows, then limited to
/// `size`. Neither engine can seed its sampling, so the seed is not used.
pub fn sample_query(
    dialect: Dialect,
    table: &TableRef,
    columns: &[String],
    sampling: Sampling,
    row_count: u64,
) -> Result<String, SqlError> {
    let list: Result<Vec<String>, SqlError> = columns.iter().map(|c| dialect.quote_identifier(c)).collect();
    let list = list?;
    let base = format!(
        "SELECT {} FROM {}",
        if list.is_empty() { "*".to_owned() } else { list.join(", ") },
        table.quoted(dialect)?
    );
    let (fraction, limit) = match sampling {
        Sampling::Full => return Ok(base),
        Sampling::Bernoulli { fraction, .. } => (fraction, None),
        Sampling::Reservoir { size, .. } => {
            let fraction = if row_count == 0 { 1.0 } else { (1.2 * size as f64 / row_count as f64).min(1.0) };
            (fraction, Some(size))
        }
    };
    let mut sql = if fraction >= 1.0 {
        base
    } else {
        match dialect {
            Dialect::Athena => format!("{base} TABLESAMPLE BERNOULLI ({})", fraction * 100.0),
            Dialect::Redshift => format!("{base} WHERE RANDOM() < {fraction}"),
        }
    };
    if let Some(limit) = limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> (TableRef, Vec<SqlColumn>) {
        let table = TableRef { parts: vec!["sales".into(), "orders\"; DROP TABLE x; --".into()] };
        let columns = vec![
            SqlColumn { name: "amount".into(), data_type: "decimal(10,2)".into() },
            SqlColumn { name: "na\"me /* c */".into(), data_type: "varchar".into() },
            SqlColumn { name: "ok".into(), data_type: "boolean".into() },
            SqlColumn { name: "at".into(), data_type: "timestamp(3)".into() },
            SqlColumn { name: "tags".into(), data_type: "array(varchar)".into() },
        ];
        (table, columns)
    }

    #[test]
    fn the_aggregate_quotes_every_name_and_reads_its_row() {
        let (table, columns) = hostile();
        let plan = AggregatePlan::new(Dialect::Athena, &table, &columns).unwrap();
        assert!(plan.sql.ends_with("FROM \"sales\".\"orders\"\"; DROP TABLE x; --\""), "{}", plan.sql);
        assert!(plan.sql.contains("approx_distinct(\"na\"\"me /* c */\")"), "{}", plan.sql);
        assert!(plan.sql.contains("approx_percentile(CAST(\"amount\" AS DOUBLE), ARRAY[0.01, 0.05"), "{}", plan.sql);
        let redshift = AggregatePlan::new(Dialect::Redshift, &table, &columns).unwrap();
        assert!(redshift.sql.contains("APPROXIMATE COUNT(DISTINCT \"amount\")"), "{}", redshift.sql);
        assert!(!redshift.sql.contains("approx_percentile"));

        let names = plan.output_names();
        let mut row: Vec<Option<String>> = vec![Some("10".into())];
        let values = [
            // amount: n, distinct, min, max, sum, mean, stddev, zeros, negatives, quantiles
            "8",
            "7",
            "-1.50",
            "20.00",
            "40.0",
            "5.0",
            "2.0",
            "1",
            "2",
            "[-1.5, -1.0, 1.0, 4.0, 8.0, 19.0, 20.0]",
            // name: n, distinct, min, max, min len, max len, total len, empty
            "9",
            "3",
            "",
            "zed",
            "0",
            "3",
            "12",
            "1", // ok: n, true
            "10",
            "4", // at: n, distinct, min, max
            "10",
            "10",
            "2024-01-01 00:00:00.000",
            "2024-12-31 00:00:00.000", // tags: n
            "6",
        ];
        row.extend(values.iter().map(|v| Some(v.to_string())));
        assert_eq!(row.len(), names.len());
        let (rows, profiles) = plan.parse(&row).unwrap();
        assert_eq!(rows, 10);
        let amount = profiles[0].numeric.as_ref().unwrap();
        assert_eq!((profiles[0].nulls, amount.zeros, amount.negatives), (2, 1, 2));
        assert_eq!((amount.min, amount.max, amount.variance), (Some(-1.5), Some(20.0), Some(4.0)));
        assert_eq!(amount.moments.m2, 32.0);
        assert_eq!(amount.distribution.as_ref().unwrap().quantiles[3].value, 4.0);
        let name = profiles[1].text.as_ref().unwrap();
        assert_eq!((name.empty, name.total_length, name.mean_length), (1, 12, Some(12.0 / 9.0)));
        assert_eq!(profiles[2].boolean.as_ref().unwrap().false_count, 6);
        assert_eq!(profiles[3].min.as_deref(), Some("2024-01-01 00:00:00.000"));
        assert_eq!((profiles[4].count, profiles[4].nulls), (10, 4));

        row[3] = Some("not a number".into());
        assert!(plan.parse(&row).unwrap_err().to_string().contains("not a number"));
        assert!(plan.parse(&row[1..]).is_err());
    }

    #[test]
    fn decimal_columns_keep_exact_min_max_and_sum() {
        let table = TableRef { parts: vec!["sales".into(), "ledger".into()] };
        let column = |name: &str, t: &str| SqlColumn { name: name.into(), data_type: t.into() };
        let columns = vec![
            column("d18", "decimal(18,2)"),
            column("d38", "decimal(38,9)"),
            column("w", "numeric(38,0)"),
            column("bare", "numeric"),
        ];
        let plan = AggregatePlan::new(Dialect::Redshift, &table, &columns).unwrap();
        assert!(plan.sql.contains("SUM(\"d18\") AS"), "{}", plan.sql);
        assert!(plan.sql.contains("SUM(MOD(\"d38\", CAST('10000000000' AS DECIMAL(11, 0)))) AS"), "{}", plan.sql);
        assert!(plan.sql.contains("SUM(CAST(\"bare\" AS DOUBLE PRECISION))"), "{}", plan.sql);
        let nines38 = "99999999999999999999999999999999999999";
        let values = [
            "4", // rows
            // d18: n, distinct, min, max, sum, mean, stddev, zeros, negatives
            "3",
            "3",
            "-9999999999999999.99",
            "9999999999999999.99",
            "9999999999999999.9", // one extreme left after the others cancel, as text at scale 1
            "3.33e15",
            "9.4e15",
            "0",
            "1",
            // d38: n, distinct, min, max, sum low, sum high, mean, stddev, zeros, negatives
            "2",
            "2",
            "-99999999999999999999999999999.999999999",
            "99999999999999999999999999999.999999999",
            "-0.000000001",
            "0",
            "0.0",
            "1e29",
            "0",
            "1",
            // w: n, distinct, min, max, sum low, sum high, mean, stddev, zeros, negatives
            "4",
            "1",
            nines38,
            nines38,
            "39999999999999999996",
            "39999999999999999996",
            "1e38",
            "0",
            "0",
            "0",
            // bare: n, distinct, min, max, sum (double), mean, stddev, zeros, negatives
            "1",
            "1",
            "1.5",
            "1.5",
            "1.5",
            "1.5",
            "0",
            "0",
            "0",
        ];
        let mut row: Vec<Option<String>> = values.iter().map(|v| Some(v.to_string())).collect();
        assert_eq!(row.len(), plan.output_names().len());
        let (_, profiles) = plan.parse(&row).unwrap();
        let decimal = |i: usize| profiles[i].numeric.as_ref().unwrap().decimal.clone().unwrap();
        let d18 = decimal(0);
        assert_eq!((d18.precision, d18.scale), (18, 2));
        assert_eq!(d18.min.as_deref(), Some("-9999999999999999.99"));
        assert_eq!(d18.max.as_deref(), Some("9999999999999999.99"));
        assert_eq!(d18.sum, "9999999999999999.90");
        assert_eq!(profiles[0].max.as_deref(), Some("9999999999999999.99"));
        let d38 = decimal(1);
        assert_eq!(d38.sum, "-0.000000001");
        assert_eq!(profiles[1].min.as_deref(), Some("-99999999999999999999999999999.999999999"));
        let w = decimal(2);
        assert_eq!(w.sum, "399999999999999999999999999999999999996");
        assert!(w.sum_exceeds_38_digits);
        assert_eq!(profiles[2].numeric.as_ref().unwrap().sum, 4e38);
        assert_eq!(profiles[2].max.as_deref(), Some(nines38));
        assert!(profiles[3].numeric.as_ref().unwrap().decimal.is_none(), "a bare numeric has no known scale");
        assert_eq!(profiles[3].min.as_deref(), Some("1.5"));

        // Digits the column's scale cannot hold are a bad result, never rounded away.
        row[3] = Some("-9999999999999999.999".into());
        let err = plan.parse(&row).unwrap_err().to_string();
        assert!(err.contains("Min of \"d18\"") && err.contains("-9999999999999999.999"), "{err}");
    }

    #[test]
    fn sample_queries_per_dialect() {
        let (table, _) = hostile();
        let cols = vec!["a\"b".to_owned()];
        let t = "\"sales\".\"orders\"\"; DROP TABLE x; --\"";
        assert_eq!(
            sample_query(Dialect::Athena, &table, &cols, Sampling::Full, 0).unwrap(),
            format!("SELECT \"a\"\"b\" FROM {t}")
        );
        assert_eq!(
            sample_query(Dialect::Athena, &table, &cols, Sampling::Bernoulli { fraction: 0.25, seed: 1 }, 0).unwrap(),
            format!("SELECT \"a\"\"b\" FROM {t} TABLESAMPLE BERNOULLI (25)")
        );
        assert_eq!(
            sample_query(Dialect::Redshift, &table, &cols, Sampling::Reservoir { size: 100, seed: 1 }, 1000).unwrap(),
            format!("SELECT \"a\"\"b\" FROM {t} WHERE RANDOM() < 0.12 LIMIT 100")
        );
        assert_eq!(
            sample_query(Dialect::Redshift, &table, &[], Sampling::Reservoir { size: 100, seed: 1 }, 50).unwrap(),
            format!("SELECT * FROM {t} LIMIT 100")
        );
    }
}
