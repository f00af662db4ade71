//! aws-cdk-lib's `ManualApprovalAction`: a stage waits for a person to approve or reject,
//! optionally notifying an SNS topic (created with e-mail subscriptions for `notify_emails`).

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::{IConstruct, Node, Str, Value};

use super::config;
use crate::codepipeline::ActionNamespace;
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    IAction, Pipeline, StageContext,
};
use crate::iam::{IPrincipal, IRole, PolicyStatement};
use crate::sns::{CfnSubscription, CfnSubscriptionProps, CfnTopic, CfnTopicProps};

/// Properties of a [`ManualApprovalAction`].
#[derive(Clone, Default)]
pub struct ManualApprovalActionProps {
    /// Action name.
    pub action_name: String,
    /// ARN of an existing topic notified when the approval is pending (default: a new topic
    /// `TopicResource` when `notify_emails` is given, else no notification).
    pub notification_topic_arn: Option<Str>,
    /// E-mail addresses subscribed to the notification topic.
    pub notify_emails: Vec<String>,
    /// Text shown to the approver (`CustomData`).
    pub additional_information: Option<Str>,
    /// A URL the approver should review (`ExternalEntityLink`).
    pub external_entity_link: Option<Str>,
    /// How long the action waits, in minutes (5 to 86400; default CodePipeline's 7 days).
    pub timeout_minutes: Option<u32>,
    /// The role of the action (default: a new `CodePipelineActionRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl ManualApprovalActionProps {
    /// Props with an action name; the rest default.
    pub fn new(action_name: &str) -> Self {
        ManualApprovalActionProps {
            action_name: action_name.to_string(),
            ..Default::default()
        }
    }
}

/// Where the action was bound (for [`ManualApprovalAction::grant_manual_approval`]).
#[derive(Default)]
struct Bound {
    pipeline: Option<Pipeline>,
    stage_name: String,
    topic_arn: Option<Str>,
}

/// A manual approval step (`Approval` category, provider `Manual`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codecommit::{Repository, RepositoryProps};
/// use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
/// use cdk_constructs::codepipeline_actions::*;
/// use cdk_constructs::iam::{Role, RoleProps, AccountRootPrincipal};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "PipelineStack", StackProps::default());
/// let repo = Repository::new(&stack, "Repo", RepositoryProps { repository_name: "repo".into(), ..Default::default() });
/// let source = Artifact::new("Source");
/// let approve = ManualApprovalAction::new(ManualApprovalActionProps {
///     notify_emails: vec!["team@example.com".into()],
///     additional_information: Some("Check the change set first".into()),
///     ..ManualApprovalActionProps::new("Approve")
/// });
/// Pipeline::new(&stack, "Pipeline", PipelineProps {
///     stages: vec![
///         StageProps::new("Source", vec![Box::new(CodeCommitSourceAction::new(
///             CodeCommitSourceActionProps::new("Source", &repo, &source)))]),
///         StageProps::new("Approve", vec![Box::new(approve.clone())]),
///     ],
///     ..Default::default()
/// });
/// // People assuming this role may approve.
/// let approvers = Role::new(&stack, "Approvers", RoleProps::assumed_by(AccountRootPrincipal::new()));
/// approve.grant_manual_approval(&approvers);
/// assert!(approve.notification_topic_arn().is_some());
/// ```
#[derive(Clone)]
pub struct ManualApprovalAction {
    props: ManualApprovalActionProps,
    bound: Rc<RefCell<Bound>>,
    namespace: ActionNamespace,
}

impl ManualApprovalAction {
    /// An action from `props`.
    pub fn new(props: ManualApprovalActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        ManualApprovalAction {
            props,
            bound: Rc::default(),
            namespace,
        }
    }

    /// The topic notified (known once the action is added to a pipeline).
    pub fn notification_topic_arn(&self) -> Option<Str> {
        self.bound
            .borrow()
            .topic_arn
            .clone()
            .or_else(|| self.props.notification_topic_arn.clone())
    }

    /// Allows `grantee` to see the pipeline and approve or reject this action
    /// (`codepipeline:ListPipelines` on `*`, `GetPipeline*` on the pipeline,
    /// `PutApprovalResult` on `<pipeline>/<stage>/<action>`). Before the action is added to a
    /// pipeline this is an error on the grantee's construct.
    pub fn grant_manual_approval(&self, grantee: &dyn IPrincipal) {
        let bound = self.bound.borrow();
        let Some(pipeline) = &bound.pipeline else {
            if let Some(node) = grantee.owned_resource_node() {
                node.add_error("Cannot grant permissions before binding action to a stage");
            }
            return;
        };
        let arn = pipeline.pipeline_arn();
        grantee.add_to_principal_policy(
            &PolicyStatement::new()
                .action("codepipeline:ListPipelines")
                .all_resources(),
        );
        grantee.add_to_principal_policy(
            &PolicyStatement::new()
                .actions([
                    "codepipeline:GetPipeline",
                    "codepipeline:GetPipelineState",
                    "codepipeline:GetPipelineExecution",
                ])
                .resource(arn.clone()),
        );
        grantee.add_to_principal_policy(
            &PolicyStatement::new()
                .action("codepipeline:PutApprovalResult")
                .resource(Str::concat([
                    arn,
                    Str::from(format!("/{}/{}", bound.stage_name, self.props.action_name)),
                ])),
        );
    }
}

impl IAction for ManualApprovalAction {
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
            timeout_minutes: p.timeout_minutes,
            ..ActionProperties::new(p.action_name.clone(), ActionCategory::Approval, "Manual")
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        if let Some(t) = p.timeout_minutes {
            if !(5..=86400).contains(&t) {
                scope.add_error(&format!(
                    "timeout must be between 5 minutes and 86400 minutes (60 days), got {t} minutes"
                ));
            }
        }
        let topic_arn = match &p.notification_topic_arn {
            Some(arn) => Some(arn.clone()),
            None if !p.notify_emails.is_empty() => {
                // sns.Topic(scope, 'TopicResource'): its CfnTopic is `Resource`.
                let topic_node = Node::new(scope, "TopicResource");
                let topic = CfnTopic::new(&topic_node, "Resource", CfnTopicProps::default());
                topic_node.set_default_child(topic.node());
                Some(topic.ref_())
            }
            None => None,
        };
        if let Some(arn) = &topic_arn {
            // topic.grantPublish(options.role)
            options.role.add_to_principal_policy(
                &PolicyStatement::new()
                    .action("sns:Publish")
                    .resource(arn.clone()),
            );
            // topic.addSubscription(new EmailSubscription(email)): a `Subscription` named after
            // the address under the topic.
            let topic_node = scope.try_find_child("TopicResource");
            for email in &p.notify_emails {
                let parent = topic_node.clone().unwrap_or_else(|| scope.clone());
                if parent.try_find_child(email).is_some() {
                    scope.add_error(&format!(
                        "A subscription with id \"{email}\" already exists under the scope {}",
                        parent.path()
                    ));
                    continue;
                }
                let sub_node = Node::new(&parent, email);
                let sub = CfnSubscription::new(
                    &sub_node,
                    "Resource",
                    CfnSubscriptionProps {
                        endpoint: Some(email.as_str().into()),
                        ..CfnSubscriptionProps::new("email", arn.clone())
                    },
                );
                sub_node.set_default_child(sub.node());
            }
        }
        {
            let mut b = self.bound.borrow_mut();
            b.pipeline = Some(stage.pipeline.clone());
            b.stage_name = stage.stage_name.clone();
            b.topic_arn = topic_arn.clone();
        }
        let configuration = config(vec![
            (
                "NotificationArn",
                topic_arn.map(Str::into_value).unwrap_or_default(),
            ),
            (
                "CustomData",
                p.additional_information
                    .clone()
                    .map(Str::into_value)
                    .unwrap_or_default(),
            ),
            (
                "ExternalEntityLink",
                p.external_entity_link
                    .clone()
                    .map(Str::into_value)
                    .unwrap_or_default(),
            ),
        ]);
        let empty = matches!(&configuration, Value::Map(m) if m.is_empty());
        ActionConfig {
            configuration: (!empty).then_some(configuration),
        }
    }
}
