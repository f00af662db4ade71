//! Context lookups: values an app reads from its deployment environment at synthesis time (an
//! SSM parameter, the availability zones, a VPC, ...), as aws-cdk-lib's `ContextProvider` does.
//!
//! A lookup reads its context key (built from the provider name, the stack's account and region
//! and the query, exactly as aws-cdk-lib builds it). When the key has no value yet, the lookup
//! is recorded in the manifest's `missing` list (with the stack's lookup role) and a dummy value
//! is returned; the CLI (`rcdk` or `cdk`) looks the value up, stores it in `cdk.context.json`
//! and synthesizes again. Nothing here calls AWS.
//!
//! ```
//! use cdk_core::context_provider::{ContextProvider, GetContextValueOptions};
//! use cdk_core::{App, Environment, Stack, StackProps};
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps {
//!     env: Some(Environment::new("111111111111", "eu-west-1")),
//!     ..Default::default()
//! });
//! let mut props = serde_json::Map::new();
//! props.insert("parameterName".into(), "/app/version".into());
//! let value = ContextProvider::get_value(&stack, GetContextValueOptions {
//!     provider: "ssm".into(),
//!     props,
//!     dummy_value: "dummy-value-for-/app/version".into(),
//!     ..Default::default()
//! });
//! assert_eq!(value, "dummy-value-for-/app/version");
//! assert_eq!(
//!     ContextProvider::missing(&app)[0]["key"],
//!     "ssm:account=111111111111:parameterName=/app/version:region=eu-west-1"
//! );
//! ```

use serde_json::{Map, Value};

use crate::construct::IConstruct;
use crate::stack::Stack;
use crate::synthesizer::EnvPlaceholders;

/// The key under which a provider stores an error instead of a value (`$providerError`).
pub const PROVIDER_ERROR_KEY: &str = "$providerError";
/// The context key of the availability zones of an environment-agnostic stack.
pub const AVAILABILITY_ZONE_FALLBACK_CONTEXT_KEY: &str = "aws:cdk:availability-zones:fallback";

/// The SSM parameter provider.
pub const SSM_PARAMETER_PROVIDER: &str = "ssm";
/// The availability zones provider.
pub const AVAILABILITY_ZONE_PROVIDER: &str = "availability-zones";

/// What to look up.
#[derive(Debug, Clone, PartialEq)]
pub struct GetContextValueOptions {
    /// The provider name (`ssm`, `availability-zones`, `vpc-provider`, ...).
    pub provider: String,
    /// The provider's query (e.g. `parameterName`); part of the key.
    pub props: Map<String, Value>,
    /// The value returned while the real one is not known yet.
    pub dummy_value: Value,
    /// Whether a value that does not exist is an error (`Some(false)`: the provider returns
    /// the dummy value instead). `None` leaves it to the provider.
    pub must_exist: Option<bool>,
    /// Whether the stack's account and region are part of the key (default true).
    pub include_environment: bool,
    /// An extra component of the key, to look the same value up twice.
    pub additional_cache_key: Option<String>,
}

impl Default for GetContextValueOptions {
    fn default() -> Self {
        GetContextValueOptions {
            provider: String::new(),
            props: Map::new(),
            dummy_value: Value::Null,
            must_exist: None,
            include_environment: true,
            additional_cache_key: None,
        }
    }
}

/// Builds context keys and reads (or requests) looked-up values.
pub struct ContextProvider;

/// aws-cdk-lib quotes `:` as `$:` (its `$` → `$$` replacement is a JavaScript replacement
/// pattern that yields a single `$`, so `$` stays as it is).
fn colon_quote(s: &str) -> String {
    s.replace(':', "$:")
}

fn props_to_array(props: &Map<String, Value>, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in props {
        match value {
            Value::Null => {}
            Value::Object(inner) => props_to_array(inner, &format!("{prefix}{key}."), out),
            Value::String(s) => out.push(format!("{prefix}{key}={}", colon_quote(s))),
            other => out.push(format!("{prefix}{key}={other}")),
        }
    }
}

impl ContextProvider {
    /// The context key and the props it was built from: `PROVIDER:k1=v1:k2=v2` with the props
    /// (account, region, additional cache key and the query) sorted, `:` quoted as `$:`, as in
    /// aws-cdk-lib. `None` when the scope is not in a stack.
    pub fn get_key(
        scope: &impl IConstruct,
        options: &GetContextValueOptions,
    ) -> Option<(String, Map<String, Value>)> {
        let stack = Stack::of(scope)?;
        let env = stack.environment();
        let mut props = Map::new();
        if options.include_environment {
            if let Some(a) = env.account {
                props.insert("account".into(), Value::String(a));
            }
            if let Some(r) = env.region {
                props.insert("region".into(), Value::String(r));
            }
        }
        if let Some(k) = &options.additional_cache_key {
            props.insert("additionalCacheKey".into(), Value::String(k.clone()));
        }
        props.extend(options.props.clone());
        let mut parts = Vec::new();
        props_to_array(&props, "", &mut parts);
        parts.sort();
        Some((format!("{}:{}", options.provider, parts.join(":")), props))
    }

    /// The looked-up value, or the dummy value (recording the lookup as missing, and an error
    /// on `scope` when the provider stored one or the stack has no literal account and region).
    pub fn get_value(scope: &impl IConstruct, options: GetContextValueOptions) -> Value {
        let node = scope.node();
        let Some(stack) = Stack::of(scope) else {
            node.add_error(&format!(
                "Cannot retrieve value from context provider {}: the construct is not in a stack",
                options.provider
            ));
            return options.dummy_value;
        };
        let env = stack.environment();
        let (Some(account), Some(region)) = (env.account.clone(), env.region.clone()) else {
            node.add_error(&format!(
                "Cannot retrieve value from context provider {} since account/region are not specified at the stack level. Configure \"env\" with an account and region when you define your stack. See https://docs.aws.amazon.com/cdk/latest/guide/environments.html for more details.",
                options.provider
            ));
            return options.dummy_value;
        };
        let Some((key, props)) = Self::get_key(scope, &options) else {
            return options.dummy_value;
        };
        let value = node.try_get_context(&key);
        let provider_error =
            value
                .as_ref()
                .and_then(|v| v.get(PROVIDER_ERROR_KEY))
                .map(|e| match e {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
        if let (Some(v), None) = (&value, &provider_error) {
            return v.clone();
        }
        let mut extended = Map::new();
        extended.insert("dummyValue".into(), options.dummy_value.clone());
        if let Some(must) = options.must_exist {
            extended.insert("ignoreErrorOnMissingContext".into(), Value::Bool(!must));
        }
        if let Some(k) = &options.additional_cache_key {
            extended.insert("additionalCacheKey".into(), Value::String(k.clone()));
        }
        extended.extend(props);
        let lookup_role = stack.with_synthesizer(|s| {
            s.lookup_role_arn(&EnvPlaceholders::new(Some(&account), Some(&region)))
        });
        extended.insert("lookupRoleArn".into(), Value::String(lookup_role));
        let entry = serde_json::json!({
            "key": key,
            "provider": options.provider,
            "props": Value::Object(extended),
        });
        node.record_missing_context(entry);
        if let Some(message) = provider_error {
            node.add_error(&message);
        }
        options.dummy_value
    }

    /// The lookups recorded so far in `scope`'s app (the manifest's `missing` entries), sorted
    /// by key.
    pub fn missing(scope: &impl IConstruct) -> Vec<Value> {
        scope.node().missing_context()
    }
}
