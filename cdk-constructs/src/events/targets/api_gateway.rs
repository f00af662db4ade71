//! The API Gateway target (aws-cdk-lib's `targets.ApiGateway`).

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::{IConstruct, Stack, Str};

use super::{singleton_event_role, target_base_builders, TargetBaseProps};
use crate::apigateway::{IRestApi, RestApi};
use crate::events::{
    cfn_rule, IRuleTarget, Rule, RuleTargetConfig, RuleTargetInput, TargetResource,
};
use crate::iam::{IRole, PolicyStatement};

/// Properties of an [`ApiGateway`] target.
#[derive(Clone, Default)]
pub struct ApiGatewayProps {
    /// The HTTP method to call (default `*`: any).
    pub method: Option<String>,
    /// The resource path to call, `*` for path parameters (default `/`).
    pub path: Option<String>,
    /// The stage to call (default: the API's deployment stage).
    pub stage: Option<String>,
    /// Values of the path's `*` parameters, one per `*` (JSON paths of the event allowed).
    pub path_parameter_values: Vec<Str>,
    /// Headers sent (`HttpParameters.HeaderParameters`).
    pub header_parameters: BTreeMap<String, Str>,
    /// Query string parameters sent (`HttpParameters.QueryStringParameters`).
    pub query_string_parameters: BTreeMap<String, Str>,
    /// The request body (default: the matched event).
    pub post_body: Option<RuleTargetInput>,
    /// The role EventBridge assumes to call the API (default: the API's `EventsRole`, shared by
    /// every rule targeting it).
    pub event_role: Option<Rc<dyn IRole>>,
    /// Dead-letter queue and retries.
    pub base: TargetBaseProps,
}

/// Calls an API Gateway REST API: the events role may `execute-api:Invoke` (and
/// `ManageConnections`) on the called method, as aws-cdk-lib.
///
/// ```
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::apigateway::{MethodOptions, RestApi, RestApiProps};
/// use cdk_constructs::events::targets::{ApiGateway, ApiGatewayProps};
/// use cdk_constructs::events::{EventField, Rule, RuleProps, RuleTargetInput, Schedule};
/// use cdk_core::Value;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let api = RestApi::new(&stack, "Api", RestApiProps::default());
/// api.root().add_method("POST", None, MethodOptions::default());
/// let rule = Rule::new(&stack, "Every5", RuleProps {
///     schedule: Some(Schedule::rate(Duration::from_secs(300))),
///     ..Default::default()
/// });
/// rule.add_target(ApiGateway::with_props(&api, ApiGatewayProps {
///     method: Some("POST".into()),
///     post_body: Some(RuleTargetInput::from_object(Value::object([("time", EventField::time())]))),
///     ..Default::default()
/// }));
/// ```
#[derive(Clone)]
pub struct ApiGateway {
    rest_api: RestApi,
    props: ApiGatewayProps,
}

impl ApiGateway {
    /// A target calling any method on `/` of `rest_api`'s deployment stage with the event.
    pub fn new(rest_api: &RestApi) -> Self {
        Self::with_props(rest_api, ApiGatewayProps::default())
    }

    /// A target with properties.
    pub fn with_props(rest_api: &RestApi, props: ApiGatewayProps) -> Self {
        ApiGateway {
            rest_api: rest_api.clone(),
            props,
        }
    }
}

target_base_builders!(ApiGateway);

impl IRuleTarget for ApiGateway {
    fn bind(&self, rule: &Rule, _id: &str) -> RuleTargetConfig {
        self.props.base.allow_rule_to_dead_letter_queue(rule);
        let path = self.props.path.clone().unwrap_or_else(|| "/".into());
        if path.matches('*').count() != self.props.path_parameter_values.len() {
            rule.node().add_error(
                "The number of wildcards in the path does not match the number of path pathParameterValues.",
            );
        }
        let stage = match &self.props.stage {
            Some(stage) => Str::from(stage.as_str()),
            None => match self.rest_api.deployment_stage() {
                Some(stage) => stage.stage_name(),
                None => {
                    rule.node().add_error("the API Gateway target needs a stage: the API has no deployment stage (deploy is false), set `stage`");
                    Str::from("*")
                }
            },
        };
        let method = self.props.method.clone().unwrap_or_else(|| "*".into());
        let arn = self
            .rest_api
            .arn_for_execute_api(&method, &path, Some(stage));
        let role: Rc<dyn IRole> = self
            .props
            .event_role
            .clone()
            .unwrap_or_else(|| Rc::new(singleton_event_role(self.rest_api.node())));
        role.add_to_policy(
            PolicyStatement::new()
                .actions(["execute-api:Invoke", "execute-api:ManageConnections"])
                .resource(arn.clone()),
        );
        let env = IRestApi::env(&self.rest_api);
        let non_empty = |m: &BTreeMap<String, Str>| (!m.is_empty()).then(|| m.clone());
        let mut config = RuleTargetConfig {
            arn,
            role_arn: Some(role.role_arn()),
            input: self.props.post_body.clone(),
            target_resource: Stack::of(self.rest_api.node()).map(|stack| TargetResource {
                account: env.account,
                region: env.region,
                stack,
            }),
            http_parameters: Some(cfn_rule::HttpParametersProperty {
                header_parameters: non_empty(&self.props.header_parameters),
                path_parameter_values: (!self.props.path_parameter_values.is_empty())
                    .then(|| self.props.path_parameter_values.clone().into()),
                query_string_parameters: non_empty(&self.props.query_string_parameters),
            }),
            ..Default::default()
        };
        self.props.base.apply(&mut config);
        config
    }
}
