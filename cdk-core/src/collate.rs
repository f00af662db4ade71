//! String ordering of JavaScript's `String.prototype.localeCompare` (ICU root collation), which
//! aws-cdk-lib uses to sort `DependsOn` by construct path.
//!
//! At the first level, punctuation and symbols sort before digits and digits before letters,
//! letters ignoring case; at the third level lower case sorts before upper case. Characters
//! outside ASCII sort after it, by code point.
//!
//! ```
//! use cdk_core::collate::locale_compare;
//! let mut paths = vec!["a1", "aB", "a/b", "A/b", "a-b", "ab", "a_b", "a.b"];
//! paths.sort_by(|a, b| locale_compare(a, b));
//! assert_eq!(paths, ["a_b", "a-b", "a.b", "a/b", "A/b", "a1", "ab", "aB"]);
//! ```

use std::cmp::Ordering;

/// ASCII in ICU root order (letters as lower case; upper case shares the letter's weight).
const ORDER: &str = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

fn primary(c: char) -> u32 {
    let lower = c.to_ascii_lowercase();
    match ORDER.find(lower) {
        Some(i) if c.is_ascii() => i as u32,
        _ => 1000 + c as u32,
    }
}

/// Compares like JavaScript's `a.localeCompare(b)` in the root locale.
pub fn locale_compare(a: &str, b: &str) -> Ordering {
    let pa = a.chars().map(primary);
    let pb = b.chars().map(primary);
    match pa.cmp(pb) {
        Ordering::Equal => {}
        other => return other,
    }
    // Same letters: lower case first, position by position.
    let ta = a.chars().map(|c| c.is_ascii_uppercase());
    let tb = b.chars().map(|c| c.is_ascii_uppercase());
    ta.cmp(tb)
}

#[cfg(test)]
mod tests {
    use super::locale_compare;

    #[test]
    fn sorts_construct_paths_as_node_does() {
        // Sorted with `[...].sort((a, b) => a.localeCompare(b))` in Node.js 20.
        let expected = [
            "Stack/a b/Resource",
            "Stack/aB/Resource",
            "Stack/Ab/Resource",
            "Stack/Api/Default/{proxy+}/ANY/Resource",
            "Stack/Api/Default/{proxy+}/Resource",
            "Stack/Api/Default/ANY/Resource",
            "Stack/Api/Default/Products/GET/Resource",
            "Stack/Api/Default/products/Resource",
            "Stack/Api/Deployment/Resource",
            "Stack/role_2/Resource",
            "Stack/Role-3/Resource",
            "Stack/Role.4/Resource",
            "Stack/Role/DefaultPolicy/Resource",
            "Stack/Role/Resource",
            "Stack/Role4/Resource",
        ];
        let mut shuffled = expected.to_vec();
        shuffled.reverse();
        shuffled.swap(2, 9);
        shuffled.sort_by(|a, b| locale_compare(a, b));
        assert_eq!(shuffled, expected);
    }
}
