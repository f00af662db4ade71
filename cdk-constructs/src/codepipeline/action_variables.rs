//! Action variables: the namespace an action's output variables live in, and the
//! `#{Namespace.Variable}` expressions later actions use (aws-cdk-lib's
//! `Action.variableExpression`, `_namespaceToken` and `GlobalVariables`).
//!
//! An action's namespace is the `variables_namespace` given in its props; when none is given
//! and a variable of the action is used, the pipeline names it `<stage>_<action>_NS` when the
//! action is added, as aws-cdk-lib does. An action whose variables are never used renders no
//! `Namespace`. Using a variable of an action that is never added to a pipeline is a synth
//! error on the element that uses it.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::codebuild::{BuildEnvironmentVariable, PipelineProject, PipelineProjectProps};
//! use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, PipelineType, StageProps};
//! use cdk_constructs::codepipeline_actions::*;
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Ci", StackProps::default());
//! let output = Artifact::unnamed();
//! let source = CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps::new(
//!     "GitHub",
//!     "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc",
//!     "owner",
//!     "repo",
//!     &output,
//! ));
//! let commit_id = source.variables().commit_id;
//! let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
//! let build = CodeBuildAction::new(CodeBuildActionProps {
//!     environment_variables: vec![("COMMIT_ID".into(), BuildEnvironmentVariable::plaintext(commit_id))],
//!     ..CodeBuildActionProps::new("Build", &project, &output)
//! });
//! Pipeline::new(&stack, "Pipeline", PipelineProps {
//!     pipeline_type: Some(PipelineType::V2),
//!     stages: vec![
//!         StageProps::new("Source", vec![Box::new(source)]),
//!         StageProps::new("Build", vec![Box::new(build)]),
//!     ],
//!     ..Default::default()
//! });
//! // The source action renders `"Namespace": "Source_GitHub_NS"` and the build action's
//! // `EnvironmentVariables` hold `#{Source_GitHub_NS.CommitId}`.
//! ```

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cdk_core::{Str, Value};

/// Variables every pipeline execution has (aws-cdk-lib's `GlobalVariables`).
pub struct GlobalVariables;

impl GlobalVariables {
    /// The ID of the current pipeline execution.
    pub const EXECUTION_ID: &'static str = "#{codepipeline.PipelineExecutionId}";
}

struct NamespaceState {
    action_name: String,
    customer: Option<String>,
    actual: RefCell<Option<String>>,
    referenced: Cell<bool>,
}

/// The variables namespace of one action, shared by the action's clones: the built-in
/// actions of [`crate::codepipeline_actions`] hold one and expose it through
/// [`super::IAction::namespace`]. Cloning shares the namespace.
#[derive(Clone)]
pub struct ActionNamespace(Rc<NamespaceState>);

impl std::fmt::Debug for ActionNamespace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionNamespace")
            .field("action_name", &self.0.action_name)
            .field("customer", &self.0.customer)
            .field("actual", &self.0.actual.borrow())
            .field("referenced", &self.0.referenced.get())
            .finish()
    }
}

/// Problems with a namespace name (`[A-Za-z0-9@_-]{1,100}`, aws-cdk-lib's
/// `validateNamespaceName`).
pub fn namespace_name_errors(name: &str) -> Vec<String> {
    let ok = !name.is_empty()
        && name.chars().count() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@_-".contains(c));
    if ok {
        Vec::new()
    } else {
        vec![format!(
            "Namespace name must match regular expression: /^[A-Za-z0-9@_-]{{1,100}}$/, got '{name}'"
        )]
    }
}

impl ActionNamespace {
    /// The namespace of action `action_name`, `variables_namespace` when the user gave one.
    pub fn new(action_name: &str, variables_namespace: Option<&str>) -> Self {
        ActionNamespace(Rc::new(NamespaceState {
            action_name: action_name.to_string(),
            customer: variables_namespace.map(str::to_string),
            actual: RefCell::new(None),
            referenced: Cell::new(false),
        }))
    }

    /// The namespace given in the action's props.
    pub fn customer_provided(&self) -> Option<&str> {
        self.0.customer.as_deref()
    }

    /// True once a variable of the action was asked for.
    pub fn is_referenced(&self) -> bool {
        self.0.referenced.get()
    }

    /// The namespace the action got when it was added to a pipeline (the given one, or
    /// `<stage>_<action>_NS`).
    pub fn bound_name(&self) -> Option<String> {
        self.0.actual.borrow().clone()
    }

    /// `#{<namespace>.<variable_name>}`: the value of the action's output variable, for the
    /// configuration of a later action (aws-cdk-lib's `variableExpression`). Makes the
    /// pipeline render the action's namespace.
    pub fn variable_expression(&self, variable_name: &str) -> Str {
        self.0.referenced.set(true);
        Str::from("#{") + self.token() + "." + variable_name + "}"
    }

    /// The namespace as a string resolved at synth: a synth error when the action was never
    /// added to a pipeline.
    fn token(&self) -> Str {
        let state = self.0.clone();
        Str::lazy_with_context(move |ctx| {
            let actual = state.actual.borrow().clone();
            match actual {
                None => {
                    ctx.fail(format!(
                        "Cannot reference variables of action '{}', as that action was never added to a pipeline",
                        state.action_name
                    ));
                    Str::from("")
                }
                Some(actual) => Str::from(state.customer.clone().unwrap_or(actual)),
            }
        })
    }

    /// Called when the action is added to stage `stage_name` (aws-cdk-lib's `Action.bind`).
    pub(crate) fn bind(&self, stage_name: &str) {
        let actual = self
            .0
            .customer
            .clone()
            .unwrap_or_else(|| format!("{stage_name}_{}_NS", self.0.action_name));
        *self.0.actual.borrow_mut() = Some(actual);
    }

    /// The `Namespace` of the action declaration: the given namespace, or — resolved at
    /// synth — the generated one when a variable was used, else absent.
    pub(crate) fn rendered(&self) -> Option<Str> {
        if let Some(c) = &self.0.customer {
            return Some(Str::from(c.as_str()));
        }
        let state = self.0.clone();
        Some(Str::lazy(move || {
            match (state.referenced.get(), state.actual.borrow().clone()) {
                (true, Some(actual)) => Str::from(actual),
                _ => Str::from_value(Value::Null),
            }
        }))
    }
}
