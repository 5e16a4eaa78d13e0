//! Sorting and merging of short `f64` runs without data-dependent branches, for the KLL
//! compactors.
//!
//! A compactor sorts a few dozen values and merges the survivors into the level above, many
//! thousand times per million values. The values arrive in random order, so a comparison branch
//! mispredicts about every other time; here each comparison picks its value with a conditional
//! move instead. Values must not be NaN (the sketch never holds one); equal values may come out
//! in any order.

/// Sorts `run` ascending; `scratch` is working space, kept by the caller between calls.
pub fn sort(run: &mut [f64], scratch: &mut Vec<f64>) {
    // Columns often arrive in order (ids, event times); checking costs one comparison per value
    // of a sorted run and stops at the first descent of any other.
    if run.is_sorted_by(|a, b| a <= b) {
        return;
    }
    let len = run.len();
    for chunk in run.chunks_mut(4) {
        sort_short(chunk);
    }
    if len <= 4 {
        return;
    }
    scratch.clear();
    scratch.resize(len, 0.0);
    let mut sorted_in_run = true;
    let mut width = 4;
    while width < len {
        let (source, target): (&[f64], &mut [f64]) = if sorted_in_run { (run, scratch) } else { (scratch, run) };
        for start in (0..len).step_by(2 * width) {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            merge(&source[start..middle], &source[middle..end], &mut target[start..end]);
        }
        sorted_in_run = !sorted_in_run;
        width *= 2;
    }
    if !sorted_in_run {
        run.copy_from_slice(scratch);
    }
}

/// Merges the sorted runs `a` and `b` into `out` (exactly as long as both), from both ends at
/// once. Each step of a branch-free merge waits for the one before it (load, compare, advance);
/// the front and the back half depend on nothing of each other, so the processor runs them side
/// by side. The front takes the smallest half of the values and the back the largest rest. A run
/// used up reads as +inf at the front and -inf at the back; a value taken in its place then equals
/// the one the merge would take, so the values written are the merged ones.
fn merge(a: &[f64], b: &[f64], out: &mut [f64]) {
    let (mut i, mut j) = (0, 0);
    let (mut rest_a, mut rest_b) = (a.len(), b.len());
    let half = out.len() / 2;
    let (front, back) = out.split_at_mut(half);
    let mut back_step = |slot: &mut f64| {
        let x = a.get(rest_a.wrapping_sub(1)).copied().unwrap_or(f64::NEG_INFINITY);
        let y = b.get(rest_b.wrapping_sub(1)).copied().unwrap_or(f64::NEG_INFINITY);
        let take_a = x > y;
        *slot = if take_a { x } else { y };
        rest_a = rest_a.wrapping_sub(usize::from(take_a));
        rest_b = rest_b.wrapping_sub(usize::from(!take_a));
    };
    let (back_rest, back_paired) = back.split_at_mut(back.len() - half);
    for (slot, back_slot) in front.iter_mut().zip(back_paired.iter_mut().rev()) {
        let x = a.get(i).copied().unwrap_or(f64::INFINITY);
        let y = b.get(j).copied().unwrap_or(f64::INFINITY);
        let take_b = y < x;
        *slot = if take_b { y } else { x };
        i += usize::from(!take_b);
        j += usize::from(take_b);
        back_step(back_slot);
    }
    back_rest.iter_mut().rev().for_each(back_step);
}

/// Merges the sorted runs `buf[..len_a]` and `buf[2 * len_a..]` into `buf[len_a..]`, which is
/// exactly as long as the two runs together. The second run is copied into `scratch` first, so
/// that the merge can write from both ends.
pub fn merge_in_place(buf: &mut [f64], len_a: usize, scratch: &mut Vec<f64>) {
    scratch.clear();
    scratch.extend_from_slice(&buf[2 * len_a..]);
    let (a, out) = buf.split_at_mut(len_a);
    merge(a, scratch, out);
}

/// Sorts at most four values: a sorting network for four, insertion for fewer.
fn sort_short(chunk: &mut [f64]) {
    match chunk.len() {
        4 => {
            for (x, y) in [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)] {
                exchange(chunk, x, y);
            }
        }
        _ => {
            for end in 1..chunk.len() {
                for i in (0..end).rev() {
                    exchange(chunk, i, i + 1);
                }
            }
        }
    }
}

/// Puts the smaller of `v[x]` and `v[y]` at `x` and the larger at `y`.
#[inline(always)]
fn exchange(v: &mut [f64], x: usize, y: usize) {
    let (p, q) = (v[x], v[y]);
    v[x] = p.min(q);
    v[y] = p.max(q);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(len: usize, seed: u64, distinct: u64) -> Vec<f64> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((state >> 33) % distinct) as f64 - (distinct / 2) as f64
            })
            .collect()
    }

    #[test]
    fn sorts_every_length_and_shape() {
        let mut scratch = Vec::new();
        for len in 0..140 {
            for (seed, distinct) in [(1, 1 << 30), (2, 3), (3, 1)] {
                let mut run = values(len, seed + len as u64, distinct);
                let mut expected = run.clone();
                expected.sort_by(f64::total_cmp);
                sort(&mut run, &mut scratch);
                assert_eq!(run, expected, "len {len}, {distinct} distinct values");
            }
            let mut descending: Vec<f64> = (0..len).rev().map(|i| i as f64 * -0.5).collect();
            let mut expected = descending.clone();
            expected.sort_by(f64::total_cmp);
            sort(&mut descending, &mut scratch);
            assert_eq!(descending, expected);
        }
        let mut extremes = vec![f64::INFINITY, -0.0, f64::MIN, 1e-300, f64::NEG_INFINITY, f64::MAX];
        sort(&mut extremes, &mut scratch);
        assert_eq!(extremes, [f64::NEG_INFINITY, f64::MIN, -0.0, 1e-300, f64::MAX, f64::INFINITY]);
    }

    /// Every pair of sorted runs of up to four values from {-inf, -1, 0, 1, +inf}: the values
    /// that stand in for a used-up run equal the real ones at the ends.
    #[test]
    fn merges_runs_with_infinities_at_either_end() {
        let palette = [f64::NEG_INFINITY, -1.0, 0.0, 1.0, f64::INFINITY];
        let runs: Vec<Vec<f64>> = (0..=4u32)
            .flat_map(|len| {
                (0..5usize.pow(len)).map(move |code| {
                    let mut run: Vec<f64> = (0..len).map(|d| palette[code / 5usize.pow(d) % 5]).collect();
                    run.sort_by(f64::total_cmp);
                    run
                })
            })
            .collect();
        for a in runs.iter().step_by(3) {
            for b in &runs {
                let mut expected: Vec<f64> = a.iter().chain(b).copied().collect();
                expected.sort_by(f64::total_cmp);
                let mut out = vec![f64::NAN; a.len() + b.len()];
                merge(a, b, &mut out);
                assert_eq!(out, expected, "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn merges_in_place() {
        for (len_a, len_b) in [(0, 0), (0, 5), (1, 0), (1, 1), (4, 9), (9, 4), (17, 17)] {
            let mut a = values(len_a, 7, 50);
            let mut b = values(len_b, 8, 50);
            a.sort_by(f64::total_cmp);
            b.sort_by(f64::total_cmp);
            let mut buf = a.clone();
            buf.extend(std::iter::repeat_n(f64::NAN, len_a));
            buf.extend(&b);
            merge_in_place(&mut buf, len_a, &mut Vec::new());
            let mut expected: Vec<f64> = a.iter().chain(&b).copied().collect();
            expected.sort_by(f64::total_cmp);
            assert_eq!(buf[len_a..], expected[..], "runs of {len_a} and {len_b}");
        }
    }
}
