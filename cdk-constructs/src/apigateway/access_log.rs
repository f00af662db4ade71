//! Access logging of a stage (aws-cdk-lib's `access-log.ts`): where the entries go
//! ([`IAccessLogDestination`], [`LogGroupLogDestination`]) and what they contain
//! ([`AccessLogFormat`] built from [`AccessLogField`]s).

use std::fmt;

use cdk_core::{Node, Str};

#[cfg(all(feature = "kms", feature = "logs"))]
use std::rc::Rc;

#[cfg(all(feature = "kms", feature = "logs"))]
use crate::logs::ILogGroup;

/// What a destination gives the stage it is bound to (aws-cdk-lib's
/// `AccessLogDestinationConfig`).
#[derive(Clone, Debug)]
pub struct AccessLogDestinationConfig {
    /// The ARN the stage's `AccessLogSetting.DestinationArn` names.
    pub destination_arn: Str,
}

/// Where a stage writes its access log (aws-cdk-lib's `IAccessLogDestination`).
pub trait IAccessLogDestination {
    /// Binds the destination to the stage `stage` (the stage construct's node).
    fn bind(&self, stage: &Node) -> AccessLogDestinationConfig;
}

/// Access logs into a CloudWatch Logs group (aws-cdk-lib's `LogGroupLogDestination`).
///
/// The destination ARN is the group's `Arn` attribute (ending in `:*`), or, under the feature
/// flag `@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard`, the group's ARN
/// without that suffix (`arn:…:logs:<region>:<account>:log-group:<name>`), as aws-cdk-lib.
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::apigateway::{
///     AccessLogField, AccessLogFormat, LogGroupLogDestination, MockIntegration, IntegrationOptions,
///     MethodOptions, RestApi, RestApiProps, StageOptions,
/// };
/// use cdk_constructs::logs::{LogGroup, LogGroupProps};
/// # let app = App::new();
/// # let stack = Stack::new(&app, "Api", StackProps::default());
/// let access_logs = LogGroup::new(&stack, "AccessLogs", LogGroupProps::default());
/// let api = RestApi::new(&stack, "Api", RestApiProps {
///     deploy_options: Some(StageOptions {
///         access_log_destination: Some(LogGroupLogDestination::new(&access_logs).into()),
///         access_log_format: Some(AccessLogFormat::json_with_standard_fields(Default::default())),
///         ..Default::default()
///     }),
///     ..Default::default()
/// });
/// api.root().add_method("GET", MockIntegration::new(IntegrationOptions::default()), MethodOptions::default());
/// # let custom = AccessLogFormat::custom(format!("{} {}", AccessLogField::context_request_id(), AccessLogField::context_status()));
/// # let _ = custom;
/// ```
#[cfg(all(feature = "kms", feature = "logs"))]
#[derive(Clone)]
pub struct LogGroupLogDestination {
    log_group: Rc<dyn ILogGroup>,
}

#[cfg(all(feature = "kms", feature = "logs"))]
impl LogGroupLogDestination {
    /// Access logs into `log_group` (created or imported).
    pub fn new(log_group: impl Into<Rc<dyn ILogGroup>>) -> Self {
        LogGroupLogDestination {
            log_group: log_group.into(),
        }
    }

    /// The log group.
    pub fn log_group(&self) -> &Rc<dyn ILogGroup> {
        &self.log_group
    }
}

#[cfg(all(feature = "kms", feature = "logs"))]
impl IAccessLogDestination for LogGroupLogDestination {
    fn bind(&self, stage: &Node) -> AccessLogDestinationConfig {
        use cdk_core::feature_flags;
        let without_wildcard = feature_flags::is_enabled(
            stage,
            feature_flags::APIGATEWAY_LOG_GROUP_DESTINATION_ARN_WITHOUT_WILDCARD,
        );
        let destination_arn = match cdk_core::Stack::of(self.log_group.node()) {
            Some(stack) if without_wildcard => {
                let env = self.log_group.env();
                stack.format_arn(
                    cdk_core::ArnComponents::new("logs", "log-group")
                        .with_name(self.log_group.log_group_name())
                        .with_format(cdk_core::ArnFormat::ColonResourceName)
                        .with_account(env.account)
                        .with_region(env.region),
                )
            }
            _ => self.log_group.log_group_arn(),
        };
        AccessLogDestinationConfig { destination_arn }
    }
}

#[cfg(all(feature = "kms", feature = "logs"))]
impl From<LogGroupLogDestination> for std::rc::Rc<dyn IAccessLogDestination> {
    fn from(d: LogGroupLogDestination) -> Self {
        std::rc::Rc::new(d)
    }
}

/// The `$context` variables an access-log format can contain (aws-cdk-lib's
/// `AccessLogField`; see API Gateway's `$context` variable reference).
pub struct AccessLogField;

macro_rules! context_fields {
    ($($(#[$doc:meta])* $name:ident => $value:literal;)*) => {
        impl AccessLogField {
            $(
                $(#[$doc])*
                pub fn $name() -> String {
                    $value.to_string()
                }
            )*
        }
    };
}

context_fields! {
    /// `$context.identity.accountId` (deprecated in aws-cdk-lib: use
    /// [`context_caller_account_id`](Self::context_caller_account_id) or
    /// [`context_owner_account_id`](Self::context_owner_account_id)).
    context_account_id => "$context.identity.accountId";
    /// `$context.identity.accountId`: the account of the caller.
    context_caller_account_id => "$context.identity.accountId";
    /// `$context.accountId`: the account that owns the API.
    context_owner_account_id => "$context.accountId";
    /// `$context.apiId`.
    context_api_id => "$context.apiId";
    /// `$context.authorizer.principalId`.
    context_authorizer_principal_id => "$context.authorizer.principalId";
    /// `$context.awsEndpointRequestId`.
    context_aws_endpoint_request_id => "$context.awsEndpointRequestId";
    /// `$context.domainName`.
    context_domain_name => "$context.domainName";
    /// `$context.domainPrefix`.
    context_domain_prefix => "$context.domainPrefix";
    /// `$context.error.message`.
    context_error_message => "$context.error.message";
    /// `$context.error.messageString`.
    context_error_message_string => "$context.error.messageString";
    /// `$context.error.responseType`.
    context_error_response_type => "$context.error.responseType";
    /// `$context.error.validationErrorString`.
    context_error_validation_error_string => "$context.error.validationErrorString";
    /// `$context.extendedRequestId`.
    context_extended_request_id => "$context.extendedRequestId";
    /// `$context.httpMethod`.
    context_http_method => "$context.httpMethod";
    /// `$context.identity.accountId`.
    context_identity_account_id => "$context.identity.accountId";
    /// `$context.identity.apiKey`.
    context_identity_api_key => "$context.identity.apiKey";
    /// `$context.identity.apiKeyId`.
    context_identity_api_key_id => "$context.identity.apiKeyId";
    /// `$context.identity.caller`.
    context_identity_caller => "$context.identity.caller";
    /// `$context.identity.cognitoAuthenticationProvider`.
    context_identity_cognito_authentication_provider => "$context.identity.cognitoAuthenticationProvider";
    /// `$context.identity.cognitoAuthenticationType`.
    context_identity_cognito_authentication_type => "$context.identity.cognitoAuthenticationType";
    /// `$context.identity.cognitoIdentityId`.
    context_identity_cognito_identity_id => "$context.identity.cognitoIdentityId";
    /// `$context.identity.cognitoIdentityPoolId`.
    context_identity_cognito_identity_pool_id => "$context.identity.cognitoIdentityPoolId";
    /// `$context.identity.principalOrgId`.
    context_identity_principal_org_id => "$context.identity.principalOrgId";
    /// `$context.identity.sourceIp`.
    context_identity_source_ip => "$context.identity.sourceIp";
    /// `$context.identity.clientCert.clientCertPem`.
    context_identity_client_cert_pem => "$context.identity.clientCert.clientCertPem";
    /// `$context.identity.clientCert.subjectDN`.
    context_identity_client_cert_subject_dn => "$context.identity.clientCert.subjectDN";
    /// `$context.identity.clientCert.issuerDN` (aws-cdk-lib spells it `contextIdentityClientCertIssunerDN`).
    context_identity_client_cert_issuner_dn => "$context.identity.clientCert.issuerDN";
    /// `$context.identity.clientCert.serialNumber`.
    context_identity_client_cert_serial_number => "$context.identity.clientCert.serialNumber";
    /// `$context.identity.clientCert.validity.notBefore`.
    context_identity_client_cert_validity_not_before => "$context.identity.clientCert.validity.notBefore";
    /// `$context.identity.clientCert.validity.notAfter`.
    context_identity_client_cert_validity_not_after => "$context.identity.clientCert.validity.notAfter";
    /// `$context.identity.user`.
    context_identity_user => "$context.identity.user";
    /// `$context.identity.userAgent`.
    context_identity_user_agent => "$context.identity.userAgent";
    /// `$context.identity.userArn`.
    context_identity_user_arn => "$context.identity.userArn";
    /// `$context.path`.
    context_path => "$context.path";
    /// `$context.protocol`.
    context_protocol => "$context.protocol";
    /// `$context.requestId`.
    context_request_id => "$context.requestId";
    /// `$context.responseOverride.status`.
    context_response_override_status => "$context.responseOverride.status";
    /// `$context.requestTime`.
    context_request_time => "$context.requestTime";
    /// `$context.requestTimeEpoch`.
    context_request_time_epoch => "$context.requestTimeEpoch";
    /// `$context.resourceId`.
    context_resource_id => "$context.resourceId";
    /// `$context.resourcePath`.
    context_resource_path => "$context.resourcePath";
    /// `$context.stage`.
    context_stage => "$context.stage";
    /// `$context.wafResponseCode`.
    context_waf_response_code => "$context.wafResponseCode";
    /// `$context.webaclArn`.
    context_webacl_arn => "$context.webaclArn";
    /// `$context.xrayTraceId`.
    context_xray_trace_id => "$context.xrayTraceId";
    /// `$context.authorizer.integrationLatency`.
    context_authorizer_integration_latency => "$context.authorizer.integrationLatency";
    /// `$context.integrationLatency`.
    context_integration_latency => "$context.integrationLatency";
    /// `$context.integrationStatus`.
    context_integration_status => "$context.integrationStatus";
    /// `$context.responseLatency`.
    context_response_latency => "$context.responseLatency";
    /// `$context.responseLength`.
    context_response_length => "$context.responseLength";
    /// `$context.status`.
    context_status => "$context.status";
    /// `$context.authorize.error`.
    context_authorize_error => "$context.authorize.error";
    /// `$context.authorize.latency`.
    context_authorize_latency => "$context.authorize.latency";
    /// `$context.authorize.status`.
    context_authorize_status => "$context.authorize.status";
    /// `$context.authorizer.error`.
    context_authorizer_error => "$context.authorizer.error";
    /// `$context.authorizer.integrationStatus`.
    context_authorizer_integration_status => "$context.authorizer.integrationStatus";
    /// `$context.authorizer.latency`.
    context_authorizer_latency => "$context.authorizer.latency";
    /// `$context.authorizer.requestId`.
    context_authorizer_request_id => "$context.authorizer.requestId";
    /// `$context.authorizer.status`.
    context_authorizer_status => "$context.authorizer.status";
    /// `$context.authenticate.error`.
    context_authenticate_error => "$context.authenticate.error";
    /// `$context.authenticate.latency`.
    context_authenticate_latency => "$context.authenticate.latency";
    /// `$context.authenticate.status`.
    context_authenticate_status => "$context.authenticate.status";
    /// `$context.customDomain.basePathMatched`.
    context_custom_domain_base_path_matched => "$context.customDomain.basePathMatched";
    /// `$context.integrationErrorMessage`.
    context_integration_error_message => "$context.integrationErrorMessage";
    /// `$context.waf.error`.
    context_waf_error => "$context.waf.error";
    /// `$context.waf.latency`.
    context_waf_latency => "$context.waf.latency";
    /// `$context.waf.status`.
    context_waf_status => "$context.waf.status";
    /// `$context.eventType` (WebSocket APIs).
    context_event_type => "$context.eventType";
    /// `$context.routeKey` (WebSocket APIs).
    context_route_key => "$context.routeKey";
    /// `$context.connectionId` (WebSocket APIs).
    context_connection_id => "$context.connectionId";
}

impl AccessLogField {
    /// `$context.authorizer.claims.<property>`: a claim of the Cognito user pool authorizer.
    pub fn context_authorizer_claims(property: &str) -> String {
        format!("$context.authorizer.claims.{property}")
    }

    /// `$context.authorizer.<property>`: a value the Lambda authorizer returned in its context.
    pub fn context_authorizer(property: &str) -> String {
        format!("$context.authorizer.{property}")
    }

    /// `$context.requestOverride.header.<header_name>`.
    pub fn context_request_override_header(header_name: &str) -> String {
        format!("$context.requestOverride.header.{header_name}")
    }

    /// `$context.requestOverride.path.<path_name>`.
    pub fn context_request_override_path(path_name: &str) -> String {
        format!("$context.requestOverride.path.{path_name}")
    }

    /// `$context.requestOverride.querystring.<querystring_name>`.
    pub fn context_request_override_querystring(querystring_name: &str) -> String {
        format!("$context.requestOverride.querystring.{querystring_name}")
    }

    /// `$context.responseOverride.header.<header_name>`.
    pub fn context_response_override_header(header_name: &str) -> String {
        format!("$context.responseOverride.header.{header_name}")
    }
}

/// Which standard fields [`AccessLogFormat::json_with_standard_fields`] writes (aws-cdk-lib's
/// `JsonWithStandardFieldProps`); `requestId` is always written. `Default` turns every field
/// on, as aws-cdk-lib does when the argument is omitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonWithStandardFieldProps {
    /// `ip`: `$context.identity.sourceIp`.
    pub ip: bool,
    /// `user`: `$context.identity.user`.
    pub user: bool,
    /// `caller`: `$context.identity.caller`.
    pub caller: bool,
    /// `requestTime`: `$context.requestTime`.
    pub request_time: bool,
    /// `httpMethod`: `$context.httpMethod`.
    pub http_method: bool,
    /// `resourcePath`: `$context.resourcePath`.
    pub resource_path: bool,
    /// `status`: `$context.status`.
    pub status: bool,
    /// `protocol`: `$context.protocol`.
    pub protocol: bool,
    /// `responseLength`: `$context.responseLength`.
    pub response_length: bool,
}

impl Default for JsonWithStandardFieldProps {
    fn default() -> Self {
        JsonWithStandardFieldProps {
            ip: true,
            user: true,
            caller: true,
            request_time: true,
            http_method: true,
            resource_path: true,
            status: true,
            protocol: true,
            response_length: true,
        }
    }
}

/// The format of a stage's access-log entries (aws-cdk-lib's `AccessLogFormat`).
///
/// ```
/// use cdk_constructs::apigateway::{AccessLogField, AccessLogFormat, JsonWithStandardFieldProps};
///
/// let clf = AccessLogFormat::clf();
/// assert!(clf.to_string().ends_with("$context.requestId"));
/// let json = AccessLogFormat::json_with_standard_fields(JsonWithStandardFieldProps {
///     ip: false,
///     ..Default::default()
/// });
/// assert!(json.to_string().starts_with(r#"{"requestId":"$context.requestId","user":"#));
/// let custom = AccessLogFormat::custom(format!(
///     "{} {}",
///     AccessLogField::context_request_id(),
///     AccessLogField::context_error_message()
/// ));
/// assert_eq!(custom.to_string(), "$context.requestId $context.error.message");
/// ```
#[derive(Clone, Debug)]
pub struct AccessLogFormat {
    format: Str,
}

impl AccessLogFormat {
    /// Any format; it must contain `$context.requestId` or `$context.extendedRequestId`
    /// (checked on the stage when the format is a literal, as aws-cdk-lib).
    pub fn custom(format: impl Into<Str>) -> Self {
        AccessLogFormat {
            format: format.into(),
        }
    }

    /// Common Log Format: `$context.identity.sourceIp $context.identity.caller
    /// $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath
    /// $context.protocol" $context.status $context.responseLength $context.requestId` (the
    /// stage's default when it has a destination and no format).
    pub fn clf() -> Self {
        let requester = [
            AccessLogField::context_identity_source_ip(),
            AccessLogField::context_identity_caller(),
            AccessLogField::context_identity_user(),
        ]
        .join(" ");
        let request = [
            AccessLogField::context_http_method(),
            AccessLogField::context_resource_path(),
            AccessLogField::context_protocol(),
        ]
        .join(" ");
        let status = [
            AccessLogField::context_status(),
            AccessLogField::context_response_length(),
            AccessLogField::context_request_id(),
        ]
        .join(" ");
        Self::custom(format!(
            "{requester} [{}] \"{request}\" {status}",
            AccessLogField::context_request_time()
        ))
    }

    /// A JSON object with `requestId` and the standard fields `fields` selects, in
    /// aws-cdk-lib's order and spelling (`JSON.stringify` of the same object).
    pub fn json_with_standard_fields(fields: JsonWithStandardFieldProps) -> Self {
        let entries = [
            ("requestId", true, AccessLogField::context_request_id()),
            (
                "ip",
                fields.ip,
                AccessLogField::context_identity_source_ip(),
            ),
            ("user", fields.user, AccessLogField::context_identity_user()),
            (
                "caller",
                fields.caller,
                AccessLogField::context_identity_caller(),
            ),
            (
                "requestTime",
                fields.request_time,
                AccessLogField::context_request_time(),
            ),
            (
                "httpMethod",
                fields.http_method,
                AccessLogField::context_http_method(),
            ),
            (
                "resourcePath",
                fields.resource_path,
                AccessLogField::context_resource_path(),
            ),
            ("status", fields.status, AccessLogField::context_status()),
            (
                "protocol",
                fields.protocol,
                AccessLogField::context_protocol(),
            ),
            (
                "responseLength",
                fields.response_length,
                AccessLogField::context_response_length(),
            ),
        ];
        let body = entries
            .iter()
            .filter(|(_, on, _)| *on)
            .map(|(key, _, value)| {
                format!(
                    "{}:{}",
                    serde_json::Value::from(*key),
                    serde_json::Value::from(value.as_str())
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        Self::custom(format!("{{{body}}}"))
    }

    /// The format text (a token when built from one).
    pub fn format(&self) -> Str {
        self.format.clone()
    }
}

impl fmt::Display for AccessLogFormat {
    /// The literal format (empty for a token format).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format.literal().unwrap_or_default())
    }
}

/// aws-cdk-lib's check `/.*\$context.(requestId|extendedRequestId)\b.*/` on a literal format:
/// `$context`, any one character but a line break, then `requestId` or `extendedRequestId`
/// not followed by a word character.
pub(crate) fn includes_request_id(format: &str) -> bool {
    let bytes = format.as_bytes();
    let mut start = 0;
    while let Some(pos) = format[start..].find("$context") {
        let at = start + pos + "$context".len();
        start = start + pos + 1;
        let Some(sep) = format[at..].chars().next() else {
            break;
        };
        if sep == '\n' || sep == '\r' || sep == '\u{2028}' || sep == '\u{2029}' {
            continue;
        }
        let rest = at + sep.len_utf8();
        for name in ["requestId", "extendedRequestId"] {
            if format[rest..].starts_with(name) {
                let end = rest + name.len();
                let boundary = bytes
                    .get(end)
                    .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
                if boundary {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_check_follows_aws_cdk_lib_regex() {
        assert!(includes_request_id("$context.requestId"));
        assert!(includes_request_id("x $context.extendedRequestId y"));
        assert!(includes_request_id("{\"id\":\"$context.requestId\"}"));
        assert!(includes_request_id("$contextXrequestId"));
        assert!(!includes_request_id("$context.requestIdentity"));
        assert!(!includes_request_id("$context.status"));
        assert!(!includes_request_id("$context\nrequestId"));
        assert!(!includes_request_id("context.requestId"));
    }

    #[test]
    fn clf_is_aws_cdk_libs_text() {
        assert_eq!(
            AccessLogFormat::clf().to_string(),
            "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] \"$context.httpMethod $context.resourcePath $context.protocol\" $context.status $context.responseLength $context.requestId"
        );
    }
}
