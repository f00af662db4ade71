//! Which top-level property changes replace a resource, from the data the cdk CLI's diff uses:
//! the `causesReplacement` field (`yes` / `maybe`) of npm `@aws-cdk/aws-service-spec`, derived
//! by `cdk-cli/data/gen-replacement.py` into `data/replacement-properties.json`, embedded and
//! parsed on first use. The create-only data ([`super::create_only`]) adds nested paths.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("../../data/replacement-properties.json");

/// What changing a property does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    /// The resource is replaced.
    Yes,
    /// The resource may be replaced (depending on the values).
    Maybe,
}

#[derive(Deserialize, Default)]
struct Entry {
    #[serde(default)]
    yes: Vec<String>,
    #[serde(default)]
    maybe: Vec<String>,
}

/// Replacement properties per resource type.
pub struct ReplacementProperties {
    source: String,
    types: HashMap<String, Entry>,
}

#[derive(Deserialize)]
struct Raw {
    source: String,
    types: HashMap<String, Entry>,
}

impl ReplacementProperties {
    /// Parses data in the format of `data/replacement-properties.json`.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let raw: Raw = serde_json::from_str(json)?;
        Ok(ReplacementProperties {
            source: raw.source,
            types: raw.types,
        })
    }

    /// The embedded data (parsed once).
    pub fn embedded() -> &'static ReplacementProperties {
        static CELL: OnceLock<ReplacementProperties> = OnceLock::new();
        CELL.get_or_init(|| {
            ReplacementProperties::parse(DATA).unwrap_or(ReplacementProperties {
                source: "unavailable".into(),
                types: HashMap::new(),
            })
        })
    }

    /// Where the data came from, e.g. `@aws-cdk/aws-service-spec 0.1.216`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of resource types with replacement properties.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether there is no data.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// What a change of `property` of `resource_type` does (`None`: an update in place).
    pub fn of(&self, resource_type: &str, property: &str) -> Option<Replacement> {
        let entry = self.types.get(resource_type)?;
        if entry.yes.iter().any(|p| p == property) {
            Some(Replacement::Yes)
        } else if entry.maybe.iter().any(|p| p == property) {
            Some(Replacement::Maybe)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replacements users meet, as the resource specification lists them.
    #[test]
    fn known_replacements() {
        let db = ReplacementProperties::parse(DATA).expect("embedded data parses");
        assert!(db.source().starts_with("@aws-cdk/aws-service-spec "));
        assert!(db.len() > 1000);
        for (t, p) in [
            ("AWS::DynamoDB::Table", "KeySchema"),
            ("AWS::DynamoDB::Table", "TableName"),
            ("AWS::S3::Bucket", "BucketName"),
            ("AWS::Lambda::Function", "FunctionName"),
            ("AWS::IAM::Role", "RoleName"),
            ("AWS::IAM::Role", "Path"),
            ("AWS::SQS::Queue", "QueueName"),
            ("AWS::SQS::Queue", "FifoQueue"),
            ("AWS::SNS::Topic", "TopicName"),
            ("AWS::EC2::Instance", "ImageId"),
            ("AWS::RDS::DBInstance", "DBInstanceIdentifier"),
        ] {
            assert_eq!(db.of(t, p), Some(Replacement::Yes), "{t} {p}");
        }
        assert_eq!(
            db.of("AWS::EC2::Instance", "InstanceType"),
            Some(Replacement::Maybe)
        );
        assert_eq!(db.of("AWS::Lambda::Function", "MemorySize"), None);
        assert_eq!(db.of("AWS::DynamoDB::Table", "BillingMode"), None);
        assert_eq!(db.of("Custom::Thing", "X"), None);
    }
}
