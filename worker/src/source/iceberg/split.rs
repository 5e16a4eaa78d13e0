//! Byte ranges of Iceberg data files cut at their row groups, so that a fan-out's groups, or the
//! threads of one scan, can share one large data file. The manifests give each file's row-group starts
//! (`split_offsets`); the reader gives a range the row groups whose midpoint falls in it. Ranges
//! that tile the whole file (the first from byte 0, the last to the file's end) therefore give
//! every row group to exactly one range, whatever the gaps between row groups.

use std::collections::HashMap;

/// Row-group starts (ascending byte offsets) of the snapshot's data files, by file path.
pub type RowGroupStarts = HashMap<String, Vec<u64>>;

/// The `(start, length)` ranges a file of `file_size` bytes is cut into at its row-group
/// `starts`: one per row group, tiling `0..file_size`. A single range (the whole file) when fewer
/// than two starts lie inside the file.
pub fn row_group_ranges(file_size: u64, starts: &[u64]) -> Vec<(u64, u64)> {
    let mut cuts: Vec<u64> = starts.iter().copied().filter(|&s| s < file_size).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut ranges = Vec::with_capacity(cuts.len());
    let mut from = 0;
    // The first row group is read by the range from byte 0 (which also holds the file's magic).
    for cut in cuts.into_iter().skip(1) {
        ranges.push((from, cut - from));
        from = cut;
    }
    ranges.push((from, file_size - from));
    ranges
}

/// The range `a` followed by `b` as one range, when `b` starts where `a` ends.
pub fn joined((start, length): (u64, u64), (next_start, next_length): (u64, u64)) -> Option<(u64, u64)> {
    (start + length == next_start).then_some((start, length + next_length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_cut_at_its_row_groups_into_ranges_that_tile_it() {
        // Row groups at 4, 1,000 and 2,500; footer after 3,600.
        let ranges = row_group_ranges(4_000, &[4, 1_000, 2_500]);
        assert_eq!(ranges, [(0, 1_000), (1_000, 1_500), (2_500, 1_500)]);
        assert_eq!(ranges.iter().map(|r| r.1).sum::<u64>(), 4_000);
    }

    #[test]
    fn a_file_without_two_starts_inside_it_stays_whole() {
        assert_eq!(row_group_ranges(4_000, &[]), [(0, 4_000)]);
        assert_eq!(row_group_ranges(4_000, &[4]), [(0, 4_000)]);
        assert_eq!(row_group_ranges(4_000, &[4, 9_000]), [(0, 4_000)], "a start past the end is ignored");
    }

    #[test]
    fn unordered_or_repeated_starts_cut_once_each() {
        assert_eq!(row_group_ranges(300, &[200, 4, 100, 200]), [(0, 100), (100, 100), (200, 100)]);
    }

    #[test]
    fn adjacent_ranges_join_back_into_the_file() {
        let ranges = row_group_ranges(4_000, &[4, 1_000, 2_500]);
        let whole = ranges[1..].iter().try_fold(ranges[0], |acc, &next| joined(acc, next));
        assert_eq!(whole, Some((0, 4_000)));
        assert_eq!(joined((0, 10), (20, 5)), None, "a gap keeps two ranges");
    }
}
