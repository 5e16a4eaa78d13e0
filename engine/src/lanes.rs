//! Reductions over slices of numbers in eight independent lanes. A single running sum or extreme is
//! one chain of dependent operations that the compiler may not reorder (floating-point addition
//! is not associative), so each value waits for the one before it; eight lanes keep eight chains
//! in flight and let the compiler use vector instructions.

/// Independent partial results per reduction.
const LANES: usize = 8;

/// Sum of `values` (lane by lane, then the lanes pairwise).
pub fn sum(values: &[f64]) -> f64 {
    sum_of(values, |x| x)
}

/// Sum of the squared distances of `values` from `center`.
pub fn sum_of_squares_about(values: &[f64], center: f64) -> f64 {
    sum_of(values, |x| (x - center) * (x - center))
}

#[inline(always)]
fn sum_of(values: &[f64], term: impl Fn(f64) -> f64) -> f64 {
    let mut lanes = [0.0; LANES];
    let chunks = values.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += term(x);
        }
    }
    for (lane, &x) in lanes.iter_mut().zip(rest) {
        *lane += term(x);
    }
    let [a, b, c, d, e, f, g, h] = lanes;
    ((a + b) + (c + d)) + ((e + f) + (g + h))
}

/// The smallest and the largest of `min`, `max` and `values` (floats among them must not be
/// NaN). Of equal values (`-0.0` and `0.0`), either may be returned.
pub fn extremes<T: Copy + PartialOrd>(values: &[T], min: T, max: T) -> (T, T) {
    let (mut low, mut high) = ([min; LANES], [max; LANES]);
    let chunks = values.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for ((lo, hi), &x) in low.iter_mut().zip(high.iter_mut()).zip(chunk) {
            *lo = if x < *lo { x } else { *lo };
            *hi = if x > *hi { x } else { *hi };
        }
    }
    for ((lo, hi), &x) in low.iter_mut().zip(high.iter_mut()).zip(rest) {
        *lo = if x < *lo { x } else { *lo };
        *hi = if x > *hi { x } else { *hi };
    }
    let lowest = low.into_iter().fold(min, |m, x| if x < m { x } else { m });
    let highest = high.into_iter().fold(max, |m, x| if x > m { x } else { m });
    (lowest, highest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reductions_match_plain_loops() {
        for len in 0..40 {
            let values: Vec<f64> = (0..len).map(|i| ((i * 37 % 23) as f64 - 11.0) * 0.5).collect();
            assert_eq!(sum(&values), values.iter().sum::<f64>(), "len {len}");
            let squares: f64 = values.iter().map(|x| (x - 1.5) * (x - 1.5)).sum();
            assert_eq!(sum_of_squares_about(&values, 1.5), squares, "len {len}");
            let min = values.iter().copied().fold(100.0, f64::min);
            let max = values.iter().copied().fold(-100.0, f64::max);
            assert_eq!(extremes(&values, 100.0, -100.0), (min, max), "len {len}");
        }
        assert_eq!(extremes(&[], f64::INFINITY, f64::NEG_INFINITY), (f64::INFINITY, f64::NEG_INFINITY));
        assert_eq!(extremes(&[f64::NEG_INFINITY, 3.0], 0.0, 0.0), (f64::NEG_INFINITY, 3.0));
        let ints: Vec<i64> = (0..21).map(|i| (i * 7919 % 31) - 15).chain([i64::MIN, i64::MAX]).collect();
        assert_eq!(extremes(&ints, 0, 0), (i64::MIN, i64::MAX));
        assert_eq!(extremes(&ints[..21], 3, 3), (-15, 15));
    }

    #[test]
    fn long_sums_lose_less_than_a_running_sum() {
        let values = vec![0.1; 1_000_000];
        let exact = 100_000.0;
        let running: f64 = values.iter().sum();
        assert!((sum(&values) - exact).abs() <= (running - exact).abs());
        assert!((sum(&values) - exact).abs() < 1e-6);
    }
}
