//! Exact figures of decimal columns. A decimal value is its unscaled integer at the column's scale
//! (`12.34` at scale 2 is 1234); minimum and maximum are kept as `i256` and the sum as a 320-bit
//! integer ([`ExactDecimal`]), so neither rounds nor wraps. The text is written at the column's
//! scale: `1234` at scale 2 is `12.34`, at scale -2 it is `123400`.

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type, DecimalType};
use arrow_buffer::i256;
use arrow_schema::DataType;
use profiler_crds::DecimalStats;

use super::numeric::valid_runs;
use crate::lanes;

/// Digits of the widest decimal a SQL engine stores (`DECIMAL(38, s)`).
const DECIMAL38_DIGITS: usize = 38;

/// Decimal digits per chunk when a 320-bit integer is written as text.
const CHUNK: u128 = 10_000_000_000_000_000_000;

/// Why a decimal text cannot be read at a scale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// Not a plain decimal number (`[+-]digits[.digits]`).
    #[error("{0:?} is not a decimal number")]
    NotDecimal(String),
    /// The value has non-zero digits the scale cannot hold.
    #[error("{text:?} has digits that scale {scale} cannot hold")]
    BeyondScale {
        /// The text.
        text: String,
        /// The scale it was read at.
        scale: i8,
    },
    /// Larger than the 320 bits of an exact sum.
    #[error("{0:?} is too large for an exact decimal (320 bits)")]
    TooLarge(String),
    /// A bound outside the range of the column's Arrow type.
    #[error("{text:?} is out of range for {data_type}")]
    OutOfRange {
        /// The text.
        text: String,
        /// The column's type.
        data_type: DataType,
    },
    /// Figures whose precision and scale are not the column's type's.
    #[error("decimal figures at precision {precision} and scale {scale} do not match the type {data_type}")]
    TypeMismatch {
        /// Precision of the figures.
        precision: u8,
        /// Scale of the figures.
        scale: i8,
        /// The column's type.
        data_type: DataType,
    },
}

/// An exact decimal's unscaled integer, up to 320 bits signed: an `i256` that wraps plus the count
/// of its wraps (`value = wraps × 2^256 + low`). Sums of any number of `Decimal256` values fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExactDecimal {
    low: i256,
    wraps: i64,
}

impl From<i256> for ExactDecimal {
    fn from(low: i256) -> Self {
        Self { low, wraps: 0 }
    }
}

impl From<i128> for ExactDecimal {
    fn from(v: i128) -> Self {
        Self::from(i256::from_i128(v))
    }
}

impl ExactDecimal {
    /// Adds an unscaled value.
    #[inline]
    pub fn add_i256(&mut self, v: i256) {
        let sum = self.low.wrapping_add(v);
        if v.is_negative() {
            self.wraps -= i64::from(sum > self.low);
        } else {
            self.wraps += i64::from(sum < self.low);
        }
        self.low = sum;
    }

    /// Adds another exact decimal (of the same scale).
    pub fn add(&mut self, other: ExactDecimal) {
        self.add_i256(other.low);
        self.wraps += other.wraps;
    }

    /// The value as an `i256`, when it fits.
    pub fn to_i256(self) -> Option<i256> {
        (self.wraps == 0).then_some(self.low)
    }

    /// The value as 320-bit two's complement, least significant limb first.
    fn limbs(self) -> [u64; 5] {
        let bytes = self.low.to_le_bytes();
        let mut limbs = [0u64; 5];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(word);
        }
        let extension = if self.low.is_negative() { u64::MAX } else { 0 };
        limbs[4] = (self.wraps as u64).wrapping_add(extension);
        limbs
    }

    fn from_limbs(limbs: [u64; 5]) -> Self {
        let mut bytes = [0u8; 32];
        for (chunk, limb) in bytes.chunks_exact_mut(8).zip(&limbs[..4]) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        let low = i256::from_le_bytes(bytes);
        let wraps = (limbs[4] as i64).wrapping_add(i64::from(low.is_negative()));
        Self { low, wraps }
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.limbs()[4] >> 63 == 1
    }

    /// The decimal digits of the absolute value (`0` for zero).
    fn magnitude_digits(self) -> String {
        let mut limbs = self.limbs();
        if self.is_negative() {
            negate(&mut limbs);
        }
        let mut chunks = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut rem: u128 = 0;
            for limb in limbs.iter_mut().rev() {
                let current = (rem << 64) | u128::from(*limb);
                *limb = (current / CHUNK) as u64;
                rem = current % CHUNK;
            }
            chunks.push(rem);
        }
        let mut chunks = chunks.into_iter().rev();
        let mut text = chunks.next().map_or_else(|| "0".to_owned(), |c| c.to_string());
        for c in chunks {
            text.push_str(&format!("{c:019}"));
        }
        text
    }

    /// Digits a DECIMAL column needs to hold the value at `scale` (its precision; 1 for zero).
    pub fn digits(self, scale: i8) -> usize {
        let digits = self.magnitude_digits();
        let shift = if scale < 0 { usize::from(scale.unsigned_abs()) } else { 0 };
        if digits == "0" { 1 } else { digits.len() + shift }
    }

    /// Whether the value at `scale` needs more than 38 digits (the widest DECIMAL of most engines).
    pub fn exceeds_38_digits(self, scale: i8) -> bool {
        self.digits(scale) > DECIMAL38_DIGITS
    }

    /// The value as decimal text at `scale`: `-12.34`, `0.05`, `123400` (scale -2).
    pub fn render(self, scale: i8) -> String {
        let mut digits = self.magnitude_digits();
        let zero = digits == "0";
        if scale > 0 {
            let scale = usize::from(scale.unsigned_abs());
            if digits.len() <= scale {
                digits = format!("{}{digits}", "0".repeat(scale + 1 - digits.len()));
            }
            digits.insert(digits.len() - scale, '.');
        } else if scale < 0 && !zero {
            digits.push_str(&"0".repeat(usize::from(scale.unsigned_abs())));
        }
        if self.is_negative() { format!("-{digits}") } else { digits }
    }

    /// Reads decimal text (`[+-]digits[.digits][e[+-]digits]`) as an unscaled integer at
    /// `scale`. Digits beyond the scale must be zeros: `1.50` reads at scale 1, `1.55` does not.
    pub fn parse(text: &str, scale: i8) -> Result<Self, DecimalError> {
        let not_decimal = || DecimalError::NotDecimal(text.to_owned());
        let t = text.trim();
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exponent) = match t.split_once(['e', 'E']) {
            Some((m, e)) => (m, e.parse::<i32>().map_err(|_| not_decimal())?),
            None => (t, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) || frac.len() > 1000 {
            return Err(not_decimal());
        }
        // value = digits × 10^shift units of 10^-scale.
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        let shift = i64::from(exponent) - frac.len() as i64 + i64::from(scale);
        let mut unscaled = digits.to_owned();
        if shift >= 0 {
            if !digits.is_empty() {
                if shift > 100 {
                    return Err(DecimalError::TooLarge(text.to_owned()));
                }
                unscaled.push_str(&"0".repeat(shift as usize));
            }
        } else {
            let cut = usize::try_from(-shift).unwrap_or(usize::MAX).min(digits.len());
            let (kept, dropped) = digits.split_at(digits.len() - cut);
            if dropped.bytes().any(|b| b != b'0') {
                return Err(DecimalError::BeyondScale { text: text.to_owned(), scale });
            }
            unscaled = kept.to_owned();
        }
        let mut limbs = [0u64; 5];
        for digit in unscaled.bytes() {
            let mut carry = u128::from(digit - b'0');
            for limb in limbs.iter_mut() {
                let current = u128::from(*limb) * 10 + carry;
                *limb = current as u64;
                carry = current >> 64;
            }
            if carry != 0 || limbs[4] >> 63 == 1 {
                return Err(DecimalError::TooLarge(text.to_owned()));
            }
        }
        if negative {
            negate(&mut limbs);
        }
        Ok(Self::from_limbs(limbs))
    }
}

/// Two's complement negation of a 320-bit integer in place.
fn negate(limbs: &mut [u64; 5]) {
    let mut carry = true;
    for limb in limbs.iter_mut() {
        let (v, c) = (!*limb).overflowing_add(u64::from(carry));
        *limb = v;
        carry = c;
    }
}

/// Native values of the decimal array types, with a sum over a run that cannot overflow.
pub trait Unscaled: Copy + PartialOrd {
    /// The value as an `i256`.
    fn wide(self) -> i256;
    /// The exact sum of `run`.
    fn run_sum(run: &[Self]) -> ExactDecimal;
}

impl Unscaled for i32 {
    fn wide(self) -> i256 {
        i256::from(self)
    }
    fn run_sum(run: &[Self]) -> ExactDecimal {
        // An i64 holds the sum of 2^30 values of i32 without overflow.
        let sum: i128 = run.chunks(1 << 30).map(|c| i128::from(c.iter().map(|&v| i64::from(v)).sum::<i64>())).sum();
        ExactDecimal::from(i256::from_i128(sum))
    }
}

impl Unscaled for i64 {
    fn wide(self) -> i256 {
        i256::from(self)
    }
    fn run_sum(run: &[Self]) -> ExactDecimal {
        // |sum| < 2^63 × len < 2^127.
        ExactDecimal::from(i256::from_i128(run.iter().map(|&v| i128::from(v)).sum::<i128>()))
    }
}

impl Unscaled for i128 {
    fn wide(self) -> i256 {
        i256::from_i128(self)
    }
    fn run_sum(run: &[Self]) -> ExactDecimal {
        let (mut sum, mut wraps) = (0i128, 0i128);
        for &v in run {
            let (s, overflow) = sum.overflowing_add(v);
            wraps += if overflow { if v < 0 { -1 } else { 1 } } else { 0 };
            sum = s;
        }
        // value = wraps × 2^128 + sum, and |wraps| ≤ len < 2^64.
        let mut exact = ExactDecimal::from(i256::from_i128(sum));
        exact.add_i256(i256::from_parts(0, wraps));
        exact
    }
}

impl Unscaled for i256 {
    fn wide(self) -> i256 {
        self
    }
    fn run_sum(run: &[Self]) -> ExactDecimal {
        let mut exact = ExactDecimal::default();
        for &v in run {
            exact.add_i256(v);
        }
        exact
    }
}

/// Exact minimum, maximum and sum of one decimal column.
#[derive(Debug, Clone, PartialEq)]
pub struct DecimalState {
    precision: u8,
    scale: i8,
    min: Option<i256>,
    max: Option<i256>,
    sum: ExactDecimal,
}

impl DecimalState {
    /// An empty state for `data_type`, or `None` when it is not a decimal type.
    pub fn new(data_type: &DataType) -> Option<Self> {
        let (precision, scale) = match data_type {
            DataType::Decimal32(p, s)
            | DataType::Decimal64(p, s)
            | DataType::Decimal128(p, s)
            | DataType::Decimal256(p, s) => (*p, *s),
            _ => return None,
        };
        Some(Self { precision, scale, min: None, max: None, sum: ExactDecimal::default() })
    }

    /// Adds the valid values of one array of the column's type.
    pub fn update(&mut self, array: &dyn Array) {
        match array.data_type() {
            DataType::Decimal32(..) => self.observe::<Decimal32Type>(array),
            DataType::Decimal64(..) => self.observe::<Decimal64Type>(array),
            DataType::Decimal128(..) => self.observe::<Decimal128Type>(array),
            DataType::Decimal256(..) => self.observe::<Decimal256Type>(array),
            _ => {}
        }
    }

    fn observe<T: DecimalType>(&mut self, array: &dyn Array)
    where
        T::Native: Unscaled,
    {
        for run in valid_runs(array.as_primitive::<T>()) {
            if let Some(&first) = run.first() {
                let (lo, hi) = lanes::extremes(run, first, first);
                let (lo, hi) = (lo.wide(), hi.wide());
                self.min = Some(self.min.map_or(lo, |m| m.min(lo)));
                self.max = Some(self.max.map_or(hi, |m| m.max(hi)));
                self.sum.add(T::Native::run_sum(run));
            }
        }
    }

    /// Folds `other` (same column) into `self`.
    pub fn merge(&mut self, other: &Self) {
        self.min = [self.min, other.min].into_iter().flatten().min();
        self.max = [self.max, other.max].into_iter().flatten().max();
        self.sum.add(other.sum);
    }

    /// Exact smallest value as text.
    pub fn min_text(&self) -> Option<String> {
        self.min.map(|v| ExactDecimal::from(v).render(self.scale))
    }

    /// Exact largest value as text.
    pub fn max_text(&self) -> Option<String> {
        self.max.map(|v| ExactDecimal::from(v).render(self.scale))
    }

    /// The figures of the profile document.
    pub fn stats(&self) -> DecimalStats {
        DecimalStats {
            precision: self.precision,
            scale: self.scale,
            min: self.min_text(),
            max: self.max_text(),
            sum: self.sum.render(self.scale),
            sum_exceeds_38_digits: self.sum.exceeds_38_digits(self.scale),
        }
    }

    /// Rebuilds the state of a column of `data_type` from the figures [`Self::stats`] wrote.
    pub fn restore(data_type: &DataType, stats: &DecimalStats) -> Result<Self, DecimalError> {
        let mismatch = || DecimalError::TypeMismatch {
            precision: stats.precision,
            scale: stats.scale,
            data_type: data_type.clone(),
        };
        let mut state = Self::new(data_type).ok_or_else(mismatch)?;
        if (stats.precision, stats.scale) != (state.precision, state.scale) {
            return Err(mismatch());
        }
        let bound = |text: &Option<String>| -> Result<Option<i256>, DecimalError> {
            text.as_deref()
                .map(|t| {
                    ExactDecimal::parse(t, state.scale)?
                        .to_i256()
                        .ok_or_else(|| DecimalError::OutOfRange { text: t.to_owned(), data_type: data_type.clone() })
                })
                .transpose()
        };
        state.min = bound(&stats.min)?;
        state.max = bound(&stats.max)?;
        state.sum = ExactDecimal::parse(&stats.sum, state.scale)?;
        Ok(state)
    }
}

/// Reads decimal text at `scale` and writes it back in the canonical form of [`ExactDecimal::render`]
/// (`"12.5"` at scale 2 is `"12.50"`).
pub fn normalize(text: &str, scale: i8) -> Result<String, DecimalError> {
    ExactDecimal::parse(text, scale).map(|d| d.render(scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, scale: i8) {
        assert_eq!(ExactDecimal::parse(text, scale).unwrap().render(scale), text, "scale {scale}");
    }

    #[test]
    fn text_round_trips_at_every_scale() {
        for (t, s) in [
            ("0", 0),
            ("0.00", 2),
            ("-0.05", 2),
            ("9999999999999999.99", 2),
            ("-99999999999999999999999999999.999999999", 9),
            ("99999999999999999999999999999999999999", 0),
            ("-99999999999999999999999999999999999999", 0),
            ("123400", -2),
            ("-100", -2),
            ("0", -3),
            ("0.0000000000000000000000000000000000001", 37),
        ] {
            round_trip(t, s);
        }
        let max256 = i256::MAX.to_string();
        round_trip(&max256, 0);
        round_trip(&i256::MIN.to_string(), 0);
    }

    #[test]
    fn parse_normalizes_and_refuses_what_the_scale_cannot_hold() {
        assert_eq!(normalize("12.5", 2).unwrap(), "12.50");
        assert_eq!(normalize("+12.500", 2).unwrap(), "12.50");
        assert_eq!(normalize("-.5", 1).unwrap(), "-0.5");
        assert_eq!(normalize("-0.00", 2).unwrap(), "0.00");
        assert_eq!(normalize("7", 3).unwrap(), "7.000");
        assert_eq!(normalize("12300.0", -2).unwrap(), "12300");
        assert!(matches!(normalize("1.55", 1), Err(DecimalError::BeyondScale { .. })));
        assert!(matches!(normalize("12345", -2), Err(DecimalError::BeyondScale { .. })));
        assert_eq!(normalize("1.1E-8", 9).unwrap(), "0.000000011");
        assert_eq!(normalize("1e5", 0).unwrap(), "100000");
        assert_eq!(normalize("-2.5e+3", -2).unwrap(), "-2500");
        assert_eq!(normalize("000123.4500", 2).unwrap(), "123.45");
        assert!(matches!(normalize("1.1E-8", 8), Err(DecimalError::BeyondScale { .. })));
        assert!(matches!(normalize("1e", 0), Err(DecimalError::NotDecimal(_))));
        assert!(matches!(normalize("1.2.3", 0), Err(DecimalError::NotDecimal(_))));
        assert!(matches!(normalize("1e999999", 0), Err(DecimalError::TooLarge(_))));
        assert_eq!(normalize("0e999999", 0).unwrap(), "0");
        assert!(matches!(normalize("", 0), Err(DecimalError::NotDecimal(_))));
        assert!(matches!(normalize("-", 0), Err(DecimalError::NotDecimal(_))));
        assert!(matches!(normalize(&"9".repeat(100), 0), Err(DecimalError::TooLarge(_))));
    }

    #[test]
    fn sums_carry_past_256_bits_and_back() {
        let mut sum = ExactDecimal::default();
        for _ in 0..3 {
            sum.add_i256(i256::MAX);
        }
        // 3 × (2^255 - 1), written and read back.
        let text = sum.render(0);
        assert_eq!(text, "173688133855974293135356477513031861779904976998460846059186376011869694459901");
        assert_eq!(ExactDecimal::parse(&text, 0).unwrap(), sum);
        assert!(sum.to_i256().is_none());
        for _ in 0..3 {
            sum.add_i256(i256::MIN);
        }
        assert_eq!(sum.render(0), "-3");
        assert_eq!(sum.to_i256(), Some(i256::from(-3)));
        let mut negative = ExactDecimal::default();
        for _ in 0..5 {
            negative.add_i256(i256::MIN);
        }
        assert_eq!(
            negative.render(0),
            "-289480223093290488558927462521719769633174961664101410098643960019782824099840"
        );
        assert_eq!(ExactDecimal::parse(&negative.render(0), 0).unwrap(), negative);
        assert!(negative.is_negative());
    }

    #[test]
    fn run_sums_of_i128_count_their_wraps() {
        let run = vec![i128::MAX; 5];
        let sum = i128::run_sum(&run);
        let expected = i256::from_i128(i128::MAX).wrapping_mul(i256::from(5));
        assert_eq!(sum.to_i256(), Some(expected));
        let run = vec![i128::MIN, i128::MIN, 3, i128::MAX];
        let expected = i256::from_i128(i128::MIN)
            .wrapping_mul(i256::from(2))
            .wrapping_add(i256::from(3))
            .wrapping_add(i256::from_i128(i128::MAX));
        assert_eq!(i128::run_sum(&run).to_i256(), Some(expected));
    }

    #[test]
    fn digits_count_the_precision_needed() {
        let d = |t: &str, s: i8| ExactDecimal::parse(t, s).unwrap().digits(s);
        assert_eq!(d("0.05", 2), 1);
        assert_eq!(d("-12.34", 2), 4);
        assert_eq!(d("12300", -2), 5);
        assert_eq!(d(&"9".repeat(39), 0), 39);
        assert!(ExactDecimal::parse(&"9".repeat(39), 0).unwrap().exceeds_38_digits(0));
        assert!(!ExactDecimal::parse(&"9".repeat(38), 0).unwrap().exceeds_38_digits(0));
    }
}
