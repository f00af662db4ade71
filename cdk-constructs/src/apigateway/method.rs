//! Methods: an HTTP verb on a resource, wired to an integration.

use std::collections::BTreeMap;

use cdk_core::{IConstruct, Node, Str};

use super::authorizer::Authorizer;
use super::cfn_method::MethodResponseProperty;
use super::hash::HashData;
use super::integration::{ordered_keys, Integration, MockIntegration};
use super::model::{Model, RequestValidator, RequestValidatorOptions};
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
#[derive(Clone, Debug, Default)]
pub struct MethodResponse {
    /// Status code (`"200"`).
    pub status_code: String,
    /// Response parameters (`method.response.header.X` → required).
    pub response_parameters: BTreeMap<String, bool>,
    /// Response models by content type.
    pub response_models: BTreeMap<String, Model>,
}

/// Options of a method (each unset one falls back to the resource's default method options,
/// except `request_models`, `request_validator` and `request_validator_options`, as in
/// aws-cdk-lib).
#[derive(Clone, Debug, Default)]
pub struct MethodOptions {
    /// The authorizer (its authorization type wins; `CUSTOM` for Lambda authorizers).
    /// [`Authorizer::none`] overrides a default authorizer.
    pub authorizer: Option<Authorizer>,
    /// OAuth scopes (Cognito authorizers only; ignored with a warning otherwise).
    pub authorization_scopes: Option<Vec<String>>,
    /// Request models by content type.
    pub request_models: Option<BTreeMap<String, Model>>,
    /// The request validator.
    pub request_validator: Option<RequestValidator>,
    /// Options of a validator created for this method (`requestValidator` excluded).
    pub request_validator_options: Option<RequestValidatorOptions>,
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
            authorizer: self
                .authorizer
                .clone()
                .or_else(|| defaults.authorizer.clone()),
            authorization_scopes: self
                .authorization_scopes
                .clone()
                .or_else(|| defaults.authorization_scopes.clone()),
            request_models: self
                .request_models
                .clone()
                .or_else(|| defaults.request_models.clone()),
            request_validator: self
                .request_validator
                .clone()
                .or_else(|| defaults.request_validator.clone()),
            request_validator_options: self
                .request_validator_options
                .clone()
                .or_else(|| defaults.request_validator_options.clone()),
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
    /// The insertion order of response-parameter keys aws-cdk-lib would hash (CORS).
    pub(crate) key_order: Option<Vec<String>>,
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
        Self::create(scope, id, props, None)
    }

    pub(crate) fn create(
        scope: &impl IConstruct,
        id: &str,
        props: MethodProps,
        key_order: Option<Vec<String>>,
    ) -> Self {
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
        let defaults = props.resource.default_method_options();
        let options = props.options.or(&defaults);
        // aws-cdk-lib: an explicit `NONE` without an authorizer drops the default authorizer.
        let authorizer = if props.options.authorization_type == Some(AuthorizationType::None)
            && props.options.authorizer.is_none()
        {
            None
        } else {
            options.authorizer.clone()
        };
        let authorizer_id = authorizer.as_ref().and_then(Authorizer::authorizer_id);
        let authorizer_type = authorizer.as_ref().map(Authorizer::authorization_type);
        if let (Some(required), Some(given)) = (&authorizer_type, &options.authorization_type) {
            if required != given {
                node.add_error(&format!(
                    "{}/{http_method} - Authorization type is set to {} which is different from what is required by the authorizer [{}]",
                    props.resource.path(),
                    given.name(),
                    required.name()
                ));
            }
        }
        let authorization_type = authorizer_type
            .or_else(|| options.authorization_type.clone())
            .unwrap_or_default();
        let authorization_scopes = if authorization_type == AuthorizationType::Cognito {
            options.authorization_scopes.clone()
        } else {
            if options.authorization_scopes.is_some() {
                node.add_warning("'AuthorizationScopes' can only be set when 'AuthorizationType' sets 'COGNITO_USER_POOLS'. Default to ignore the values set in 'AuthorizationScopes'. [ack: @aws-cdk/aws-apigateway:invalidAuthScope]");
            }
            None
        };
        if let Some(authorizer) = authorizer.as_ref().filter(|a| !a.is_none()) {
            authorizer.attach_to_api(&api);
        }
        // Request models and validators come from the method's own options only.
        let request_models = props.options.request_models.clone();
        if props.options.request_validator.is_some()
            && props.options.request_validator_options.is_some()
        {
            node.add_error(
                "Only one of 'requestValidator' or 'requestValidatorOptions' must be specified.",
            );
        }
        let request_validator_id = match &props.options.request_validator_options {
            Some(validator_options) => {
                let id = if cdk_core::feature_flags::is_enabled(
                    &node,
                    cdk_core::feature_flags::APIGATEWAY_REQUEST_VALIDATOR_UNIQUE_ID,
                ) {
                    cdk_core::Names::unique_resource_name(
                        &Node::new(&node, "Validator"),
                        &Default::default(),
                    )
                } else {
                    "validator".to_string()
                };
                Some(
                    api.add_request_validator(&id, validator_options.clone())
                        .request_validator_id(),
                )
            }
            None => props
                .options
                .request_validator
                .as_ref()
                .map(RequestValidator::request_validator_id),
        };

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
            key_order: key_order.clone(),
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
                        response_models: (!r.response_models.is_empty()).then(|| {
                            r.response_models
                                .iter()
                                .map(|(k, m)| (k.clone(), m.model_id()))
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
                authorizer_id: authorizer_id.clone(),
                authorization_scopes: authorization_scopes.as_ref().map(|scopes| {
                    scopes
                        .iter()
                        .map(|s| Str::from(s.as_str()))
                        .collect::<Vec<_>>()
                        .into()
                }),
                request_models: request_models.as_ref().map(|models| {
                    models
                        .iter()
                        .map(|(k, m)| (k.clone(), m.model_id()))
                        .collect()
                }),
                request_validator_id: request_validator_id.clone(),
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
                                        ordered_keys(
                                            r.response_parameters.keys(),
                                            key_order.as_deref(),
                                        )
                                        .into_iter()
                                        .map(|k| {
                                            (k.clone(), HashData::Bool(r.response_parameters[k]))
                                        }),
                                    )
                                },
                            ),
                            (
                                "responseModels",
                                if r.response_models.is_empty() {
                                    HashData::Null
                                } else {
                                    HashData::object(
                                        r.response_models.iter().map(|(k, m)| {
                                            (k.clone(), HashData::from(m.model_id()))
                                        }),
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
                (
                    "authorizerId",
                    authorizer_id.map_or(HashData::Null, HashData::from),
                ),
                ("requestParameters", hash_request_parameters),
                ("integration", bound.hash),
                ("methodResponses", hash_responses),
                (
                    "requestModels",
                    match &request_models {
                        Some(models) => HashData::object(
                            models
                                .iter()
                                .map(|(k, m)| (k.clone(), HashData::from(m.model_id()))),
                        ),
                        None => HashData::Null,
                    },
                ),
                (
                    "requestValidatorId",
                    request_validator_id.map_or(HashData::Null, HashData::from),
                ),
                (
                    "authorizationScopes",
                    match &authorization_scopes {
                        Some(scopes) => HashData::List(
                            scopes.iter().map(|s| HashData::from(s.as_str())).collect(),
                        ),
                        None => HashData::Null,
                    },
                ),
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
