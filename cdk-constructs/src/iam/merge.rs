//! aws-cdk-lib's `mergeStatements` (`@aws-cdk/aws-iam:minimizePolicies`): statements with the
//! same effect, conditions and "not" parts merge when two of their actions, resources and
//! principals are equal as sets; the third is united. With `combinable` off, only statements
//! equal as sets merge (what aws-cdk-lib does to a role's default policy without the flag).

use cdk_core::Value;

use super::principals::PrincipalEntry;
use super::statement::PolicyStatement;

/// Merged statements larger than this are left apart (aws-cdk-lib's `MAX_MERGE_SIZE`).
const MAX_MERGE_SIZE: usize = 2000;

/// How [`merge_statements`] merges.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MergeOptions {
    /// Merge statements that differ in one of actions, resources, principals.
    pub(crate) combinable: bool,
    /// Leave merges that would exceed [`MAX_MERGE_SIZE`] undone.
    pub(crate) limit_size: bool,
    /// aws-cdk-lib's ARN size estimate (`@aws-cdk/aws-iam.arnSizeEstimate`, default 150).
    pub(crate) arn_estimate: usize,
}

fn set_equal<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Principals split into comparable ones (keyed by dedupe key) and the others.
fn partition(entries: &[PrincipalEntry]) -> (Vec<(Value, PrincipalEntry)>, Vec<PrincipalEntry>) {
    let mut comparable: Vec<(Value, PrincipalEntry)> = Vec::new();
    let mut other = Vec::new();
    for e in entries {
        match &e.dedupe {
            Some(key) => match comparable.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = e.clone(),
                None => comparable.push((key.clone(), e.clone())),
            },
            None => other.push(e.clone()),
        }
    }
    (comparable, other)
}

fn principals_equal(a: &[PrincipalEntry], b: &[PrincipalEntry]) -> bool {
    let (ac, an) = partition(a);
    let (bc, bn) = partition(b);
    let ak: Vec<&Value> = ac.iter().map(|(k, _)| k).collect();
    let bk: Vec<&Value> = bc.iter().map(|(k, _)| k).collect();
    set_equal(&an, &bn) && set_equal(&ak, &bk)
}

fn principals_merge(a: &[PrincipalEntry], b: &[PrincipalEntry]) -> Vec<PrincipalEntry> {
    let (mut comparable, an) = partition(a);
    let (bc, bn) = partition(b);
    for (k, e) in bc {
        match comparable.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = e,
            None => comparable.push((k, e)),
        }
    }
    let mut out: Vec<PrincipalEntry> = comparable.into_iter().map(|(_, e)| e).collect();
    out.extend(an);
    out.extend(bn);
    out
}

/// `Array.from(new Set([...x, ...y])).sort()` for actions.
fn merge_strings(a: &[String], b: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in a.iter().chain(b) {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out.sort();
    out
}

/// The same for resources: tokens sort first (their JavaScript strings start with `$`), in
/// the order they came, then literals.
fn merge_values(a: &[Value], b: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in a.iter().chain(b) {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out.sort_by(|x, y| match (x.as_str(), y.as_str()) {
        (Some(a), Some(b)) => a.cmp(b),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    out
}

fn same_frame(a: &PolicyStatement, b: &PolicyStatement) -> bool {
    a.get_effect() == b.get_effect()
        && a.condition_map() == b.condition_map()
        && set_equal(&a.not_action_list(), &b.not_action_list())
        && set_equal(&a.not_resource_list(), &b.not_resource_list())
        && principals_equal(&a.not_principal_list(), &b.not_principal_list())
}

fn merge_if_combinable(
    a: &PolicyStatement,
    b: &PolicyStatement,
    options: MergeOptions,
) -> Option<PolicyStatement> {
    if a.get_sid().is_some() || b.get_sid().is_some() || !same_frame(a, b) {
        return None;
    }
    let equal = [
        set_equal(&a.action_list(), &b.action_list()),
        set_equal(&a.resource_list(), &b.resource_list()),
        principals_equal(&a.principal_list(), &b.principal_list()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if equal < 2 {
        return None;
    }
    let combined = a.with_parts(
        merge_strings(&a.action_list(), &b.action_list()),
        merge_values(&a.resource_list(), &b.resource_list()),
        principals_merge(&a.principal_list(), &b.principal_list()),
    );
    if options.limit_size && combined.estimate_size(options.arn_estimate) > MAX_MERGE_SIZE {
        return None;
    }
    Some(combined)
}

fn merge_if_equal(a: &PolicyStatement, b: &PolicyStatement) -> Option<PolicyStatement> {
    (a.get_sid() == b.get_sid()
        && same_frame(a, b)
        && set_equal(&a.action_list(), &b.action_list())
        && set_equal(&a.resource_list(), &b.resource_list())
        && principals_equal(&a.principal_list(), &b.principal_list()))
    .then(|| a.clone())
}

/// Merges `statements` until no pair merges any more (aws-cdk-lib's `mergeStatements`).
pub(crate) fn merge_statements(
    statements: Vec<PolicyStatement>,
    options: MergeOptions,
) -> Vec<PolicyStatement> {
    let mut list = statements;
    loop {
        let mut changed = false;
        let mut i = 0;
        while i < list.len() {
            let mut j = i + 1;
            while j < list.len() {
                let merged = if options.combinable {
                    merge_if_combinable(&list[i], &list[j], options)
                } else {
                    merge_if_equal(&list[i], &list[j])
                };
                match merged {
                    Some(m) => {
                        list[i] = m;
                        list.remove(j);
                        changed = true;
                    }
                    None => j += 1,
                }
            }
            i += 1;
        }
        if !changed {
            return list;
        }
    }
}
