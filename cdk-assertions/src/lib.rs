//! # cdk-assertions
//!
//! Assertions on synthesized rcdk stacks: aws-cdk-lib's `assertions` module in Rust. Add it
//! as a dev-dependency and test your constructs the way you would with aws-cdk-lib:
//!
//! - [`Template`]: `from_stack` synthesizes in memory (no files; cached while the app does not
//!   change), `from_json`, `from_str`; `has_resource_properties`, `has_resource`,
//!   `resource_count_is`, `resource_properties_count_is`, `all_resources(_properties)`,
//!   `find_resources`, `get_resource_id`, `has_output`/`find_outputs`, `has_parameter`,
//!   `has_mapping`, `has_condition`, `template_matches`, `to_json`.
//! - [`Match`]: `object_like`, `object_equals`, `array_with`, `array_equals`, `exact`,
//!   `absent`, `any_value`, `string_like_regexp`, `not`, `serialized_json`, with
//!   aws-cdk-lib's semantics; write patterns with [`pattern!`] (`json!` syntax, matchers as
//!   values).
//! - [`Capture`]: remembers matched values (`as_string`, `as_number`, `as_bool`, `as_array`,
//!   `as_object`, `next`).
//! - [`Annotations`]: errors, warnings and infos of a stack's constructs; [`Tags`]: stack tags.
//!
//! A failed assertion panics with a report that names the closest candidate (logical ID and
//! construct path), every path inside it where matching failed with what was expected and
//! found, and the candidate rendered with `!!` markers (aws-cdk-lib's "closest matches"),
//! in colour when stderr is a terminal and `NO_COLOR` is unset. Every assertion has a `try_`
//! twin that returns the report as an [`AssertionError`].
//!
//! ## A full test
//!
//! ```
//! use cdk_assertions::{pattern, Annotations, Capture, Match, Template};
//! use cdk_constructs::s3::{Bucket, BucketProps};
//! use cdk_core::{App, Stack, StackProps};
//!
//! // The construct under test, in a fresh app.
//! let app = App::new();
//! let stack = Stack::new(&app, "Storage", StackProps::default());
//! Bucket::new(&stack, "Logs", BucketProps { versioned: true, ..Default::default() });
//!
//! let template = Template::from_stack(&stack);
//! template.resource_count_is("AWS::S3::Bucket", 1);
//! template.has_resource_properties("AWS::S3::Bucket", pattern!({
//!     "VersioningConfiguration": {"Status": "Enabled"},
//! }));
//! template.has_resource("AWS::S3::Bucket", pattern!({
//!     "DeletionPolicy": "Retain",
//!     "Properties": Match::object_like(pattern!({"BucketName": Match::absent()})),
//! }));
//!
//! // Capture a value to look at it more closely.
//! let status = Capture::new();
//! template.has_resource_properties("AWS::S3::Bucket", pattern!({
//!     "VersioningConfiguration": {"Status": &status},
//! }));
//! assert_eq!(status.as_string(), "Enabled");
//!
//! // Failures explain themselves.
//! let err = template
//!     .try_has_resource_properties("AWS::S3::Bucket", pattern!({"VersioningConfiguration": {"Status": "Suspended"}}))
//!     .unwrap_err();
//! assert!(err.message().contains("at /Properties/VersioningConfiguration/Status: Expected Suspended but received Enabled"));
//!
//! Annotations::from_stack(&stack).has_no_warning("*", Match::any_value());
//! ```

#![warn(missing_docs)]

mod annotations;
mod capture;
mod error;
mod matcher;
mod pattern;
mod style;
mod tags;
mod template;

pub use annotations::Annotations;
pub use capture::Capture;
pub use error::AssertionError;
pub use matcher::{Match, MatchResult, Matcher};
pub use pattern::Pattern;
pub use tags::Tags;
pub use template::{Template, TemplateParsingOptions};
