//! Create-only properties per resource type (a change to one means the resource is replaced).
//!
//! The data is generated from the CloudFormation resource schemas bundled with cfn-lint by
//! `cdk-cli/data/gen-create-only.py`, committed as `data/create-only-properties.json`, embedded in
//! the binary and parsed on first use only (so commands that never diff pay nothing).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("../../data/create-only-properties.json");

/// Create-only property paths for every known resource type.
#[derive(Debug)]
pub struct CreateOnlyProperties {
    source: String,
    types: HashMap<String, Vec<Vec<String>>>,
}

#[derive(Deserialize)]
struct Raw {
    source: String,
    types: HashMap<String, Vec<String>>,
}

impl CreateOnlyProperties {
    /// Parses data in the format of `data/create-only-properties.json`.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let raw: Raw = serde_json::from_str(json)?;
        let types = raw
            .types
            .into_iter()
            .map(|(t, paths)| {
                let paths = paths
                    .iter()
                    .filter_map(|p| p.strip_prefix("/properties/"))
                    .map(|p| p.split('/').map(str::to_string).collect())
                    .collect();
                (t, paths)
            })
            .collect();
        Ok(CreateOnlyProperties {
            source: raw.source,
            types,
        })
    }

    /// The embedded data set (parsed once, on first call).
    pub fn embedded() -> &'static CreateOnlyProperties {
        static CELL: OnceLock<CreateOnlyProperties> = OnceLock::new();
        CELL.get_or_init(|| {
            // The embedded file is checked by a unit test; an unparsable one degrades to "no
            // create-only data" rather than aborting a diff.
            CreateOnlyProperties::parse(DATA).unwrap_or_else(|_| CreateOnlyProperties {
                source: "unavailable".into(),
                types: HashMap::new(),
            })
        })
    }

    /// Where the data came from, e.g. `cfn-lint 1.51.0`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The create-only property paths of `resource_type`, each split into segments below
    /// `Properties` (`*` = every array element). Empty for unknown types.
    pub fn paths(&self, resource_type: &str) -> &[Vec<String>] {
        self.types
            .get(resource_type)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of resource types with create-only properties.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether there is no data at all.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses_and_has_common_types() {
        let db = CreateOnlyProperties::parse(DATA).expect("embedded data parses");
        assert!(db.source().starts_with("cfn-lint "));
        assert!(db.len() > 1000);
        assert!(db
            .paths("AWS::S3::Bucket")
            .contains(&vec!["BucketName".to_string()]));
        assert!(db
            .paths("AWS::EC2::SecurityGroup")
            .contains(&vec!["GroupDescription".to_string()]));
        assert!(db.paths("Custom::Thing").is_empty());
        assert_eq!(CreateOnlyProperties::embedded().len(), db.len());
    }
}
