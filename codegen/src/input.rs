//! The vendored schema input: one gzip-compressed JSON document holding the CloudFormation
//! registry schema of every resource type that pip `cfn-lint` bundles for `us-east-1`.
//!
//! Layout of `codegen/schemas/cfn-lint-<version>.json.gz`:
//! `{"source": "...", "cfnLintVersion": "1.51.0", "region": "us-east-1",
//!   "resourceTypes": {"AWS::S3::Bucket": {<schema>}, ...}}`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value as J;

/// The region whose provider list is vendored (the largest; resource schemas are global).
pub const REGION: &str = "us_east_1";

/// The parsed schema input.
#[derive(Debug, Clone)]
pub struct Input {
    /// The cfn-lint version the schemas come from.
    pub cfn_lint_version: String,
    /// Resource type name → registry schema.
    pub resource_types: BTreeMap<String, J>,
}

/// The directory holding the vendored input (`codegen/schemas`).
pub fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// The vendored input file: the single `cfn-lint-*.json.gz` in [`schemas_dir`].
pub fn vendored_file() -> Result<PathBuf, String> {
    let dir = schemas_dir();
    let mut found: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cfn-lint-") && n.ends_with(".json.gz"))
        })
        .collect();
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(format!("no cfn-lint-*.json.gz in {}", dir.display())),
        _ => Err(format!(
            "more than one cfn-lint-*.json.gz in {}: keep exactly one",
            dir.display()
        )),
    }
}

/// Loads the vendored input.
pub fn load_vendored() -> Result<Input, String> {
    let path = vendored_file()?;
    let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses a gzip-compressed input document.
pub fn parse(gz: &[u8]) -> Result<Input, String> {
    let mut text = String::new();
    GzDecoder::new(gz)
        .read_to_string(&mut text)
        .map_err(|e| format!("gunzip: {e}"))?;
    let doc: J = serde_json::from_str(&text).map_err(|e| format!("JSON: {e}"))?;
    let cfn_lint_version = doc["cfnLintVersion"]
        .as_str()
        .ok_or("missing cfnLintVersion")?
        .to_string();
    let resource_types = doc["resourceTypes"]
        .as_object()
        .ok_or("missing resourceTypes")?
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Input {
        cfn_lint_version,
        resource_types,
    })
}

/// Reads cfn-lint's bundled schemas from `schemas_dir` (`.../cfnlint/data/schemas`) and
/// returns the vendored document, gzip-compressed, and the cfn-lint version.
///
/// The version is read from `cfnlint/version.py` next to the data directory unless given.
pub fn vendor(schemas_dir: &Path, version: Option<&str>) -> Result<(Vec<u8>, String), String> {
    let version = match version {
        Some(v) => v.to_string(),
        None => {
            let file = schemas_dir.join("../../version.py");
            let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            text.lines()
                .find_map(|l| l.trim().strip_prefix("__version__ = "))
                .map(|v| v.trim_matches(|c| c == '"' || c == '\'').to_string())
                .ok_or_else(|| format!("{}: no __version__", file.display()))?
        }
    };
    let providers = schemas_dir.join(format!("providers/{REGION}.py"));
    let text =
        fs::read_to_string(&providers).map_err(|e| format!("{}: {e}", providers.display()))?;
    let mut types = serde_json::Map::new();
    let mut names: Vec<(String, String)> = text
        .lines()
        .filter_map(|line| {
            // `    "AWS::S3::Bucket": "48d4aec56c00d69f",`
            let line = line.trim().strip_suffix(',')?;
            let (name, hash) = line.split_once(": ")?;
            let name = name.strip_prefix('"')?.strip_suffix('"')?;
            let hash = hash.strip_prefix('"')?.strip_suffix('"')?;
            hash.chars()
                .all(|c| c.is_ascii_hexdigit())
                .then(|| (name.to_string(), hash.to_string()))
        })
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("{}: no resource types found", providers.display()));
    }
    for (name, hash) in names {
        let file = schemas_dir.join(format!("resources/{hash}.json"));
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let schema: J =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        types.insert(name, sort_keys(schema));
    }
    let doc = serde_json::json!({
        "source": format!(
            "pip cfn-lint {version}: cfnlint/data/schemas/providers/{REGION}.py + resources/<hash>.json"
        ),
        "cfnLintVersion": version,
        "region": REGION.replace('_', "-"),
        "resourceTypes": types,
    });
    let json = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    // No file name or timestamp in the gzip header: the output is reproducible.
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&json).map_err(|e| e.to_string())?;
    Ok((enc.finish().map_err(|e| e.to_string())?, version))
}

fn sort_keys(v: J) -> J {
    match v {
        J::Object(map) => {
            let sorted: BTreeMap<String, J> =
                map.into_iter().map(|(k, v)| (k, sort_keys(v))).collect();
            J::Object(sorted.into_iter().collect())
        }
        J::Array(items) => J::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}
