//! The compactors: a level at its capacity is sorted, halved (every other value, from a random
//! offset) and merged into the level above, both while updating in place and when merging.

use super::{KllDoublesSketch, M, runs, splitmix64};

impl KllDoublesSketch {
    /// Frees space at the bottom of a full buffer by compacting the lowest level that reached its
    /// capacity, adding a level on top first if that level is the top one.
    #[cold]
    #[inline(never)]
    pub(super) fn compress_while_updating(&mut self) {
        let level = self.find_level_to_compact();
        if level + 1 == self.num_levels() {
            self.add_empty_top_level();
        }
        let raw_beg = self.levels[level] as usize;
        let raw_lim = self.levels[level + 1] as usize;
        let pop_above = self.levels[level + 2] as usize - raw_lim;
        let odd = (raw_lim - raw_beg) % 2;
        let adj_beg = raw_beg + odd;
        let adj_pop = raw_lim - adj_beg;
        let half = adj_pop / 2;
        if level == usize::from(self.sample_height) && !self.level_zero_sorted {
            runs::sort(&mut self.items[adj_beg..raw_lim], &mut self.scratch);
        }
        let bit = self.random_bit();
        if pop_above == 0 {
            halve_up(&mut self.items[adj_beg..raw_lim], bit);
        } else {
            halve_down(&mut self.items[adj_beg..raw_lim], bit);
            runs::merge_in_place(&mut self.items[adj_beg..raw_lim + pop_above], half, &mut self.scratch);
        }
        self.levels[level + 1] -= half as u32;
        // The odd item stays on this level, just below the level above.
        let new_beg = self.levels[level + 1] as usize - odd;
        if odd == 1 && new_beg != raw_beg {
            self.items[new_beg] = self.items[raw_beg];
        }
        self.levels[level] = new_beg as u32;
        // Shift the levels below up into the freed slots.
        if level > 0 {
            let low = self.levels[0] as usize;
            self.items.copy_within(low..raw_beg, low + half);
            for offset in &mut self.levels[..level] {
                *offset += half as u32;
            }
        }
    }

    fn find_level_to_compact(&self) -> usize {
        let num_levels = self.num_levels();
        (0..num_levels)
            .find(|&level| {
                self.levels[level + 1] - self.levels[level] >= self.capacity_by_depth[num_levels - level - 1]
            })
            .unwrap_or(num_levels - 1)
    }

    /// Grows the (full) buffer by the capacity of a new bottom level; the data moves up.
    fn add_empty_top_level(&mut self) {
        let delta = level_capacity(self.k, self.num_levels() + 1, 0);
        let old = self.items.len();
        self.items.resize(old + delta as usize, 0.0);
        self.items.copy_within(0..old, delta as usize);
        for offset in &mut self.levels {
            *offset += delta;
        }
        self.levels.push(self.items.len() as u32);
    }

    /// Appends the levels above zero of `other` to ours level by level, then compresses.
    pub(super) fn merge_higher_levels(&mut self, other: &Self) {
        let provisional = self.num_levels().max(other.num_levels());
        let mut work = Vec::with_capacity(self.items.len() - self.levels[0] as usize + other.items.len());
        let mut in_levels = Vec::with_capacity(provisional + 3);
        in_levels.push(0u32);
        work.extend_from_slice(self.level(0));
        in_levels.push(work.len() as u32);
        for level in 1..provisional {
            merge_sorted_into(self.level(level), other.level(level), &mut work);
            in_levels.push(work.len() as u32);
        }
        let (out_levels, capacity) =
            general_compress(self.k, &mut work, &mut in_levels, self.level_zero_sorted, &mut self.rng);
        let num_levels = out_levels.len() - 1;
        let pop = out_levels[num_levels] as usize;
        let free = capacity - pop;
        self.items.clear();
        self.items.resize(free, 0.0);
        self.items.extend_from_slice(&work[..pop]);
        self.levels.clear();
        self.levels.extend(out_levels.iter().map(|&offset| offset + free as u32));
    }
}

/// Capacity of `level` in a sketch of `num_levels` levels: about k·(2/3)^depth, at least m.
pub(super) fn level_capacity(k: u16, num_levels: usize, level: usize) -> u32 {
    u32::from(capacity_at_depth(k, num_levels - level - 1)).max(u32::from(M))
}

/// Buffer size of a sketch of `num_levels` levels.
pub(super) fn total_capacity(k: u16, num_levels: usize) -> u32 {
    (0..num_levels).map(|level| level_capacity(k, num_levels, level)).sum()
}

fn capacity_at_depth(k: u16, depth: usize) -> u16 {
    const SHALLOW: usize = 30;
    if depth <= SHALLOW {
        capacity_at_shallow_depth(k, depth)
    } else {
        capacity_at_shallow_depth(capacity_at_shallow_depth(k, depth / 2), depth - depth / 2)
    }
}

/// round(k · 2^depth / 3^depth) for depth <= 30.
fn capacity_at_shallow_depth(k: u16, depth: usize) -> u16 {
    let scaled = (u64::from(k) << (depth + 1)) / 3u64.pow(depth as u32);
    ((scaled + 1) >> 1) as u16
}

/// Keeps every other item of an even-length sorted run (starting at `offset`, 0 or 1) in its
/// upper half.
fn halve_up(run: &mut [f64], offset: usize) {
    let len = run.len();
    for t in 0..len / 2 {
        run[len - 1 - t] = run[len - 1 - offset - 2 * t];
    }
}

/// Keeps every other item of an even-length sorted run (starting at `offset`, 0 or 1) in its
/// lower half.
fn halve_down(run: &mut [f64], offset: usize) {
    for t in 0..run.len() / 2 {
        run[t] = run[offset + 2 * t];
    }
}

/// Appends the merge of two sorted runs to `out`.
fn merge_sorted_into(a: &[f64], b: &[f64], out: &mut Vec<f64>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// Compacts the levels `items[in_levels[i]..in_levels[i + 1]]` (level zero sorted or not, higher
/// levels sorted) until the sketch fits its capacity, as DataSketches' `general_compress` does:
/// a level is compacted when the sketch is over capacity and the level is at its own capacity;
/// compacting the top level adds a level. Results are packed from `items[0]`. Returns the new
/// level offsets (levels + 1 entries) and the capacity for that many levels.
fn general_compress(
    k: u16,
    items: &mut [f64],
    in_levels: &mut Vec<u32>,
    level_zero_sorted: bool,
    rng: &mut u64,
) -> (Vec<u32>, usize) {
    let mut num_levels = in_levels.len() - 1;
    let mut count = (in_levels[num_levels] - in_levels[0]) as usize;
    let mut target = total_capacity(k, num_levels) as usize;
    let mut out = vec![0u32];
    let mut scratch = Vec::new();
    let mut level = 0;
    loop {
        if level + 1 == num_levels {
            in_levels.truncate(level + 2);
            in_levels.push(in_levels[level + 1]);
        }
        let raw_beg = in_levels[level] as usize;
        let raw_lim = in_levels[level + 1] as usize;
        let raw_pop = raw_lim - raw_beg;
        let out_beg = out[level] as usize;
        if count < target || raw_pop < level_capacity(k, num_levels, level) as usize {
            items.copy_within(raw_beg..raw_lim, out_beg);
            out.push((out_beg + raw_pop) as u32);
        } else {
            let pop_above = in_levels[level + 2] as usize - raw_lim;
            let odd = raw_pop % 2;
            let adj_beg = raw_beg + odd;
            let half = (raw_lim - adj_beg) / 2;
            if odd == 1 {
                items[out_beg] = items[raw_beg];
            }
            out.push((out_beg + odd) as u32);
            if level == 0 && !level_zero_sorted {
                runs::sort(&mut items[adj_beg..raw_lim], &mut scratch);
            }
            let bit = (splitmix64(rng) & 1) as usize;
            if pop_above == 0 {
                halve_up(&mut items[adj_beg..raw_lim], bit);
            } else {
                halve_down(&mut items[adj_beg..raw_lim], bit);
                runs::merge_in_place(&mut items[adj_beg..raw_lim + pop_above], half, &mut scratch);
            }
            count -= half;
            in_levels[level + 1] -= half as u32;
            if level + 1 == num_levels {
                num_levels += 1;
                target += level_capacity(k, num_levels, 0) as usize;
            }
        }
        if level + 1 == num_levels {
            return (out, target);
        }
        level += 1;
    }
}
