//! aws-cdk-lib's `S3SourceAction` (an object in a versioned bucket as the pipeline's source,
//! polled or triggered by a CloudTrail event rule) and `S3DeployAction` (an artifact written
//! to a bucket).

use std::rc::Rc;

use cdk_core::{IConstruct, Names, Node, Str, Value};

use super::{config, source_properties};
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionNamespace,
    ActionProperties, ActionResource, Artifact, IAction, StageContext,
};
use crate::events::CodePipelineTarget;
use crate::iam::IRole;
use crate::kms::IKey;
use crate::s3::{BucketAccessControl, IBucket, OnCloudTrailBucketEventOptions};

/// How an S3 source action notices a new object version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Trigger {
    /// Never: the pipeline runs only when started.
    None,
    /// CodePipeline polls the object.
    Poll,
    /// An EventBridge rule on CloudTrail's `PutObject`/`CopyObject`/`CompleteMultipartUpload`
    /// events of the object starts the pipeline. The bucket's data events must be logged by
    /// a CloudTrail trail (not created by the action).
    Events,
}

/// Properties of an [`S3SourceAction`].
#[derive(Clone)]
pub struct S3SourceActionProps {
    /// Action name.
    pub action_name: String,
    /// The bucket (versioned) holding the source object.
    pub bucket: Rc<dyn IBucket>,
    /// The key of the source object (a zip file).
    pub bucket_key: String,
    /// The artifact receiving the object.
    pub output: Artifact,
    /// Change detection (default: none given, so `PollForSourceChanges` is left out and
    /// CodePipeline polls).
    pub trigger: Option<S3Trigger>,
    /// The role of the action (default: a new `CodePipelineActionRole`; for a bucket of
    /// another account a role created in that account).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl S3SourceActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        bucket: &(impl IBucket + Clone + 'static),
        bucket_key: &str,
        output: &Artifact,
    ) -> Self {
        S3SourceActionProps {
            action_name: action_name.to_string(),
            bucket: Rc::new(bucket.clone()),
            bucket_key: bucket_key.to_string(),
            output: output.clone(),
            trigger: None,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// The output variables of an [`S3SourceAction`] (aws-cdk-lib's `S3SourceVariables`).
#[derive(Clone, Debug)]
pub struct S3SourceVariables {
    /// `VersionId`: the version of the object.
    pub version_id: Str,
    /// `ETag`: the object's entity tag.
    pub e_tag: Str,
}

/// Source action reading an object of an S3 bucket.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codepipeline::Artifact;
/// use cdk_constructs::codepipeline_actions::*;
/// use cdk_constructs::s3::{Bucket, BucketProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "PipelineStack", StackProps::default());
/// let bucket = Bucket::new(&stack, "PipelineBucket", BucketProps { versioned: true, ..Default::default() });
/// let source = Artifact::new("Source");
/// let action = S3SourceAction::new(S3SourceActionProps {
///     trigger: Some(S3Trigger::Events),
///     ..S3SourceActionProps::new("Source", &bucket, "key", &source)
/// });
/// # let _ = action;
/// ```
#[derive(Clone)]
pub struct S3SourceAction {
    props: S3SourceActionProps,
    namespace: ActionNamespace,
}

impl S3SourceAction {
    /// An action from `props`.
    pub fn new(props: S3SourceActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        S3SourceAction { props, namespace }
    }

    /// The action's output variables, as `#{Namespace.Variable}` expressions for later
    /// actions' configuration (aws-cdk-lib's `variables`). Using one makes the pipeline render
    /// the action's namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variables(&self) -> S3SourceVariables {
        S3SourceVariables {
            version_id: self.namespace.variable_expression("VersionId"),
            e_tag: self.namespace.variable_expression("ETag"),
        }
    }
}

impl IAction for S3SourceAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            run_order: p.run_order,
            role: p.role.clone(),
            resource: ActionResource::of(p.bucket.node(), p.bucket.env()),
            variables_namespace: p.variables_namespace.clone(),
            ..source_properties(&p.action_name, "S3", &p.output)
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        if p.trigger == Some(S3Trigger::Events) {
            // constructs replaces '/' in construct IDs with "--"; keys usually hold slashes.
            let id = format!(
                "{}SourceEventRule{}",
                Names::unique_id(&stage.pipeline),
                p.bucket_key
            )
            .replace('/', "--");
            if p.bucket.node().try_find_child(&id).is_some() {
                scope.add_error(&format!(
                    "S3 source action with path '{}' is already present in the pipeline for this source bucket",
                    p.bucket_key
                ));
            } else {
                p.bucket.on_cloud_trail_write_object(
                    &id,
                    OnCloudTrailBucketEventOptions {
                        paths: vec![p.bucket_key.clone()],
                        target: Some(Rc::new(CodePipelineTarget::new(&stage.pipeline))),
                        cross_stack_scope: Some(stage.pipeline.node().clone()),
                        ..Default::default()
                    },
                );
            }
        }
        p.bucket
            .grant_read_objects(options.role.as_ref(), &p.bucket_key);
        options.bucket.grant_write(options.role.as_ref());
        ActionConfig {
            configuration: Some(config(vec![
                ("S3Bucket", p.bucket.bucket_name().into_value()),
                ("S3ObjectKey", p.bucket_key.as_str().into()),
                (
                    "PollForSourceChanges",
                    p.trigger
                        .map(|t| Value::from(t == S3Trigger::Poll))
                        .unwrap_or_default(),
                ),
            ])),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Deploy

/// A `Cache-Control` directive of objects written by an [`S3DeployAction`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheControl(String);

impl CacheControl {
    /// `must-revalidate`.
    pub fn must_revalidate() -> Self {
        CacheControl("must-revalidate".into())
    }
    /// `no-cache`.
    pub fn no_cache() -> Self {
        CacheControl("no-cache".into())
    }
    /// `no-transform`.
    pub fn no_transform() -> Self {
        CacheControl("no-transform".into())
    }
    /// `no-store`.
    pub fn no_store() -> Self {
        CacheControl("no-store".into())
    }
    /// `must-understand`.
    pub fn must_understand() -> Self {
        CacheControl("must-understand".into())
    }
    /// `public`.
    pub fn set_public() -> Self {
        CacheControl("public".into())
    }
    /// `private`.
    pub fn set_private() -> Self {
        CacheControl("private".into())
    }
    /// `immutable`.
    pub fn immutable() -> Self {
        CacheControl("immutable".into())
    }
    /// `proxy-revalidate`.
    pub fn proxy_revalidate() -> Self {
        CacheControl("proxy-revalidate".into())
    }
    /// `max-age=<seconds>`.
    pub fn max_age_seconds(seconds: u64) -> Self {
        CacheControl(format!("max-age={seconds}"))
    }
    /// `s-maxage=<seconds>`.
    pub fn s_max_age_seconds(seconds: u64) -> Self {
        CacheControl(format!("s-maxage={seconds}"))
    }
    /// `stale-while-revalidate=<seconds>`.
    pub fn stale_while_revalidate_seconds(seconds: u64) -> Self {
        CacheControl(format!("stale-while-revalidate={seconds}"))
    }
    /// `stale-if-error=<seconds>`.
    pub fn stale_if_error_seconds(seconds: u64) -> Self {
        CacheControl(format!("stale-if-error={seconds}"))
    }
    /// Any directive, as written.
    pub fn from_string(value: &str) -> Self {
        CacheControl(value.to_string())
    }
    /// The directive.
    pub fn value(&self) -> &str {
        &self.0
    }
}

/// Properties of an [`S3DeployAction`].
#[derive(Clone)]
pub struct S3DeployActionProps {
    /// Action name.
    pub action_name: String,
    /// The bucket to write to.
    pub bucket: Rc<dyn IBucket>,
    /// The artifact to deploy.
    pub input: Artifact,
    /// Unzip the artifact into the bucket (default true); when false `object_key` names the
    /// object.
    pub extract: Option<bool>,
    /// Key (prefix, when extracting) of the written objects.
    pub object_key: Option<Str>,
    /// Canned ACL of the written objects (grants `PutObjectAcl`).
    pub access_control: Option<BucketAccessControl>,
    /// `Cache-Control` of the written objects.
    pub cache_control: Vec<CacheControl>,
    /// Key to encrypt the written objects with (the action role may encrypt with it).
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// The role of the action (default: a new `CodePipelineActionRole`; for a bucket of
    /// another account a role created in that account).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl S3DeployActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        bucket: &(impl IBucket + Clone + 'static),
        input: &Artifact,
    ) -> Self {
        S3DeployActionProps {
            action_name: action_name.to_string(),
            bucket: Rc::new(bucket.clone()),
            input: input.clone(),
            extract: None,
            object_key: None,
            access_control: None,
            cache_control: Vec::new(),
            encryption_key: None,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Deploys an artifact to an S3 bucket.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codepipeline::Artifact;
/// use cdk_constructs::codepipeline_actions::*;
/// use cdk_constructs::s3::{Bucket, BucketAccessControl, BucketProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "PipelineStack", StackProps::default());
/// let site = Bucket::new(&stack, "DeployBucket", BucketProps::default());
/// let build_output = Artifact::new("Build");
/// let deploy = S3DeployAction::new(S3DeployActionProps {
///     access_control: Some(BucketAccessControl::PublicRead),
///     cache_control: vec![CacheControl::set_public(), CacheControl::max_age_seconds(43200)],
///     ..S3DeployActionProps::new("DeployAction", &site, &build_output)
/// });
/// # let _ = deploy;
/// ```
#[derive(Clone)]
pub struct S3DeployAction {
    props: S3DeployActionProps,
    namespace: ActionNamespace,
}

impl S3DeployAction {
    /// An action from `props`.
    pub fn new(props: S3DeployActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        S3DeployAction { props, namespace }
    }
}

impl IAction for S3DeployAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            artifact_bounds: ActionArtifactBounds::new(1, 1, 0, 0),
            run_order: p.run_order,
            inputs: vec![p.input.clone()],
            role: p.role.clone(),
            resource: ActionResource::of(p.bucket.node(), p.bucket.env()),
            variables_namespace: p.variables_namespace.clone(),
            ..ActionProperties::new(p.action_name.clone(), ActionCategory::Deploy, "S3")
        }
    }

    fn bind(
        &self,
        _scope: &Node,
        _stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        p.bucket.grant_write(options.role.as_ref());
        if p.access_control.is_some() {
            p.bucket.grant_put_acl(options.role.as_ref());
        }
        options.bucket.grant_read(options.role.as_ref());
        if let Some(key) = &p.encryption_key {
            key.grant_encrypt(options.role.as_ref());
        }
        let cache_control = (!p.cache_control.is_empty()).then(|| {
            p.cache_control
                .iter()
                .map(CacheControl::value)
                .collect::<Vec<_>>()
                .join(", ")
        });
        ActionConfig {
            configuration: Some(config(vec![
                ("BucketName", p.bucket.bucket_name().into_value()),
                (
                    "Extract",
                    if p.extract == Some(false) {
                        "false"
                    } else {
                        "true"
                    }
                    .into(),
                ),
                (
                    "ObjectKey",
                    p.object_key
                        .clone()
                        .map(Str::into_value)
                        .unwrap_or_default(),
                ),
                (
                    "CannedACL",
                    p.access_control
                        .map(|a| Value::from(a.canned_acl()))
                        .unwrap_or_default(),
                ),
                (
                    "CacheControl",
                    cache_control.map(Value::from).unwrap_or_default(),
                ),
                (
                    "KMSEncryptionKeyARN",
                    p.encryption_key
                        .as_ref()
                        .map(|k| k.key_arn().into_value())
                        .unwrap_or_default(),
                ),
            ])),
        }
    }
}
