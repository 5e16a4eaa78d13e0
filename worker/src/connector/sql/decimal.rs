//! Exact MIN, MAX and SUM of DECIMAL columns by pushdown. Both engines return decimals as text at
//! the column's scale, so MIN and MAX are exact as they come; the sum is where care is needed.
//!
//! `SUM` of a `decimal(p,s)` column is a `decimal(38,s)` in Athena (Trino) and Redshift, and the
//! query fails when the sum needs more than 38 digits. Up to precision 18 that cannot happen (a
//! value has at most 18 digits and a table fewer than 1.9 × 10^19 rows), so `SUM(c)` is exact. Wider
//! columns are summed in two halves of the unscaled value `u = hi × 10^19 + lo`, `|lo| < 10^19`:
//!
//! ```sql
//! SUM(MOD(c, A))                                                           -- Σ lo, scale s
//! SUM(CAST(CAST(c - MOD(c, A) AS DECIMAL(38, t)) * B AS DECIMAL(38, 0)))   -- Σ hi, an integer
//! ```
//!
//! with `A = 10^(19-s)` (the value of 10^19 units), `B = 1/A` and `t = max(s-19, 0)`. Each term has at
//! most 19 digits, so neither sum can overflow, every intermediate fits `DECIMAL(38)` (the cast to
//! scale `t` and the multiplication are exact: `c - MOD(c, A)` is a multiple of `A`), and the exact
//! sum is put together here: `Σhi × 10^19 + Σlo` units.

use profiler_crds::DecimalStats;
use profiler_engine::{DecimalError, ExactDecimal};

/// Widest precision whose plain `SUM` cannot overflow `DECIMAL(38)`.
const WHOLE_SUM_MAX_PRECISION: u8 = 18;

/// Unscaled digits in the low half of a split sum.
const SPLIT_DIGITS: u8 = 19;

/// Widest decimal both engines have.
const MAX_PRECISION: u8 = 38;

/// A column's declared `decimal(p,s)` / `numeric(p,s)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlDecimal {
    /// Precision.
    pub precision: u8,
    /// Scale (0 ≤ scale ≤ precision).
    pub scale: u8,
}

/// The SQL that sums a decimal column exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SumSql {
    /// One `SUM`, already exact.
    Whole(String),
    /// The low and high halves of the unscaled values (see the module documentation).
    Split {
        /// Σ lo, at the column's scale.
        low: String,
        /// Σ hi, an integer.
        high: String,
    },
}

/// `decimal(p,s)` or `numeric(p,s)` (any case, spaces allowed) with its precision and scale; `None`
/// for other types and for a bare `decimal`/`numeric`, whose scale the catalog does not say.
pub fn sql_decimal(data_type: &str) -> Option<SqlDecimal> {
    let t = data_type.trim().to_ascii_lowercase();
    let (base, rest) = t.split_once('(')?;
    if !matches!(base.trim(), "decimal" | "numeric") {
        return None;
    }
    let (p, s) = rest.strip_suffix(')')?.split_once(',')?;
    let (precision, scale) = (p.trim().parse::<u8>().ok()?, s.trim().parse::<u8>().ok()?);
    ((1..=MAX_PRECISION).contains(&precision) && scale <= precision).then_some(SqlDecimal { precision, scale })
}

/// `10^exponent` as a typed decimal literal both dialects read exactly (`exponent` may be negative).
fn power_of_ten(exponent: i32) -> String {
    let digits = exponent.unsigned_abs() as usize;
    if exponent >= 0 {
        format!("CAST('1{}' AS DECIMAL({}, 0))", "0".repeat(digits), digits + 1)
    } else {
        format!("CAST('0.{}1' AS DECIMAL({digits}, {digits}))", "0".repeat(digits - 1))
    }
}

impl SqlDecimal {
    fn scale(self) -> i8 {
        // scale ≤ precision ≤ 38.
        self.scale as i8
    }

    /// The SQL summing the quoted column `q` exactly.
    pub fn sum_sql(self, q: &str) -> SumSql {
        if self.precision <= WHOLE_SUM_MAX_PRECISION {
            return SumSql::Whole(format!("SUM({q})"));
        }
        let s = i32::from(self.scale);
        let split = i32::from(SPLIT_DIGITS);
        let a = power_of_ten(split - s);
        let b = power_of_ten(s - split);
        let t = (s - split).max(0);
        let low = format!("MOD({q}, {a})");
        SumSql::Split {
            high: format!("SUM(CAST(CAST({q} - {low} AS DECIMAL(38, {t})) * {b} AS DECIMAL(38, 0)))"),
            low: format!("SUM({low})"),
        }
    }

    /// The exact sum from the result of [`Self::sum_sql`]: the one sum, or the low and high halves
    /// (NULL, over no rows, is 0).
    pub fn sum(self, whole_or_low: Option<&str>, high: Option<&str>) -> Result<ExactDecimal, DecimalError> {
        let mut sum = ExactDecimal::parse(whole_or_low.unwrap_or("0"), self.scale())?;
        if let Some(high) = high {
            // Σhi × 10^19 units, as an integer at the column's scale.
            let units = ExactDecimal::parse(high, 0)?.render(-(SPLIT_DIGITS as i8));
            sum.add(ExactDecimal::parse(&units, 0)?);
        }
        Ok(sum)
    }

    /// A MIN or MAX result written at the column's scale.
    pub fn normalize(self, text: &str) -> Result<String, DecimalError> {
        profiler_engine::normalize_decimal(text, self.scale())
    }

    /// The profile's exact figures.
    pub fn stats(self, min: Option<String>, max: Option<String>, sum: ExactDecimal) -> DecimalStats {
        DecimalStats {
            precision: self.precision,
            scale: self.scale(),
            min,
            max,
            sum: sum.render(self.scale()),
            sum_exceeds_38_digits: sum.exceeds_38_digits(self.scale()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_precision_and_scale() {
        let d = |precision, scale| Some(SqlDecimal { precision, scale });
        assert_eq!(sql_decimal("decimal(18,2)"), d(18, 2));
        assert_eq!(sql_decimal("NUMERIC( 38 , 9 )"), d(38, 9));
        assert_eq!(sql_decimal("numeric(38,0)"), d(38, 0));
        for other in ["decimal", "numeric", "double", "decimal(39,0)", "decimal(5,6)", "decimal(0,0)", "decimal(10)"] {
            assert_eq!(sql_decimal(other), None, "{other}");
        }
    }

    #[test]
    fn narrow_columns_sum_whole_and_wide_ones_in_halves() {
        let narrow = SqlDecimal { precision: 18, scale: 2 };
        assert_eq!(narrow.sum_sql("\"a\""), SumSql::Whole("SUM(\"a\")".into()));
        let wide = SqlDecimal { precision: 38, scale: 9 };
        let SumSql::Split { low, high } = wide.sum_sql("\"a\"") else { panic!("split") };
        assert_eq!(low, "SUM(MOD(\"a\", CAST('10000000000' AS DECIMAL(11, 0))))");
        assert_eq!(
            high,
            "SUM(CAST(CAST(\"a\" - MOD(\"a\", CAST('10000000000' AS DECIMAL(11, 0))) AS DECIMAL(38, 0)) \
             * CAST('0.0000000001' AS DECIMAL(10, 10)) AS DECIMAL(38, 0)))"
        );
        let tiny = SqlDecimal { precision: 38, scale: 30 };
        let SumSql::Split { low, high } = tiny.sum_sql("x") else { panic!("split") };
        assert!(low.contains("MOD(x, CAST('0.00000000001' AS DECIMAL(11, 11)))"), "{low}");
        assert!(high.contains("AS DECIMAL(38, 11)) * CAST('100000000000' AS DECIMAL(12, 0))"), "{high}");
        let at19 = SqlDecimal { precision: 38, scale: 19 };
        let SumSql::Split { low, high } = at19.sum_sql("x") else { panic!("split") };
        assert!(low.contains("CAST('1' AS DECIMAL(1, 0))") && high.contains("* CAST('1' AS DECIMAL(1, 0))"));
    }

    #[test]
    fn halves_put_together_exactly() {
        let wide = SqlDecimal { precision: 38, scale: 0 };
        // 1,000 × (10^38 - 1): hi = 10^19 - 1 (and lo = 10^19 - 1) per row.
        let sum = wide.sum(Some("9999999999999999999000"), Some("9999999999999999999000")).unwrap();
        assert_eq!(sum.render(0), "99999999999999999999999999999999999999000");
        assert!(sum.exceeds_38_digits(0));
        let money = SqlDecimal { precision: 38, scale: 9 };
        // -99999999999999999999999999999.999999999 = hi -9999999999999999999, lo -.9999999999 (scale 9)
        let one = money.sum(Some("-9999999999.999999999"), Some("-9999999999999999999")).unwrap();
        assert_eq!(one.render(9), "-99999999999999999999999999999.999999999");
        assert_eq!(money.sum(None, None).unwrap().render(9), "0.000000000");
        assert!(money.sum(Some("1.0000000001"), None).is_err(), "beyond the scale");
        assert_eq!(money.normalize("12.5").unwrap(), "12.500000000");
    }
}
