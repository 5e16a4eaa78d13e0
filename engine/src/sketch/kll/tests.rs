//! The KLL sketch against the `datasketches` crate: images both ways, queries, merges, bad images.

use datasketches::common::SearchCriteria;
use datasketches::kll::{KllFloat, KllSketch};

use super::sampler::{MAX_SAMPLE_HEIGHT, max_sample_height};
use super::serialization::DATA_START;
use super::*;

type Crate = KllSketch<KllFloat<f64>>;

/// (k, n, data shape) of the images exchanged with the crate: empty, single item, exact
/// mode, estimation mode, small k.
const CASES: [(u16, usize, u64); 7] =
    [(400, 0, 0), (400, 1, 0), (400, 2, 1), (400, 1000, 0), (400, 100_000, 3), (200, 1_000_003, 4), (8, 5000, 2)];

/// Fine ranks for comparing two sketches holding the same retained values.
fn ranks() -> Vec<f64> {
    (0..=200).map(|i| f64::from(i) / 200.0).collect()
}

/// Reproducible test data of a few shapes.
fn data(n: usize, shape: u64, seed: u64) -> Vec<f64> {
    let mut state = seed;
    (0..n)
        .map(|i| {
            let r = splitmix64(&mut state);
            let unit = (r >> 11) as f64 / (1u64 << 53) as f64;
            match shape {
                0 => unit * 1e6 - 3e5,
                1 => i as f64,
                2 => -(i as f64),
                3 => (r % 7) as f64,
                _ => (1.0 / (1.0 - unit)).powi(3),
            }
        })
        .collect()
}

fn ours(k: u16, values: &[f64]) -> KllDoublesSketch {
    let mut sketch = KllDoublesSketch::new(k).unwrap();
    values.iter().for_each(|&v| sketch.update(v));
    sketch
}

fn theirs(k: u16, values: &[f64]) -> Crate {
    let mut sketch = Crate::new(k).unwrap();
    values.iter().for_each(|&v| sketch.update(KllFloat::<f64>::new(v).unwrap()));
    sketch
}

fn crate_quantiles(sketch: &Crate) -> Option<Vec<f64>> {
    let values = sketch.quantiles(&ranks(), SearchCriteria::Inclusive).unwrap()?;
    Some(values.into_iter().map(KllFloat::into_inner).collect())
}

fn crate_cdf(sketch: &Crate, splits: &[f64]) -> Option<Vec<f64>> {
    let splits: Vec<_> = splits.iter().map(|&s| KllFloat::<f64>::new(s).unwrap()).collect();
    sketch.cdf(&splits, SearchCriteria::Exclusive).unwrap()
}

fn splits(sketch: &KllDoublesSketch) -> Vec<f64> {
    let (Some(min), Some(max)) = (sketch.min(), sketch.max()) else { return vec![] };
    let mut out: Vec<f64> = (0..=50).map(|i| min + (max - min) * f64::from(i) / 50.0).collect();
    out.dedup();
    out
}

/// Asserts both sketches answer every query identically.
fn assert_same(ours: &KllDoublesSketch, theirs: &Crate) {
    assert_eq!(ours.n(), theirs.n());
    assert_eq!(ours.min(), theirs.min_item().map(|v| v.into_inner()));
    assert_eq!(ours.max(), theirs.max_item().map(|v| v.into_inner()));
    assert_eq!(ours.quantiles(&ranks()), crate_quantiles(theirs));
    let splits = splits(ours);
    assert_eq!(ours.cdf(&splits), crate_cdf(theirs, &splits));
    assert_eq!(ours.normalized_rank_error(), theirs.normalized_rank_error());
}

/// Buffer layout and level weights are consistent.
fn assert_layout(sketch: &KllDoublesSketch) {
    let num_levels = sketch.num_levels();
    assert_eq!(sketch.levels[num_levels] as usize, sketch.items.len());
    assert_eq!(sketch.items.len(), total_capacity(sketch.k, num_levels) as usize);
    sketch.check_levels().unwrap();
}

fn assert_ranks_within(sketch: &KllDoublesSketch, values: &[f64], tolerance: f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let ranks = ranks();
    for (rank, q) in ranks.iter().zip(sketch.quantiles(&ranks).unwrap()) {
        let below = sorted.partition_point(|&x| x < q) as f64 / n;
        let upto = sorted.partition_point(|&x| x <= q) as f64 / n;
        let error = (below - rank).max(rank - upto).max(0.0);
        assert!(error <= tolerance, "rank {rank}: {q} has true rank in [{below}, {upto}]");
    }
}

#[test]
fn exact_mode_images_match_the_crate_byte_for_byte() {
    for (k, n) in [(400, 0), (400, 1), (400, 2), (400, 3), (400, 399), (400, 400), (8, 8), (200, 57)] {
        let values = data(n, 0, n as u64);
        assert_eq!(ours(k, &values).serialize(), theirs(k, &values).serialize(), "k {k}, n {n}");
    }
}

#[test]
fn our_images_read_in_the_crate() {
    for (k, n, shape) in CASES {
        let mut sketch = ours(k, &data(n, shape, 7));
        if n > 2 {
            sketch.merge(&ours(k, &data(n / 3, shape, 8))).unwrap();
        }
        let bytes = sketch.serialize();
        let read = Crate::deserialize(&bytes).unwrap();
        assert_same(&sketch, &read);
        assert!(read.serialize() == bytes, "k {k}, n {n}: the crate writes back the same image");
    }
}

#[test]
fn crate_images_read_in_ours() {
    for (k, n, shape) in CASES {
        let mut sketch = theirs(k, &data(n, shape, 9));
        if n > 2 {
            sketch.merge(&theirs(k, &data(n / 3, shape, 10))).unwrap();
        }
        let bytes = sketch.serialize();
        let read = KllDoublesSketch::deserialize("c", &bytes).unwrap();
        assert_same(&read, &sketch);
        assert_layout(&read);
        assert!(read.serialize() == bytes, "k {k}, n {n}: we write back the same image");
    }
}

#[test]
fn profiles_with_crate_images_restore() {
    use base64::Engine as _;
    let values = data(250_000, 0, 11);
    let image = base64::engine::general_purpose::STANDARD.encode(theirs(400, &values).serialize());
    let restored = crate::sketch::QuantileSketch::from_base64("c", &image).unwrap();
    let distribution = restored.distribution(20, &|v| v.to_string()).unwrap();
    assert_eq!(distribution.histogram.iter().map(|b| b.count).sum::<u64>(), 250_000);
    let read =
        KllDoublesSketch::deserialize("c", &base64::engine::general_purpose::STANDARD.decode(&image).unwrap()).unwrap();
    assert_ranks_within(&read, &values, 0.01);
}

#[test]
fn quantiles_are_within_one_percent_of_exact_ranks() {
    for shape in 0..5 {
        for n in [10, 5000, 300_000] {
            let values = data(n, shape, shape + 100);
            let sketch = ours(400, &values);
            assert_layout(&sketch);
            assert_eq!(sketch.n(), n as u64);
            assert_eq!(sketch.min(), values.iter().copied().reduce(f64::min));
            assert_eq!(sketch.max(), values.iter().copied().reduce(f64::max));
            assert_ranks_within(&sketch, &values, 0.01);
        }
    }
}

#[test]
fn weighted_updates_stand_for_repeated_values() {
    let pairs: Vec<(f64, u64)> = (0..20u64).map(|i| (i as f64 * 1.5 - 7.0, 1 + (i * i * 37) % 5000)).collect();
    let repeated = |pairs: &[(f64, u64)]| -> Vec<f64> {
        pairs.iter().flat_map(|&(v, c)| std::iter::repeat_n(v, c as usize)).collect()
    };
    // Fewer than k values: the crate keeps them all, and weights are exact, so every answer
    // is the same.
    let small = [(2.0, 100), (1.0, 3), (-5.0, 7), (9.0, 1), (2.5, 250)];
    let mut exact = KllDoublesSketch::new(400).unwrap();
    exact.update_weighted(&small);
    assert_same(&exact, &theirs(400, &repeated(&small)));

    // Batches of counted values, plain values, a NaN and a zero count: the sketch keeps n,
    // the extremes and the rank guarantee, and its image is a standard one.
    let mut sketch = KllDoublesSketch::new(400).unwrap();
    let mut all = Vec::new();
    for _ in 0..40 {
        sketch.update_weighted(&pairs);
        all.extend(repeated(&pairs));
    }
    let plain = data(300_000, 0, 5);
    sketch.update_slice(&plain);
    all.extend(&plain);
    sketch.update_weighted(&[(f64::NAN, 3), (1e9, 0), (-1e9, 2)]);
    all.extend([-1e9, -1e9]);
    sketch.update_weighted(&pairs);
    all.extend(repeated(&pairs));
    sketch.update_weighted(&[]);
    assert_eq!(sketch.n(), all.len() as u64);
    assert_eq!(sketch.min(), Some(-1e9));
    assert_eq!(sketch.max(), all.iter().copied().reduce(f64::max));
    assert_layout(&sketch);
    assert_ranks_within(&sketch, &all, 0.01);
    assert_same(&sketch, &Crate::deserialize(&sketch.serialize()).unwrap());
}

#[test]
fn merges_keep_n_extremes_and_rank_guarantee() {
    let a = data(300_000, 0, 1);
    let b: Vec<f64> = data(7_000, 4, 2).into_iter().map(|v| v + 2e5).collect();
    let c = data(150, 1, 3);
    let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
    let check = |sketch: &KllDoublesSketch| {
        assert_layout(sketch);
        assert_eq!(sketch.n(), all.len() as u64);
        assert_eq!(sketch.min(), all.iter().copied().reduce(f64::min));
        assert_eq!(sketch.max(), all.iter().copied().reduce(f64::max));
        assert_ranks_within(sketch, &all, 0.01);
    };
    // Big into small, small into big, into an empty sketch, an empty one into a full one.
    let mut small_first = ours(400, &c);
    small_first.merge(&ours(400, &b)).unwrap();
    small_first.merge(&ours(400, &a)).unwrap();
    check(&small_first);
    let mut big_first = ours(400, &a);
    big_first.merge(&ours(400, &b)).unwrap();
    big_first.merge(&ours(400, &c)).unwrap();
    big_first.merge(&KllDoublesSketch::new(400).unwrap()).unwrap();
    check(&big_first);
    let mut empty = KllDoublesSketch::new(400).unwrap();
    empty.merge(&big_first).unwrap();
    check(&empty);
    // Many partial sketches, as a parallel scan makes them.
    let mut parts = KllDoublesSketch::new(400).unwrap();
    for chunk in all.chunks(8192) {
        parts.merge(&ours(400, chunk)).unwrap();
    }
    check(&parts);
    // A smaller k lowers the accuracy of the merge only if it had to compact.
    let mut mixed = ours(400, &a);
    mixed.merge(&ours(200, &c)).unwrap();
    assert_eq!(mixed.normalized_rank_error(), ours(400, &[]).normalized_rank_error());
    mixed.merge(&ours(200, &b)).unwrap();
    assert_eq!(mixed.normalized_rank_error(), ours(200, &[]).normalized_rank_error());
}

#[test]
fn long_streams_sample_their_lowest_levels_within_the_rank_error() {
    for shape in [0, 1, 4] {
        let values = data(3_000_003, shape, shape + 200);
        let sketch = ours(400, &values);
        assert!(sketch.sample_height > 0, "shape {shape}: the sketch samples");
        assert!(!sketch.block.is_empty(), "shape {shape}: an incomplete block is pending");
        assert_eq!(sketch.n(), values.len() as u64);
        assert_eq!(sketch.min(), values.iter().copied().reduce(f64::min));
        assert_eq!(sketch.max(), values.iter().copied().reduce(f64::max));
        assert_ranks_within(&sketch, &values, sketch.normalized_rank_error());
        let standard = sketch.standard();
        assert_layout(&standard);
        assert_eq!((standard.sample_height, standard.block.len()), (0, 0));
        // The image is a standard one: the crate reads it and answers the same.
        let read = Crate::deserialize(&sketch.serialize()).unwrap();
        assert_same(&sketch, &read);
    }
}

#[test]
fn sampling_replaces_the_minimum_capacity_levels() {
    let values = data(3_000_000, 0, 300);
    let sketch = ours(400, &values);
    let num_levels = sketch.num_levels();
    let height = usize::from(sketch.sample_height);
    assert_eq!(sketch.sample_height, max_sample_height(&sketch.capacity_by_depth[..num_levels]));
    assert!((0..height).all(|level| sketch.level(level).is_empty()), "levels below the sampler are empty");
    let minimum: Vec<usize> =
        (0..num_levels).filter(|&level| level_capacity(400, num_levels, level) == u32::from(M)).collect();
    assert_eq!(minimum.len(), height);
    // Small k samples too (all its levels have the minimum capacity), and never a level above
    // the minimum capacity.
    let capacities = |k: u16, levels: usize| KllDoublesSketch::empty(k).capacity_by_depth[..levels].to_vec();
    assert_eq!(max_sample_height(&capacities(8, 10)), 9, "the top level stays a compactor");
    assert_eq!(max_sample_height(&capacities(400, 3)), 0);
    assert_eq!(max_sample_height(&capacities(400, 60)), MAX_SAMPLE_HEIGHT);
}

#[test]
fn slice_updates_keep_n_extremes_and_ranks() {
    for (shape, n) in [(0, 3_000_003), (1, 2_500_001), (4, 700), (0, 1)] {
        let values = data(n, shape, shape + 500);
        let mut sketch = KllDoublesSketch::new(400).unwrap();
        // Slices of every size, with a NaN in one of them.
        let mut start = 0;
        for (i, size) in [1usize, 7, 4096, 33, 100_000].iter().cycle().enumerate() {
            let end = (start + size).min(n);
            if i == 3 {
                let mut with_nan = values[start..end].to_vec();
                with_nan.push(f64::NAN);
                sketch.update_slice(&with_nan);
            } else {
                sketch.update_slice(&values[start..end]);
            }
            start = end;
            if start == n {
                break;
            }
        }
        assert_eq!(sketch.n(), n as u64);
        assert_eq!(sketch.min(), values.iter().copied().reduce(f64::min));
        assert_eq!(sketch.max(), values.iter().copied().reduce(f64::max));
        assert_eq!(sketch.sample_height > 0, n > 2_000_000, "shape {shape}, n {n}");
        assert_ranks_within(&sketch, &values, sketch.normalized_rank_error());
        assert_layout(&sketch.standard());
    }
}

#[test]
fn sampling_sketches_merge_both_ways() {
    let a = data(2_000_000, 0, 400);
    let b = data(1_500_000, 4, 401);
    let all: Vec<f64> = a.iter().chain(&b).copied().collect();
    for (first, second) in [(&a, &b), (&b, &a)] {
        let mut sketch = ours(400, first);
        let other = ours(400, second);
        assert!(sketch.sample_height > 0 && other.sample_height > 0);
        sketch.merge(&other).unwrap();
        assert_layout(&sketch);
        assert_eq!(sketch.n(), all.len() as u64);
        assert_ranks_within(&sketch, &all, sketch.normalized_rank_error());
        // Updates after a merge sample again.
        let mut more = sketch.clone();
        let extra = data(1_000_000, 0, 402);
        extra.iter().for_each(|&v| more.update(v));
        assert!(more.sample_height > 0);
        assert_eq!(more.n(), (all.len() + extra.len()) as u64);
    }
}

#[test]
fn nan_is_ignored() {
    let mut sketch = ours(400, &[1.0, f64::NAN, 2.0, f64::NAN]);
    assert_eq!(sketch.n(), 2);
    assert_eq!((sketch.min(), sketch.max()), (Some(1.0), Some(2.0)));
    sketch = ours(400, &[f64::NAN]);
    assert_eq!((sketch.n(), sketch.min(), sketch.quantiles(&[0.5])), (0, None, None));
    assert_eq!(sketch.serialize(), theirs(400, &[]).serialize());
}

#[test]
fn rank_error_formula_matches_the_crate() {
    for k in [8, 200, 400, 65535] {
        assert_eq!(ours(k, &[]).normalized_rank_error(), Crate::new(k).unwrap().normalized_rank_error());
    }
    assert!(KllDoublesSketch::new(7).is_err());
}

#[test]
fn bad_images_are_rejected() {
    let good = ours(400, &data(5000, 0, 5)).serialize();
    assert!(KllDoublesSketch::deserialize("c", &good).is_ok());
    let mut cases: Vec<Vec<u8>> = vec![vec![], good[..good.len() - 1].to_vec(), [&good[..], &[0]].concat()];
    let mut family = good.clone();
    family[2] = 7;
    cases.push(family);
    let mut nan = good.clone();
    let at = nan.len() - 8;
    nan[at..].copy_from_slice(&f64::NAN.to_le_bytes());
    cases.push(nan);
    let mut n = good.clone();
    n[8] ^= 1;
    cases.push(n);
    let mut max = good.clone();
    let max_at = DATA_START + 4 * usize::from(good[DATA_START - 2]) + 8;
    max[max_at..max_at + 8].copy_from_slice(&0.0f64.to_le_bytes());
    cases.push(max);
    for bytes in cases {
        let error = KllDoublesSketch::deserialize("c", &bytes).unwrap_err();
        assert!(matches!(error, EngineError::BadSketch { sketch: "kll", .. }), "{error}");
        assert!(Crate::deserialize(&bytes).is_err(), "the crate rejects it too");
    }
}
