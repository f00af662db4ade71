//! Secret rotation with a Lambda function (aws-cdk-lib's `RotationSchedule`).

use std::rc::Rc;
use std::time::Duration;

use cdk_core::{IConstruct, Node, Str};

use super::{cfn_rotation_schedule, CfnRotationSchedule, CfnRotationScheduleProps, ISecret};
use crate::events::Schedule;
use crate::iam::{PolicyStatement, ServicePrincipal};
use crate::kms::ViaServicePrincipal;
use crate::lambda::IFunction;

/// Options of a rotation added to a secret ([`ISecret::add_rotation_schedule`]).
#[derive(Clone)]
pub struct RotationScheduleOptions {
    /// The function that rotates the secret.
    pub rotation_lambda: Rc<dyn IFunction>,
    /// How often (4 hours to 1000 days; default 30 days; zero disables automatic rotation).
    pub automatically_after: Option<Duration>,
    /// Rotate as soon as the schedule is created or changed (default: Secrets Manager's, true).
    pub rotate_immediately_on_update: Option<bool>,
}

impl RotationScheduleOptions {
    /// Rotation by `rotation_lambda` every 30 days.
    pub fn new(rotation_lambda: Rc<dyn IFunction>) -> Self {
        RotationScheduleOptions {
            rotation_lambda,
            automatically_after: None,
            rotate_immediately_on_update: None,
        }
    }
}

/// Properties of a [`RotationSchedule`].
#[derive(Clone)]
pub struct RotationScheduleProps {
    /// The secret to rotate.
    pub secret: Rc<dyn ISecret>,
    /// The rotation options.
    pub options: RotationScheduleOptions,
}

/// The rotation of a secret (`AWS::SecretsManager::RotationSchedule`, child `Resource`). For
/// a function of this app, as aws-cdk-lib: Secrets Manager may invoke it, its role may read
/// and update the secret and generate passwords, and it may use the secret's key through
/// Secrets Manager; the account root may no longer delete the secret.
///
/// ```
/// use std::rc::Rc;
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::secretsmanager::*;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let secret = Secret::new(&stack, "Secret", SecretProps::default());
/// let rotator = Function::new(&stack, "Rotator", FunctionProps::new(
///     Runtime::Nodejs22X, "index.handler", Code::from_inline("exports.handler = async () => {}"),
/// ));
/// secret.add_rotation_schedule("Schedule", RotationScheduleOptions {
///     automatically_after: Some(Duration::from_secs(7 * 24 * 3600)),
///     ..RotationScheduleOptions::new(Rc::new(rotator))
/// });
/// ```
#[derive(Clone)]
pub struct RotationSchedule {
    node: Node,
    resource: CfnRotationSchedule,
}

impl IConstruct for RotationSchedule {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl RotationSchedule {
    /// Defines the rotation `id` of `props.secret` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: RotationScheduleProps) -> Self {
        Self::for_secret(scope.node(), id, props.secret.as_ref(), props.options)
    }

    pub(super) fn for_secret(
        scope: &Node,
        id: &str,
        secret: &dyn ISecret,
        options: RotationScheduleOptions,
    ) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.secretsmanager.RotationSchedule");
        let lambda = &options.rotation_lambda;
        if lambda.node().default_child().is_some() {
            if let Some(key) = secret.encryption_key() {
                if let Some(role) = lambda.role() {
                    key.grant_encrypt_decrypt(&ViaServicePrincipal::new(
                        super::via_service(&node),
                        role.as_ref(),
                    ));
                }
            }
            let grant = crate::lambda::grant_invoke(
                lambda.as_ref(),
                &ServicePrincipal::new("secretsmanager.amazonaws.com"),
            );
            grant.apply_before(&[&node]);
            let secret_resource = secret
                .secret_full_arn()
                .unwrap_or_else(|| secret.secret_arn() + "-??????");
            lambda.add_to_role_policy(
                PolicyStatement::new()
                    .actions([
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:GetSecretValue",
                        "secretsmanager:PutSecretValue",
                        "secretsmanager:UpdateSecretVersionStage",
                    ])
                    .resource(secret_resource),
            );
            lambda.add_to_role_policy(
                PolicyStatement::new()
                    .action("secretsmanager:GetRandomPassword")
                    .resource("*"),
            );
        }
        let expression = match options.automatically_after {
            Some(d) if d.is_zero() => None,
            Some(d) => {
                if d < Duration::from_secs(4 * 3600) {
                    node.add_error(&format!(
                        "automaticallyAfter must not be smaller than 4 hours, got {} hours",
                        d.as_secs_f64() / 3600.0
                    ));
                }
                if d > Duration::from_secs(1000 * 24 * 3600) {
                    node.add_error(&format!(
                        "automaticallyAfter must not be greater than 1000 days, got {} days",
                        d.as_secs_f64() / 86400.0
                    ));
                }
                Some(Schedule::rate(d).expression_string().to_string())
            }
            None => Some(
                Schedule::rate(Duration::from_secs(30 * 24 * 3600))
                    .expression_string()
                    .to_string(),
            ),
        };
        let mut props = CfnRotationScheduleProps::new(secret.secret_arn());
        props.rotation_lambda_arn = Some(lambda.function_arn());
        props.rotation_rules = expression.map(|e| cfn_rotation_schedule::RotationRulesProperty {
            schedule_expression: Some(Str::from(e)),
            ..Default::default()
        });
        props.rotate_immediately_on_update = options.rotate_immediately_on_update.map(Into::into);
        let resource = CfnRotationSchedule::new(&node, "Resource", props);
        secret.deny_account_root_delete();
        RotationSchedule { node, resource }
    }

    /// The underlying `AWS::SecretsManager::RotationSchedule`.
    pub fn cfn(&self) -> &CfnRotationSchedule {
        &self.resource
    }
}
