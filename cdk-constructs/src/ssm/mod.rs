//! AWS Systems Manager Parameter Store: parameters as constructs ([`StringParameter`],
//! [`StringListParameter`]) with grants and imports, references to existing parameters' values
//! at deploy time ([`StringParameter::value_for_string_parameter`], dynamic references), and
//! reading parameters at synthesis time ([`StringParameter::value_from_lookup`]).

mod parameter;

pub use crate::generated::ssm::*;
pub use parameter::*;

use std::rc::Rc;

use cdk_core::context_provider::{ContextProvider, GetContextValueOptions, SSM_PARAMETER_PROVIDER};
use cdk_core::IConstruct;

/// A String parameter of Parameter Store (aws-cdk-lib's `ssm.StringParameter`): created here
/// ([`StringParameter::new`]) or imported; its associated functions also reference existing
/// parameters' values.
#[derive(Clone)]
pub struct StringParameter {
    node: cdk_core::Node,
    name: cdk_core::Str,
    arn: cdk_core::Str,
    value: parameter::ParameterValue,
    key: Option<Rc<dyn crate::kms::IKey>>,
    created: Option<parameter::Created>,
}

/// Options of [`StringParameter::value_from_lookup_with`].
#[derive(Debug, Clone, Default)]
pub struct StringParameterLookupOptions {
    /// Look the same parameter up more than once under different keys.
    pub additional_cache_key: Option<String>,
}

impl StringParameter {
    /// The value of the parameter `parameter_name` in the stack's account and region, read by
    /// the CLI at synthesis time and cached in `cdk.context.json` (the stack needs a literal
    /// account and region). Until it is known the value is `default_value`, else
    /// `dummy-value-for-<name>`; without a default, a parameter that does not exist fails the
    /// lookup. As aws-cdk-lib's `StringParameter.valueFromLookup`, with the same context key.
    ///
    /// ```
    /// use cdk_core::{App, Environment, Stack, StackProps};
    /// use cdk_constructs::ssm::StringParameter;
    /// let app = App::new();
    /// let stack = Stack::new(&app, "S", StackProps {
    ///     env: Some(Environment::new("111111111111", "eu-west-1")),
    ///     ..Default::default()
    /// });
    /// let version = StringParameter::value_from_lookup(&stack, "/app/version", None);
    /// assert_eq!(version, "dummy-value-for-/app/version");
    /// ```
    pub fn value_from_lookup(
        scope: &impl IConstruct,
        parameter_name: &str,
        default_value: Option<&str>,
    ) -> String {
        Self::value_from_lookup_with(
            scope,
            parameter_name,
            default_value,
            StringParameterLookupOptions::default(),
        )
    }

    /// [`StringParameter::value_from_lookup`] with options.
    pub fn value_from_lookup_with(
        scope: &impl IConstruct,
        parameter_name: &str,
        default_value: Option<&str>,
        options: StringParameterLookupOptions,
    ) -> String {
        let mut props = serde_json::Map::new();
        props.insert("parameterName".into(), parameter_name.into());
        let dummy = default_value
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("dummy-value-for-{parameter_name}"));
        let value = ContextProvider::get_value(
            scope,
            GetContextValueOptions {
                provider: SSM_PARAMETER_PROVIDER.into(),
                props,
                dummy_value: dummy.into(),
                must_exist: Some(default_value.is_none()),
                additional_cache_key: options.additional_cache_key,
                ..Default::default()
            },
        );
        match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }
    }
}
