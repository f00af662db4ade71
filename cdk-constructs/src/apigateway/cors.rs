//! CORS preflight: the `OPTIONS` method aws-cdk-lib's `addCorsPreflight` renders (a mock
//! integration answering with the `Access-Control-*` headers).

use std::collections::BTreeMap;
use std::time::Duration;

use super::authorizer::Authorizer;
use super::integration::{Integration, IntegrationOptions, IntegrationResponse, MockIntegration};
use super::method::{AuthorizationType, Method, MethodOptions, MethodResponse, HTTP_METHODS};
use super::resource::Resource;

/// aws-cdk-lib's `Cors` constants.
pub struct Cors;

impl Cors {
    /// Every HTTP method (`OPTIONS, GET, PUT, POST, DELETE, PATCH, HEAD`).
    pub const ALL_METHODS: &'static [&'static str] =
        &["OPTIONS", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD"];
    /// Any origin (`*`).
    pub const ALL_ORIGINS: &'static [&'static str] = &["*"];
    /// The headers allowed unless `allow_headers` is set.
    pub const DEFAULT_HEADERS: &'static [&'static str] = &[
        "Content-Type",
        "X-Amz-Date",
        "Authorization",
        "X-Api-Key",
        "X-Amz-Security-Token",
        "X-Amz-User-Agent",
    ];
}

/// CORS options of a resource ([`Resource::add_cors_preflight`], or
/// `default_cors_preflight_options` of an API or resource, inherited by child resources).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorsOptions {
    /// Origins allowed (at least one; `*` alone, or specific origins).
    pub allow_origins: Vec<String>,
    /// Headers allowed (default [`Cors::DEFAULT_HEADERS`]).
    pub allow_headers: Option<Vec<String>>,
    /// Methods allowed (default [`Cors::ALL_METHODS`]; `ANY` alone means all).
    pub allow_methods: Option<Vec<String>>,
    /// Send `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// How long the preflight response may be cached (`Access-Control-Max-Age`).
    pub max_age: Option<Duration>,
    /// Disable caching of the preflight response (`Access-Control-Max-Age: -1`).
    pub disable_cache: bool,
    /// Headers exposed to the browser (`Access-Control-Expose-Headers`).
    pub expose_headers: Option<Vec<String>>,
    /// Status code of the preflight response (default 204).
    pub status_code: Option<u16>,
}

impl CorsOptions {
    /// Options allowing `origins`, defaults elsewhere.
    pub fn new<S: AsRef<str>>(origins: impl IntoIterator<Item = S>) -> Self {
        CorsOptions {
            allow_origins: origins
                .into_iter()
                .map(|s| s.as_ref().to_string())
                .collect(),
            ..Default::default()
        }
    }
}

impl Resource {
    /// Adds the CORS preflight `OPTIONS` method aws-cdk-lib's `addCorsPreflight` renders: a
    /// mock integration returning the `Access-Control-*` headers (`Vary: Origin` for specific
    /// origins; further origins echoed by a response template), no authorization, no API key.
    pub fn add_cors_preflight(&self, options: CorsOptions) -> Method {
        let node = self.node.clone();
        let mut headers: Vec<(String, String)> = Vec::new();
        let allow_headers: Vec<String> = options.allow_headers.clone().unwrap_or_else(|| {
            Cors::DEFAULT_HEADERS
                .iter()
                .map(|s| s.to_string())
                .collect()
        });
        headers.push((
            "Access-Control-Allow-Headers".into(),
            format!("'{}'", allow_headers.join(",")),
        ));
        if options.allow_origins.is_empty() {
            node.add_error("allowOrigins must contain at least one origin");
        }
        if options.allow_origins.iter().any(|o| o == "*") && options.allow_origins.len() > 1 {
            node.add_error(&format!(
                "Invalid \"allowOrigins\" - cannot mix \"*\" with specific origins: {}",
                options.allow_origins.join(",")
            ));
        }
        let initial = options.allow_origins.first().cloned().unwrap_or_default();
        headers.push(("Access-Control-Allow-Origin".into(), format!("'{initial}'")));
        if initial != "*" {
            headers.push(("Vary".into(), "'Origin'".into()));
        }
        let mut allow_methods: Vec<String> = options
            .allow_methods
            .clone()
            .unwrap_or_else(|| Cors::ALL_METHODS.iter().map(|s| s.to_string()).collect());
        if allow_methods.iter().any(|m| m == "ANY") {
            if allow_methods.len() > 1 {
                node.add_error(&format!(
                    "ANY cannot be used with any other method. Received: {}",
                    allow_methods.join(",")
                ));
            }
            allow_methods = Cors::ALL_METHODS.iter().map(|s| s.to_string()).collect();
        }
        for m in &allow_methods {
            if !HTTP_METHODS.contains(&m.to_uppercase().as_str()) {
                node.add_error(&format!("invalid HTTP method '{m}' in allow_methods"));
            }
        }
        headers.push((
            "Access-Control-Allow-Methods".into(),
            format!("'{}'", allow_methods.join(",")),
        ));
        if options.allow_credentials {
            headers.push(("Access-Control-Allow-Credentials".into(), "'true'".into()));
        }
        if options.max_age.is_some() && options.disable_cache {
            node.add_error("The options \"maxAge\" and \"disableCache\" are mutually exclusive");
        }
        let mut max_age: Option<i64> = options.max_age.map(|d| d.as_secs() as i64);
        if options.disable_cache {
            max_age = Some(-1);
        }
        if let Some(seconds) = max_age.filter(|s| *s != 0) {
            headers.push(("Access-Control-Max-Age".into(), format!("'{seconds}'")));
        }
        if let Some(expose) = &options.expose_headers {
            headers.push((
                "Access-Control-Expose-Headers".into(),
                format!("'{}'", expose.join(",")),
            ));
        }
        let status_code = options.status_code.unwrap_or(204).to_string();
        let key = |name: &str| format!("method.response.header.{name}");
        let order: Vec<String> = headers.iter().map(|(n, _)| key(n)).collect();
        let integration_params: BTreeMap<String, String> =
            headers.iter().map(|(n, v)| (key(n), v.clone())).collect();
        let method_params: BTreeMap<String, bool> =
            headers.iter().map(|(n, _)| (key(n), true)).collect();

        let mut response_templates = BTreeMap::new();
        let others = options.allow_origins.get(1..).unwrap_or_default();
        if !others.is_empty() {
            let condition = others
                .iter()
                .map(|o| format!("$origin == \"{o}\""))
                .collect::<Vec<_>>()
                .join(" || ");
            let template = [
                "#set($origin = $input.params().header.get(\"Origin\"))".to_string(),
                "#if($origin == \"\")".to_string(),
                "  #set($origin = $input.params().header.get(\"origin\"))".to_string(),
                "#end".to_string(),
                format!("#if({condition})"),
                "  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)"
                    .to_string(),
                "#end".to_string(),
            ]
            .join("\n");
            response_templates.insert("application/json".to_string(), template);
        }
        let integration: Integration = MockIntegration::new(IntegrationOptions {
            request_templates: BTreeMap::from([(
                "application/json".to_string(),
                "{ statusCode: 200 }".to_string(),
            )]),
            integration_responses: vec![IntegrationResponse {
                status_code: status_code.clone(),
                response_parameters: integration_params,
                response_templates,
                selection_pattern: None,
            }],
            ..Default::default()
        })
        .into();
        self.add_method_ordered(
            "OPTIONS",
            Some(integration),
            MethodOptions {
                authorizer: Some(Authorizer::none()),
                api_key_required: Some(false),
                authorization_type: Some(AuthorizationType::None),
                method_responses: Some(vec![MethodResponse {
                    status_code,
                    response_parameters: method_params,
                    ..Default::default()
                }]),
                ..Default::default()
            },
            Some(order),
        )
    }
}
