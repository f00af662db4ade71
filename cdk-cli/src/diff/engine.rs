//! The template diff engine: compares two CloudFormation templates (as JSON values) and returns a
//! structured [`TemplateDiff`]. No formatting happens here (see [`super::format`]).

use serde_json::{Map, Value};

use super::create_only::CreateOnlyProperties;
use super::iam::{diff_iam, IamChanges};
use super::security_groups::{diff_security_groups, SecurityGroupChanges};

/// Template sections diffed entry by entry, with the label used for their entries.
pub const SECTIONS: [(&str, &str); 5] = [
    ("Parameters", "Parameter"),
    ("Metadata", "Metadata"),
    ("Mappings", "Mapping"),
    ("Conditions", "Condition"),
    ("Outputs", "Output"),
];

/// The top-level entries the cdk CLI shows under "Template", in its order.
pub const TEMPLATE_ENTRIES: [&str; 3] = ["AWSTemplateFormatVersion", "Transform", "Description"];

/// Whether an entry was added, removed or modified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the new template.
    Added,
    /// Only in the old template.
    Removed,
    /// In both, with different values.
    Modified,
}

impl ChangeKind {
    /// The kind of a change from `old` to `new` (`None` = absent); both present means modified.
    pub fn of(old: Option<&Value>, new: Option<&Value>) -> Self {
        match (old, new) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Modified,
        }
    }
}

/// A changed named entry (a parameter, output, condition, top-level field...).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedChange {
    /// The entry's name.
    pub name: String,
    /// The old value (`None` when added).
    pub old: Option<Value>,
    /// The new value (`None` when removed).
    pub new: Option<Value>,
}

impl NamedChange {
    /// Added, removed or modified.
    pub fn kind(&self) -> ChangeKind {
        ChangeKind::of(self.old.as_ref(), self.new.as_ref())
    }
}

/// A changed resource property or attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyChange {
    /// The name: a property name (`BucketName`), or for resource attributes the attribute
    /// (`Type`, `DependsOn`, `DeletionPolicy`, `Metadata`, ...).
    pub name: String,
    /// Whether this is a resource attribute rather than an entry of `Properties`.
    pub is_attribute: bool,
    /// The old value (`None` when added).
    pub old: Option<Value>,
    /// The new value (`None` when removed).
    pub new: Option<Value>,
    /// Whether this change forces the resource to be replaced.
    pub requires_replacement: bool,
    /// Whether this change may replace the resource (the specification's "maybe"; false when
    /// `requires_replacement`).
    pub may_require_replacement: bool,
}

impl PropertyChange {
    /// Added, removed or modified.
    pub fn kind(&self) -> ChangeKind {
        ChangeKind::of(self.old.as_ref(), self.new.as_ref())
    }
}

/// What deploying a resource change does to the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceImpact {
    /// A new resource is created.
    Create,
    /// Updated in place.
    Update,
    /// Replaced (type change or a create-only property change).
    Replace,
    /// Updated, and possibly replaced (a property whose change may replace the resource).
    MayReplace,
    /// Removed from the stack and deleted.
    Destroy,
    /// Removed from the stack but kept (`DeletionPolicy: Retain`).
    Orphan,
}

/// A changed resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceChange {
    /// The logical ID.
    pub logical_id: String,
    /// The type in the old template.
    pub old_type: Option<String>,
    /// The type in the new template.
    pub new_type: Option<String>,
    /// The construct path (`Metadata.aws:cdk:path`), new template first.
    pub path: Option<String>,
    /// What happens to the resource.
    pub impact: ResourceImpact,
    /// Changed attributes (`Type` first) and properties, in template order.
    pub changes: Vec<PropertyChange>,
    /// The old resource definition.
    pub old: Option<Value>,
    /// The new resource definition.
    pub new: Option<Value>,
}

impl ResourceChange {
    /// Added, removed or modified.
    pub fn kind(&self) -> ChangeKind {
        ChangeKind::of(self.old.as_ref(), self.new.as_ref())
    }

    /// The type to show: the new one, else the old one.
    pub fn resource_type(&self) -> &str {
        self.new_type
            .as_deref()
            .or(self.old_type.as_deref())
            .unwrap_or("<no Type>")
    }
}

/// How a change affects permissions (for `--require-approval broadening`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PermissionChange {
    /// No IAM or security group change.
    None,
    /// IAM or security group changes that only narrow access.
    NonBroadening,
    /// Changes that widen access: added Allow statements, removed Deny statements, added
    /// managed policies, added security group rules.
    Broadening,
}

/// The differences between two templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateDiff {
    /// Changed entries per section, keyed by the section name of [`SECTIONS`].
    pub sections: Vec<(String, Vec<NamedChange>)>,
    /// Changed resources in template order (old template's order, then new-only resources).
    pub resources: Vec<ResourceChange>,
    /// Other changed top-level fields (`Description`, `Transform`, ...).
    pub other: Vec<NamedChange>,
    /// IAM statement and managed policy changes.
    pub iam: IamChanges,
    /// Security group rule changes.
    pub security_groups: SecurityGroupChanges,
    /// Construct paths by logical ID (each template's `aws:cdk:path` resource metadata, the new
    /// one winning), used to name resources in the IAM and security group tables as cdk does.
    pub paths: std::collections::HashMap<String, String>,
}

impl TemplateDiff {
    /// The changes of one section (`Parameters`, `Outputs`, ...); empty if unchanged.
    pub fn section(&self, name: &str) -> &[NamedChange] {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[])
    }

    /// Whether the templates are equivalent.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// Total number of changed entries (resources, section entries, other fields).
    pub fn count(&self) -> usize {
        self.resources.len()
            + self.other.len()
            + self.sections.iter().map(|(_, c)| c.len()).sum::<usize>()
    }

    /// The resource change for a logical ID.
    pub fn resource(&self, logical_id: &str) -> Option<&ResourceChange> {
        self.resources.iter().find(|r| r.logical_id == logical_id)
    }

    /// Classifies the permission impact of the diff.
    pub fn permission_change(&self) -> PermissionChange {
        if self.iam.is_broadening() || self.security_groups.is_broadening() {
            PermissionChange::Broadening
        } else if !self.iam.is_empty() || !self.security_groups.is_empty() {
            PermissionChange::NonBroadening
        } else {
            PermissionChange::None
        }
    }

    /// Whether the diff widens permissions (see [`PermissionChange::Broadening`]).
    pub fn permissions_broadened(&self) -> bool {
        self.permission_change() == PermissionChange::Broadening
    }

    /// Drops what the cdk CLI hides unless `--strict`: `AWS::CDK::Metadata` resources and the
    /// `CheckBootstrapVersion` rule.
    pub fn without_cdk_noise(mut self) -> Self {
        self.resources
            .retain(|r| r.resource_type() != "AWS::CDK::Metadata");
        let without_check = |v: &mut Option<Value>| {
            if let Some(Value::Object(rules)) = v {
                rules.remove("CheckBootstrapVersion");
                if rules.is_empty() {
                    *v = None;
                }
            }
        };
        for change in &mut self.other {
            if change.name == "Rules" {
                without_check(&mut change.old);
                without_check(&mut change.new);
            }
        }
        self.other.retain(|c| c.old != c.new);
        self.sections.retain(|(_, c)| !c.is_empty());
        self
    }
}

/// Compares two templates using the embedded create-only property data.
/// `old` is the baseline (e.g. the deployed template; `{}` for a new stack), `new` the
/// synthesized one.
pub fn diff_templates(old: &Value, new: &Value) -> TemplateDiff {
    diff_templates_with(old, new, CreateOnlyProperties::embedded())
}

/// Compares two templates with the given create-only property data.
pub fn diff_templates_with(
    old: &Value,
    new: &Value,
    create_only: &CreateOnlyProperties,
) -> TemplateDiff {
    let empty = Map::new();
    let old_t = old.as_object().unwrap_or(&empty);
    let new_t = new.as_object().unwrap_or(&empty);

    let mut sections = Vec::new();
    for (section, _) in SECTIONS {
        let changes = diff_maps(object(old_t.get(section)), object(new_t.get(section)));
        if !changes.is_empty() {
            sections.push((section.to_string(), changes));
        }
    }

    let known = |k: &str| k == "Resources" || SECTIONS.iter().any(|(s, _)| *s == k);
    let other_old: Map<String, Value> = old_t
        .iter()
        .filter(|(k, _)| !known(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let other_new: Map<String, Value> = new_t
        .iter()
        .filter(|(k, _)| !known(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let other = diff_maps(&other_old, &other_new);

    let old_res = object(old_t.get("Resources"));
    let new_res = object(new_t.get("Resources"));
    let resources = union_keys(old_res, new_res)
        .into_iter()
        .filter_map(|id| diff_resource(id, old_res.get(id), new_res.get(id), create_only))
        .collect();

    let mut paths = std::collections::HashMap::new();
    for res in [old_res, new_res] {
        for (id, r) in res {
            if let Some(p) = cdk_path(Some(r)) {
                paths.insert(id.clone(), p);
            }
        }
    }
    TemplateDiff {
        sections,
        resources,
        other,
        iam: diff_iam(old, new),
        security_groups: diff_security_groups(old, new),
        paths,
    }
}

fn object(v: Option<&Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    v.and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// Keys of `old` in order, then keys only in `new`.
fn union_keys<'a>(old: &'a Map<String, Value>, new: &'a Map<String, Value>) -> Vec<&'a str> {
    old.keys()
        .chain(new.keys().filter(|k| !old.contains_key(*k)))
        .map(String::as_str)
        .collect()
}

fn diff_maps(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<NamedChange> {
    union_keys(old, new)
        .into_iter()
        .filter_map(|k| {
            let (o, n) = (old.get(k), new.get(k));
            (o != n).then(|| NamedChange {
                name: k.to_string(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

fn type_of(v: Option<&Value>) -> Option<String> {
    v?.get("Type")?.as_str().map(str::to_string)
}

fn cdk_path(v: Option<&Value>) -> Option<String> {
    v?.get("Metadata")?
        .get("aws:cdk:path")?
        .as_str()
        .map(str::to_string)
}

fn diff_resource(
    id: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    create_only: &CreateOnlyProperties,
) -> Option<ResourceChange> {
    if old == new {
        return None;
    }
    let old_type = type_of(old);
    let new_type = type_of(new);
    let path = cdk_path(new).or_else(|| cdk_path(old));
    let mut changes = Vec::new();
    let impact = match (old, new) {
        (None, _) => ResourceImpact::Create,
        (Some(o), None) => {
            let policy = o.get("DeletionPolicy").and_then(Value::as_str);
            if matches!(policy, Some("Retain" | "RetainExceptOnCreate")) {
                ResourceImpact::Orphan
            } else {
                ResourceImpact::Destroy
            }
        }
        (Some(o), Some(n)) => {
            let mut replace = false;
            if old_type != new_type {
                replace = true;
                changes.push(PropertyChange {
                    name: "Type".into(),
                    is_attribute: true,
                    old: o.get("Type").cloned(),
                    new: n.get("Type").cloned(),
                    requires_replacement: true,
                    may_require_replacement: false,
                });
            }
            let (oo, no) = (o.as_object(), n.as_object());
            let empty = Map::new();
            let (oo, no) = (oo.unwrap_or(&empty), no.unwrap_or(&empty));
            // Properties first, then the other resource attributes.
            let old_props = object(oo.get("Properties"));
            let new_props = object(no.get("Properties"));
            let paths = new_type
                .as_deref()
                .map(|t| create_only.paths(t))
                .unwrap_or(&[]);
            let spec = super::replacement::ReplacementProperties::embedded();
            let mut maybe = false;
            for c in diff_maps(old_props, new_props) {
                let same_type = old_type == new_type;
                let from_spec = new_type.as_deref().and_then(|t| spec.of(t, &c.name));
                let requires_replacement = same_type
                    && (from_spec == Some(super::replacement::Replacement::Yes)
                        || paths.iter().any(|p| {
                            p.first() == Some(&c.name)
                                && values_at(old_props, p) != values_at(new_props, p)
                        }));
                let may_require_replacement = same_type
                    && !requires_replacement
                    && from_spec == Some(super::replacement::Replacement::Maybe);
                replace |= requires_replacement;
                maybe |= may_require_replacement;
                changes.push(PropertyChange {
                    name: c.name,
                    is_attribute: false,
                    old: c.old,
                    new: c.new,
                    requires_replacement,
                    may_require_replacement,
                });
            }
            for c in diff_maps(oo, no) {
                if c.name == "Type" || c.name == "Properties" {
                    continue;
                }
                changes.push(PropertyChange {
                    name: c.name,
                    is_attribute: true,
                    old: c.old,
                    new: c.new,
                    requires_replacement: false,
                    may_require_replacement: false,
                });
            }
            if replace {
                ResourceImpact::Replace
            } else if maybe {
                ResourceImpact::MayReplace
            } else {
                ResourceImpact::Update
            }
        }
    };
    Some(ResourceChange {
        logical_id: id.to_string(),
        old_type,
        new_type,
        path,
        impact,
        changes,
        old: old.cloned(),
        new: new.cloned(),
    })
}

/// The values found at a create-only path (`*` = every array element); absent values count as
/// `None` so that adding or removing a create-only property is a change too.
fn values_at<'a>(props: &'a Map<String, Value>, path: &[String]) -> Vec<Option<&'a Value>> {
    let Some((first, rest)) = path.split_first() else {
        return Vec::new();
    };
    let mut current: Vec<Option<&Value>> = vec![props.get(first)];
    for seg in rest {
        let mut next = Vec::new();
        for v in current {
            match (seg.as_str(), v) {
                ("*", Some(Value::Array(items))) => next.extend(items.iter().map(Some)),
                (key, Some(Value::Object(m))) if key != "*" => next.push(m.get(key)),
                _ => next.push(None),
            }
        }
        current = next;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bucket(props: Value) -> Value {
        json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": props}}})
    }

    #[test]
    fn identical_templates_have_no_differences() {
        let t = bucket(json!({"BucketName": "a"}));
        assert!(diff_templates(&t, &t).is_empty());
    }

    #[test]
    fn specification_replacements_show_as_cdk_shows_them() {
        let table = |keys: Value| {
            json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {
                "KeySchema": keys, "BillingMode": "PAY_PER_REQUEST"}}}})
        };
        let old = table(json!([{"AttributeName": "pk", "KeyType": "HASH"}]));
        let new = table(json!([
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"}
        ]));
        let d = diff_templates(&old, &new);
        let r = &d.resources[0];
        assert_eq!(r.impact, ResourceImpact::Replace);
        assert!(r.changes[0].requires_replacement);
        // A "maybe" of the specification.
        let instance = |t: &str| json!({"Resources": {"I": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": t}}}});
        let d = diff_templates(&instance("t3.micro"), &instance("t3.large"));
        assert_eq!(d.resources[0].impact, ResourceImpact::MayReplace);
        assert!(d.resources[0].changes[0].may_require_replacement);
        let mut text = Vec::new();
        crate::diff::write_template_diff(&mut text, &d, &Default::default()).unwrap();
        let text = anstream::adapter::strip_str(&String::from_utf8(text).unwrap()).to_string();
        assert!(text.contains("may be replaced"), "{text}");
        assert!(
            text.contains("InstanceType (may cause replacement)"),
            "{text}"
        );
    }

    #[test]
    fn create_only_change_requires_replacement() {
        let d = diff_templates(
            &bucket(json!({"BucketName": "a", "Tags": []})),
            &bucket(json!({"BucketName": "b", "Tags": [{"Key": "k", "Value": "v"}]})),
        );
        let r = d.resource("B").unwrap();
        assert_eq!(r.impact, ResourceImpact::Replace);
        let names: Vec<_> = r
            .changes
            .iter()
            .map(|c| (c.name.as_str(), c.requires_replacement))
            .collect();
        assert_eq!(names, [("BucketName", true), ("Tags", false)]);
    }

    #[test]
    fn nested_create_only_paths_and_wildcards() {
        let props = |v: &str| {
            let mut m = Map::new();
            m.insert("A".into(), json!({"B": [{"C": v}, {"C": "x"}]}));
            m
        };
        let path: Vec<String> = ["A", "B", "*", "C"].iter().map(|s| s.to_string()).collect();
        assert_eq!(values_at(&props("1"), &path), values_at(&props("1"), &path));
        assert_ne!(values_at(&props("1"), &path), values_at(&props("2"), &path));
        assert_eq!(values_at(&Map::new(), &path), vec![None]);
    }

    #[test]
    fn removed_with_retain_is_orphan() {
        let old =
            json!({"Resources": {"B": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}});
        let d = diff_templates(&old, &json!({}));
        assert_eq!(d.resource("B").unwrap().impact, ResourceImpact::Orphan);
    }

    #[test]
    fn type_change_is_replacement() {
        let old = json!({"Resources": {"X": {"Type": "AWS::SNS::Topic"}}});
        let new = json!({"Resources": {"X": {"Type": "AWS::SQS::Queue"}}});
        let r = diff_templates(&old, &new).resources.remove(0);
        assert_eq!(r.impact, ResourceImpact::Replace);
        assert_eq!(r.changes[0].name, "Type");
    }

    #[test]
    fn noise_filter_drops_cdk_metadata() {
        let new = json!({"Resources": {"CDKMetadata": {"Type": "AWS::CDK::Metadata"}},
            "Rules": {"CheckBootstrapVersion": {}}});
        assert!(!diff_templates(&json!({}), &new).is_empty());
        assert!(diff_templates(&json!({}), &new)
            .without_cdk_noise()
            .is_empty());
    }
}
