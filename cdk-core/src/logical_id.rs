//! Logical IDs and construct addresses, computed exactly as aws-cdk-lib does.
//!
//! The rules are in `shared/docs/cdk-compat.md`; the test vectors from aws-cdk-lib's own tests
//! are checked in `tests/compat.rs`.

use md5::{Digest as _, Md5};
use sha1::Sha1;

const HIDDEN_ID: &str = "Default";
const HIDDEN_FROM_HUMAN_ID: &str = "Resource";
const HASH_LEN: usize = 8;
const MAX_HUMAN_LEN: usize = 240;
const MAX_ID_LEN: usize = 255;

/// Computes the logical ID for an element from the construct IDs on the path below its stack.
///
/// ```
/// use cdk_core::logical_id::make_unique_id;
/// assert_eq!(make_unique_id(&["Parent", "Child", "Resource", "HeyThere"]), "ParentChildHeyThere35220347");
/// assert_eq!(make_unique_id(&["Foo-bar"]), "Foobar");
/// ```
pub fn make_unique_id<S: AsRef<str>>(components: &[S]) -> String {
    let components: Vec<&str> = components
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| *c != HIDDEN_ID)
        .collect();
    if components.len() == 1 {
        let candidate = remove_non_alphanumeric(components[0]);
        if candidate.len() <= MAX_ID_LEN {
            return candidate;
        }
    }
    let hash = path_hash(&components);
    let human = remove_dupes(&components)
        .into_iter()
        .filter(|c| *c != HIDDEN_FROM_HUMAN_ID)
        .map(remove_non_alphanumeric)
        .collect::<String>();
    let human: String = human.chars().take(MAX_HUMAN_LEN).collect();
    human + &hash
}

/// Maximum length of a CloudFormation stack name.
const MAX_STACK_NAME_LEN: usize = 128;

/// aws-cdk-lib's `makeStackName`: the name (or artifact ID) of a stack from the construct IDs
/// from its assembly's stage (or the app) down to the stack, after `prefix` (the stage name
/// and `-`). A single ID is used as is; several become aws-cdk-lib's unique resource name:
/// `prefix` + the IDs without `Default`, repeated suffixes and `Resource`, stripped to letters
/// and digits, + an 8-character hash of the path, cut in the middle to 128 characters.
///
/// ```
/// use cdk_core::logical_id::make_stack_name;
/// assert_eq!(make_stack_name(&["Application"], "dev-"), "dev-Application");
/// assert_eq!(make_stack_name(&["PipelineStack", "Dev", "Application"], ""), "PipelineStackDevApplicationDBB34208");
/// assert_eq!(make_stack_name(&["Group", "Grouped"], "Beta-"), "Beta-GroupGroupedBE33C8E4");
/// ```
pub fn make_stack_name<S: AsRef<str>>(components: &[S], prefix: &str) -> String {
    let all: Vec<&str> = components.iter().map(AsRef::as_ref).collect();
    if let [single] = all.as_slice() {
        let name = format!("{prefix}{single}");
        if name.chars().count() <= MAX_STACK_NAME_LEN {
            return name;
        }
    }
    let components: Vec<&str> = all.into_iter().filter(|c| *c != HIDDEN_ID).collect();
    if let [single] = components.as_slice() {
        let name = format!("{prefix}{}", remove_non_alphanumeric(single));
        if name.chars().count() <= MAX_STACK_NAME_LEN {
            return name;
        }
    }
    let hash = path_hash(&components);
    let human: String = std::iter::once(prefix.to_string())
        .chain(
            remove_dupes(&components)
                .into_iter()
                .filter(|c| *c != HIDDEN_FROM_HUMAN_ID)
                .map(remove_non_alphanumeric),
        )
        .collect();
    let max_human = MAX_STACK_NAME_LEN - HASH_LEN;
    let chars: Vec<char> = human.chars().collect();
    if chars.len() > max_human {
        // JavaScript's `s.slice(0, n / 2) + s.slice(-n / 2)`.
        let half = max_human / 2;
        let head: String = chars[..half].iter().collect();
        let tail: String = chars[chars.len() - half..].iter().collect();
        return head + &tail + &hash;
    }
    human + &hash
}

/// The node address (`c8…`) of a construct from the IDs on its path below the root.
///
/// ```
/// use cdk_core::logical_id::construct_addr;
/// assert_eq!(construct_addr(&["c1"]), "c86a34031367d11f4bef80afca42b7e7e5c6253b77");
/// assert_eq!(construct_addr(&["Default", "c1"]), "c86a34031367d11f4bef80afca42b7e7e5c6253b77");
/// ```
pub fn construct_addr<S: AsRef<str>>(path: &[S]) -> String {
    let mut hasher = Sha1::new();
    hasher.update(b"\n"); // the root's empty ID
    for id in path.iter().map(AsRef::as_ref).filter(|c| *c != HIDDEN_ID) {
        hasher.update(id.as_bytes());
        hasher.update(b"\n");
    }
    format!("c8{}", hex::encode(hasher.finalize()))
}

pub(crate) fn path_hash(components: &[&str]) -> String {
    let digest = Md5::digest(components.join("/").as_bytes());
    hex::encode_upper(digest)[..HASH_LEN].to_string()
}

/// Drops a component when the previously kept one ends with it (`Bucket/BucketResource` style).
fn remove_dupes<'a>(components: &[&'a str]) -> Vec<&'a str> {
    let mut kept: Vec<&'a str> = Vec::with_capacity(components.len());
    for &c in components {
        if let Some(prev) = kept.last() {
            if prev.ends_with(c) {
                continue;
            }
        }
        kept.push(c);
    }
    kept
}

fn remove_non_alphanumeric(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// True when `id` is a valid CloudFormation logical ID (`^[A-Za-z0-9]{1,255}$`).
pub fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.chars().all(|c| c.is_ascii_alphanumeric())
}
