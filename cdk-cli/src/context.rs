//! Project settings: `cdk.json`, `cdk.context.json` and the command-line overrides.
//!
//! Context precedence (lowest first): `cdk.context.json` < `context` in `cdk.json` < `-c KEY=VALUE`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::cli::GlobalOpts;
use crate::error::{CliError, Result};

/// The project settings file read from the current directory.
pub const CDK_JSON: &str = "cdk.json";
/// The cached context file (lookups) read from the current directory.
pub const CDK_CONTEXT_JSON: &str = "cdk.context.json";
/// The default output directory.
pub const DEFAULT_OUTPUT: &str = "cdk.out";

/// The effective settings of one invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The app: a command, or an assembly directory (see [`crate::app_exec::AppSource`]).
    pub app: Option<String>,
    /// The output directory, absolute.
    pub output: PathBuf,
    /// All context values handed to the app: the user's ([`Settings::user_context`]) plus the
    /// defaults the cdk CLI passes ([`default_context`]).
    pub context: Map<String, Value>,
    /// The user's context values (cdk.context.json, cdk.json's `context`, `-c`), merged by
    /// precedence.
    pub user: Map<String, Value>,
    /// The AWS profile, if one was given.
    pub profile: Option<String>,
}

impl Settings {
    /// Reads `cdk.json` and `cdk.context.json` from `cwd` (when present) and applies `opts`.
    pub fn load(cwd: &Path, opts: &GlobalOpts) -> Result<Self> {
        let cdk_json = read_json_object(&cwd.join(CDK_JSON))?;
        let cached = read_json_object(&cwd.join(CDK_CONTEXT_JSON))?;

        let mut context = cached.unwrap_or_default();
        let mut app = None;
        let mut output = None;
        if let Some(cfg) = &cdk_json {
            let path = cwd.join(CDK_JSON);
            app = string_field(&path, cfg, "app")?;
            output = string_field(&path, cfg, "output")?;
            match cfg.get("context") {
                None | Some(Value::Null) => {}
                Some(Value::Object(c)) => context.extend(c.clone()),
                Some(_) => {
                    return Err(CliError::Config {
                        path,
                        field: "context".into(),
                        problem: "must be an object".into(),
                    })
                }
            }
        }
        for arg in &opts.context {
            let (key, value) = parse_context_arg(arg)?;
            context.insert(key, Value::String(value));
        }
        let user = context.clone();
        let switches = Switches::from_config(cdk_json.as_ref(), opts);
        context.extend(default_context(&switches));

        let output = opts
            .output
            .clone()
            .or_else(|| output.map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUTPUT));
        Ok(Settings {
            app: opts.app.clone().or(app),
            output: absolute(cwd, &output),
            context,
            user,
            profile: opts.profile.clone(),
        })
    }

    /// The user's context values (without the CLI's defaults).
    pub fn user_context(&self) -> Map<String, Value> {
        self.user.clone()
    }
}

/// The cdk.json switches (and command-line flags) behind the default context.
#[derive(Debug, Clone, PartialEq)]
pub struct Switches {
    /// `pathMetadata` (default true): `aws:cdk:path` metadata on resources.
    pub path_metadata: bool,
    /// `assetMetadata` (default true): `aws:asset:*` metadata on resources that use assets.
    pub asset_metadata: bool,
    /// `versionReporting` (default true): the `AWS::CDK::Metadata` resource.
    pub version_reporting: bool,
    /// `staging` (default true): copy assets into the assembly.
    pub staging: bool,
    /// `bundlingStacks` (default `["**"]`): the stacks whose assets are bundled.
    pub bundling_stacks: Value,
}

impl Switches {
    /// From cdk.json (`pathMetadata`, `assetMetadata`, `versionReporting`, `staging`,
    /// `bundlingStacks`) and the `--no-*` flags (which win).
    pub fn from_config(cdk_json: Option<&Map<String, Value>>, opts: &GlobalOpts) -> Self {
        let flag = |name: &str| {
            cdk_json
                .and_then(|c| c.get(name))
                .and_then(Value::as_bool)
                .unwrap_or(true)
        };
        Switches {
            path_metadata: flag("pathMetadata") && !opts.no_path_metadata,
            asset_metadata: flag("assetMetadata") && !opts.no_asset_metadata,
            version_reporting: flag("versionReporting") && !opts.no_version_reporting,
            staging: flag("staging"),
            bundling_stacks: cdk_json
                .and_then(|c| c.get("bundlingStacks"))
                .filter(|v| v.is_array())
                .cloned()
                .unwrap_or_else(|| Value::Array(vec![Value::String("**".into())])),
        }
    }
}

/// The context the cdk CLI adds to every synthesis (aws-cdk 2.1148 `contextFromSettings`); it
/// wins over the user's values for the same keys.
pub fn default_context(s: &Switches) -> Map<String, Value> {
    let mut c = Map::new();
    if s.path_metadata {
        c.insert("aws:cdk:enable-path-metadata".into(), Value::Bool(true));
    }
    if s.asset_metadata {
        c.insert("aws:cdk:enable-asset-metadata".into(), Value::Bool(true));
    }
    if s.version_reporting {
        c.insert("aws:cdk:version-reporting".into(), Value::Bool(true));
    } else {
        c.insert(
            "aws:cdk:disable-version-reporting".into(),
            Value::Bool(true),
        );
    }
    if !s.staging {
        c.insert("aws:cdk:disable-asset-staging".into(), Value::Bool(true));
    }
    c.insert("aws:cdk:bundling-stacks".into(), s.bundling_stacks.clone());
    c.insert(
        "@aws-cdk/core:failSynthOnValidationErrors".into(),
        Value::Bool(false),
    );
    c
}

/// Splits a `-c` argument at its first `=`; the key must not be empty.
pub fn parse_context_arg(arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(CliError::ContextArg(arg.to_string())),
    }
}

/// `path` made absolute against `cwd` (no symlink resolution).
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

/// Reads an optional JSON object file: `None` when the file does not exist.
fn read_json_object(path: &Path) -> Result<Option<Map<String, Value>>> {
    if !path.exists() {
        return Ok(None);
    }
    match crate::assembly::read_json(path)? {
        Value::Object(map) => Ok(Some(map)),
        _ => Err(CliError::Config {
            path: path.to_path_buf(),
            field: "(root)".into(),
            problem: "must be a JSON object".into(),
        }),
    }
}

fn string_field(path: &Path, obj: &Map<String, Value>, field: &str) -> Result<Option<String>> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CliError::Config {
            path: path.to_path_buf(),
            field: field.into(),
            problem: "must be a string".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_arg_splits_at_first_equals() {
        assert_eq!(
            parse_context_arg("a=b=c").unwrap(),
            ("a".to_string(), "b=c".to_string())
        );
        assert_eq!(
            parse_context_arg("k=").unwrap(),
            ("k".to_string(), String::new())
        );
        assert!(parse_context_arg("novalue").is_err());
        assert!(parse_context_arg("=v").is_err());
    }

    #[test]
    fn precedence_cached_then_cdk_json_then_args() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CDK_CONTEXT_JSON),
            r#"{"a":"cached","b":"cached","c":"cached"}"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join(CDK_JSON),
            r#"{"app":"echo","output":"out","context":{"b":"json","c":"json"}}"#,
        )
        .unwrap();
        let opts = GlobalOpts {
            context: vec!["c=arg".into()],
            ..Default::default()
        };
        let s = Settings::load(dir.path(), &opts).unwrap();
        assert_eq!(s.context["a"], "cached");
        assert_eq!(s.context["b"], "json");
        assert_eq!(s.context["c"], "arg");
        assert_eq!(s.context["aws:cdk:enable-path-metadata"], true);
        assert_eq!(s.context["aws:cdk:version-reporting"], true);
        assert_eq!(
            s.context["aws:cdk:bundling-stacks"],
            serde_json::json!(["**"])
        );
        assert!(!s
            .user_context()
            .contains_key("aws:cdk:enable-path-metadata"));
        assert_eq!(s.app.as_deref(), Some("echo"));
        assert_eq!(s.output, dir.path().join("out"));
    }

    #[test]
    fn cdk_json_switches_turn_defaults_off() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CDK_JSON),
            r#"{"app":"x","pathMetadata":false,"versionReporting":false,"assetMetadata":false}"#,
        )
        .unwrap();
        let s = Settings::load(dir.path(), &GlobalOpts::default()).unwrap();
        assert!(!s.context.contains_key("aws:cdk:enable-path-metadata"));
        assert!(!s.context.contains_key("aws:cdk:enable-asset-metadata"));
        assert!(!s.context.contains_key("aws:cdk:version-reporting"));
        assert_eq!(s.context["aws:cdk:disable-version-reporting"], true);
        let opts = GlobalOpts {
            no_path_metadata: true,
            ..Default::default()
        };
        std::fs::write(dir.path().join(CDK_JSON), r#"{"app":"x"}"#).unwrap();
        let s = Settings::load(dir.path(), &opts).unwrap();
        assert!(!s.context.contains_key("aws:cdk:enable-path-metadata"));
        assert_eq!(s.context["aws:cdk:enable-asset-metadata"], true);
    }

    #[test]
    fn bad_field_names_file_and_field() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CDK_JSON), r#"{"app": 3}"#).unwrap();
        let err = Settings::load(dir.path(), &GlobalOpts::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("cdk.json") && err.contains("`app`"), "{err}");
    }
}
