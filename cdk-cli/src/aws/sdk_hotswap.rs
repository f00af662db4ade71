//! [`Hotswap`] for real AWS: the Lambda, Step Functions and CodeBuild calls of hotswap
//! deployments, through [`super::signed_http`] (their SDK crates would add minutes of build
//! time for six calls).

use std::time::{Duration, Instant};

use aws_config::SdkConfig;
use serde_json::{json, Map, Value};
use tokio::runtime::Handle;

use super::signed_http::{encode, json_answer, SignedClient, CODEBUILD, LAMBDA, STATES};
use super::{AwsError, AwsResult, FunctionCode, Hotswap};

/// The Lambda API version prefix of every path.
const LAMBDA_API: &str = "/2015-03-31/functions";
/// How long a function update may take before the hotswap fails.
const FUNCTION_UPDATE_TIMEOUT: Duration = Duration::from_secs(300);

/// Hotswap calls in one region with one set of credentials.
pub struct SignedHotswap {
    http: SignedClient,
    handle: Handle,
    verbose: bool,
}

impl SignedHotswap {
    /// Clients built from `config` (region and credentials already set), run on `handle`;
    /// `verbose` logs every call to stderr.
    pub fn new(config: &SdkConfig, region: &str, handle: Handle, verbose: bool) -> AwsResult<Self> {
        Ok(SignedHotswap {
            http: SignedClient::new(config, region)?,
            handle,
            verbose,
        })
    }

    fn trace(&self, operation: &str, target: &str) {
        if self.verbose {
            eprintln!("AWS {operation} {target}");
        }
    }

    /// A Lambda REST call: the parsed answer or the service's error, prefixed with the call.
    fn lambda(&self, operation: &str, method: &str, path: &str, body: &Value) -> AwsResult<Value> {
        let what = format!("lambda:{operation}");
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let answer = self.handle.block_on(self.http.send(
            LAMBDA,
            method,
            path,
            &[("content-type", "application/json")],
            &body,
        ))?;
        json_answer(answer, &what).map_err(|e| prefixed(&what, e))
    }

    /// Polls GetFunctionConfiguration until `LastUpdateStatus` is no longer `InProgress`
    /// (1 s, growing to 10 s between polls, as the cdk CLI's waiter).
    fn wait_until_updated(&self, function: &str) -> AwsResult<()> {
        let path = format!("{LAMBDA_API}/{}/configuration", encode(function));
        let started = Instant::now();
        let mut delay = Duration::from_secs(1);
        loop {
            self.trace("lambda:GetFunctionConfiguration", function);
            let doc = self.lambda("GetFunctionConfiguration", "GET", &path, &Value::Null)?;
            match doc["LastUpdateStatus"].as_str() {
                Some("InProgress") => {}
                Some("Failed") => {
                    return Err(AwsError::new(
                        "FunctionUpdateFailed",
                        format!(
                            "the update of {function} failed: {}",
                            doc["LastUpdateStatusReason"]
                                .as_str()
                                .unwrap_or("no reason given")
                        ),
                    ))
                }
                _ => return Ok(()),
            }
            if started.elapsed() > FUNCTION_UPDATE_TIMEOUT {
                return Err(AwsError::new(
                    "HotswapWaiterFailed",
                    format!(
                        "{function} was still updating after {} s",
                        FUNCTION_UPDATE_TIMEOUT.as_secs()
                    ),
                ));
            }
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(10));
        }
    }
}

fn prefixed(what: &str, e: AwsError) -> AwsError {
    AwsError {
        code: e.code,
        message: format!("{what}: {}", e.message),
    }
}

impl Hotswap for SignedHotswap {
    fn update_function_code(&self, function: &str, code: &FunctionCode) -> AwsResult<()> {
        self.trace("lambda:UpdateFunctionCode", function);
        let mut body = Map::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                body.insert(k.to_string(), Value::String(v.clone()));
            }
        };
        put("S3Bucket", &code.s3_bucket);
        put("S3Key", &code.s3_key);
        put("S3ObjectVersion", &code.s3_object_version);
        put("ImageUri", &code.image_uri);
        if let Some(zip) = &code.zip_file {
            body.insert(
                "ZipFile".into(),
                Value::String(aws_smithy_types::base64::encode(zip)),
            );
        }
        self.lambda(
            "UpdateFunctionCode",
            "PUT",
            &format!("{LAMBDA_API}/{}/code", encode(function)),
            &Value::Object(body),
        )?;
        self.wait_until_updated(function)
    }

    fn update_function_configuration(
        &self,
        function: &str,
        description: Option<&str>,
        environment: Option<&Value>,
    ) -> AwsResult<()> {
        self.trace("lambda:UpdateFunctionConfiguration", function);
        let mut body = Map::new();
        if let Some(d) = description {
            body.insert("Description".into(), Value::String(d.to_string()));
        }
        if let Some(env) = environment {
            body.insert("Environment".into(), env.clone());
        }
        self.lambda(
            "UpdateFunctionConfiguration",
            "PUT",
            &format!("{LAMBDA_API}/{}/configuration", encode(function)),
            &Value::Object(body),
        )?;
        self.wait_until_updated(function)
    }

    fn publish_version(&self, function: &str) -> AwsResult<String> {
        self.trace("lambda:PublishVersion", function);
        let doc = self.lambda(
            "PublishVersion",
            "POST",
            &format!("{LAMBDA_API}/{}/versions", encode(function)),
            &json!({}),
        )?;
        doc["Version"].as_str().map(str::to_string).ok_or_else(|| {
            AwsError::new(
                "InvalidResponse",
                format!("lambda:PublishVersion {function}: the answer has no Version"),
            )
        })
    }

    fn update_alias(&self, function: &str, alias: &str, version: &str) -> AwsResult<()> {
        self.trace("lambda:UpdateAlias", &format!("{function}:{alias}"));
        self.lambda(
            "UpdateAlias",
            "PUT",
            &format!(
                "{LAMBDA_API}/{}/aliases/{}",
                encode(function),
                encode(alias)
            ),
            &json!({ "FunctionVersion": version }),
        )?;
        Ok(())
    }

    fn update_state_machine(&self, arn: &str, definition: &str) -> AwsResult<()> {
        self.trace("states:UpdateStateMachine", arn);
        self.handle
            .block_on(self.http.json_call(
                STATES,
                "application/x-amz-json-1.0",
                "AWSStepFunctions.UpdateStateMachine",
                &json!({ "stateMachineArn": arn, "definition": definition }),
            ))
            .map_err(|e| prefixed("states:UpdateStateMachine", e))?;
        Ok(())
    }

    fn update_project(&self, request: &Value) -> AwsResult<()> {
        self.trace(
            "codebuild:UpdateProject",
            request["name"].as_str().unwrap_or_default(),
        );
        self.handle
            .block_on(self.http.json_call(
                CODEBUILD,
                "application/x-amz-json-1.1",
                "CodeBuild_20161006.UpdateProject",
                request,
            ))
            .map_err(|e| prefixed("codebuild:UpdateProject", e))?;
        Ok(())
    }
}
