//! Lifecycle rules of a bucket (aws-cdk-lib's `LifecycleRule`, `Transition`,
//! `NoncurrentVersionTransition`, `StorageClass`), rendered as aws-cdk-lib renders them into
//! `LifecycleConfiguration.Rules`, with its validation errors.

use std::time::Duration;

use cdk_core::Value;

/// Where objects move to (aws-cdk-lib's `StorageClass`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageClass {
    /// `STANDARD_IA`.
    InfrequentAccess,
    /// `ONEZONE_IA`.
    OneZoneInfrequentAccess,
    /// `GLACIER`.
    Glacier,
    /// `GLACIER_IR`.
    GlacierInstantRetrieval,
    /// `DEEP_ARCHIVE`.
    DeepArchive,
    /// `INTELLIGENT_TIERING`.
    IntelligentTiering,
    /// Another storage class, by its CloudFormation name.
    Custom(String),
}

impl StorageClass {
    /// The CloudFormation value (`STANDARD_IA`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            StorageClass::InfrequentAccess => "STANDARD_IA",
            StorageClass::OneZoneInfrequentAccess => "ONEZONE_IA",
            StorageClass::Glacier => "GLACIER",
            StorageClass::GlacierInstantRetrieval => "GLACIER_IR",
            StorageClass::DeepArchive => "DEEP_ARCHIVE",
            StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
            StorageClass::Custom(s) => s,
        }
    }
}

/// A move of current objects to another storage class, after a time or at a date (exactly
/// one of the two).
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    /// The storage class to move to.
    pub storage_class: StorageClass,
    /// How long after creation (whole days).
    pub transition_after: Option<Duration>,
    /// At this date (`YYYY-MM-DD` or an ISO 8601 UTC timestamp).
    pub transition_date: Option<String>,
}

impl Transition {
    /// A transition to `storage_class` `after` creation (whole days).
    pub fn after(storage_class: StorageClass, after: Duration) -> Self {
        Transition {
            storage_class,
            transition_after: Some(after),
            transition_date: None,
        }
    }
}

/// A move of noncurrent object versions to another storage class.
#[derive(Clone, Debug, PartialEq)]
pub struct NoncurrentVersionTransition {
    /// The storage class to move to.
    pub storage_class: StorageClass,
    /// How long after a version became noncurrent (whole days).
    pub transition_after: Duration,
    /// How many noncurrent versions to keep in the current storage class.
    pub noncurrent_versions_to_retain: Option<u32>,
}

/// One lifecycle rule (aws-cdk-lib's `LifecycleRule`). At least one action must be set:
/// `abort_incomplete_multipart_upload_after`, `expiration`, `expiration_date`,
/// `expired_object_delete_marker`, `noncurrent_version_expiration`,
/// `noncurrent_versions_to_retain`, `noncurrent_version_transitions` or `transitions`.
///
/// ```
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::s3::{Bucket, BucketProps, LifecycleRule, StorageClass, Transition};
///
/// const DAY: u64 = 86_400;
/// let app = App::new();
/// let stack = Stack::new(&app, "Storage", StackProps::default());
/// let bucket = Bucket::new(&stack, "Logs", BucketProps {
///     lifecycle_rules: vec![LifecycleRule {
///         prefix: Some("logs/".into()),
///         expiration: Some(Duration::from_secs(365 * DAY)),
///         transitions: vec![Transition::after(StorageClass::Glacier, Duration::from_secs(30 * DAY))],
///         ..Default::default()
///     }],
///     ..Default::default()
/// });
/// bucket.add_lifecycle_rule(LifecycleRule {
///     abort_incomplete_multipart_upload_after: Some(Duration::from_secs(7 * DAY)),
///     ..Default::default()
/// });
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LifecycleRule {
    /// The rule's ID.
    pub id: Option<String>,
    /// Whether the rule is on (default: true).
    pub enabled: Option<bool>,
    /// Abort multipart uploads not finished this long after they started (whole days).
    pub abort_incomplete_multipart_upload_after: Option<Duration>,
    /// Delete objects at this date (`YYYY-MM-DD` or an ISO 8601 UTC timestamp).
    pub expiration_date: Option<String>,
    /// Delete objects this long after creation (whole days).
    pub expiration: Option<Duration>,
    /// Delete noncurrent versions this long after they became noncurrent (whole days).
    pub noncurrent_version_expiration: Option<Duration>,
    /// How many noncurrent versions to keep (with `noncurrent_version_expiration`).
    pub noncurrent_versions_to_retain: Option<u32>,
    /// Moves of noncurrent versions.
    pub noncurrent_version_transitions: Vec<NoncurrentVersionTransition>,
    /// Moves of current objects.
    pub transitions: Vec<Transition>,
    /// Only objects whose key starts with this.
    pub prefix: Option<String>,
    /// Only objects with all these tags (`key`, `value`), in this order.
    pub tag_filters: Vec<(String, String)>,
    /// Remove delete markers that have no noncurrent version left.
    pub expired_object_delete_marker: Option<bool>,
    /// Only objects smaller than this many bytes.
    pub object_size_less_than: Option<u64>,
    /// Only objects larger than this many bytes.
    pub object_size_greater_than: Option<u64>,
}

/// Whole days of `d`, or aws-cdk-lib's `Duration.toDays()` error.
fn whole_days(d: Duration, errors: &mut Vec<String>) -> u64 {
    let secs = d.as_secs();
    if d.subsec_nanos() != 0 || !secs.is_multiple_of(86_400) {
        errors.push(format!(
            "'{} seconds' cannot be converted into a whole number of days.",
            d.as_secs_f64()
        ));
    }
    secs / 86_400
}

/// The date as CloudFormation wants it (what aws-cdk-lib renders for a JavaScript `Date`):
/// `YYYY-MM-DD` becomes midnight UTC, fractional seconds are dropped.
fn render_date(date: &str) -> String {
    if date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-' {
        return format!("{date}T00:00:00Z");
    }
    match (date.find('.'), date.strip_suffix('Z')) {
        (Some(dot), Some(_)) => format!("{}Z", &date[..dot]),
        _ => date.to_string(),
    }
}

impl LifecycleRule {
    /// aws-cdk-lib's validation of one rule (the messages it throws).
    pub fn validate(&self) -> Vec<String> {
        let mut errors = Vec::new();
        if self.expired_object_delete_marker.is_some_and(|b| b)
            && (self.expiration.is_some()
                || self.expiration_date.is_some()
                || !self.tag_filters.is_empty())
        {
            errors.push(
                "ExpiredObjectDeleteMarker cannot be specified with expiration, ExpirationDate, or TagFilters."
                    .to_string(),
            );
        }
        if self.abort_incomplete_multipart_upload_after.is_none()
            && self.expiration.is_none()
            && self.expiration_date.is_none()
            && self.expired_object_delete_marker.is_none()
            && self.noncurrent_version_expiration.is_none()
            && self.noncurrent_versions_to_retain.is_none()
            && self.noncurrent_version_transitions.is_empty()
            && self.transitions.is_empty()
        {
            errors.push("All rules for `lifecycleRules` must have at least one of the following properties: `abortIncompleteMultipartUploadAfter`, `expiration`, `expirationDate`, `expiredObjectDeleteMarker`, `noncurrentVersionExpiration`, `noncurrentVersionsToRetain`, `noncurrentVersionTransitions`, or `transitions`".to_string());
        }
        for t in &self.transitions {
            if t.transition_after.is_some() == t.transition_date.is_some() {
                errors.push("Exactly one of transitionDate or transitionAfter must be specified in lifecycle rule transition".to_string());
            }
        }
        let _ = self.render(&mut errors);
        errors
    }

    /// The rule as aws-cdk-lib renders it (`LifecycleConfiguration.Rules[i]`); conversion
    /// problems (durations that are not whole days) are pushed to `errors`.
    pub fn render(&self, errors: &mut Vec<String>) -> Value {
        let mut out: Vec<(&str, Value)> = Vec::new();
        if let Some(d) = self.abort_incomplete_multipart_upload_after {
            out.push((
                "AbortIncompleteMultipartUpload",
                Value::object([("DaysAfterInitiation", whole_days(d, errors))]),
            ));
        }
        if let Some(date) = &self.expiration_date {
            out.push(("ExpirationDate", render_date(date).into()));
        }
        if let Some(d) = self.expiration {
            out.push(("ExpirationInDays", whole_days(d, errors).into()));
        }
        if let Some(id) = &self.id {
            out.push(("Id", id.as_str().into()));
        }
        if let Some(d) = self.noncurrent_version_expiration {
            let mut e: Vec<(&str, Value)> = vec![("NoncurrentDays", whole_days(d, errors).into())];
            if let Some(n) = self.noncurrent_versions_to_retain {
                e.push(("NewerNoncurrentVersions", n.into()));
            }
            out.push(("NoncurrentVersionExpiration", Value::object(e)));
        }
        if !self.noncurrent_version_transitions.is_empty() {
            let list = self.noncurrent_version_transitions.iter().map(|t| {
                let mut e: Vec<(&str, Value)> = vec![
                    ("StorageClass", t.storage_class.as_str().into()),
                    (
                        "TransitionInDays",
                        whole_days(t.transition_after, errors).into(),
                    ),
                ];
                if let Some(n) = t.noncurrent_versions_to_retain {
                    e.push(("NewerNoncurrentVersions", n.into()));
                }
                Value::object(e)
            });
            out.push(("NoncurrentVersionTransitions", Value::List(list.collect())));
        }
        if let Some(p) = &self.prefix {
            out.push(("Prefix", p.as_str().into()));
        }
        let enabled = self.enabled.unwrap_or(true);
        out.push((
            "Status",
            if enabled { "Enabled" } else { "Disabled" }.into(),
        ));
        if !self.transitions.is_empty() {
            let list = self.transitions.iter().map(|t| {
                let mut e: Vec<(&str, Value)> =
                    vec![("StorageClass", t.storage_class.as_str().into())];
                if let Some(date) = &t.transition_date {
                    e.push(("TransitionDate", render_date(date).into()));
                }
                if let Some(d) = t.transition_after {
                    e.push(("TransitionInDays", whole_days(d, errors).into()));
                }
                Value::object(e)
            });
            out.push(("Transitions", Value::List(list.collect())));
        }
        if let Some(b) = self.expired_object_delete_marker {
            out.push(("ExpiredObjectDeleteMarker", b.into()));
        }
        if !self.tag_filters.is_empty() {
            let tags = self
                .tag_filters
                .iter()
                .map(|(k, v)| Value::object([("Key", k.as_str()), ("Value", v.as_str())]));
            out.push(("TagFilters", Value::List(tags.collect())));
        }
        if let Some(n) = self.object_size_less_than {
            out.push(("ObjectSizeLessThan", n.into()));
        }
        if let Some(n) = self.object_size_greater_than {
            out.push(("ObjectSizeGreaterThan", n.into()));
        }
        Value::object(out)
    }
}

/// The transition minimum object size default of a bucket's lifecycle configuration
/// (aws-cdk-lib's `TransitionDefaultMinimumObjectSize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionDefaultMinimumObjectSize {
    /// `all_storage_classes_128K`: objects under 128 KB never transition.
    AllStorageClasses128K,
    /// `varies_by_storage_class`.
    VariesByStorageClass,
}

impl TransitionDefaultMinimumObjectSize {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            TransitionDefaultMinimumObjectSize::AllStorageClasses128K => "all_storage_classes_128K",
            TransitionDefaultMinimumObjectSize::VariesByStorageClass => "varies_by_storage_class",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_render_like_javascript_dates() {
        assert_eq!(render_date("2019-10-01"), "2019-10-01T00:00:00Z");
        assert_eq!(
            render_date("2019-10-01T10:11:12.345Z"),
            "2019-10-01T10:11:12Z"
        );
        assert_eq!(render_date("2019-10-01T10:11:12Z"), "2019-10-01T10:11:12Z");
    }

    #[test]
    fn a_rule_without_action_is_an_error() {
        let errors = LifecycleRule::default().validate();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("All rules for `lifecycleRules` must have"));
    }

    #[test]
    fn partial_days_are_an_error() {
        let rule = LifecycleRule {
            expiration: Some(Duration::from_secs(3600)),
            ..Default::default()
        };
        assert_eq!(
            rule.validate(),
            vec!["'3600 seconds' cannot be converted into a whole number of days.".to_string()]
        );
    }
}
