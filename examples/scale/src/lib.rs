//! Scale generator: builds apps of `stacks` × `resources` for benchmarks.
//!
//! - [`Kind::L1`]: every stack holds `resources` S3 buckets (`CfnBucket`), and its first bucket
//!   is tagged with the previous stack's first bucket (a cross-stack import per stack).
//! - [`Kind::L2`]: every stack holds `resources / 6` Lambda functions (each with its role) behind
//!   one REST API (a resource, a method and two invoke permissions per function): about six
//!   CloudFormation resources per function.

use cdk_constructs::apigateway::{LambdaIntegration, MethodOptions, RestApi, RestApiProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::{cfn_bucket, CfnBucket, CfnBucketProps};
use cdk_core::{App, Environment, Stack, StackProps};

/// CloudFormation resources one L2 function brings (function, role, API resource, method,
/// two permissions).
pub const RESOURCES_PER_FUNCTION: usize = 6;

/// What the generated stacks contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain L1 resources (S3 buckets) with one cross-stack reference per stack.
    L1,
    /// L2 constructs: Lambda functions with roles, permissions and a REST API per stack.
    L2,
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "l1" | "L1" => Ok(Kind::L1),
            "l2" | "L2" => Ok(Kind::L2),
            other => Err(format!("unknown kind '{other}' (expected l1 or l2)")),
        }
    }
}

/// Adds `stacks` stacks of `resources` resources each to `app`.
pub fn build(app: &App, kind: Kind, stacks: usize, resources: usize) {
    let env = Some(Environment::new("111111111111", "us-east-1"));
    let mut previous: Option<CfnBucket> = None;
    for s in 0..stacks {
        let stack = Stack::new(
            app,
            &format!("Stack{s}"),
            StackProps {
                env: env.clone(),
                ..Default::default()
            },
        );
        match kind {
            Kind::L1 => {
                let mut first = None;
                for r in 0..resources {
                    let bucket = CfnBucket::new(
                        &stack,
                        &format!("Bucket{r}"),
                        CfnBucketProps {
                            versioning_configuration: Some(
                                cfn_bucket::VersioningConfigurationProperty {
                                    status: cfn_bucket::VersioningConfigurationStatus::Enabled,
                                },
                            ),
                            tags: (r == 0).then(|| {
                                previous
                                    .as_ref()
                                    .map(|p| {
                                        vec![cdk_constructs::CfnTag {
                                            key: "neighbour".into(),
                                            value: p.ref_(),
                                        }]
                                    })
                                    .unwrap_or_default()
                            }),
                            ..Default::default()
                        },
                    );
                    if r == 0 {
                        first = Some(bucket);
                    }
                }
                previous = first;
            }
            Kind::L2 => {
                let api = RestApi::new(&stack, "Api", RestApiProps::default());
                for f in 0..(resources / RESOURCES_PER_FUNCTION).max(1) {
                    let function = Function::new(
                        &stack,
                        &format!("Handler{f}"),
                        FunctionProps::new(
                            Runtime::Nodejs24X,
                            "index.handler",
                            Code::from_inline(
                                "exports.handler = async () => ({ statusCode: 200 });",
                            ),
                        ),
                    );
                    api.root().add_resource(&format!("fn{f}")).add_method(
                        "GET",
                        LambdaIntegration::new(&function),
                        MethodOptions::default(),
                    );
                }
            }
        }
    }
}
