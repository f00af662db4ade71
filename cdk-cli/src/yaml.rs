//! YAML in and out (templates), through `serde-saphyr`.

use std::path::Path;

use serde_json::Value;

use crate::error::{CliError, Result};

/// Renders a JSON value as a YAML document (intrinsics stay in long form, e.g. `Fn::Join:`).
/// Long single-line strings are kept on one line (no folding), multi-line strings (inline code)
/// become literal blocks.
pub fn to_yaml(value: &Value) -> Result<String> {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.folded_wrap_chars = usize::MAX;
    // Sequences inside mappings are indented, as the cdk CLI's YAML (`Tags:` / `  - Key:`).
    options.compact_list_indent = false;
    serde_saphyr::to_string_with_options(value, options)
        .map_err(|e| CliError::YamlOut(e.to_string()))
}

/// Parses a template file: JSON first, then YAML. Errors name the file; a document that is not
/// an object (an array, a scalar, an empty file) is not a template.
pub fn read_template(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_template(&text, path)
}

/// Parses template text (JSON first, then YAML), e.g. a deployed template; `origin` names it in
/// errors. The document must be an object.
pub fn parse_template(text: &str, origin: &Path) -> Result<Value> {
    let value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(json_err) if text.trim_start().starts_with('{') => {
            return Err(CliError::Json {
                path: origin.to_path_buf(),
                source: json_err,
            })
        }
        Err(_) => serde_saphyr::from_str(text).map_err(|e| CliError::Yaml {
            path: origin.to_path_buf(),
            message: e.to_string(),
        })?,
    };
    require_template_object(value, origin)
}

/// `value` when it is a JSON object; otherwise an error naming `origin` and what was found.
pub fn require_template_object(value: Value, origin: &Path) -> Result<Value> {
    let found = match &value {
        Value::Object(_) => return Ok(value),
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "empty (null)",
    };
    Err(CliError::NotATemplate {
        path: origin.to_path_buf(),
        found: found.to_string(),
    })
}
