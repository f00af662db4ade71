//! [`AwsProvider`] and the client traits implemented with the official AWS SDK for Rust.
//!
//! Configuration is the SDK's own: the standard credential chain (environment, profiles with
//! `--profile`, SSO, `credential_process`, assumed-role profiles, ...), region resolution and
//! `AWS_ENDPOINT_URL`. Throttling and transient errors are retried with exponential backoff
//! (standard retry mode, up to [`MAX_ATTEMPTS`] attempts). The SDK is asynchronous; rcdk's
//! deploy logic is not, so each call runs to completion on a small private tokio runtime
//! ([`tokio::runtime::Handle::block_on`] from the calling thread, which must not be a runtime
//! thread).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types as cfn;
use tokio::runtime::{Handle, Runtime};

use super::{
    AssetStore, AwsError, AwsProvider, AwsResult, CallerIdentity, ChangeSetInfo, ChangeSetRequest,
    ChangeSetType, Clients, CloudFormation, ParameterValue, Ssm, StackEvent, StackInfo,
    TemplateSource,
};

/// Attempts per call (the first one included) for throttling and transient errors.
pub const MAX_ATTEMPTS: u32 = 8;

/// The error's message followed by its sources' messages (each once), joined with `: `. The SDK's
/// own top-level messages ("dispatch failure", "service error") say little; the chain says why.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Converts an SDK error into an [`AwsError`] with its code and full message.
fn aws_error<E>(err: SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
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

/// The SDK-backed provider: loads the configuration once, caches clients per (region, role).
pub struct SdkProvider {
    runtime: Runtime,
    base: SdkConfig,
    endpoint_override: bool,
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
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
        if let Some(profile) = profile {
            loader = loader.profile_name(profile);
        }
        let mut base = runtime.block_on(loader.load());
        if let Some(profile) = profile {
            // An explicit profile wins over credentials in the environment (as in the cdk CLI).
            let conf = aws_config::provider_config::ProviderConfig::without_region()
                .with_region(base.region().cloned());
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
            identity: Mutex::new(None),
            clients: Mutex::new(HashMap::new()),
        })
    }

    /// The runtime's handle (e.g. to listen for Ctrl-C).
    pub fn handle(&self) -> Handle {
        self.runtime.handle().clone()
    }

    fn make_clients(&self, config: &SdkConfig) -> Clients {
        let handle = self.runtime.handle().clone();
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(self.endpoint_override)
            .build();
        Clients {
            cloudformation: Arc::new(SdkCloudFormation {
                client: aws_sdk_cloudformation::Client::new(config),
                handle: handle.clone(),
            }),
            s3: Arc::new(SdkS3 {
                client: aws_sdk_s3::Client::from_conf(s3_config),
                handle: handle.clone(),
            }),
            ssm: Arc::new(SdkSsm {
                client: aws_sdk_ssm::Client::new(config),
                handle,
            }),
        }
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
        let mut builder = aws_sdk_sts::config::Builder::from(&self.base);
        if self.base.region().is_none() {
            // STS has a global endpoint; any region signs for it.
            builder = builder.region(Region::new("us-east-1"));
        }
        let client = aws_sdk_sts::Client::from_conf(builder.build());
        let out = self
            .runtime
            .block_on(client.get_caller_identity().send())
            .map_err(aws_error)?;
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
        let clients = self.make_clients(&config);
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
                .map_err(|e| AwsError {
                    code: None,
                    message: error_chain(&e),
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

struct SdkCloudFormation {
    client: aws_sdk_cloudformation::Client,
    handle: Handle,
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
    }
}

impl CloudFormation for SdkCloudFormation {
    fn describe_stack(&self, stack_name: &str) -> AwsResult<Option<StackInfo>> {
        let result = block_on(
            &self.handle,
            self.client.describe_stacks().stack_name(stack_name).send(),
        )
        .map_err(aws_error);
        match result {
            Ok(out) => Ok(out.stacks().first().map(stack_info)),
            Err(e) if e.is_stack_missing() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn get_template(&self, stack_name: &str) -> AwsResult<Option<String>> {
        let result = block_on(
            &self.handle,
            self.client
                .get_template()
                .stack_name(stack_name)
                .template_stage(cfn::TemplateStage::Original)
                .send(),
        )
        .map_err(aws_error);
        match result {
            Ok(out) => Ok(Some(out.template_body().unwrap_or("{}").to_string())),
            Err(e) if e.is_stack_missing() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn create_change_set(&self, request: &ChangeSetRequest) -> AwsResult<()> {
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
            .set_description(request.description.clone());
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
        block_on(&self.handle, call.send()).map_err(aws_error)?;
        Ok(())
    }

    fn describe_change_set(
        &self,
        stack_name: &str,
        change_set_name: &str,
    ) -> AwsResult<Option<ChangeSetInfo>> {
        let mut info: Option<ChangeSetInfo> = None;
        let mut token: Option<String> = None;
        loop {
            let result = block_on(
                &self.handle,
                self.client
                    .describe_change_set()
                    .stack_name(stack_name)
                    .change_set_name(change_set_name)
                    .set_next_token(token.take())
                    .send(),
            )
            .map_err(aws_error);
            let out = match result {
                Ok(out) => out,
                Err(e) if e.has_code("ChangeSetNotFound") || e.is_stack_missing() => {
                    return Ok(None)
                }
                Err(e) => return Err(e),
            };
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
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(info),
            }
        }
    }

    fn delete_change_set(&self, stack_name: &str, change_set_name: &str) -> AwsResult<()> {
        let result = block_on(
            &self.handle,
            self.client
                .delete_change_set()
                .stack_name(stack_name)
                .change_set_name(change_set_name)
                .send(),
        )
        .map_err(aws_error);
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.has_code("ChangeSetNotFound") || e.is_stack_missing() => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn execute_change_set(&self, stack_name: &str, change_set_name: &str) -> AwsResult<()> {
        block_on(
            &self.handle,
            self.client
                .execute_change_set()
                .stack_name(stack_name)
                .change_set_name(change_set_name)
                .send(),
        )
        .map_err(aws_error)?;
        Ok(())
    }

    fn stack_events(&self, stack_name: &str, stop_at: Option<&str>) -> AwsResult<Vec<StackEvent>> {
        let mut events = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = block_on(
                &self.handle,
                self.client
                    .describe_stack_events()
                    .stack_name(stack_name)
                    .set_next_token(token.take())
                    .send(),
            )
            .map_err(aws_error)?;
            for e in out.stack_events() {
                let id = e.event_id().unwrap_or_default();
                if Some(id) == stop_at {
                    return Ok(events);
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
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(events),
            }
        }
    }

    fn latest_event_id(&self, stack_name: &str) -> AwsResult<Option<String>> {
        let result = block_on(
            &self.handle,
            self.client
                .describe_stack_events()
                .stack_name(stack_name)
                .send(),
        )
        .map_err(aws_error);
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
        block_on(
            &self.handle,
            self.client
                .delete_stack()
                .stack_name(stack_name)
                .set_role_arn(role_arn.map(str::to_string))
                .send(),
        )
        .map_err(aws_error)?;
        Ok(())
    }

    fn detect_stack_drift(&self, stack_name: &str) -> AwsResult<String> {
        let out = block_on(
            &self.handle,
            self.client
                .detect_stack_drift()
                .stack_name(stack_name)
                .send(),
        )
        .map_err(aws_error)?;
        Ok(out
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_string())
    }

    fn drift_detection_status(&self, detection_id: &str) -> AwsResult<super::DriftDetection> {
        let out = block_on(
            &self.handle,
            self.client
                .describe_stack_drift_detection_status()
                .stack_drift_detection_id(detection_id)
                .send(),
        )
        .map_err(aws_error)?;
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
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = block_on(
                &self.handle,
                self.client
                    .describe_stack_resource_drifts()
                    .stack_name(stack_name)
                    .set_next_token(token.take())
                    .send(),
            )
            .map_err(aws_error)?;
            for d in out.stack_resource_drifts() {
                all.push(super::ResourceDrift {
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
                });
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(all),
            }
        }
    }

    fn set_termination_protection(&self, stack_name: &str, enabled: bool) -> AwsResult<()> {
        block_on(
            &self.handle,
            self.client
                .update_termination_protection()
                .stack_name(stack_name)
                .enable_termination_protection(enabled)
                .send(),
        )
        .map_err(aws_error)?;
        Ok(())
    }
}

struct SdkS3 {
    client: aws_sdk_s3::Client,
    handle: Handle,
}

impl AssetStore for SdkS3 {
    fn object_exists(&self, bucket: &str, key: &str) -> AwsResult<bool> {
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
                    Err(aws_error(e))
                }
            }
        }
    }

    fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> AwsResult<()> {
        block_on(
            &self.handle,
            self.client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(aws_sdk_s3::primitives::ByteStream::from(body))
                .send(),
        )
        .map_err(aws_error)?;
        Ok(())
    }
}

struct SdkSsm {
    client: aws_sdk_ssm::Client,
    handle: Handle,
}

impl Ssm for SdkSsm {
    fn get_parameter(&self, name: &str) -> AwsResult<Option<String>> {
        let result = block_on(&self.handle, self.client.get_parameter().name(name).send());
        match result {
            Ok(out) => Ok(out.parameter().and_then(|p| p.value()).map(str::to_string)),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_parameter_not_found()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(e)),
        }
    }
}
