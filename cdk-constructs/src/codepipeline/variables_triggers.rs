//! V2 pipeline variables and triggers (aws-cdk-lib's `Variable`, `Trigger`,
//! `GitPushFilter`, `GitPullRequestFilter`). Both need `PipelineType::V2`.

use super::{cfn_pipeline, IAction};

/// A pipeline-level variable, settable when an execution starts.
///
/// ```
/// use cdk_constructs::codepipeline::{Variable, VariableProps};
///
/// let variable = Variable::new(VariableProps {
///     default_value: Some("dummy".into()),
///     description: Some("description".into()),
///     ..VariableProps::new("bucket-var")
/// });
/// assert_eq!(variable.reference(), "#{variables.bucket-var}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    props: VariableProps,
}

/// Properties of a [`Variable`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VariableProps {
    /// Name (`[A-Za-z0-9@_-]{1,128}`).
    pub variable_name: String,
    /// Value when an execution gives none (1 to 1000 characters).
    pub default_value: Option<String>,
    /// Description (at most 200 characters).
    pub description: Option<String>,
}

impl VariableProps {
    /// Props with a name; the rest default.
    pub fn new(variable_name: &str) -> Self {
        VariableProps {
            variable_name: variable_name.to_string(),
            ..Default::default()
        }
    }
}

impl Variable {
    /// A variable from `props` (checked when added to a pipeline).
    pub fn new(props: VariableProps) -> Self {
        Variable { props }
    }

    /// The variable's name.
    pub fn variable_name(&self) -> &str {
        &self.props.variable_name
    }

    /// `#{variables.<name>}`: use the value in action configurations.
    pub fn reference(&self) -> String {
        format!("#{{variables.{}}}", self.props.variable_name)
    }

    /// Problems with the variable's name, default value and description.
    pub fn errors(&self) -> Vec<String> {
        let p = &self.props;
        let mut errors = Vec::new();
        let name = &p.variable_name;
        let name_ok = !name.is_empty()
            && name.len() <= 128
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "@-_".contains(c));
        if !name_ok {
            errors.push(format!(
                "Variable name must match regular expression: /^[A-Za-z0-9@\\-_]{{1,128}}$/, got '{name}'"
            ));
        }
        if let Some(v) = &p.default_value {
            let n = v.chars().count();
            if !(1..=1000).contains(&n) {
                errors.push(format!(
                    "Default value for variable '{name}' must be between 1 and 1000 characters long, got {n}"
                ));
            }
        }
        if let Some(d) = &p.description {
            let n = d.chars().count();
            if n > 200 {
                errors.push(format!(
                    "Description for variable '{name}' must not be greater than 200 characters long, got {n}"
                ));
            }
        }
        errors
    }

    pub(super) fn render(&self) -> cfn_pipeline::VariableDeclarationProperty {
        cfn_pipeline::VariableDeclarationProperty {
            default_value: self.props.default_value.clone().map(Into::into),
            description: self.props.description.clone().map(Into::into),
            ..cfn_pipeline::VariableDeclarationProperty::new(self.props.variable_name.as_str())
        }
    }
}

/// What starts a triggered pipeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProviderType {
    /// A CodeStar connection source action (the only provider CodePipeline has).
    #[default]
    CodeStarSourceConnection,
}

/// Filters on pushes (each list at most 8 entries; tags or branches required; file paths
/// need branches).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GitPushFilter {
    /// Tags to ignore.
    pub tags_excludes: Vec<String>,
    /// Tags to run on.
    pub tags_includes: Vec<String>,
    /// Branches to ignore.
    pub branches_excludes: Vec<String>,
    /// Branches to run on.
    pub branches_includes: Vec<String>,
    /// File paths to ignore.
    pub file_paths_excludes: Vec<String>,
    /// File paths to run on.
    pub file_paths_includes: Vec<String>,
}

/// Pull-request events a trigger reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GitPullRequestEvent {
    /// `OPEN`.
    Open,
    /// `UPDATED`.
    Updated,
    /// `CLOSED`.
    Closed,
}

impl GitPullRequestEvent {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            GitPullRequestEvent::Open => "OPEN",
            GitPullRequestEvent::Updated => "UPDATED",
            GitPullRequestEvent::Closed => "CLOSED",
        }
    }
}

/// Filters on pull requests (branches required; default events: open, updated, closed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GitPullRequestFilter {
    /// Target branches to ignore.
    pub branches_excludes: Vec<String>,
    /// Target branches to run on.
    pub branches_includes: Vec<String>,
    /// File paths to ignore.
    pub file_paths_excludes: Vec<String>,
    /// File paths to run on.
    pub file_paths_includes: Vec<String>,
    /// Events (default all three).
    pub events: Vec<GitPullRequestEvent>,
}

/// The Git part of a trigger.
#[derive(Clone)]
pub struct GitConfiguration {
    /// The source action (a `CodeStarConnectionsSourceAction` of the pipeline).
    pub source_action: std::rc::Rc<dyn IAction>,
    /// Push filters (at most 3).
    pub push_filter: Vec<GitPushFilter>,
    /// Pull-request filters (at most 3).
    pub pull_request_filter: Vec<GitPullRequestFilter>,
}

/// Properties of a pipeline trigger ([`super::Pipeline::add_trigger`]).
#[derive(Clone)]
pub struct TriggerProps {
    /// The provider (CodeStar connections).
    pub provider_type: ProviderType,
    /// Which source action and which pushes / pull requests (default: CodePipeline's
    /// default trigger on every push of the action's branch).
    pub git_configuration: Option<GitConfiguration>,
}

/// At most this many entries in a filter list.
const MAX_FILTER_LENGTH: usize = 8;

impl TriggerProps {
    /// The source action's name.
    pub(super) fn source_action_name(&self) -> Option<String> {
        self.git_configuration
            .as_ref()
            .map(|g| g.source_action.action_properties().action_name)
    }

    /// aws-cdk-lib's `validateTriggers`.
    pub fn errors(&self) -> Vec<String> {
        let Some(g) = &self.git_configuration else {
            return Vec::new();
        };
        let props = g.source_action.action_properties();
        let name = props.action_name;
        let mut errors = Vec::new();
        if props.provider != "CodeStarSourceConnection" {
            errors.push(format!(
                "provider for actionProperties in sourceAction with name '{name}' must be 'CodeStarSourceConnection', got '{}'",
                props.provider
            ));
        }
        if g.push_filter.is_empty() && g.pull_request_filter.is_empty() {
            errors.push(format!("must specify either GitPushFilter or GitPullRequestFilter for the trigger with sourceAction with name '{name}'"));
        }
        let check_len = |errors: &mut Vec<String>, list: &[String], field: &str, kind: &str| {
            if list.len() > MAX_FILTER_LENGTH {
                errors.push(format!(
                    "maximum length of {field} in {kind} for sourceAction with name '{name}' is {MAX_FILTER_LENGTH}, got {}",
                    list.len()
                ));
            }
        };
        if g.push_filter.len() > 3 {
            errors.push(format!("length of GitPushFilter for sourceAction with name '{name}' must be less than or equal to 3, got {}", g.push_filter.len()));
        }
        for f in &g.push_filter {
            let kind = "GitPushFilter";
            check_len(&mut errors, &f.branches_excludes, "branchesExcludes", kind);
            check_len(&mut errors, &f.branches_includes, "branchesIncludes", kind);
            check_len(
                &mut errors,
                &f.file_paths_excludes,
                "filePathsExcludes",
                kind,
            );
            check_len(
                &mut errors,
                &f.file_paths_includes,
                "filePathsIncludes",
                kind,
            );
            check_len(&mut errors, &f.tags_excludes, "tagsExcludes", kind);
            check_len(&mut errors, &f.tags_includes, "tagsIncludes", kind);
            let has_branches = !f.branches_excludes.is_empty() || !f.branches_includes.is_empty();
            let has_paths = !f.file_paths_excludes.is_empty() || !f.file_paths_includes.is_empty();
            let has_tags = !f.tags_excludes.is_empty() || !f.tags_includes.is_empty();
            if has_paths && !has_branches {
                errors.push(format!(
                    "cannot specify filePaths without branches for sourceAction with name '{name}'"
                ));
            }
            if !has_tags && !has_branches {
                errors.push(format!("must specify either tags or branches in GitpushFilter for sourceAction with name '{name}'"));
            }
        }
        if g.pull_request_filter.len() > 3 {
            errors.push(format!("length of GitPullRequestFilter for sourceAction with name '{name}' must be less than or equal to 3, got {}", g.pull_request_filter.len()));
        }
        for f in &g.pull_request_filter {
            let kind = "GitPullRequestFilter";
            if f.branches_excludes.is_empty() && f.branches_includes.is_empty() {
                errors.push(format!("must specify branches in GitPullRequestFilter for sourceAction with name '{name}'"));
            }
            check_len(&mut errors, &f.branches_excludes, "branchesExcludes", kind);
            check_len(&mut errors, &f.branches_includes, "branchesIncludes", kind);
            check_len(
                &mut errors,
                &f.file_paths_excludes,
                "filePathsExcludes",
                kind,
            );
            check_len(
                &mut errors,
                &f.file_paths_includes,
                "filePathsIncludes",
                kind,
            );
        }
        errors
    }

    pub(super) fn render(&self) -> cfn_pipeline::PipelineTriggerDeclarationProperty {
        fn list(v: &[String]) -> Option<cdk_core::StrList> {
            (!v.is_empty()).then(|| v.iter().map(String::as_str).collect::<Vec<_>>().into())
        }
        fn branches(
            ex: &[String],
            inc: &[String],
        ) -> Option<cfn_pipeline::GitBranchFilterCriteriaProperty> {
            (!ex.is_empty() || !inc.is_empty()).then(|| {
                cfn_pipeline::GitBranchFilterCriteriaProperty {
                    excludes: list(ex),
                    includes: list(inc),
                }
            })
        }
        fn paths(
            ex: &[String],
            inc: &[String],
        ) -> Option<cfn_pipeline::GitFilePathFilterCriteriaProperty> {
            (!ex.is_empty() || !inc.is_empty()).then(|| {
                cfn_pipeline::GitFilePathFilterCriteriaProperty {
                    excludes: list(ex),
                    includes: list(inc),
                }
            })
        }
        let git_configuration = self.git_configuration.as_ref().map(|g| {
            let push: Vec<cfn_pipeline::GitPushFilterProperty> = g
                .push_filter
                .iter()
                .map(|f| cfn_pipeline::GitPushFilterProperty {
                    branches: branches(&f.branches_excludes, &f.branches_includes),
                    file_paths: paths(&f.file_paths_excludes, &f.file_paths_includes),
                    tags: (!f.tags_excludes.is_empty() || !f.tags_includes.is_empty()).then(|| {
                        cfn_pipeline::GitTagFilterCriteriaProperty {
                            excludes: list(&f.tags_excludes),
                            includes: list(&f.tags_includes),
                        }
                    }),
                })
                .collect();
            let pull_request: Vec<cfn_pipeline::GitPullRequestFilterProperty> = g
                .pull_request_filter
                .iter()
                .map(|f| {
                    let mut events: Vec<&str> = Vec::new();
                    for e in &f.events {
                        if !events.contains(&e.as_str()) {
                            events.push(e.as_str());
                        }
                    }
                    if events.is_empty() {
                        events = vec!["OPEN", "UPDATED", "CLOSED"];
                    }
                    cfn_pipeline::GitPullRequestFilterProperty {
                        branches: branches(&f.branches_excludes, &f.branches_includes),
                        events: Some(events.into()),
                        file_paths: paths(&f.file_paths_excludes, &f.file_paths_includes),
                    }
                })
                .collect();
            cfn_pipeline::GitConfigurationProperty {
                push: (!push.is_empty()).then_some(push),
                pull_request: (!pull_request.is_empty()).then_some(pull_request),
                ..cfn_pipeline::GitConfigurationProperty::new(
                    g.source_action.action_properties().action_name,
                )
            }
        });
        cfn_pipeline::PipelineTriggerDeclarationProperty {
            git_configuration,
            ..cfn_pipeline::PipelineTriggerDeclarationProperty::new(
                cfn_pipeline::PipelineTriggerDeclarationProviderType::CodeStarSourceConnection,
            )
        }
    }
}
