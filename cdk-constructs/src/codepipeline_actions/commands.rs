//! aws-cdk-lib's `CommandsAction`: shell commands run by CodePipeline itself (the `Compute`
//! category's `Commands` provider), with output variables later actions can read.

use std::rc::Rc;

use cdk_core::{ArnComponents, ArnFormat, Node, Stack, Str};

use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionNamespace,
    ActionProperties, Artifact, IAction, StageContext,
};
use crate::iam::{IRole, PolicyStatement};

/// Properties of a [`CommandsAction`].
#[derive(Clone)]
pub struct CommandsActionProps {
    /// Action name.
    pub action_name: String,
    /// The commands, run in order (1 to 50).
    pub commands: Vec<String>,
    /// The artifact the commands run in.
    pub input: Artifact,
    /// More input artifacts (at most 9).
    pub extra_inputs: Vec<Artifact>,
    /// The artifact the commands write (its files are chosen by [`Artifact::with_files`]).
    pub output: Option<Artifact>,
    /// Environment variables the commands export as the action's output variables (1 to 15
    /// when given; read them with [`CommandsAction::variable`]).
    pub output_variables: Option<Vec<String>>,
    /// The role of the action (default: a new `CodePipelineActionRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CommandsActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, commands: &[&str], input: &Artifact) -> Self {
        CommandsActionProps {
            action_name: action_name.to_string(),
            commands: commands.iter().map(|c| c.to_string()).collect(),
            input: input.clone(),
            extra_inputs: Vec::new(),
            output: None,
            output_variables: None,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Runs shell commands in the pipeline, as aws-cdk-lib's `CommandsAction`: the action role
/// may write the `/aws/codepipeline/<pipeline>` log group and read (inputs) / write (output)
/// the artifact bucket. Needs a V2 pipeline at CodePipeline.
///
/// ```
/// use cdk_constructs::codepipeline::Artifact;
/// use cdk_constructs::codepipeline_actions::*;
///
/// let source = Artifact::new("Source");
/// let built = Artifact::with_files("Built", &["dist/**/*"]);
/// let action = CommandsAction::new(CommandsActionProps {
///     output: Some(built),
///     output_variables: Some(vec!["VERSION".into()]),
///     ..CommandsActionProps::new("Build", &["npm ci", "npm run build", "export VERSION=1.2.3"], &source)
/// });
/// let version = action.variable("VERSION"); // `#{<namespace>.VERSION}`
/// # let _ = version;
/// ```
#[derive(Clone)]
pub struct CommandsAction {
    props: CommandsActionProps,
    namespace: ActionNamespace,
}

impl CommandsAction {
    /// An action from `props`.
    pub fn new(props: CommandsActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CommandsAction { props, namespace }
    }

    /// `#{Namespace.<variable_name>}`: the value of an exported output variable, for a later
    /// action's configuration. A variable that is not in `output_variables` is a synth error
    /// where it is used (aws-cdk-lib throws).
    pub fn variable(&self, variable_name: &str) -> Str {
        let exported = self.props.output_variables.clone().unwrap_or_default();
        if exported.iter().any(|v| v == variable_name) {
            return self.namespace.variable_expression(variable_name);
        }
        let message = format!(
            "Variable '{variable_name}' is not exported by `outputVariables`, exported variables: {}",
            exported.join(", ")
        );
        Str::lazy_with_context(move |ctx| {
            ctx.fail(message.clone());
            Str::from("")
        })
    }

    fn errors(&self) -> Vec<String> {
        let p = &self.props;
        let mut errors = Vec::new();
        let n = p.commands.len();
        if !(1..=50).contains(&n) {
            errors.push(format!(
                "The length of the commands array must be between 1 and 50, got: {n}"
            ));
        }
        if let Some(vars) = &p.output_variables {
            let n = vars.len();
            if !(1..=15).contains(&n) {
                errors.push(format!(
                    "The length of the outputVariables array must be between 1 and 15, got: {n}"
                ));
            }
        }
        errors
    }
}

impl IAction for CommandsAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn commands(&self) -> Vec<String> {
        self.props.commands.clone()
    }

    fn output_variables(&self) -> Vec<String> {
        self.props.output_variables.clone().unwrap_or_default()
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        let mut inputs = vec![p.input.clone()];
        inputs.extend(p.extra_inputs.iter().cloned());
        ActionProperties {
            artifact_bounds: ActionArtifactBounds::new(1, 10, 0, 1),
            run_order: p.run_order,
            inputs,
            outputs: p.output.iter().cloned().collect(),
            role: p.role.clone(),
            variables_namespace: p.variables_namespace.clone(),
            ..ActionProperties::new(p.action_name.clone(), ActionCategory::Compute, "Commands")
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        for e in self.errors() {
            scope.add_error(&e);
        }
        if let Some(stack) = Stack::of(scope) {
            let log_group = stack.format_arn(
                ArnComponents::new("logs", "log-group")
                    .with_name(Str::from("/aws/codepipeline/") + stage.pipeline.pipeline_name())
                    .with_format(ArnFormat::ColonResourceName),
            );
            let with_wildcard = log_group.clone() + ":*";
            options.role.add_to_policy(
                PolicyStatement::new()
                    .resources([log_group, with_wildcard.clone()])
                    .actions([
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                    ]),
            );
            options.role.add_to_policy(
                PolicyStatement::new()
                    .resource(with_wildcard)
                    .action("logs:GetLogEvents"),
            );
        }
        options.bucket.grant_read(options.role.as_ref());
        if self.props.output.is_some() {
            options.bucket.grant_write(options.role.as_ref());
        }
        ActionConfig::default()
    }
}
