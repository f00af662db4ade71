//! # cdk-core
//!
//! The foundation of rcdk: the construct tree, tokens and intrinsic functions, CloudFormation
//! elements, cross-stack references, the stack dependency graph, tags, aspects, stages and
//! synthesis into a cloud assembly (`cdk.out`, with a nested assembly per [`Stage`]) that the
//! AWS CDK toolchain accepts.
//!
//! ```no_run
//! use cdk_core::{App, CfnResource, CfnResourceProps, CfnOutput, CfnOutputProps, Stack, StackProps, Value};
//!
//! let app = App::new();
//! let storage = Stack::new(&app, "Storage", StackProps::default());
//! let bucket = CfnResource::new(&storage, "Bucket", CfnResourceProps {
//!     resource_type: "AWS::S3::Bucket".into(),
//!     ..Default::default()
//! });
//! let web = Stack::new(&app, "Web", StackProps::default());
//! // A reference across stacks becomes an export in Storage and Fn::ImportValue in Web.
//! CfnOutput::new(&web, "BucketArn", CfnOutputProps { value: bucket.get_att("Arn"), ..Default::default() });
//! app.synth_or_exit(); // prints every problem with its construct path and exits 1 on error
//! ```
//!
//! ## Architecture invariants
//! - `cdk-core` names no AWS service: it knows constructs, tokens, CloudFormation's template
//!   language and the cloud-assembly format only. Service knowledge lives in `cdk-constructs`.
//! - A construct's identity is its path; logical IDs and addresses derive from it exactly as in
//!   aws-cdk-lib ([`logical_id`]).
//! - Constructors never fail and never panic on user input: mistakes are recorded and
//!   [`App::synth`] reports them all, writing nothing.
//! - Synthesis output is deterministic and written atomically.

#![warn(missing_docs)]

pub mod arn;
pub mod aspects;
pub mod assets;
pub mod cfn;
pub mod collate;
pub mod construct;
pub mod context_provider;
pub mod error;
pub mod feature_flags;
pub mod fns;
pub mod graph;
pub mod json;
pub mod logical_id;
pub mod names;
pub mod references;
pub mod resolve;
pub mod resource;
pub mod stack;
pub mod stage;
pub mod synth;
pub mod synthesizer;
pub mod tags;
pub mod token;
pub mod validation;
mod value_map;

mod app;

pub use app::{App, AppProps, CONTEXT_ENV, OUTDIR_ENV, PREVIOUS_OUTDIR_ENV};
pub use arn::{ArnComponents, ArnFormat};
pub use aspects::{Aspect, Aspects};
pub use assets::{
    fingerprint, Asset, AssetHashType, AssetPackaging, AssetProps, FingerprintOptions, IgnoreMode,
    InMemoryDirectory, SymlinkFollow,
};
pub use cfn::{
    CfnCondition, CfnElement, CfnMapping, CfnOutput, CfnOutputProps, CfnParameter,
    CfnParameterProps, CfnResource, CfnResourceProps, CfnRule, CfnRuleProps, RemovalPolicy,
    RuleAssertion,
};
pub use construct::{IConstruct, MetadataEntry, Node};
pub use error::{Error, Result, ValidationError};
pub use fns::ConditionExpr;
pub use names::{Names, UniqueResourceNameOptions};
pub use resolve::{resolve, ResolveContext};
pub use resource::{PhysicalName, Resource, ResourceEnvironment, ResourceProps};
pub use stack::{Environment, Stack, StackProps};
pub use stage::{Stage, StageProps};
pub use synth::{CloudAssembly, InMemoryAssembly, NestedAssemblyArtifact, StackArtifact};
pub use synthesizer::DefaultStackSynthesizer;
pub use tags::{TagProps, TagType, Tags};
pub use token::{Aws, Lazy, Num, Pseudo, RefKind, Reference, Str, StrList, TokenComparison, Value};
pub use value_map::ValueMap;

// The README's examples use cdk-constructs too: they are compiled as doctests of
// cdk-constructs (`ReadmeDoctests` in cdk-constructs/src/lib.rs).
