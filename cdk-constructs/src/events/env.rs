//! Environment comparisons and generated names shared by the events, codecommit, codebuild and
//! codepipeline constructs (the rules aws-cdk-lib applies to accounts, regions and names).

use cdk_core::{IConstruct, Stack, Str};

/// Whether two environment dimensions (accounts or regions) are probably the same: equal
/// literals, or at least one of them left to deploy time (aws-cdk-lib's `sameEnvDimension`).
pub(crate) fn same_env_dimension(a: &Str, b: &Str) -> bool {
    match (a.literal(), b.literal()) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// True when both dimensions are literals that differ (certainly another account/region).
#[allow(dead_code)] // used by the pipeline modules, which need more features
pub(crate) fn different_env_dimension(a: &Str, b: &Str) -> bool {
    !same_env_dimension(a, b)
}

/// True when two stacks certainly live in the same account and region as far as references
/// go: same literal values, or the same deploy-time pseudo parameters.
#[allow(dead_code)] // used by the codecommit module, which needs more features
pub(crate) fn same_environment(a: &Stack, b: &Stack) -> bool {
    a.account() == b.account() && a.region() == b.region()
}

/// The IDs on a construct's path below the app.
pub(crate) fn path_ids(construct: &impl IConstruct) -> Vec<String> {
    construct
        .node()
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// aws-cdk-lib's `Names.uniqueId` / `Names.nodeUniqueId`: the logical-ID algorithm applied to
/// the full path (stack ID included).
pub(crate) fn unique_id(construct: &impl IConstruct) -> String {
    cdk_core::logical_id::make_unique_id(&path_ids(construct))
}

/// aws-cdk-lib's `Names.uniqueResourceName`: path components (without `Default`, duplicates
/// and `Resource`) stripped of characters other than alphanumerics and `allowed`, joined with
/// `separator`, followed by the separator and the 8-character path hash; the human part is cut
/// in the middle to fit `max_length`.
pub(crate) fn unique_resource_name(
    construct: &impl IConstruct,
    separator: &str,
    max_length: usize,
    allowed: &str,
) -> String {
    let components: Vec<String> = path_ids(construct)
        .into_iter()
        .filter(|c| c != "Default")
        .collect();
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || allowed.contains(*c))
            .collect()
    };
    if components.len() <= 1 {
        // A top-level construct: its own ID (constructs inside stacks never get here).
        let single = clean(components.first().map(String::as_str).unwrap_or(""));
        return single.chars().take(max_length).collect();
    }
    // The logical-ID algorithm ends with the same 8-character hash of the joined path.
    let unique = cdk_core::logical_id::make_unique_id(&components);
    let hash = unique[unique.len().saturating_sub(8)..].to_string();
    let mut kept: Vec<&str> = Vec::new();
    for c in &components {
        if let Some(prev) = kept.last() {
            if prev.ends_with(c.as_str()) {
                continue;
            }
        }
        kept.push(c);
    }
    let mut human = kept
        .iter()
        .filter(|c| **c != "Resource")
        .map(|c| clean(c))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(separator);
    human.push_str(separator);
    let max_human = max_length.saturating_sub(8);
    if human.chars().count() > max_human {
        // JavaScript's slice(0, n/2) + slice(-n/2) with a fractional half truncates toward 0.
        let half = max_human / 2;
        let chars: Vec<char> = human.chars().collect();
        let head: String = chars[..half].iter().collect();
        let tail: String = chars[chars.len() - half..].iter().collect();
        human = head + &tail;
    }
    human + &hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdk_core::{App, Node, Stack, StackProps};

    #[test]
    fn unique_resource_name_matches_aws_cdk_lib() {
        let app = App::new();
        let stack = Stack::new(&app, "PipelineStack", StackProps::default());
        let pipeline = Node::new(&stack, "Pipeline");
        // aws-cdk-lib: alias/codepipeline-pipelinestack-pipeline-9db740af
        assert_eq!(
            unique_resource_name(&pipeline, "-", 237, "/_-").to_lowercase(),
            "pipelinestack-pipeline-9db740af"
        );
    }

    #[test]
    fn env_dimensions() {
        assert!(same_env_dimension(&"a".into(), &"a".into()));
        assert!(different_env_dimension(&"a".into(), &"b".into()));
        assert!(same_env_dimension(&cdk_core::Aws::ACCOUNT_ID, &"b".into()));
    }
}
