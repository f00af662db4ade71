//! aws-cdk-lib's `LambdaInvokeAction`: a stage invokes a Lambda function, which reports back
//! with `PutJobSuccessResult`/`PutJobFailureResult`.

use std::rc::Rc;

use cdk_core::{Node, Str, Value};

use super::config;
use crate::codepipeline::ActionNamespace;
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    ActionResource, Artifact, IAction, StageContext,
};
use crate::iam::{IRole, PolicyStatement};
use crate::lambda::IFunction;

/// What the function receives as `UserParameters`.
#[derive(Clone, Debug)]
pub enum UserParameters {
    /// A JSON value, rendered as a JSON string (tokens allowed).
    Json(Value),
    /// A string, passed as is (tokens and action variables allowed).
    String(Str),
}

/// Properties of a [`LambdaInvokeAction`].
#[derive(Clone)]
pub struct LambdaInvokeActionProps {
    /// Action name.
    pub action_name: String,
    /// The function to invoke.
    pub lambda: Rc<dyn IFunction>,
    /// Input artifacts (the action role may read the artifact bucket).
    pub inputs: Vec<Artifact>,
    /// Output artifacts (the action role may write the artifact bucket).
    pub outputs: Vec<Artifact>,
    /// Parameters passed to the function (default none).
    pub user_parameters: Option<UserParameters>,
    /// The role of the action (default: a new `CodePipelineActionRole`; for a function of
    /// another account a role created in that account).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace (the function's `outputVariables`).
    pub variables_namespace: Option<String>,
}

impl LambdaInvokeActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, lambda: impl Into<Rc<dyn IFunction>>) -> Self {
        LambdaInvokeActionProps {
            action_name: action_name.to_string(),
            lambda: lambda.into(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            user_parameters: None,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Invokes a Lambda function from a pipeline stage.
///
/// ```
/// use std::rc::Rc;
/// use cdk_core::{App, Stack, StackProps, Value};
/// use cdk_constructs::codepipeline_actions::*;
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, IFunction, Runtime};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "PipelineStack", StackProps::default());
/// let function = Function::new(&stack, "LambdaFun", FunctionProps::new(
///     Runtime::Nodejs22X, "index.handler", Code::from_inline("exports.handler = async () => {};")));
/// let function: Rc<dyn IFunction> = Rc::new(function);
/// let invoke = LambdaInvokeAction::new(LambdaInvokeActionProps {
///     user_parameters: Some(UserParameters::Json(Value::object([("stage", "test")]))),
///     ..LambdaInvokeActionProps::new("Lambda", function)
/// });
/// # let _ = invoke;
/// ```
#[derive(Clone)]
pub struct LambdaInvokeAction {
    props: LambdaInvokeActionProps,
    namespace: ActionNamespace,
}

impl LambdaInvokeAction {
    /// An action from `props`.
    pub fn new(props: LambdaInvokeActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        LambdaInvokeAction { props, namespace }
    }

    /// `#{Namespace.<variable_name>}`: the value of an output variable the function returns (`outputVariables` of `PutJobSuccessResult`), for a later action's configuration
    /// (aws-cdk-lib's `variable(name)`). Using it makes the pipeline render the action's
    /// namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variable(&self, variable_name: &str) -> Str {
        self.namespace.variable_expression(variable_name)
    }
}

impl IAction for LambdaInvokeAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            artifact_bounds: ActionArtifactBounds::new(0, 5, 0, 5),
            run_order: p.run_order,
            inputs: p.inputs.clone(),
            outputs: p.outputs.clone(),
            role: p.role.clone(),
            resource: ActionResource::of(p.lambda.node(), p.lambda.env()),
            variables_namespace: p.variables_namespace.clone(),
            ..ActionProperties::new(p.action_name.clone(), ActionCategory::Invoke, "Lambda")
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
                .action("lambda:ListFunctions")
                .all_resources(),
        );
        crate::lambda::grant_invoke(p.lambda.as_ref(), options.role.as_ref());
        if !p.inputs.is_empty() {
            options.bucket.grant_read(options.role.as_ref());
        }
        if !p.outputs.is_empty() {
            options.bucket.grant_write(options.role.as_ref());
        }
        // The function reports its result to the pipeline.
        p.lambda
            .add_to_role_policy(PolicyStatement::new().all_resources().actions([
                "codepipeline:PutJobSuccessResult",
                "codepipeline:PutJobFailureResult",
            ]));
        let user_parameters = match &p.user_parameters {
            None => Value::Null,
            Some(UserParameters::String(s)) => s.clone().into_value(),
            Some(UserParameters::Json(v)) => {
                cdk_core::json::to_json_string(v.clone(), 0).into_value()
            }
        };
        ActionConfig {
            configuration: Some(config(vec![
                ("FunctionName", p.lambda.function_name().into_value()),
                ("UserParameters", user_parameters),
            ])),
        }
    }
}
