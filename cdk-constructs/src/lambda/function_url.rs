//! Function URLs (`AWS::Lambda::Url`): an HTTPS endpoint that invokes a function or alias.

use std::rc::Rc;
use std::time::Duration;

use cdk_core::{IConstruct, Node, Resource, ResourceProps, Str};

use super::{cfn_permission, cfn_url, CfnUrl, CfnUrlProps, IFunction, Permission};

/// Who may call a function URL (aws-cdk-lib's `FunctionUrlAuthType`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FunctionUrlAuthType {
    /// Callers sign their requests (SigV4) and need `lambda:InvokeFunctionUrl` (the default).
    #[default]
    AwsIam,
    /// Anyone: the URL also gets public invoke permissions.
    None,
}

impl FunctionUrlAuthType {
    fn cfn(self) -> cfn_url::AuthType {
        match self {
            FunctionUrlAuthType::AwsIam => cfn_url::AuthType::AwsIam,
            FunctionUrlAuthType::None => cfn_url::AuthType::None,
        }
    }
}

/// How the URL returns the response (aws-cdk-lib's `InvokeMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvokeMode {
    /// The whole response at once (Lambda's default).
    Buffered,
    /// Streamed as the function writes it.
    ResponseStream,
}

/// An HTTP method of a URL's CORS rules (aws-cdk-lib's `HttpMethod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `*`: every method.
    All,
}

impl HttpMethod {
    fn cfn(self) -> cfn_url::AllowMethods {
        match self {
            HttpMethod::Get => cfn_url::AllowMethods::Get,
            HttpMethod::Put => cfn_url::AllowMethods::Put,
            HttpMethod::Head => cfn_url::AllowMethods::Head,
            HttpMethod::Post => cfn_url::AllowMethods::Post,
            HttpMethod::Patch => cfn_url::AllowMethods::Patch,
            HttpMethod::Delete => cfn_url::AllowMethods::Delete,
            HttpMethod::All => cfn_url::AllowMethods::Empty,
        }
    }
}

/// CORS rules of a function URL (aws-cdk-lib's `FunctionUrlCorsOptions`).
#[derive(Clone, Debug, Default)]
pub struct FunctionUrlCorsOptions {
    /// Allow cookies and credentials.
    pub allow_credentials: Option<bool>,
    /// Headers callers may send.
    pub allowed_headers: Option<Vec<String>>,
    /// Methods callers may use (default: all, `*`).
    pub allowed_methods: Option<Vec<HttpMethod>>,
    /// Origins callers may come from.
    pub allowed_origins: Option<Vec<String>>,
    /// Response headers browsers may read.
    pub exposed_headers: Option<Vec<String>>,
    /// How long browsers cache a preflight answer (at most one day).
    pub max_age: Option<Duration>,
}

/// Options of [`Function::add_function_url`](super::Function::add_function_url)
/// (aws-cdk-lib's `FunctionUrlOptions`).
#[derive(Clone, Debug, Default)]
pub struct FunctionUrlOptions {
    /// Who may call the URL (default: `AWS_IAM`).
    pub auth_type: Option<FunctionUrlAuthType>,
    /// CORS rules (default: none).
    pub cors: Option<FunctionUrlCorsOptions>,
    /// Buffered or streamed responses (default: Lambda's, buffered; not rendered).
    pub invoke_mode: Option<InvokeMode>,
}

/// Properties of a [`FunctionUrl`].
#[derive(Clone)]
pub struct FunctionUrlProps {
    /// The function or alias the URL invokes (not a version).
    pub function: Rc<dyn IFunction>,
    /// Everything else.
    pub options: FunctionUrlOptions,
}

/// What a URL points at: the function's ARN, and the alias name with the alias resource for
/// an alias (see [`IFunction::function_url_target`]).
#[derive(Clone)]
pub struct FunctionUrlTarget {
    /// The ARN of the function itself (not of the alias).
    pub function_arn: Str,
    /// The alias name, for an alias.
    pub qualifier: Option<String>,
    /// The alias, which the URL depends on.
    pub depends_on: Option<Node>,
}

/// A function URL (`AWS::Lambda::Url`, child `Resource`). With
/// [`FunctionUrlAuthType::None`] the function also gets the two public permissions
/// `invoke-function-url` (`lambda:InvokeFunctionUrl`, auth type `NONE`) and
/// `invoke-function` (`lambda:InvokeFunction` via the URL), as aws-cdk-lib adds them.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{
///     Code, Function, FunctionProps, FunctionUrlAuthType, FunctionUrlCorsOptions,
///     FunctionUrlOptions, Runtime,
/// };
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Web", StackProps::default());
/// let f = Function::new(&stack, "Page", FunctionProps::new(
///     Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass"),
/// ));
/// let url = f.add_function_url(FunctionUrlOptions {
///     auth_type: Some(FunctionUrlAuthType::None),
///     cors: Some(FunctionUrlCorsOptions {
///         allowed_origins: Some(vec!["https://example.com".into()]),
///         ..Default::default()
///     }),
///     ..Default::default()
/// });
/// let _https = url.url(); // {"Fn::GetAtt": ["PageFunctionUrl…", "FunctionUrl"]}
/// ```
#[derive(Clone)]
pub struct FunctionUrl {
    base: Resource,
    resource: CfnUrl,
    auth_type: FunctionUrlAuthType,
}

impl IConstruct for FunctionUrl {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl FunctionUrl {
    /// Defines the URL `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: FunctionUrlProps) -> Self {
        Self::define(scope.node(), id, props.function.as_ref(), &props.options)
    }

    pub(crate) fn define(
        scope: &Node,
        id: &str,
        function: &dyn IFunction,
        o: &FunctionUrlOptions,
    ) -> Self {
        let base = Resource::new(
            &scope.clone(),
            id,
            "cdk-constructs.lambda.FunctionUrl",
            ResourceProps::default(),
        );
        let node = base.node().clone();
        let target = function.function_url_target().unwrap_or_else(|why| {
            node.add_error(&why);
            FunctionUrlTarget {
                function_arn: function.function_arn(),
                qualifier: None,
                depends_on: None,
            }
        });
        let auth_type = o.auth_type.unwrap_or_default();
        let cors = o.cors.as_ref().map(|c| {
            if let Some(age) = c.max_age {
                if age.as_secs() > 86400 {
                    node.add_error(&format!(
                        "FunctionUrl CORS maxAge should be less than or equal to 86400 secs (got {})",
                        age.as_secs()
                    ));
                }
            }
            let list = |v: &Option<Vec<String>>| {
                v.as_ref()
                    .map(|v| v.iter().map(|s| Str::from(s.as_str())).collect::<Vec<_>>().into())
            };
            cfn_url::CorsProperty {
                allow_credentials: c.allow_credentials.map(Into::into),
                allow_headers: list(&c.allowed_headers),
                allow_methods: Some(
                    c.allowed_methods
                        .clone()
                        .unwrap_or_else(|| vec![HttpMethod::All])
                        .into_iter()
                        .map(HttpMethod::cfn)
                        .collect(),
                ),
                allow_origins: list(&c.allowed_origins),
                expose_headers: list(&c.exposed_headers),
                max_age: c.max_age.map(|a| a.as_secs().into()),
            }
        });
        let resource = CfnUrl::new(
            &base,
            "Resource",
            CfnUrlProps {
                cors,
                invoke_mode: o.invoke_mode.map(|m| match m {
                    InvokeMode::Buffered => cfn_url::InvokeMode::Buffered,
                    InvokeMode::ResponseStream => cfn_url::InvokeMode::ResponseStream,
                }),
                qualifier: target.qualifier.as_deref().map(Str::from),
                ..CfnUrlProps::new(auth_type.cfn(), target.function_arn.clone())
            },
        );
        if let Some(alias) = &target.depends_on {
            resource.node().add_dependency(alias);
        }
        if auth_type == FunctionUrlAuthType::None {
            let mut url = Permission::new("*");
            url.action = Some("lambda:InvokeFunctionUrl".into());
            url.function_url_auth_type = Some(cfn_permission::FunctionUrlAuthType::None);
            function.add_permission("invoke-function-url", url);
            let mut invoke = Permission::new("*");
            invoke.action = Some("lambda:InvokeFunction".into());
            invoke.invoked_via_function_url = Some(true);
            function.add_permission("invoke-function", invoke);
        }
        FunctionUrl {
            base,
            resource,
            auth_type,
        }
    }

    /// The HTTPS endpoint (`Fn::GetAtt FunctionUrl`).
    pub fn url(&self) -> Str {
        self.resource.attr_function_url()
    }

    /// The ARN of the function the URL invokes (`Fn::GetAtt FunctionArn`).
    pub fn function_arn(&self) -> Str {
        self.resource.attr_function_arn()
    }

    /// Who may call the URL.
    pub fn auth_type(&self) -> FunctionUrlAuthType {
        self.auth_type
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnUrl {
        &self.resource
    }
}
