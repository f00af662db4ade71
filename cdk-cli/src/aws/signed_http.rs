//! A minimal signed-request client for the few calls rcdk makes outside CloudFormation, S3 and
//! STS: the read-only EC2, KMS, Route 53 and SSM calls of the context providers and the
//! bootstrap version check, and the Lambda, Step Functions and CodeBuild calls of hotswap
//! deployments.
//!
//! Why not the SDK crates: `aws-sdk-ec2` alone took 408 s to compile (debug, 2 cores) — more
//! than the rest of rcdk together — for four Describe calls; `aws-sdk-ssm` 1140 s (release,
//! shared machine) for one GetParameter; `aws-sdk-route53` 54 s and `aws-sdk-kms` 25 s (see
//! docs/performance.md). These calls use the SDK's own building blocks
//! instead, all already part of rcdk's build: the configuration and credential chain
//! (`aws-config`), SigV4 signing (`aws-sigv4`) and the HTTPS connector
//! (`aws-smithy-http-client`); responses are parsed with `xmlparser` / `serde_json`.
//! Endpoints: `AWS_ENDPOINT_URL_<SERVICE>`, else the configuration's endpoint URL
//! (`AWS_ENDPOINT_URL`), else the service's regional endpoint.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;

use super::sdk::error_chain;
use super::{partition_of, url_suffix, AwsError, AwsResult};

/// Attempts per call for throttling, 5xx and connection errors.
const ATTEMPTS: u32 = 3;
/// Longest time one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// One AWS service as these calls address it.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// The SigV4 signing name, e.g. `ec2`.
    pub signing_name: &'static str,
    /// The endpoint prefix, e.g. `ec2` (`route53` is global).
    pub endpoint_prefix: &'static str,
    /// The suffix of `AWS_ENDPOINT_URL_<SUFFIX>`, e.g. `EC2`, `ROUTE_53`.
    pub env_suffix: &'static str,
    /// Whether the service has one global endpoint (signed for the partition's home region).
    pub global: bool,
}

/// EC2 (Query protocol).
pub const EC2: Service = Service {
    signing_name: "ec2",
    endpoint_prefix: "ec2",
    env_suffix: "EC2",
    global: false,
};
/// KMS (JSON 1.1 protocol).
pub const KMS: Service = Service {
    signing_name: "kms",
    endpoint_prefix: "kms",
    env_suffix: "KMS",
    global: false,
};
/// Route 53 (REST-XML protocol, global endpoint).
pub const ROUTE53: Service = Service {
    signing_name: "route53",
    endpoint_prefix: "route53",
    env_suffix: "ROUTE_53",
    global: true,
};

/// SSM (JSON 1.1 protocol).
pub const SSM: Service = Service {
    signing_name: "ssm",
    endpoint_prefix: "ssm",
    env_suffix: "SSM",
    global: false,
};
/// Lambda (REST-JSON protocol).
pub const LAMBDA: Service = Service {
    signing_name: "lambda",
    endpoint_prefix: "lambda",
    env_suffix: "LAMBDA",
    global: false,
};
/// Step Functions (JSON 1.0 protocol).
pub const STATES: Service = Service {
    signing_name: "states",
    endpoint_prefix: "states",
    env_suffix: "SFN",
    global: false,
};
/// CodeBuild (JSON 1.1 protocol).
pub const CODEBUILD: Service = Service {
    signing_name: "codebuild",
    endpoint_prefix: "codebuild",
    env_suffix: "CODEBUILD",
    global: false,
};

/// The TLS connector builder of every rcdk HTTPS connection: rustls with the `ring` crypto
/// backend (the SDK's default, aws-lc, compiles a C library for minutes; see
/// docs/performance.md), the system's trusted certificates, proxies from the environment
/// (`HTTPS_PROXY`, `NO_PROXY`) as the SDK's default client. (A macro: the builder's type
/// parameter is private to the crate.)
macro_rules! connector_builder {
    () => {{
        use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
        let mut builder = aws_smithy_http_client::ConnectorBuilder::default()
            .tls_provider(Provider::Rustls(CryptoMode::Ring));
        builder.set_proxy_config(Some(aws_smithy_http_client::proxy::ProxyConfig::from_env()));
        builder
    }};
}

/// The HTTP client rcdk gives the SDK (`aws-config` and every service client).
pub fn https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    aws_smithy_http_client::Builder::new().build_with_connector_fn(|settings, components| {
        let mut builder = connector_builder!();
        builder.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            builder.set_sleep_impl(components.sleep_impl());
        }
        builder.build()
    })
}

/// Signed calls in one region with one set of credentials.
#[derive(Clone)]
pub struct SignedClient {
    config: SdkConfig,
    region: String,
    connector: SharedHttpConnector,
}

/// An HTTP answer: status and body.
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// The body text.
    pub body: String,
}

impl SignedClient {
    /// A client for `region` with the credentials and endpoint of `config`.
    pub fn new(config: &SdkConfig, region: &str) -> AwsResult<Self> {
        let settings = HttpConnectorSettings::builder()
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(ATTEMPT_TIMEOUT)
            .build();
        let mut builder = connector_builder!().connector_settings(settings);
        builder.set_sleep_impl(config.sleep_impl());
        let connector = SharedHttpConnector::new(builder.build());
        Ok(SignedClient {
            config: config.clone(),
            region: region.to_string(),
            connector,
        })
    }

    fn endpoint(&self, service: Service) -> String {
        let specific = std::env::var(format!("AWS_ENDPOINT_URL_{}", service.env_suffix))
            .ok()
            .filter(|v| !v.is_empty());
        if let Some(url) = specific.or_else(|| self.config.endpoint_url().map(str::to_string)) {
            return url.trim_end_matches('/').to_string();
        }
        let suffix = url_suffix(partition_of(&self.region));
        if service.global {
            format!("https://{}.{suffix}", service.endpoint_prefix)
        } else {
            format!(
                "https://{}.{}.{suffix}",
                service.endpoint_prefix, self.region
            )
        }
    }

    fn signing_region(&self, service: Service) -> String {
        if !service.global {
            return self.region.clone();
        }
        match partition_of(&self.region) {
            "aws-cn" => "cn-northwest-1".into(),
            "aws-us-gov" => "us-gov-west-1".into(),
            _ => "us-east-1".into(),
        }
    }

    /// Sends a signed request (`path_and_query` starts with `/`), retrying throttling, 5xx and
    /// connection errors; returns the answer of the last attempt.
    pub async fn send(
        &self,
        service: Service,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> AwsResult<Answer> {
        let what = format!("{} {method} {path_and_query}", service.signing_name);
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(400 << attempt)).await;
            }
            let result = tokio::time::timeout(
                ATTEMPT_TIMEOUT,
                self.send_once(service, method, path_and_query, headers, body),
            )
            .await
            .unwrap_or_else(|_| {
                Err(AwsError {
                    code: None,
                    message: format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs()),
                })
            });
            match result {
                Ok(a)
                    if a.status >= 500
                        || a.body.contains("Throttl")
                        || a.body.contains("RequestLimitExceeded") =>
                {
                    last = Some(Ok(a));
                }
                Ok(a) => return Ok(a),
                Err(e) if e.is_local_failure() => return Err(e),
                Err(e) => last = Some(Err(e)),
            }
        }
        match last {
            Some(Ok(a)) => Ok(a),
            Some(Err(e)) => Err(AwsError {
                code: e.code,
                message: format!("{what} at {}: {}", self.endpoint(service), e.message),
            }),
            None => Err(AwsError {
                code: None,
                message: format!("{what}: not sent"),
            }),
        }
    }

    async fn send_once(
        &self,
        service: Service,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> AwsResult<Answer> {
        let url = format!("{}{path_and_query}", self.endpoint(service));
        let provider = self.config.credentials_provider().ok_or_else(|| AwsError {
            code: Some("NoCredentials".into()),
            message: "no AWS credentials are configured".into(),
        })?;
        let credentials = provider.provide_credentials().await.map_err(|e| AwsError {
            code: Some("NoCredentials".into()),
            message: error_chain(&e),
        })?;
        let identity = credentials.into();
        let region = self.signing_region(service);
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&region)
            .name(service.signing_name)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| AwsError {
                code: None,
                message: format!("cannot sign the request: {e}"),
            })?
            .into();
        let mut request = http::Request::builder().method(method).uri(&url);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let mut request = request
            .body(SdkBody::from(body.to_string()))
            .map_err(|e| AwsError {
                code: None,
                message: format!("invalid request {url}: {e}"),
            })?;
        let header_pairs: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let signable = SignableRequest::new(
            method,
            url.clone(),
            header_pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(body.as_bytes()),
        )
        .map_err(|e| AwsError {
            code: None,
            message: format!("cannot sign the request: {e}"),
        })?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| AwsError {
                code: None,
                message: format!("cannot sign the request: {e}"),
            })?
            .into_parts();
        instructions.apply_to_request_http1x(&mut request);
        let request =
            aws_smithy_runtime_api::http::Request::try_from(request).map_err(|e| AwsError {
                code: None,
                message: format!("invalid request {url}: {e}"),
            })?;
        let response = self.connector.call(request).await.map_err(|e| {
            match super::sdk::connect_failure(&e) {
                // Not retried: an endpoint that is not there fails fast, named.
                Some(cause) => AwsError::new(
                    AwsError::UNREACHABLE,
                    format!(
                        "cannot reach {} ({cause}): {}",
                        self.endpoint(service),
                        error_chain(&e)
                    ),
                ),
                None => AwsError {
                    code: None,
                    message: error_chain(&e),
                },
            }
        })?;
        let status = response.status().as_u16();
        let bytes = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| AwsError {
                code: None,
                message: format!("cannot read the answer: {}", error_chain(&e)),
            })?
            .into_bytes();
        Ok(Answer {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// A parsed XML element: its local name, text and child elements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Xml {
    /// The local name (no namespace prefix).
    pub name: String,
    /// The text directly inside (entities decoded).
    pub text: String,
    /// The child elements, in order.
    pub children: Vec<Xml>,
}

impl Xml {
    /// Parses a document; `None` when it is not well-formed.
    pub fn parse(text: &str) -> Option<Xml> {
        let mut stack: Vec<Xml> = vec![Xml::default()];
        for token in xmlparser::Tokenizer::from(text) {
            match token.ok()? {
                xmlparser::Token::ElementStart { local, .. } => stack.push(Xml {
                    name: local.as_str().to_string(),
                    ..Default::default()
                }),
                xmlparser::Token::ElementEnd { end, .. } => match end {
                    xmlparser::ElementEnd::Open => {}
                    xmlparser::ElementEnd::Close(..) | xmlparser::ElementEnd::Empty => {
                        let done = stack.pop()?;
                        stack.last_mut()?.children.push(done);
                    }
                },
                xmlparser::Token::Text { text } => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&decode_entities(text.as_str()));
                    }
                }
                xmlparser::Token::Cdata { text, .. } => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(text.as_str());
                    }
                }
                _ => {}
            }
        }
        let mut root = stack.pop()?;
        root.children.pop()
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Xml> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Xml> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the child `name`, if present and not empty.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// The `<item>` children of the child `name` (EC2's lists).
    pub fn items<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Xml> + 'a {
        self.child(name).into_iter().flat_map(|c| c.all("item"))
    }

    /// EC2 `tagSet` as a map.
    pub fn tags(&self) -> BTreeMap<String, String> {
        self.items("tagSet")
            .filter_map(|t| Some((t.text_of("key")?, t.text_of("value").unwrap_or_default())))
            .collect()
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// An AWS error from an XML error answer (`<Code>`/`<Message>` anywhere in it), or the raw text.
pub fn xml_error(answer: &Answer) -> AwsError {
    fn find<'a>(x: &'a Xml, name: &str) -> Option<&'a Xml> {
        if x.name == name {
            return Some(x);
        }
        x.children.iter().find_map(|c| find(c, name))
    }
    match Xml::parse(&answer.body) {
        Some(doc) => AwsError {
            code: find(&doc, "Code").map(|c| c.text.trim().to_string()),
            message: find(&doc, "Message")
                .map(|m| m.text.trim().to_string())
                .unwrap_or_else(|| format!("HTTP {}", answer.status)),
        },
        None => AwsError {
            code: None,
            message: format!(
                "HTTP {}: {}",
                answer.status,
                answer.body.chars().take(300).collect::<String>()
            ),
        },
    }
}

/// An AWS error from a JSON error answer (`__type`/`code`/`Type` and `message`/`Message`; the
/// code's `prefix#` is dropped), or the raw text.
pub fn json_error(answer: &Answer) -> AwsError {
    let doc: Option<serde_json::Value> = serde_json::from_str(&answer.body).ok();
    let field = |names: &[&str]| {
        doc.as_ref().and_then(|d| {
            names
                .iter()
                .find_map(|n| d.get(*n).and_then(|v| v.as_str()).map(str::to_string))
        })
    };
    let code = field(&["__type", "code", "Code", "Type"])
        .map(|c| c.rsplit('#').next().unwrap_or_default().to_string())
        .filter(|c| !c.is_empty() && c != "User" && c != "Service");
    let message = field(&["message", "Message", "errorMessage"]).unwrap_or_else(|| {
        format!(
            "HTTP {}: {}",
            answer.status,
            answer.body.chars().take(300).collect::<String>()
        )
    });
    AwsError { code, message }
}

impl SignedClient {
    /// A JSON-protocol call (`X-Amz-Target: {target_prefix}.{operation}`, `content_type`
    /// `application/x-amz-json-1.0` or `-1.1`): the parsed answer, or the service's error.
    pub async fn json_call(
        &self,
        service: Service,
        content_type: &str,
        target: &str,
        body: &serde_json::Value,
    ) -> AwsResult<serde_json::Value> {
        let answer = self
            .send(
                service,
                "POST",
                "/",
                &[("content-type", content_type), ("x-amz-target", target)],
                &body.to_string(),
            )
            .await?;
        json_answer(answer, target)
    }
}

/// The parsed JSON body of a successful answer (`{}` when empty), else the service's error.
pub fn json_answer(answer: Answer, what: &str) -> AwsResult<serde_json::Value> {
    if answer.status >= 300 {
        return Err(json_error(&answer));
    }
    if answer.body.trim().is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_json::from_str(&answer.body).map_err(|e| AwsError {
        code: None,
        message: format!(
            "{what}: the answer is not JSON ({e}): {}",
            answer.body.chars().take(200).collect::<String>()
        ),
    })
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_parses_nested_items_and_tags() {
        let doc = Xml::parse(
            r#"<?xml version="1.0"?><R xmlns="x"><subnetSet><item><subnetId>s-1</subnetId>
            <tagSet><item><key>Name</key><value>a &amp; b</value></item></tagSet></item>
            <item><subnetId>s-2</subnetId><empty/></item></subnetSet></R>"#,
        )
        .unwrap();
        let ids: Vec<String> = doc
            .items("subnetSet")
            .filter_map(|i| i.text_of("subnetId"))
            .collect();
        assert_eq!(ids, ["s-1", "s-2"]);
        let first = doc.items("subnetSet").next().unwrap();
        assert_eq!(first.tags()["Name"], "a & b");
    }

    #[test]
    fn xml_errors_carry_code_and_message() {
        let e = xml_error(&Answer {
            status: 400,
            body: "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>nope</Message></Error></Errors></Response>".into(),
        });
        assert_eq!(e.code.as_deref(), Some("InvalidVpcID.NotFound"));
        assert_eq!(e.message, "nope");
        assert_eq!(encode("a b/c=d"), "a%20b%2Fc%3Dd");
    }
}
