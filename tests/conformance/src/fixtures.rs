//! Fixtures: the official snapshot files of each ported test and where they came from.
//!
//! Layout: `fixtures/<module>/<test>/SOURCE.json` plus the snapshot's `*.template.json` files,
//! stored as published in `aws/aws-cdk` under
//! `packages/@aws-cdk-testing/framework-integ/test/<module>/test/<test>.js.snapshot/`.
//! `fixtures/recommended-flags.json` holds aws-cdk-lib's recommended feature flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The fixtures directory of this crate.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// One stored snapshot file.
#[derive(Clone, Debug)]
pub struct FixtureFile {
    /// File name in the fixture directory (= name in the snapshot).
    pub name: String,
    /// Path in the aws-cdk repository.
    pub source_path: String,
    /// Commit of aws/aws-cdk the file was read at.
    pub commit: String,
}

/// A ported test's fixture: `SOURCE.json` and its templates.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// Test ID, `<module>/<test>` (e.g. `aws-kms/integ.key`).
    pub test: String,
    /// Directory holding the files.
    pub dir: PathBuf,
    /// Templates to compare.
    pub templates: Vec<FixtureFile>,
    /// Other assembly files compared as text (CDK Pipelines' `<pipeline>.dot` graph).
    pub text_files: Vec<FixtureFile>,
    /// Context set on the app besides the feature flags (the test's own `App` context, flags the
    /// snapshot predates), from `SOURCE.json` `context`.
    pub context: BTreeMap<String, Value>,
    /// `full`, or `partial: <what is not ported and why>`.
    pub port: String,
    /// Where the feature flags came from.
    pub feature_flags: String,
    /// Snapshot elements that exist only because of the integ runner or an unported assertion
    /// stack (e.g. `Outputs.ExportsOutput…` consumed by `DeployAssert`): (template file,
    /// element path `Section.Key`), from `SOURCE.json` `integ_only`. They are removed from the
    /// snapshot before comparing.
    pub integ_only: Vec<(String, String)>,
}

/// Error text for a broken fixture.
fn bad(path: &Path, what: &str) -> String {
    format!("{}: {what}", path.display())
}

impl Fixture {
    /// Loads `fixtures/<test>/SOURCE.json`.
    pub fn load(test: &str) -> Result<Fixture, String> {
        let dir = fixtures_dir().join(test);
        let source_path = dir.join("SOURCE.json");
        let source = read_json(&source_path)?;
        let field = |name: &str| -> Result<&Value, String> {
            source
                .get(name)
                .ok_or_else(|| bad(&source_path, &format!("missing field `{name}`")))
        };
        let str_field = |name: &str| -> Result<String, String> {
            field(name)?
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| bad(&source_path, &format!("`{name}` must be a string")))
        };
        if str_field("test")? != test {
            return Err(bad(&source_path, &format!("`test` must be `{test}`")));
        }
        let mut templates = Vec::new();
        let mut text_files = Vec::new();
        for f in field("files")?
            .as_array()
            .ok_or_else(|| bad(&source_path, "`files` must be an array"))?
        {
            let get = |k: &str| {
                f.get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| bad(&source_path, &format!("each file needs a string `{k}`")))
            };
            let name = get("fixture")?;
            let file = FixtureFile {
                name: name.clone(),
                source_path: get("path")?,
                commit: get("commit")?,
            };
            if name.ends_with(".template.json") {
                templates.push(file);
            } else if name.ends_with(".dot") {
                text_files.push(file);
            }
        }
        if templates.is_empty() {
            return Err(bad(&source_path, "no *.template.json among `files`"));
        }
        let context = match source.get("context") {
            None => BTreeMap::new(),
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(_) => return Err(bad(&source_path, "`context` must be an object")),
        };
        let mut integ_only = Vec::new();
        if let Some(list) = source.get("integ_only") {
            for entry in list
                .as_array()
                .ok_or_else(|| bad(&source_path, "`integ_only` must be an array"))?
            {
                let get = |k: &str| {
                    entry
                        .get(k)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| {
                            bad(
                                &source_path,
                                &format!("each `integ_only` entry needs a string `{k}`"),
                            )
                        })
                };
                get("why")?;
                integ_only.push((get("file")?, get("element")?));
            }
        }
        Ok(Fixture {
            integ_only,
            test: test.to_string(),
            dir,
            templates,
            text_files,
            context,
            port: str_field("port")?,
            feature_flags: str_field("feature_flags")?,
        })
    }

    /// True for a partial port.
    pub fn is_partial(&self) -> bool {
        self.port != "full"
    }

    /// The stored snapshot template `name`, without its `integ_only` elements.
    pub fn template(&self, name: &str) -> Result<Value, String> {
        let mut t = read_json(&self.dir.join(name))?;
        for (file, element) in &self.integ_only {
            if file != name {
                continue;
            }
            let (section, key) = element.split_once('.').ok_or_else(|| {
                bad(
                    &self.dir.join("SOURCE.json"),
                    &format!("integ_only element `{element}` is not `Section.Key`"),
                )
            })?;
            let removed = t
                .get_mut(section)
                .and_then(Value::as_object_mut)
                .and_then(|m| m.shift_remove(key));
            if removed.is_none() {
                return Err(bad(
                    &self.dir.join(name),
                    &format!("integ_only element `{element}` is not in the template"),
                ));
            }
        }
        Ok(t)
    }
}

/// Reads and parses a JSON file.
pub fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| bad(path, &e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| bad(path, &e.to_string()))
}

/// aws-cdk-lib 2.276.0's recommended feature flags (`fixtures/recommended-flags.json`
/// `flags`): what aws-cdk's integ runner sets when a snapshot records no feature-flag report.
pub fn recommended_flags() -> Result<BTreeMap<String, Value>, String> {
    let path = fixtures_dir().join("recommended-flags.json");
    let v = read_json(&path)?;
    let flags = v
        .get("flags")
        .and_then(Value::as_object)
        .ok_or_else(|| bad(&path, "`flags` must be an object"))?;
    Ok(flags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}
