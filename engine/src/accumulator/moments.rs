//! Mergeable first and second moments (Chan, Golub and LeVeque's pairwise update).

use profiler_crds::Moments;

use crate::lanes;

/// Folds the moments of a block of finite values into `acc`.
pub fn add_block(acc: &mut Moments, values: &[f64]) {
    if values.is_empty() {
        return;
    }
    let n = values.len() as f64;
    let sum = lanes::sum(values);
    let mean = sum / n;
    let m2 = lanes::sum_of_squares_about(values, mean);
    merge(acc, &Moments { n: values.len() as u64, mean, m2, sum });
}

/// Folds `other` into `acc`; exact up to floating-point rounding.
pub fn merge(acc: &mut Moments, other: &Moments) {
    if other.n == 0 {
        return;
    }
    if acc.n == 0 {
        *acc = *other;
        return;
    }
    let (na, nb) = (acc.n as f64, other.n as f64);
    let n = na + nb;
    let delta = other.mean - acc.mean;
    acc.mean += delta * nb / n;
    acc.m2 += other.m2 + delta * delta * na * nb / n;
    acc.sum += other.sum;
    acc.n += other.n;
}

/// Population variance, None without values.
pub fn variance(m: &Moments) -> Option<f64> {
    (m.n > 0).then(|| (m.m2 / m.n as f64).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_then_merge_matches_one_block() {
        let xs: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.37).sin() * 100.0).collect();
        let mut whole = Moments::default();
        add_block(&mut whole, &xs);
        let mut parts = Moments::default();
        for chunk in xs.chunks(77) {
            let mut p = Moments::default();
            add_block(&mut p, chunk);
            merge(&mut parts, &p);
        }
        assert_eq!(whole.n, parts.n);
        assert!((whole.mean - parts.mean).abs() < 1e-9);
        assert!((whole.m2 - parts.m2).abs() / whole.m2 < 1e-12);
    }
}
