//! The error every `try_` assertion returns.

/// A failed assertion: the report a person reads to see what did not match.
///
/// ```
/// use cdk_assertions::Template;
/// let t = Template::from_json(serde_json::json!({"Resources": {}}));
/// let err = t.try_resource_count_is("AWS::S3::Bucket", 1).unwrap_err();
/// assert_eq!(err.message(), "Expected 1 resources of type AWS::S3::Bucket but found 0");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionError {
    message: String,
}

impl AssertionError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        AssertionError {
            message: message.into(),
        }
    }

    /// The report, without colour codes.
    pub fn message(&self) -> String {
        crate::style::strip(&self.message)
    }
}

impl std::fmt::Display for AssertionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AssertionError {}
