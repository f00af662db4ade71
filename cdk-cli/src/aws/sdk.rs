//! [`AwsProvider`] and the client traits implemented with the official AWS SDK for Rust.
//!
//! Configuration is the SDK's own: the standard credential chain (environment, profiles with
//! `--profile`, SSO, `credential_process`, assumed-role profiles, ...), region resolution and
//! `AWS_ENDPOINT_URL`. Throttling and transient errors are retried with exponential backoff
//! (standard retry mode, up to [`MAX_ATTEMPTS`] attempts). An endpoint that is not there fails
//! fast: connections time out after [`CONNECT_TIMEOUT`], and a refused or timed-out connection
//! (or a name that does not resolve) is not retried ([`FailFast`]); the error names the endpoint
//! and the cause. Missing credentials are one short [`AwsError::NO_CREDENTIALS`] error naming the
//! chain that was tried and how to fix it. With `-v` every call is logged to stderr before it
//! is made. The SDK is asynchronous; rcdk's
//! deploy logic is not, so each call runs to completion on a small private tokio runtime
//! ([`tokio::runtime::Handle::block_on`] from the calling thread, which must not be a runtime
//! thread).

use std::collections::HashMap;
use std::future::Future;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types as cfn;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use tokio::runtime::{Handle, Runtime};

use super::{
    AssetStore, AwsError, AwsProvider, AwsResult, CallerIdentity, ChangeSetInfo, ChangeSetRequest,
    ChangeSetType, Clients, CloudFormation, ParameterValue, Ssm, StackEvent, StackInfo,
    TemplateSource,
};

/// Attempts per call (the first one included) for throttling and transient errors.
pub const MAX_ATTEMPTS: u32 = 8;
/// Attempts of the credential providers' own calls (assume role, SSO, ...). They cannot carry
/// [`FailFast`], so they retry a refused connection too, briefly.
pub const CREDENTIAL_ATTEMPTS: u32 = 3;
/// The first backoff of the credential providers' retries.
pub const CREDENTIAL_BACKOFF: Duration = Duration::from_millis(200);
/// How long opening a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one attempt of a CloudFormation, SSM or STS call may take (S3 uploads of large
/// assets are not bounded).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a CloudFormation, SSM or STS call may take, retries included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// The timeouts of CloudFormation, SSM and STS calls: an endpoint that accepts connections but
/// never answers fails the call after [`CALL_TIMEOUT`] at most, naming the endpoint.
pub(crate) fn api_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(CALL_TIMEOUT)
        .build()
}

/// The error's message followed by its sources' messages (each once), joined with `: `. The SDK's
/// own top-level messages ("dispatch failure", "service error") say little; the chain says why.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    crate::error::render_chain(err)
}

/// Why a connection could not be made, when that is what `err` (or one of its sources) says:
/// refused, timed out while connecting, or a host name that does not resolve.
pub fn connect_failure(err: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Some("connection refused"),
                std::io::ErrorKind::TimedOut => return Some("connection timed out"),
                _ => {}
            }
        }
        if let Some(connector) = e.downcast_ref::<ConnectorError>() {
            if connector.is_timeout() {
                return Some("connection timed out");
            }
        }
        let text = e.to_string();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return Some("the host name does not resolve");
        }
        if text.contains("Connection refused") {
            return Some("connection refused");
        }
        current = e.source();
    }
    None
}

/// The credential error in `err`'s chain, if the request failed for want of credentials.
fn credentials_failure<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a CredentialsError> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(c) = e.downcast_ref::<CredentialsError>() {
            return Some(c);
        }
        current = e.source();
    }
    None
}

/// How to get credentials, for the end of a [`AwsError::NO_CREDENTIALS`] message.
pub const CREDENTIALS_HELP: &str = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or pass --profile NAME (or set AWS_PROFILE) for a profile in ~/.aws/config (`aws configure`)";

/// The [`AwsError`] for a request that failed before any service answered: the endpoint is
/// unreachable, or there are no credentials. `None` for every other failure.
pub fn local_failure(
    err: &(dyn std::error::Error + 'static),
    endpoint: &str,
    profile: Option<&str>,
) -> Option<AwsError> {
    if let Some(creds) = credentials_failure(err) {
        let message = match creds {
            CredentialsError::CredentialsNotLoaded(_) if profile.is_some() => format!(
                "no AWS credentials from profile `{}` (AWS_CONFIG_FILE or ~/.aws/config, AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials): {}; check that the profile exists and has credentials, or {CREDENTIALS_HELP}",
                profile.unwrap_or_default(),
                error_chain(creds)
            ),
            CredentialsError::CredentialsNotLoaded(_) => format!(
                "no AWS credentials found; tried the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the shared config and credentials files (AWS_PROFILE or `default`), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the ECS container endpoint and EC2 instance metadata: {CREDENTIALS_HELP}"
            ),
            other => {
                // The first message of the chain only: the SDK repeats it in its sources.
                let first = other.to_string();
                let detail = match std::error::Error::source(other) {
                    Some(source) => format!("{first}: {}", error_chain(source)),
                    None => first,
                };
                if let Some(cause) = connect_failure(other) {
                    return Some(AwsError::new(
                        AwsError::UNREACHABLE,
                        format!("cannot get AWS credentials: an endpoint of the credential chain is unreachable ({cause}): {detail}"),
                    ));
                }
                match profile {
                    Some(p) => format!("cannot get AWS credentials from profile `{p}`: {detail}; {CREDENTIALS_HELP}"),
                    None => format!("cannot get AWS credentials: {detail}; {CREDENTIALS_HELP}"),
                }
            }
        };
        return Some(AwsError::new(AwsError::NO_CREDENTIALS, message));
    }
    let cause = connect_failure(err)?;
    Some(AwsError::new(
        AwsError::UNREACHABLE,
        format!("cannot reach the AWS endpoint {endpoint}: {cause}"),
    ))
}

/// Converts an SDK error into an [`AwsError`] with its code and full message; `call` names
/// where the request went and with which profile (for connection and credential failures).
fn aws_error<E>(err: SdkError<E, HttpResponse>, call: &Trace) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if matches!(
        err,
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)
    ) {
        if let Some(local) = local_failure(&err, &call.endpoint, call.profile.as_deref()) {
            return local;
        }
    }
    if let SdkError::TimeoutError(_) = &err {
        return AwsError::new(
            AwsError::UNREACHABLE,
            format!(
                "no answer from the AWS endpoint {}: {}",
                call.endpoint,
                error_chain(&err)
            ),
        );
    }
    let (code, message) = match err.as_service_error() {
        Some(service) => (
            service.code().map(str::to_string),
            service.message().map(str::to_string),
        ),
        None => (None, None),
    };
    let mut message = message.unwrap_or_else(|| error_chain(&err));
    if code.is_none() {
        // An answer that is not a modelled error (e.g. an HTTP 500 with an HTML page): show it.
        if let Some(raw) = err.raw_response() {
            let body = raw
                .body()
                .bytes()
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .unwrap_or_default();
            let body: String = body.chars().take(300).collect();
            message = format!("HTTP {}: {message}", raw.status().as_u16());
            if !body.is_empty() {
                message.push_str(&format!(" (response: {body})"));
            }
        }
    }
    AwsError { code, message }
}

/// A retry classifier that runs after the SDK's own: a connection that was refused, timed out
/// while connecting, or went to a name that does not resolve is not retried (the endpoint is
/// not there; two minutes of backoff would not bring it). Everything else keeps the SDK's
/// verdict (throttling and transient errors are retried).
#[derive(Debug, Clone, Copy, Default)]
pub struct FailFast;

impl ClassifyRetry for FailFast {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.output_or_error() {
            Some(Err(e)) => match e.as_connector_error() {
                Some(connector) if connect_failure(connector).is_some() => {
                    RetryAction::RetryForbidden
                }
                _ => RetryAction::NoActionIndicated,
            },
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "rcdk fail-fast on unreachable endpoints"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Where requests of `service` in `region` go: the `AWS_ENDPOINT_URL` override, else the
/// service's regional endpoint.
fn endpoint_of(config: &SdkConfig, service: &str, region: Option<&str>) -> String {
    match config.endpoint_url() {
        Some(url) => format!("{url} (AWS_ENDPOINT_URL)"),
        None => {
            let region = region.unwrap_or("us-east-1");
            let suffix = super::url_suffix(super::partition_of(region));
            format!("https://{service}.{region}.{suffix}")
        }
    }
}

/// Where the calls of one client go (endpoint, profile); logs them to stderr with `-v`.
#[derive(Clone)]
struct Trace {
    enabled: bool,
    endpoint: String,
    profile: Option<String>,
}

impl Trace {
    fn call(&self, operation: &str, target: &str) {
        if self.enabled {
            let target = if target.is_empty() {
                String::new()
            } else {
                format!(" {target}")
            };
            eprintln!("AWS {operation}{target} -> {}", self.endpoint);
        }
    }
}

/// The SDK-backed provider: loads the configuration once, caches clients per (region, role).
pub struct SdkProvider {
    runtime: Runtime,
    base: SdkConfig,
    endpoint_override: bool,
    verbose: bool,
    profile: Option<String>,
    identity: Mutex<Option<CallerIdentity>>,
    clients: Mutex<HashMap<(String, Option<String>), Clients>>,
}

impl std::fmt::Debug for SdkProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdkProvider")
            .field("region", &self.base.region())
            .field("endpoint_override", &self.endpoint_override)
            .finish()
    }
}

impl SdkProvider {
    /// Loads the AWS configuration (optionally from the named profile).
    pub fn new(profile: Option<&str>) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("rcdk-aws")
            .enable_all()
            .build()?;
        let https = super::signed_http::https_client();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(https.clone())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(CREDENTIAL_ATTEMPTS)
                    .with_initial_backoff(CREDENTIAL_BACKOFF),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .build(),
            );
        if let Some(profile) = profile {
            loader = loader.profile_name(profile);
        }
        let mut base = runtime.block_on(loader.load());
        if let Some(profile) = profile {
            // An explicit profile wins over credentials in the environment (as in the cdk CLI).
            let conf = aws_config::provider_config::ProviderConfig::without_region()
                .with_region(base.region().cloned())
                .with_http_client(https);
            let credentials = aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .configure(&conf)
                .build();
            base = base
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(credentials))
                .build();
        }
        let endpoint_override = base.endpoint_url().is_some();
        Ok(SdkProvider {
            runtime,
            base,
            endpoint_override,
            verbose: false,
            profile: profile.map(str::to_string),
            identity: Mutex::new(None),
            clients: Mutex::new(HashMap::new()),
        })
    }

    /// Logs every AWS call (operation, target and endpoint) to stderr before it is made.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    fn trace(&self, config: &SdkConfig, service: &str) -> Trace {
        Trace {
            enabled: self.verbose,
            endpoint: endpoint_of(config, service, config.region().map(|r| r.as_ref())),
            profile: self.profile.clone(),
        }
    }

    /// The runtime's handle (e.g. to listen for Ctrl-C).
    pub fn handle(&self) -> Handle {
        self.runtime.handle().clone()
    }

    fn make_clients(&self, config: &SdkConfig) -> AwsResult<Clients> {
        let region = config.region().map(|r| r.to_string()).unwrap_or_default();
        let handle = self.runtime.handle().clone();
        let retry = RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS);
        let cfn_config = aws_sdk_cloudformation::config::Builder::from(config)
            .timeout_config(api_timeouts())
            .retry_config(retry.clone())
            .retry_classifier(FailFast)
            .build();
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(self.endpoint_override)
            .retry_config(retry)
            .retry_classifier(FailFast)
            .build();
        Ok(Clients {
            cloudformation: Arc::new(SdkCloudFormation {
                client: aws_sdk_cloudformation::Client::from_conf(cfn_config),
                handle: handle.clone(),
                trace: self.trace(config, "cloudformation"),
            }),
            s3: Arc::new(SdkS3 {
                client: aws_sdk_s3::Client::from_conf(s3_config),
                handle: handle.clone(),
                trace: self.trace(config, "s3"),
            }),
            ssm: Arc::new(SignedSsm {
                http: super::signed_http::SignedClient::new(config, &region)?,
                handle,
                trace: self.trace(config, "ssm"),
            }),
        })
    }
}

impl AwsProvider for SdkProvider {
    fn default_region(&self) -> Option<String> {
        self.base.region().map(|r| r.to_string())
    }

    fn caller_identity(&self) -> AwsResult<CallerIdentity> {
        let mut cached = self.identity.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(identity) = cached.as_ref() {
            return Ok(identity.clone());
        }
        let mut builder = aws_sdk_sts::config::Builder::from(&self.base)
            .timeout_config(api_timeouts())
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
            .retry_classifier(FailFast);
        let region = self.base.region().map(|r| r.to_string());
        if region.is_none() {
            // STS has a global endpoint; any region signs for it.
            builder = builder.region(Region::new("us-east-1"));
        }
        let call = Trace {
            enabled: self.verbose,
            endpoint: endpoint_of(&self.base, "sts", region.as_deref()),
            profile: self.profile.clone(),
        };
        call.call("sts:GetCallerIdentity", "");
        let client = aws_sdk_sts::Client::from_conf(builder.build());
        let out = self
            .runtime
            .block_on(client.get_caller_identity().send())
            .map_err(|e| aws_error(e, &call))?;
        let identity = CallerIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        };
        *cached = Some(identity.clone());
        Ok(identity)
    }

    fn clients(&self, region: &str, role_arn: Option<&str>) -> AwsResult<Clients> {
        let key = (region.to_string(), role_arn.map(str::to_string));
        if let Some(c) = self
            .clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(c.clone());
        }
        let config = self.config_for(region, role_arn)?;
        let clients = self.make_clients(&config)?;
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, clients.clone());
        Ok(clients)
    }

    fn lookup_clients(
        &self,
        region: &str,
        role_arn: Option<&str>,
    ) -> AwsResult<Arc<dyn super::Lookups>> {
        let config = self.config_for(region, role_arn)?;
        Ok(Arc::new(super::sdk_lookups::SdkLookups::new(
            &config,
            region,
            self.runtime.handle().clone(),
        )?))
    }

    fn hotswap_clients(
        &self,
        region: &str,
        role_arn: Option<&str>,
    ) -> AwsResult<Arc<dyn super::Hotswap>> {
        let config = self.config_for(region, role_arn)?;
        Ok(Arc::new(super::sdk_hotswap::SignedHotswap::new(
            &config,
            region,
            self.runtime.handle().clone(),
            self.verbose,
        )?))
    }

    fn log_clients(
        &self,
        region: &str,
        role_arn: Option<&str>,
    ) -> AwsResult<Arc<dyn super::CloudWatchLogs>> {
        // Signed requests: no SDK crate for one call.
        let config = self.config_for(region, role_arn)?;
        Ok(Arc::new(super::sdk_logs::SignedLogs::new(
            &config,
            region,
            self.runtime.handle().clone(),
            self.verbose,
        )?))
    }
}

impl SdkProvider {
    /// The configuration for `region`, with credentials of `role_arn` (assumed now, so that a
    /// role that cannot be assumed is reported here) or the current ones.
    fn config_for(&self, region: &str, role_arn: Option<&str>) -> AwsResult<SdkConfig> {
        let mut config = self
            .base
            .to_builder()
            .region(Region::new(region.to_string()))
            .build();
        if let Some(arn) = role_arn {
            let endpoint = endpoint_of(&self.base, "sts", Some(region));
            if self.verbose {
                eprintln!("AWS sts:AssumeRole {arn} -> {endpoint}");
            }
            let provider = self.runtime.block_on(
                AssumeRoleProvider::builder(arn)
                    .session_name("rcdk")
                    .region(Region::new(region.to_string()))
                    .configure(&self.base)
                    .build(),
            );
            // Assume now, so that a role that cannot be assumed is reported here.
            self.runtime
                .block_on(provider.provide_credentials())
                .map_err(|e| {
                    // A role that cannot be assumed because the endpoint is unreachable.
                    let local = std::error::Error::source(&e)
                        .and_then(|s| local_failure(s, &endpoint, self.profile.as_deref()));
                    match local {
                        Some(local) if local.is_unreachable() => local,
                        _ => AwsError {
                            code: None,
                            message: error_chain(&e),
                        },
                    }
                })?;
            config = config
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build();
        }
        Ok(config)
    }
}

fn block_on<F: Future>(handle: &Handle, f: F) -> F::Output {
    handle.block_on(f)
}

/// Runs a paginated call page by page: `fetch` sends it with the previous page's `NextToken`
/// (none at first), `each` reads a page and may stop early with `Break`; an empty or missing
/// token ends it.
fn paginate<O>(
    mut fetch: impl FnMut(Option<String>) -> AwsResult<O>,
    next_token: impl Fn(&O) -> Option<&str>,
    mut each: impl FnMut(&O) -> ControlFlow<()>,
) -> AwsResult<()> {
    let mut token = None;
    loop {
        let page = fetch(token.take())?;
        if each(&page).is_break() {
            return Ok(());
        }
        match next_token(&page) {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(()),
        }
    }
}

struct SdkCloudFormation {
    client: aws_sdk_cloudformation::Client,
    handle: Handle,
    trace: Trace,
}

fn stack_info(s: &cfn::Stack) -> StackInfo {
    StackInfo {
        stack_id: s.stack_id().unwrap_or_default().to_string(),
        stack_name: s.stack_name().unwrap_or_default().to_string(),
        status: s
            .stack_status()
            .map(|st| st.as_str().to_string())
            .unwrap_or_default(),
        status_reason: s.stack_status_reason().map(str::to_string),
        outputs: s
            .outputs()
            .iter()
            .map(|o| {
                (
                    o.output_key().unwrap_or_default().to_string(),
                    o.output_value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        parameters: s
            .parameters()
            .iter()
            .filter_map(|p| {
                Some((
                    p.parameter_key()?.to_string(),
                    p.parameter_value().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        tags: s
            .tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
            .collect(),
        termination_protection: s.enable_termination_protection().unwrap_or(false),
        last_updated: s.last_updated_time().map(|t| t.secs()),
    }
}

impl CloudFormation for SdkCloudFormation {
    fn describe_stack(&self, stack_name: &str) -> AwsResult<Option<StackInfo>> {
        self.trace.call("cloudformation:DescribeStacks", stack_name);
        let result = block_on(
            &self.handle,
            self.client.describe_stacks().stack_name(stack_name).send(),
        )
        .map_err(|e| aws_error(e, &self.trace));
        match result {
            Ok(out) => Ok(out.stacks().first().map(stack_info)),
            Err(e) if e.is_stack_missing() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn get_template(&self, stack_name: &str) -> AwsResult<Option<String>> {
        self.trace.call("cloudformation:GetTemplate", stack_name);
        let result = block_on(
            &self.handle,
            self.client
                .get_template()
                .stack_name(stack_name)
                .template_stage(cfn::TemplateStage::Original)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace));
        match result {
            Ok(out) => Ok(Some(out.template_body().unwrap_or("{}").to_string())),
            Err(e) if e.is_stack_missing() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn create_change_set(&self, request: &ChangeSetRequest) -> AwsResult<()> {
        self.trace
            .call("cloudformation:CreateChangeSet", &request.stack_name);
        let mut call = self
            .client
            .create_change_set()
            .stack_name(&request.stack_name)
            .change_set_name(&request.change_set_name)
            .change_set_type(match request.change_set_type {
                ChangeSetType::Create => cfn::ChangeSetType::Create,
                ChangeSetType::Update => cfn::ChangeSetType::Update,
            })
            .set_role_arn(request.role_arn.clone())
            .set_description(request.description.clone())
            .set_deployment_mode(
                request
                    .revert_drift
                    .then_some(cfn::DeploymentMode::RevertDrift),
            );
        call = match &request.template {
            TemplateSource::Body(body) => call.template_body(body),
            TemplateSource::Url(url) => call.template_url(url),
        };
        for (key, value) in &request.parameters {
            let p = cfn::Parameter::builder().parameter_key(key);
            call = call.parameters(match value {
                ParameterValue::Value(v) => p.parameter_value(v).build(),
                ParameterValue::UsePrevious => p.use_previous_value(true).build(),
            });
        }
        for capability in &request.capabilities {
            call = call.capabilities(cfn::Capability::from(capability.as_str()));
        }
        for (key, value) in &request.tags {
            call = call.tags(cfn::Tag::builder().key(key).value(value).build());
        }
        block_on(&self.handle, call.send()).map_err(|e| aws_error(e, &self.trace))?;
        Ok(())
    }

    fn describe_change_set(
        &self,
        stack_name: &str,
        change_set_name: &str,
    ) -> AwsResult<Option<ChangeSetInfo>> {
        self.trace
            .call("cloudformation:DescribeChangeSet", stack_name);
        let mut info: Option<ChangeSetInfo> = None;
        let pages = paginate(
            |token| {
                block_on(
                    &self.handle,
                    self.client
                        .describe_change_set()
                        .stack_name(stack_name)
                        .change_set_name(change_set_name)
                        .set_next_token(token)
                        .send(),
                )
                .map_err(|e| aws_error(e, &self.trace))
            },
            |out| out.next_token(),
            |out| {
                let entry = info.get_or_insert_with(|| ChangeSetInfo {
                    status: out
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    status_reason: out.status_reason().map(str::to_string),
                    execution_status: out.execution_status().map(|s| s.as_str().to_string()),
                    change_count: 0,
                });
                entry.change_count += out.changes().len();
                ControlFlow::Continue(())
            },
        );
        match pages {
            Ok(()) => Ok(info),
            Err(e) if e.has_code("ChangeSetNotFound") || e.is_stack_missing() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn delete_change_set(&self, stack_name: &str, change_set_name: &str) -> AwsResult<()> {
        self.trace
            .call("cloudformation:DeleteChangeSet", stack_name);
        let result = block_on(
            &self.handle,
            self.client
                .delete_change_set()
                .stack_name(stack_name)
                .change_set_name(change_set_name)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace));
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.has_code("ChangeSetNotFound") || e.is_stack_missing() => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn execute_change_set(&self, stack_name: &str, change_set_name: &str) -> AwsResult<()> {
        self.trace
            .call("cloudformation:ExecuteChangeSet", stack_name);
        block_on(
            &self.handle,
            self.client
                .execute_change_set()
                .stack_name(stack_name)
                .change_set_name(change_set_name)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace))?;
        Ok(())
    }

    fn stack_events(&self, stack_name: &str, stop_at: Option<&str>) -> AwsResult<Vec<StackEvent>> {
        self.trace
            .call("cloudformation:DescribeStackEvents", stack_name);
        let mut events = Vec::new();
        paginate(
            |token| {
                block_on(
                    &self.handle,
                    self.client
                        .describe_stack_events()
                        .stack_name(stack_name)
                        .set_next_token(token)
                        .send(),
                )
                .map_err(|e| aws_error(e, &self.trace))
            },
            |out| out.next_token(),
            |out| {
                for e in out.stack_events() {
                    let id = e.event_id().unwrap_or_default();
                    if Some(id) == stop_at {
                        return ControlFlow::Break(());
                    }
                    events.push(StackEvent {
                        event_id: id.to_string(),
                        logical_id: e.logical_resource_id().unwrap_or_default().to_string(),
                        physical_id: e.physical_resource_id().map(str::to_string),
                        resource_type: e.resource_type().unwrap_or_default().to_string(),
                        status: e
                            .resource_status()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        reason: e.resource_status_reason().map(str::to_string),
                        timestamp: e.timestamp().map(|t| t.secs()).unwrap_or_default(),
                    });
                }
                ControlFlow::Continue(())
            },
        )?;
        Ok(events)
    }

    fn latest_event_id(&self, stack_name: &str) -> AwsResult<Option<String>> {
        self.trace
            .call("cloudformation:DescribeStackEvents", stack_name);
        let result = block_on(
            &self.handle,
            self.client
                .describe_stack_events()
                .stack_name(stack_name)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace));
        match result {
            Ok(out) => Ok(out
                .stack_events()
                .first()
                .and_then(|e| e.event_id())
                .map(str::to_string)),
            Err(e) if e.is_stack_missing() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn delete_stack(&self, stack_name: &str, role_arn: Option<&str>) -> AwsResult<()> {
        self.trace.call("cloudformation:DeleteStack", stack_name);
        block_on(
            &self.handle,
            self.client
                .delete_stack()
                .stack_name(stack_name)
                .set_role_arn(role_arn.map(str::to_string))
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace))?;
        Ok(())
    }

    fn detect_stack_drift(&self, stack_name: &str) -> AwsResult<String> {
        self.trace
            .call("cloudformation:DetectStackDrift", stack_name);
        let out = block_on(
            &self.handle,
            self.client
                .detect_stack_drift()
                .stack_name(stack_name)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace))?;
        Ok(out
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_string())
    }

    fn drift_detection_status(&self, detection_id: &str) -> AwsResult<super::DriftDetection> {
        self.trace.call(
            "cloudformation:DescribeStackDriftDetectionStatus",
            detection_id,
        );
        let out = block_on(
            &self.handle,
            self.client
                .describe_stack_drift_detection_status()
                .stack_drift_detection_id(detection_id)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace))?;
        Ok(super::DriftDetection {
            status: out
                .detection_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            stack_drift_status: out.stack_drift_status().map(|s| s.as_str().to_string()),
            reason: out.detection_status_reason().map(str::to_string),
        })
    }

    fn resource_drifts(&self, stack_name: &str) -> AwsResult<Vec<super::ResourceDrift>> {
        self.trace
            .call("cloudformation:DescribeStackResourceDrifts", stack_name);
        let mut all = Vec::new();
        paginate(
            |token| {
                block_on(
                    &self.handle,
                    self.client
                        .describe_stack_resource_drifts()
                        .stack_name(stack_name)
                        .set_next_token(token)
                        .send(),
                )
                .map_err(|e| aws_error(e, &self.trace))
            },
            |out| out.next_token(),
            |out| {
                all.extend(out.stack_resource_drifts().iter().map(|d| {
                    super::ResourceDrift {
                        logical_id: d.logical_resource_id().unwrap_or_default().to_string(),
                        resource_type: d.resource_type().unwrap_or_default().to_string(),
                        status: d
                            .stack_resource_drift_status()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        differences: d
                            .property_differences()
                            .iter()
                            .map(|p| super::PropertyDrift {
                                path: p.property_path().unwrap_or_default().to_string(),
                                expected: p.expected_value().map(str::to_string),
                                actual: p.actual_value().map(str::to_string),
                                kind: p
                                    .difference_type()
                                    .map(|k| k.as_str().to_string())
                                    .unwrap_or_default(),
                            })
                            .collect(),
                    }
                }));
                ControlFlow::Continue(())
            },
        )?;
        Ok(all)
    }

    fn stack_resources(&self, stack_name: &str) -> AwsResult<Vec<super::StackResource>> {
        self.trace
            .call("cloudformation:ListStackResources", stack_name);
        let mut all = Vec::new();
        paginate(
            |token| {
                block_on(
                    &self.handle,
                    self.client
                        .list_stack_resources()
                        .stack_name(stack_name)
                        .set_next_token(token)
                        .send(),
                )
                .map_err(|e| aws_error(e, &self.trace))
            },
            |out| out.next_token(),
            |out| {
                all.extend(out.stack_resource_summaries().iter().map(|r| {
                    super::StackResource {
                        logical_id: r.logical_resource_id().unwrap_or_default().to_string(),
                        physical_id: r
                            .physical_resource_id()
                            .filter(|p| !p.is_empty())
                            .map(str::to_string),
                        resource_type: r.resource_type().unwrap_or_default().to_string(),
                    }
                }));
                ControlFlow::Continue(())
            },
        )?;
        Ok(all)
    }

    fn set_termination_protection(&self, stack_name: &str, enabled: bool) -> AwsResult<()> {
        self.trace
            .call("cloudformation:UpdateTerminationProtection", stack_name);
        block_on(
            &self.handle,
            self.client
                .update_termination_protection()
                .stack_name(stack_name)
                .enable_termination_protection(enabled)
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace))?;
        Ok(())
    }
}

struct SdkS3 {
    client: aws_sdk_s3::Client,
    handle: Handle,
    trace: Trace,
}

impl AssetStore for SdkS3 {
    fn object_exists(&self, bucket: &str, key: &str) -> AwsResult<bool> {
        self.trace
            .call("s3:HeadObject", &format!("s3://{bucket}/{key}"));
        let result = block_on(
            &self.handle,
            self.client.head_object().bucket(bucket).key(key).send(),
        );
        match result {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => {
                let not_found = e.raw_response().is_some_and(|r| r.status().as_u16() == 404);
                if not_found {
                    Ok(false)
                } else {
                    Err(aws_error(e, &self.trace))
                }
            }
        }
    }

    fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> AwsResult<()> {
        self.trace
            .call("s3:PutObject", &format!("s3://{bucket}/{key}"));
        block_on(
            &self.handle,
            self.client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(aws_sdk_s3::primitives::ByteStream::from(body))
                .send(),
        )
        .map_err(|e| aws_error(e, &self.trace))?;
        Ok(())
    }
}

struct SignedSsm {
    http: super::signed_http::SignedClient,
    handle: Handle,
    trace: Trace,
}

impl Ssm for SignedSsm {
    fn get_parameter(&self, name: &str) -> AwsResult<Option<String>> {
        self.trace.call("ssm:GetParameter", name);
        block_on(
            &self.handle,
            super::sdk_lookups::ssm_get_parameter(&self.http, name),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapped(Box<dyn std::error::Error + Send + Sync>);
    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("dispatch failure")
        }
    }
    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(self.0.as_ref())
        }
    }

    #[test]
    fn refused_connections_name_the_endpoint_and_the_cause() {
        let err = Wrapped(Box::new(std::io::Error::from(
            std::io::ErrorKind::ConnectionRefused,
        )));
        let local = local_failure(&err, "http://127.0.0.1:9 (AWS_ENDPOINT_URL)", None).unwrap();
        assert!(local.is_unreachable());
        assert_eq!(
            local.to_string(),
            "cannot reach the AWS endpoint http://127.0.0.1:9 (AWS_ENDPOINT_URL): connection refused"
        );
        let timeout = Wrapped(Box::new(ConnectorError::timeout("connect".into())));
        assert_eq!(connect_failure(&timeout), Some("connection timed out"));
        let other = Wrapped(Box::new(std::io::Error::other("broken pipe")));
        assert!(local_failure(&other, "x", None).is_none());
    }

    #[test]
    fn missing_credentials_are_one_message_with_the_fix() {
        let err = Wrapped(Box::new(CredentialsError::not_loaded(
            "no providers in chain provided credentials",
        )));
        let local = local_failure(&err, "x", None).unwrap();
        assert!(local.is_no_credentials());
        let text = local.to_string();
        assert!(
            text.starts_with("no AWS credentials found; tried the environment"),
            "{text}"
        );
        assert!(text.contains("--profile NAME"), "{text}");
        assert_eq!(text.matches("no providers").count(), 0, "{text}");
        let with_profile = local_failure(&err, "x", Some("dev")).unwrap().to_string();
        assert!(with_profile.contains("profile `dev`"), "{with_profile}");
    }

    #[test]
    fn a_call_that_times_out_names_the_endpoint() {
        use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
        let err: SdkError<GetCallerIdentityError, HttpResponse> = SdkError::timeout_error(
            "operation timeout (all attempts including retries) occurred after 120s",
        );
        let call = Trace {
            enabled: false,
            endpoint: "http://127.0.0.1:4566 (AWS_ENDPOINT_URL)".into(),
            profile: None,
        };
        let e = aws_error(err, &call);
        assert!(e.is_unreachable(), "{e:?}");
        assert!(
            e.message.starts_with(
                "no answer from the AWS endpoint http://127.0.0.1:4566 (AWS_ENDPOINT_URL): "
            ),
            "{e}"
        );
    }

    #[test]
    fn paginate_follows_next_tokens_until_the_last_page_or_a_break() {
        let pages = [("a", Some("t1")), ("b", Some("t2")), ("c", Some(""))];
        let mut asked = Vec::new();
        let mut seen = Vec::new();
        paginate(
            |token| {
                let i = asked.len();
                asked.push(token);
                Ok(pages[i])
            },
            |p| p.1,
            |p| {
                seen.push(p.0);
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert_eq!(seen, ["a", "b", "c"]);
        assert_eq!(
            asked,
            [None, Some("t1".to_string()), Some("t2".to_string())]
        );
        let mut calls = 0;
        paginate(
            |_| {
                calls += 1;
                Ok(pages[0])
            },
            |p| p.1,
            |_| ControlFlow::Break(()),
        )
        .unwrap();
        assert_eq!(calls, 1);
        let failed: AwsResult<()> = paginate(
            |_| Err::<(&str, Option<&str>), _>(AwsError::new("Throttling", "slow down")),
            |p| p.1,
            |_| ControlFlow::Continue(()),
        );
        assert_eq!(failed.unwrap_err().code.as_deref(), Some("Throttling"));
    }

    #[test]
    fn base_endpoints_are_regional_unless_overridden() {
        let config = SdkConfig::builder().build();
        assert_eq!(
            endpoint_of(&config, "cloudformation", Some("eu-west-1")),
            "https://cloudformation.eu-west-1.amazonaws.com"
        );
        let config = SdkConfig::builder()
            .endpoint_url("http://localhost:4566")
            .build();
        assert_eq!(
            endpoint_of(&config, "sts", None),
            "http://localhost:4566 (AWS_ENDPOINT_URL)"
        );
    }
}
