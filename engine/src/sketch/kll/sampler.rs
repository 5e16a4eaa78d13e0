//! The bottom sampler of a long stream: each block of `2^h` values enters level `h` as one of
//! them, drawn uniformly, with weight `2^h` (the module above documents the error it adds).

use std::borrow::Cow;

use super::{KllDoublesSketch, M, runs, splitmix64};

/// Highest the bottom sampler goes (blocks of 4,096 values).
pub(super) const MAX_SAMPLE_HEIGHT: u8 = 12;

impl KllDoublesSketch {
    /// Enters one value of the full block at the bottom level, unless making room raised the
    /// sampler (the block then goes on filling).
    pub(super) fn end_block(&mut self) {
        if self.levels[0] == 0 {
            self.compress_while_updating();
            self.raise_sample_height();
            if self.block.len() < 1 << self.sample_height {
                return;
            }
        }
        let weight = self.block.len();
        let value = self.block[splitmix64(&mut self.rng) as usize & (weight - 1)];
        self.block.clear();
        self.put_bottom(value, weight);
    }

    /// Writes the value drawn from a block of `weight` (`2^sample_height`) values into the free
    /// slot below the bottom level.
    pub(super) fn put_bottom(&mut self, value: f64, weight: usize) {
        let slot = self.levels[0] - 1;
        self.levels[..=usize::from(self.sample_height)].fill(slot);
        self.items[slot as usize] = value;
        self.n += weight as u64;
        self.level_zero_sorted = false;
    }

    /// Raises the sampler by one level while the bottom level is empty, up to
    /// [`max_sample_height`].
    pub(super) fn raise_sample_height(&mut self) {
        let limit = max_sample_height(&self.capacity_by_depth[..self.num_levels()]);
        while self.sample_height < limit {
            let bottom = usize::from(self.sample_height);
            if self.levels[bottom] != self.levels[bottom + 1] {
                break;
            }
            self.sample_height += 1;
            // The new bottom was a level above the old one, so it is sorted.
            self.level_zero_sorted = true;
        }
    }

    /// Turns a sampling sketch back into a standard one: the bottom level is sorted, and the
    /// incomplete block's values enter level zero one by one.
    pub(super) fn stop_sampling(&mut self) {
        if self.sample_height > 0 {
            if !self.level_zero_sorted {
                let bottom = usize::from(self.sample_height);
                let (beg, end) = (self.levels[bottom] as usize, self.levels[bottom + 1] as usize);
                runs::sort(&mut self.items[beg..end], &mut self.scratch);
            }
            self.sample_height = 0;
            self.level_zero_sorted = true;
        }
        for value in std::mem::take(&mut self.block) {
            self.push(value);
        }
    }

    /// This sketch as a standard one (see [`Self::stop_sampling`]), copied only if it samples.
    pub(super) fn standard(&self) -> Cow<'_, Self> {
        if self.sample_height == 0 && self.block.is_empty() {
            Cow::Borrowed(self)
        } else {
            let mut copy = self.clone();
            copy.stop_sampling();
            Cow::Owned(copy)
        }
    }
}

/// Highest the bottom sampler may go in a sketch whose levels have `capacity_by_depth` (top level
/// first): it samples the levels of the minimum capacity, never the top level.
pub(super) fn max_sample_height(capacity_by_depth: &[u32]) -> u8 {
    let at_minimum = capacity_by_depth.iter().rev().take_while(|&&capacity| capacity == u32::from(M)).count();
    let below_top = capacity_by_depth.len().saturating_sub(1);
    at_minimum.min(below_top).min(usize::from(MAX_SAMPLE_HEIGHT)) as u8
}
