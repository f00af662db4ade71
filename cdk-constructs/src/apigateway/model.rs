//! Models (JSON schemas of request and response bodies) and request validators.

use cdk_core::{IConstruct, Node, PhysicalName, Resource, ResourceProps, Str};

use super::hash::HashData;
use super::{CfnModel, CfnModelProps, CfnRequestValidator, CfnRequestValidatorProps, RestApi};

/// JSON Schema drafts API Gateway understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonSchemaVersion {
    /// `http://json-schema.org/draft-04/schema#` (the default).
    Draft4,
    /// `http://json-schema.org/draft-07/schema#`.
    Draft7,
}

impl JsonSchemaVersion {
    /// The `$schema` URI.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonSchemaVersion::Draft4 => "http://json-schema.org/draft-04/schema#",
            JsonSchemaVersion::Draft7 => "http://json-schema.org/draft-07/schema#",
        }
    }
}

/// JSON Schema types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonSchemaType {
    /// `null`
    Null,
    /// `boolean`
    Boolean,
    /// `object`
    Object,
    /// `array`
    Array,
    /// `number`
    Number,
    /// `integer`
    Integer,
    /// `string`
    String,
}

impl JsonSchemaType {
    /// The schema's type name.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonSchemaType::Null => "null",
            JsonSchemaType::Boolean => "boolean",
            JsonSchemaType::Object => "object",
            JsonSchemaType::Array => "array",
            JsonSchemaType::Number => "number",
            JsonSchemaType::Integer => "integer",
            JsonSchemaType::String => "string",
        }
    }
}

/// A JSON schema written with aws-cdk-lib's `JsonSchema` keys (`schema`, `ref`, `type`,
/// `properties`, `items`, ...), in the order given: rendered as aws-cdk-lib's
/// `JsonSchemaMapper` does (`schema` → `$schema`, `ref` → `$ref` except inside
/// `properties`/`definitions`/`patternProperties`/`dependencies`, draft 4 when no `schema`).
///
/// ```
/// use cdk_constructs::apigateway::{JsonSchema, JsonSchemaType, JsonSchemaVersion};
/// let schema = JsonSchema::new(serde_json::json!({
///     "schema": JsonSchemaVersion::Draft4.as_str(),
///     "title": "pollResponse",
///     "type": JsonSchemaType::Object.as_str(),
///     "properties": {"state": {"type": "string"}, "greeting": {"type": "string"}},
/// }));
/// assert_eq!(schema.to_cfn()["$schema"], "http://json-schema.org/draft-04/schema#");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct JsonSchema(serde_json::Value);

impl JsonSchema {
    /// A schema from JSON with aws-cdk-lib's keys.
    pub fn new(schema: serde_json::Value) -> Self {
        JsonSchema(schema)
    }

    fn map(value: &serde_json::Value, preserve_keys: bool) -> serde_json::Value {
        use serde_json::Value as J;
        match value {
            J::Array(items) => J::Array(items.iter().map(|v| Self::map(v, false)).collect()),
            J::Object(map) => J::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = match (preserve_keys, k.as_str()) {
                            (false, "schema") => "$schema".to_string(),
                            (false, "ref") => "$ref".to_string(),
                            _ => k.clone(),
                        };
                        let children_user_defined = !preserve_keys
                            && matches!(
                                k.as_str(),
                                "definitions" | "properties" | "patternProperties" | "dependencies"
                            );
                        (key, Self::map(v, children_user_defined))
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// The schema as CloudFormation's `Schema` JSON.
    pub fn to_cfn(&self) -> serde_json::Value {
        let mut result = Self::map(&self.0, false);
        if let serde_json::Value::Object(map) = &mut result {
            if !map.contains_key("$schema") {
                map.insert("$schema".into(), JsonSchemaVersion::Draft4.as_str().into());
            }
        }
        result
    }
}

fn json_hash(value: &serde_json::Value) -> HashData {
    use serde_json::Value as J;
    match value {
        J::Null => HashData::Null,
        J::Bool(b) => HashData::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => HashData::Int(i),
            None => HashData::Token(cdk_core::Value::raw_json(value.clone())),
        },
        J::String(s) => HashData::from(s.as_str()),
        J::Array(a) => HashData::List(a.iter().map(json_hash).collect()),
        J::Object(m) => {
            HashData::Object(m.iter().map(|(k, v)| (k.clone(), json_hash(v))).collect())
        }
    }
}

/// Options of [`RestApi::add_model`].
#[derive(Clone, Debug)]
pub struct ModelOptions {
    /// The schema.
    pub schema: JsonSchema,
    /// Content type (default `application/json`).
    pub content_type: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Name (default generated by CloudFormation).
    pub model_name: Option<String>,
}

impl ModelOptions {
    /// Options with `schema` and defaults elsewhere.
    pub fn new(schema: JsonSchema) -> Self {
        ModelOptions {
            schema,
            content_type: None,
            description: None,
            model_name: None,
        }
    }
}

/// A model (`AWS::ApiGateway::Model`), or one of API Gateway's built-in models
/// ([`Model::empty`], [`Model::error`]), named by methods' request and response models.
#[derive(Clone)]
pub struct Model {
    node: Option<Node>,
    model_id: Str,
    resource: Option<CfnModel>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.node {
            Some(n) => write!(f, "Model({})", n.path()),
            None => write!(f, "Model({:?})", self.model_id.literal()),
        }
    }
}

impl Model {
    /// API Gateway's built-in `Empty` model.
    pub fn empty() -> Self {
        Model {
            node: None,
            model_id: Str::from("Empty"),
            resource: None,
        }
    }

    /// API Gateway's built-in `Error` model.
    pub fn error() -> Self {
        Model {
            node: None,
            model_id: Str::from("Error"),
            resource: None,
        }
    }

    /// Defines model `id` of `api` under `scope` (prefer [`RestApi::add_model`]).
    pub fn new(scope: &impl IConstruct, id: &str, api: &RestApi, options: ModelOptions) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.apigateway.Model",
            ResourceProps {
                physical_name: options
                    .model_name
                    .as_deref()
                    .map(|n| PhysicalName::Given(Str::from(n))),
                ..Default::default()
            },
        );
        let content_type = options
            .content_type
            .clone()
            .unwrap_or_else(|| "application/json".into());
        let schema = options.schema.to_cfn();
        let resource = CfnModel::new(
            &base,
            "Resource",
            CfnModelProps {
                name: options.model_name.as_deref().map(Str::from),
                content_type: Some(content_type.as_str().into()),
                description: options.description.as_deref().map(Str::from),
                schema: Some(cdk_core::Value::raw_json(schema.clone())),
                ..CfnModelProps::new(api.rest_api_id())
            },
        );
        if let Some(deployment) = api.latest_deployment() {
            deployment.node().add_dependency(&resource);
            deployment.add_to_logical_id(HashData::object([(
                "model",
                HashData::object([
                    ("name", HashData::opt_str(options.model_name.as_deref())),
                    ("restApiId", HashData::from(api.rest_api_id())),
                    ("contentType", HashData::from(content_type.as_str())),
                    (
                        "description",
                        HashData::opt_str(options.description.as_deref()),
                    ),
                    ("schema", json_hash(&schema)),
                ]),
            )]));
        }
        let model_id = base.name_attribute(resource.ref_());
        Model {
            node: Some(base.node().clone()),
            model_id,
            resource: Some(resource),
        }
    }

    /// The model's ID (its name: `Ref`, or `Empty`/`Error`).
    pub fn model_id(&self) -> Str {
        self.model_id.clone()
    }

    /// The underlying `AWS::ApiGateway::Model` (`None` for the built-in models).
    pub fn cfn(&self) -> Option<&CfnModel> {
        self.resource.as_ref()
    }
}

/// Options of a request validator ([`RestApi::add_request_validator`], or a method's
/// `request_validator_options`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestValidatorOptions {
    /// Name (default generated by CloudFormation).
    pub request_validator_name: Option<String>,
    /// Validate the body against the method's request model.
    pub validate_request_body: Option<bool>,
    /// Validate the required request parameters.
    pub validate_request_parameters: Option<bool>,
}

/// A request validator (`AWS::ApiGateway::RequestValidator`).
#[derive(Clone)]
pub struct RequestValidator {
    node: Node,
    resource: CfnRequestValidator,
}

impl std::fmt::Debug for RequestValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RequestValidator({})", self.node.path())
    }
}

impl IConstruct for RequestValidator {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl RequestValidator {
    /// Defines validator `id` of `api` under `scope` (prefer [`RestApi::add_request_validator`]).
    pub fn new(
        scope: &impl IConstruct,
        id: &str,
        api: &RestApi,
        options: RequestValidatorOptions,
    ) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.apigateway.RequestValidator",
            ResourceProps::default(),
        );
        let resource = CfnRequestValidator::new(
            &base,
            "Resource",
            CfnRequestValidatorProps {
                name: options.request_validator_name.as_deref().map(Str::from),
                validate_request_body: options.validate_request_body.map(Into::into),
                validate_request_parameters: options.validate_request_parameters.map(Into::into),
                ..CfnRequestValidatorProps::new(api.rest_api_id())
            },
        );
        if let Some(deployment) = api.latest_deployment() {
            deployment.node().add_dependency(&resource);
            let flag = |b: Option<bool>| b.map_or(HashData::Null, HashData::Bool);
            deployment.add_to_logical_id(HashData::object([(
                "validator",
                HashData::object([
                    (
                        "name",
                        HashData::opt_str(options.request_validator_name.as_deref()),
                    ),
                    ("restApiId", HashData::from(api.rest_api_id())),
                    ("validateRequestBody", flag(options.validate_request_body)),
                    (
                        "validateRequestParameters",
                        flag(options.validate_request_parameters),
                    ),
                ]),
            )]));
        }
        RequestValidator {
            node: base.node().clone(),
            resource,
        }
    }

    /// The validator's ID (`Ref`).
    pub fn request_validator_id(&self) -> Str {
        self.resource.ref_()
    }

    /// The underlying `AWS::ApiGateway::RequestValidator`.
    pub fn cfn(&self) -> &CfnRequestValidator {
        &self.resource
    }
}
