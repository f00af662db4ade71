//! aws-cdk-lib's `PipelineInvokeAction`: starts another pipeline, optionally with source
//! revisions and pipeline variables.

use std::rc::Rc;

use cdk_core::json::{ordered_object, to_json_string};
use cdk_core::{Node, Str, Value};

use super::config;
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionNamespace,
    ActionProperties, IAction, IPipeline, StageContext,
};
use crate::iam::{IRole, PolicyStatement};

/// The kind of a [`SourceRevision`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevisionType {
    /// `COMMIT_ID`.
    CommitId,
    /// `IMAGE_DIGEST`.
    ImageDigest,
    /// `S3_OBJECT_VERSION_ID`.
    S3ObjectVersionId,
    /// `S3_OBJECT_KEY`.
    S3ObjectKey,
}

impl RevisionType {
    /// The CodePipeline value.
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionType::CommitId => "COMMIT_ID",
            RevisionType::ImageDigest => "IMAGE_DIGEST",
            RevisionType::S3ObjectVersionId => "S3_OBJECT_VERSION_ID",
            RevisionType::S3ObjectKey => "S3_OBJECT_KEY",
        }
    }
}

/// The revision a source action of the target pipeline starts from.
#[derive(Clone, Debug)]
pub struct SourceRevision {
    /// The source action of the target pipeline.
    pub action_name: String,
    /// What `revision_value` is.
    pub revision_type: RevisionType,
    /// The revision (may be a variable of an earlier action).
    pub revision_value: Str,
}

/// A pipeline variable of the target pipeline and its value (aws-cdk-lib's `Variable` of
/// `aws-codepipeline-actions`, renamed so it does not clash with
/// [`crate::codepipeline::Variable`]).
#[derive(Clone, Debug)]
pub struct InvokeVariable {
    /// The target pipeline's variable.
    pub name: String,
    /// Its value (may be a variable of an earlier action).
    pub value: Str,
}

/// Properties of a [`PipelineInvokeAction`].
#[derive(Clone)]
pub struct PipelineInvokeActionProps {
    /// Action name.
    pub action_name: String,
    /// The pipeline to start.
    pub target_pipeline: Rc<dyn IPipeline>,
    /// Revisions for the target's source actions (default: their latest).
    pub source_revisions: Option<Vec<SourceRevision>>,
    /// Values of the target's pipeline variables.
    pub variables: Option<Vec<InvokeVariable>>,
    /// The role of the action (default: a new `CodePipelineActionRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl PipelineInvokeActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, target_pipeline: &(impl IPipeline + Clone + 'static)) -> Self {
        PipelineInvokeActionProps {
            action_name: action_name.to_string(),
            target_pipeline: Rc::new(target_pipeline.clone()),
            source_revisions: None,
            variables: None,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Starts another pipeline (`Invoke` category, `CodePipeline` provider), as aws-cdk-lib's
/// `PipelineInvokeAction`: the action role may `codepipeline:StartPipelineExecution` on the
/// target; source revisions and variables are rendered as JSON text.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codepipeline::Pipeline;
/// use cdk_constructs::codepipeline_actions::*;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Ci", StackProps::default());
/// let target = Pipeline::from_pipeline_arn(
///     &stack, "Deploy", "arn:aws:codepipeline:us-east-1:123456789012:deploy");
/// let invoke = PipelineInvokeAction::new(PipelineInvokeActionProps {
///     variables: Some(vec![InvokeVariable { name: "env".into(), value: "prod".into() }]),
///     ..PipelineInvokeActionProps::new("StartDeploy", &target)
/// });
/// # let _ = invoke;
/// ```
#[derive(Clone)]
pub struct PipelineInvokeAction {
    props: PipelineInvokeActionProps,
    namespace: ActionNamespace,
}

impl PipelineInvokeAction {
    /// An action from `props`.
    pub fn new(props: PipelineInvokeActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        PipelineInvokeAction { props, namespace }
    }
}

impl IAction for PipelineInvokeAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            artifact_bounds: ActionArtifactBounds::new(0, 0, 0, 0),
            run_order: p.run_order,
            role: p.role.clone(),
            variables_namespace: p.variables_namespace.clone(),
            ..ActionProperties::new(
                p.action_name.clone(),
                ActionCategory::Invoke,
                "CodePipeline",
            )
        }
    }

    fn bind(
        &self,
        _scope: &Node,
        _stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        options.role.add_to_policy(
            PolicyStatement::new()
                .action("codepipeline:StartPipelineExecution")
                .resource(p.target_pipeline.pipeline_arn()),
        );
        let revisions = p.source_revisions.as_ref().map(|list| {
            to_json_string(
                Value::List(
                    list.iter()
                        .map(|r| {
                            ordered_object(vec![
                                ("actionName".into(), r.action_name.as_str().into()),
                                ("revisionType".into(), r.revision_type.as_str().into()),
                                (
                                    "revisionValue".into(),
                                    r.revision_value.clone().into_value(),
                                ),
                            ])
                        })
                        .collect(),
                ),
                0,
            )
            .into_value()
        });
        let variables = p.variables.as_ref().map(|list| {
            to_json_string(
                Value::List(
                    list.iter()
                        .map(|v| {
                            ordered_object(vec![
                                ("name".into(), v.name.as_str().into()),
                                ("value".into(), v.value.clone().into_value()),
                            ])
                        })
                        .collect(),
                ),
                0,
            )
            .into_value()
        });
        ActionConfig {
            configuration: Some(config(vec![
                (
                    "PipelineName",
                    p.target_pipeline.pipeline_name().into_value(),
                ),
                ("SourceRevisions", revisions.unwrap_or_default()),
                ("Variables", variables.unwrap_or_default()),
            ])),
        }
    }
}
