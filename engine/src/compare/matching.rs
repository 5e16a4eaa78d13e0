//! Which column of profile A a column of profile B is: by Iceberg field id when both carry one
//! (a rename is then a rename), else by name.

use std::collections::HashMap;

use profiler_crds::{ColumnMatch, ColumnProfile, ColumnRef};

/// A column of either profile, with its counterpart when there is one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pair<'p> {
    pub a: Option<&'p ColumnProfile>,
    pub b: Option<&'p ColumnProfile>,
    pub matched_by: ColumnMatch,
}

impl Pair<'_> {
    /// How the comparison names the column: B's name (A's for a removed column), the field id,
    /// and A's name when it differs.
    pub fn column(&self) -> ColumnRef {
        let (name, field_id) = match (self.a, self.b) {
            (_, Some(b)) => (b.name.clone(), b.field_id.or(self.a.and_then(|a| a.field_id))),
            (Some(a), None) => (a.name.clone(), a.field_id),
            (None, None) => (String::new(), None),
        };
        let previous_name = self.a.filter(|a| a.name != name).map(|a| a.name.clone());
        ColumnRef { name, field_id, previous_name }
    }
}

/// Pairs the columns of `a` and `b`: B's columns in order (matched or added), then the columns
/// only A has. Field ids are matched first; a name matches only when one of the two columns has
/// no field id (two different field ids under one name are a dropped column and a new one).
pub(super) fn match_columns<'p>(a: &'p [ColumnProfile], b: &'p [ColumnProfile]) -> Vec<Pair<'p>> {
    let by_id: HashMap<i32, usize> = a.iter().enumerate().filter_map(|(i, c)| c.field_id.map(|id| (id, i))).collect();
    let by_name: HashMap<&str, usize> = a.iter().enumerate().map(|(i, c)| (c.name.as_str(), i)).collect();
    let mut used = vec![false; a.len()];
    let mut partner: Vec<Option<(usize, ColumnMatch)>> = vec![None; b.len()];
    for (j, cb) in b.iter().enumerate() {
        if let Some(&i) = cb.field_id.and_then(|id| by_id.get(&id))
            && !used[i]
        {
            used[i] = true;
            partner[j] = Some((i, ColumnMatch::FieldId));
        }
    }
    for (j, cb) in b.iter().enumerate() {
        if partner[j].is_some() {
            continue;
        }
        if let Some(&i) = by_name.get(cb.name.as_str())
            && !used[i]
            && (cb.field_id.is_none() || a[i].field_id.is_none())
        {
            used[i] = true;
            partner[j] = Some((i, ColumnMatch::Name));
        }
    }
    let mut pairs: Vec<Pair<'p>> = b
        .iter()
        .zip(partner)
        .map(|(cb, p)| match p {
            Some((i, matched_by)) => Pair { a: Some(&a[i]), b: Some(cb), matched_by },
            None => Pair { a: None, b: Some(cb), matched_by: ColumnMatch::Added },
        })
        .collect();
    pairs.extend(a.iter().zip(used).filter(|(_, used)| !used).map(|(ca, _)| Pair {
        a: Some(ca),
        b: None,
        matched_by: ColumnMatch::Removed,
    }));
    pairs
}
