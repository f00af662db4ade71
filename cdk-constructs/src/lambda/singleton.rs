//! [`SingletonFunction`]: a function defined once per stack however many constructs ask for it
//! (aws-cdk-lib's `aws_lambda.SingletonFunction`).

use std::rc::Rc;

use cdk_core::{IConstruct, Node, ResourceEnvironment, Stack, Str, Value};

use super::{CfnPermission, Function, FunctionProps, IFunction, Permission};
use crate::iam::{
    AddToPrincipalPolicyResult, IPrincipal, IRole, PolicyStatement, PrincipalFragment,
};

/// Properties of a [`SingletonFunction`]: the function's props plus what makes it unique.
#[derive(Clone)]
pub struct SingletonFunctionProps {
    /// A UUID that identifies the function (e.g. `679f53fa-c002-430c-b0da-5b7982bd2287`); it
    /// must stay the same as long as the function should, since it makes the construct ID.
    pub uuid: String,
    /// What the function is for, the prefix of its construct ID (default: `SingletonLambda`).
    pub lambda_purpose: Option<String>,
    /// The function itself (used only by the first `SingletonFunction` of the stack with this
    /// UUID and purpose; later ones share that function and ignore theirs, as aws-cdk-lib).
    pub function: FunctionProps,
}

impl SingletonFunctionProps {
    /// Props with `uuid` and the function's props.
    pub fn new(uuid: impl Into<String>, function: FunctionProps) -> Self {
        SingletonFunctionProps {
            uuid: uuid.into(),
            lambda_purpose: None,
            function,
        }
    }
}

/// A Lambda function created once per stack: every `SingletonFunction` with the same UUID and
/// purpose in a stack shares one [`Function`], the construct `<purpose><uuid without
/// non-alphanumerics>` directly under the stack (`SingletonLambda…` by default). The
/// `SingletonFunction` construct itself is a handle with no resources: permissions, grants,
/// dependencies and metadata go to the shared function.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{Code, FunctionProps, IFunction, Runtime, SingletonFunction, SingletonFunctionProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Service", StackProps::default());
/// let props = || SingletonFunctionProps::new(
///     "84c0de93-353f-4217-9b0b-45b6c993251a",
///     FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_inline("exports.handler = async () => {};")),
/// );
/// let first = SingletonFunction::new(&stack, "First", props());
/// let second = SingletonFunction::new(&stack, "Second", props());
/// // One function, `SingletonLambda84c0de93353f42179b0b45b6c993251a`, under the stack:
/// assert_eq!(first.lambda_function().node().path(), "Service/SingletonLambda84c0de93353f42179b0b45b6c993251a");
/// assert_eq!(second.lambda_function().node().path(), first.lambda_function().node().path());
/// # use cdk_core::IConstruct;
/// ```
#[derive(Clone)]
pub struct SingletonFunction {
    node: Node,
    function: Rc<Function>,
}

const ATTACHED_KEY: &str = "cdk-constructs.SingletonFunction";

/// aws-cdk-lib's `slugify`: the UUID without any character other than ASCII letters and digits.
fn slugify(uuid: &str) -> String {
    uuid.chars().filter(char::is_ascii_alphanumeric).collect()
}

impl IConstruct for SingletonFunction {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl SingletonFunction {
    /// Defines the handle `id` under `scope` and the shared function under `scope`'s stack,
    /// unless the stack has it already.
    pub fn new(scope: &impl IConstruct, id: &str, props: SingletonFunctionProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.SingletonFunction");
        let construct_name = format!(
            "{}{}",
            props.lambda_purpose.as_deref().unwrap_or("SingletonLambda"),
            slugify(&props.uuid)
        );
        let parent = match Stack::of(&node) {
            Some(stack) => stack.node().clone(),
            None => {
                node.add_error("a SingletonFunction must be defined inside a Stack");
                node.clone()
            }
        };
        let existing = parent.try_find_child(&construct_name).map(|child| {
            child.attached::<Function>(ATTACHED_KEY).ok_or_else(|| {
                format!(
                    "the stack already has a construct '{construct_name}' that is not a SingletonFunction's function"
                )
            })
        });
        let function = match existing {
            Some(Ok(function)) => function,
            Some(Err(message)) => {
                node.add_error(&message);
                // A private function keeps the tree consistent; synthesis fails anyway.
                Rc::new(Function::new(&node, "Function", props.function))
            }
            None => {
                let function = Rc::new(Function::new(&parent, &construct_name, props.function));
                function.node().attach(ATTACHED_KEY, function.clone());
                function
            }
        };
        SingletonFunction { node, function }
    }

    /// The shared function.
    pub fn lambda_function(&self) -> &Function {
        &self.function
    }

    /// The execution role of the shared function.
    pub fn role(&self) -> &Rc<dyn IRole> {
        self.function.role()
    }

    /// The function's ARN.
    pub fn function_arn(&self) -> Str {
        self.function.function_arn()
    }

    /// The function's name.
    pub fn function_name(&self) -> Str {
        self.function.function_name()
    }

    /// Adds a statement to the shared function's role policy.
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        self.function.add_to_role_policy(statement);
    }

    /// Makes the shared function depend on `up` (aws-cdk-lib's `addDependency`).
    pub fn add_dependency(&self, up: &impl IConstruct) {
        self.function.node().add_dependency(up);
    }

    /// Makes `down` depend on the shared function (aws-cdk-lib's `dependOn`).
    pub fn depend_on(&self, down: &impl IConstruct) {
        down.node().add_dependency(self.function.as_ref());
    }

    /// Adds construct metadata to the shared function (aws-cdk-lib's `addMetadata`).
    pub fn add_metadata(&self, kind: &str, data: impl Into<serde_json::Value>) {
        self.function.node().add_metadata(kind, data);
    }

    /// Lets `permission.principal` invoke the shared function (the permission is created under
    /// it, as aws-cdk-lib forwards `addPermission`).
    pub fn add_permission(&self, id: &str, permission: Permission) -> Option<CfnPermission> {
        self.function.add_permission(id, permission)
    }

    /// Lets `grantee` invoke the shared function.
    pub fn grant_invoke(&self, grantee: &dyn IPrincipal) -> crate::iam::Grant {
        super::grant_invoke(self, grantee)
    }
}

/// Grants to a singleton go to the shared function's role.
impl IPrincipal for SingletonFunction {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.function.policy_fragment()
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.function.add_to_principal_policy(statement)
    }

    fn principal_account(&self) -> Option<Str> {
        self.function.principal_account()
    }

    fn dedupe_key(&self) -> Option<Value> {
        self.function.dedupe_key()
    }

    fn owned_resource_node(&self) -> Option<Node> {
        self.function.owned_resource_node()
    }
}

impl IFunction for SingletonFunction {
    fn function_arn(&self) -> Str {
        self.function.function_arn()
    }
    fn function_name(&self) -> Str {
        self.function.function_name()
    }
    fn env(&self) -> ResourceEnvironment {
        IFunction::env(self.function.as_ref())
    }
    fn role(&self) -> Option<Rc<dyn IRole>> {
        Some(self.function.role().clone())
    }
    fn can_create_permissions(&self) -> bool {
        true
    }
    fn function_name_for_deployment(&self) -> Option<String> {
        self.function.function_name_for_deployment()
    }
    fn add_permission(&self, id: &str, permission: Permission) -> Option<CfnPermission> {
        self.function.add_permission(id, permission)
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugify_keeps_letters_and_digits() {
        assert_eq!(
            slugify("679f53fa-c002-430c-b0da-5b7982bd2287"),
            "679f53fac002430cb0da5b7982bd2287"
        );
        assert_eq!(slugify("a_b.c d"), "abcd");
    }
}
