//! Methods: an HTTP verb on a resource, wired to an integration.

use std::collections::BTreeMap;

use cdk_core::{IConstruct, Node, Str};

use super::cfn_method::MethodResponseProperty;
use super::hash::HashData;
use super::integration::{Integration, MockIntegration};
use super::resource::Resource;
use super::{CfnMethod, CfnMethodProps};
use crate::Bool;

/// HTTP methods API Gateway accepts (`ANY` matches all of them).
pub const HTTP_METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// How callers of a method are authorized.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AuthorizationType {
    /// Open access (`NONE`).
    #[default]
    None,
    /// AWS Signature Version 4 with IAM permissions (`AWS_IAM`).
    Iam,
    /// A Lambda authorizer (`CUSTOM`).
    Custom,
    /// A Cognito user pool (`COGNITO_USER_POOLS`).
    Cognito,
}

impl AuthorizationType {
    /// The CloudFormation value.
    pub fn name(&self) -> &'static str {
        match self {
            AuthorizationType::None => "NONE",
            AuthorizationType::Iam => "AWS_IAM",
            AuthorizationType::Custom => "CUSTOM",
            AuthorizationType::Cognito => "COGNITO_USER_POOLS",
        }
    }
}

/// A response a method may return.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MethodResponse {
    /// Status code (`"200"`).
    pub status_code: String,
    /// Response parameters (`method.response.header.X` → required).
    pub response_parameters: BTreeMap<String, bool>,
}

/// Options of a method (each unset one falls back to the resource's default method options).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MethodOptions {
    /// Friendly operation name (`ListPets`).
    pub operation_name: Option<String>,
    /// Authorization (default `NONE`).
    pub authorization_type: Option<AuthorizationType>,
    /// Whether callers must send an API key.
    pub api_key_required: Option<bool>,
    /// Request parameters: `method.request.{path|querystring|header}.name` → required.
    pub request_parameters: Option<BTreeMap<String, bool>>,
    /// The responses the method may return.
    pub method_responses: Option<Vec<MethodResponse>>,
}

impl MethodOptions {
    /// `self`, with unset options taken from `defaults`.
    pub(crate) fn or(&self, defaults: &MethodOptions) -> MethodOptions {
        MethodOptions {
            operation_name: self
                .operation_name
                .clone()
                .or_else(|| defaults.operation_name.clone()),
            authorization_type: self
                .authorization_type
                .clone()
                .or_else(|| defaults.authorization_type.clone()),
            api_key_required: self.api_key_required.or(defaults.api_key_required),
            request_parameters: self
                .request_parameters
                .clone()
                .or_else(|| defaults.request_parameters.clone()),
            method_responses: self
                .method_responses
                .clone()
                .or_else(|| defaults.method_responses.clone()),
        }
    }
}

/// Properties of a [`Method`].
#[derive(Clone)]
pub struct MethodProps {
    /// The resource the method is on.
    pub resource: Resource,
    /// The HTTP method (`GET`, `POST`, ..., or `ANY`).
    pub http_method: String,
    /// The backend (default: the resource's default integration, else a mock).
    pub integration: Option<Integration>,
    /// Options.
    pub options: MethodOptions,
}

/// What an integration needs to know about the method it is bound to.
pub(crate) struct MethodContext {
    pub(crate) node: Node,
    pub(crate) http_method: String,
    pub(crate) resource_path: String,
    /// `Names.nodeUniqueId` of the API (all IDs from the app down).
    pub(crate) api_unique_id: String,
    /// The execute-api ARN of this method in the deployment stage (`*` without one).
    pub(crate) method_arn: Str,
    /// The execute-api ARN of this method in `test-invoke-stage`.
    pub(crate) test_method_arn: Str,
    /// The API the method belongs to.
    pub(crate) api: super::RestApi,
}

/// A method (`AWS::ApiGateway::Method`) of a REST API resource.
#[derive(Clone)]
pub struct Method {
    node: Node,
    resource: CfnMethod,
    http_method: String,
    api_resource: Resource,
}

impl IConstruct for Method {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// The path as it appears in execute-api ARNs: path parameters (`{id}`) become `*`.
pub(crate) fn path_for_arn(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' if !in_param => {
                in_param = true;
                out.push('*');
            }
            '}' if in_param => in_param = false,
            _ if in_param => {}
            c => out.push(c),
        }
    }
    out
}

impl Method {
    /// Defines method `id` (usually the HTTP method) under `scope`, which must be inside the API
    /// the resource belongs to. Prefer [`Resource::add_method`].
    pub fn new(scope: &impl IConstruct, id: &str, props: MethodProps) -> Self {
        let api = props.resource.api();
        let http_method = props.http_method.to_uppercase();
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.apigateway.Method");
        let api_path = api.node().path();
        let scope_path = scope.node().path();
        if scope_path != api_path && !scope_path.starts_with(&format!("{api_path}/")) {
            node.add_error(&format!(
                "method {http_method} is on resource '{}' of API '{api_path}' but is defined outside that API; use resource.add_method()",
                props.resource.path()
            ));
        }
        if !HTTP_METHODS.contains(&http_method.as_str()) {
            node.add_error(&format!(
                "invalid HTTP method '{}': expected one of {}",
                props.http_method,
                HTTP_METHODS.join(", ")
            ));
        }
        let options = props.options.or(&props.resource.default_method_options());
        let authorization_type = options.authorization_type.clone().unwrap_or_default();

        let resource_path = props.resource.path();
        let arn_path = path_for_arn(&resource_path);
        let context = MethodContext {
            node: node.clone(),
            http_method: http_method.clone(),
            resource_path: resource_path.clone(),
            api_unique_id: cdk_core::logical_id::make_unique_id(
                &api_path.split('/').collect::<Vec<_>>(),
            ),
            method_arn: api.arn_for_execute_api_in_deployment_stage(&http_method, &arn_path),
            test_method_arn: api.arn_for_execute_api(
                &http_method,
                &arn_path,
                Some(Str::from("test-invoke-stage")),
            ),
            api: api.clone(),
        };
        let integration = props
            .integration
            .or_else(|| props.resource.default_integration())
            .unwrap_or_else(|| MockIntegration::default().into());
        let bound = integration.bind(&context);

        let method_responses: Option<Vec<MethodResponseProperty>> =
            options.method_responses.as_ref().map(|responses| {
                responses
                    .iter()
                    .map(|r| MethodResponseProperty {
                        response_parameters: (!r.response_parameters.is_empty()).then(|| {
                            r.response_parameters
                                .iter()
                                .map(|(k, v)| (k.clone(), Bool::from(*v)))
                                .collect()
                        }),
                        ..MethodResponseProperty::new(r.status_code.as_str())
                    })
                    .collect()
            });
        let request_parameters: Option<BTreeMap<String, Bool>> = options
            .request_parameters
            .as_ref()
            .map(|p| p.iter().map(|(k, v)| (k.clone(), Bool::from(*v))).collect());
        let resource = CfnMethod::new(
            &node,
            "Resource",
            CfnMethodProps {
                operation_name: options.operation_name.as_deref().map(Str::from),
                api_key_required: options.api_key_required.map(Bool::from),
                authorization_type: Some(authorization_type.name().into()),
                request_parameters,
                integration: Some(bound.property),
                method_responses: method_responses.filter(|m| !m.is_empty()),
                ..CfnMethodProps::new(
                    http_method.as_str(),
                    props.resource.resource_id(),
                    api.rest_api_id(),
                )
            },
        );

        let hash_request_parameters = match &options.request_parameters {
            Some(p) => HashData::object(p.iter().map(|(k, v)| (k.clone(), HashData::Bool(*v)))),
            None => HashData::Null,
        };
        let hash_responses = match &options.method_responses {
            Some(r) if !r.is_empty() => HashData::List(
                r.iter()
                    .map(|r| {
                        HashData::object([
                            ("statusCode", HashData::from(r.status_code.as_str())),
                            (
                                "responseParameters",
                                if r.response_parameters.is_empty() {
                                    HashData::Null
                                } else {
                                    HashData::object(
                                        r.response_parameters
                                            .iter()
                                            .map(|(k, v)| (k.clone(), HashData::Bool(*v))),
                                    )
                                },
                            ),
                        ])
                    })
                    .collect(),
            ),
            _ => HashData::Null,
        };
        let hash = HashData::object([(
            "method",
            HashData::object([
                ("resourceId", HashData::from(props.resource.resource_id())),
                ("restApiId", HashData::from(api.rest_api_id())),
                ("httpMethod", HashData::from(http_method.as_str())),
                (
                    "operationName",
                    HashData::opt_str(options.operation_name.as_deref()),
                ),
                (
                    "apiKeyRequired",
                    options
                        .api_key_required
                        .map_or(HashData::Null, HashData::Bool),
                ),
                (
                    "authorizationType",
                    HashData::from(authorization_type.name()),
                ),
                ("requestParameters", hash_request_parameters),
                ("integration", bound.hash),
                ("methodResponses", hash_responses),
                (
                    "integrationToken",
                    bound
                        .deployment_token
                        .map_or(HashData::Null, HashData::String),
                ),
            ]),
        )]);
        api.attach_method(&resource, hash);
        props.resource.record_method(&http_method);
        Method {
            node,
            resource,
            http_method,
            api_resource: props.resource,
        }
    }

    /// The HTTP method (upper case).
    pub fn http_method(&self) -> &str {
        &self.http_method
    }

    /// The resource the method is on.
    pub fn resource(&self) -> &Resource {
        &self.api_resource
    }

    /// The method's ID (`Ref`).
    pub fn method_id(&self) -> Str {
        self.resource.ref_()
    }

    /// `arn:…:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}` for the API's
    /// deployment stage (`*` when there is none); `ANY` is `*` and path parameters are `*`.
    pub fn method_arn(&self) -> Str {
        self.api_resource
            .api()
            .arn_for_execute_api_in_deployment_stage(
                &self.http_method,
                &path_for_arn(&self.api_resource.path()),
            )
    }

    /// The execute-api ARN of this method in the console's `test-invoke-stage`.
    pub fn test_method_arn(&self) -> Str {
        self.api_resource.api().arn_for_execute_api(
            &self.http_method,
            &path_for_arn(&self.api_resource.path()),
            Some(Str::from("test-invoke-stage")),
        )
    }

    /// The underlying `AWS::ApiGateway::Method`.
    pub fn cfn(&self) -> &CfnMethod {
        &self.resource
    }
}

#[cfg(test)]
mod tests {
    use super::path_for_arn;

    #[test]
    fn path_parameters_become_wildcards() {
        assert_eq!(path_for_arn("/"), "/");
        assert_eq!(path_for_arn("/{proxy+}"), "/*");
        assert_eq!(path_for_arn("/product/find/{id}"), "/product/find/*");
        assert_eq!(path_for_arn("/a/{b}/c/{d}"), "/a/*/c/*");
    }
}
