//! The compact DataSketches KLL double image, read and written byte for byte as the C++ and Java
//! libraries (and the `datasketches` crate) do.

use super::{KllDoublesSketch, M, MAX_LEVELS, MIN_K, total_capacity};
use crate::error::EngineError;

/// DataSketches family id of KLL.
const FAMILY_KLL: u8 = 15;
const SERIAL_VERSION_EMPTY_FULL: u8 = 1;
const SERIAL_VERSION_SINGLE: u8 = 2;
const PREAMBLE_INTS_SHORT: u8 = 2;
const PREAMBLE_INTS_FULL: u8 = 5;
const FLAG_EMPTY: u8 = 1;
const FLAG_LEVEL_ZERO_SORTED: u8 = 2;
const FLAG_SINGLE_ITEM: u8 = 4;
/// Bytes before the level offsets of a full image.
pub(super) const DATA_START: usize = 20;

impl KllDoublesSketch {
    /// The compact DataSketches KLL double image (little-endian).
    pub fn serialize(&self) -> Vec<u8> {
        let this = self.standard();
        let this = &*this;
        let sorted = if this.level_zero_sorted { FLAG_LEVEL_ZERO_SORTED } else { 0 };
        let [k0, k1] = this.k.to_le_bytes();
        let header = |preamble_ints, version, flags| [preamble_ints, version, FAMILY_KLL, flags, k0, k1, M, 0];
        if this.n == 0 {
            return header(PREAMBLE_INTS_SHORT, SERIAL_VERSION_EMPTY_FULL, FLAG_EMPTY | sorted).to_vec();
        }
        let retained = &this.items[this.levels[0] as usize..];
        if this.n == 1 {
            let mut out = header(PREAMBLE_INTS_SHORT, SERIAL_VERSION_SINGLE, FLAG_SINGLE_ITEM | sorted).to_vec();
            out.extend_from_slice(&retained[0].to_le_bytes());
            return out;
        }
        let num_levels = this.num_levels();
        let mut out = Vec::with_capacity(DATA_START + 4 * num_levels + 8 * (2 + retained.len()));
        out.extend_from_slice(&header(PREAMBLE_INTS_FULL, SERIAL_VERSION_EMPTY_FULL, sorted));
        out.extend_from_slice(&this.n.to_le_bytes());
        out.extend_from_slice(&this.min_k.to_le_bytes());
        out.extend_from_slice(&[num_levels as u8, 0]);
        for offset in &this.levels[..num_levels] {
            out.extend_from_slice(&offset.to_le_bytes());
        }
        for value in [this.min, this.max].iter().chain(retained) {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out
    }

    /// Reads a compact DataSketches KLL double image (ours, the `datasketches` crate's, or the
    /// C++/Java libraries'); `column` names the column in the error.
    pub fn deserialize(column: &str, bytes: &[u8]) -> Result<Self, EngineError> {
        Self::parse(bytes).map_err(|reason| EngineError::BadSketch { column: column.to_owned(), sketch: "kll", reason })
    }

    fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut input = Reader(bytes);
        let [preamble_ints, version, family, flags] = input.array("preamble")?;
        let k = u16::from_le_bytes(input.array("k")?);
        let [m, _] = input.array("m")?;
        if family != FAMILY_KLL {
            return Err(format!("not a KLL image (family {family})"));
        }
        if m != M {
            return Err(format!("invalid m: expected {M}, got {m}"));
        }
        if k < MIN_K {
            return Err(format!("k must be at least {MIN_K}, got {k}"));
        }
        let (empty, single) = (flags & FLAG_EMPTY != 0, flags & FLAG_SINGLE_ITEM != 0);
        let expected = match (empty, single) {
            (true, true) => return Err("empty and single-item flags both set".into()),
            (false, true) => (PREAMBLE_INTS_SHORT, SERIAL_VERSION_SINGLE),
            (true, false) => (PREAMBLE_INTS_SHORT, SERIAL_VERSION_EMPTY_FULL),
            (false, false) => (PREAMBLE_INTS_FULL, SERIAL_VERSION_EMPTY_FULL),
        };
        if (preamble_ints, version) != expected {
            return Err(format!(
                "preamble ints {preamble_ints} / serial version {version}, expected {} / {}",
                expected.0, expected.1
            ));
        }
        let mut sketch = Self::empty(k);
        sketch.level_zero_sorted = flags & FLAG_LEVEL_ZERO_SORTED != 0;
        if empty {
            return input.end().map(|()| sketch);
        }
        if single {
            let value = input.value()?;
            input.end()?;
            sketch.update(value);
            sketch.level_zero_sorted = flags & FLAG_LEVEL_ZERO_SORTED != 0;
            return Ok(sketch);
        }
        let n = u64::from_le_bytes(input.array("n")?);
        let min_k = u16::from_le_bytes(input.array("min_k")?);
        let [num_levels, _] = input.array("num_levels")?;
        let num_levels = usize::from(num_levels);
        if n < 2 {
            return Err(format!("full image with n = {n}"));
        }
        if !(MIN_K..=k).contains(&min_k) {
            return Err(format!("min_k must be in [{MIN_K}, {k}], got {min_k}"));
        }
        if !(1..=MAX_LEVELS).contains(&num_levels) {
            return Err(format!("num_levels must be in [1, {MAX_LEVELS}], got {num_levels}"));
        }
        let capacity = total_capacity(k, num_levels);
        let mut levels = Vec::with_capacity(num_levels + 1);
        for _ in 0..num_levels {
            levels.push(u32::from_le_bytes(input.array("level offsets")?));
        }
        levels.push(capacity);
        if levels.windows(2).any(|w| w[0] > w[1]) {
            return Err(format!("level offsets {levels:?} are not nondecreasing up to capacity {capacity}"));
        }
        let (min, max) = (input.value()?, input.value()?);
        let start = levels[0] as usize;
        let retained = capacity as usize - start;
        if input.0.len() != 8 * retained {
            return Err(format!("expected {} bytes of items, found {}", 8 * retained, input.0.len()));
        }
        let mut items = vec![0.0; capacity as usize];
        for slot in &mut items[start..] {
            *slot = input.value()?;
        }
        sketch.min_k = min_k;
        sketch.n = n;
        sketch.levels = levels;
        sketch.items = items;
        sketch.min = min;
        sketch.max = max;
        sketch.check_levels()?;
        Ok(sketch)
    }

    /// Checks a read image: min <= max, levels sorted (level zero if flagged), retained values
    /// within [min, max], and level weights adding up to n.
    pub(super) fn check_levels(&self) -> Result<(), String> {
        if self.n > 0 && self.min > self.max {
            return Err(format!("minimum {} is greater than maximum {}", self.min, self.max));
        }
        let mut weight = 0u64;
        for level in 0..self.num_levels() {
            let items = self.level(level);
            if (level > 0 || self.level_zero_sorted) && items.windows(2).any(|w| w[0] > w[1]) {
                return Err(format!("level {level} is not sorted"));
            }
            if items.iter().any(|&v| v < self.min || v > self.max) {
                return Err(format!("level {level} holds a value outside [minimum, maximum]"));
            }
            weight = (items.len() as u64)
                .checked_mul(1u64 << level)
                .and_then(|w| weight.checked_add(w))
                .ok_or_else(|| format!("level weights overflow at level {level}"))?;
        }
        if weight != self.n {
            return Err(format!("level weights add up to {weight}, but n is {}", self.n));
        }
        Ok(())
    }
}

/// A little-endian cursor over an image.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let (head, rest) = self.0.split_first_chunk::<N>().ok_or_else(|| format!("image ends before its {what}"))?;
        self.0 = rest;
        Ok(*head)
    }

    fn value(&mut self) -> Result<f64, String> {
        let value = f64::from_le_bytes(self.array("values")?);
        if value.is_nan() { Err("image holds a NaN".into()) } else { Ok(value) }
    }

    fn end(&self) -> Result<(), String> {
        match self.0.len() {
            0 => Ok(()),
            extra => Err(format!("{extra} bytes after the end of the image")),
        }
    }
}
