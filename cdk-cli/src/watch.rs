//! What `rcdk watch` observes, as `cdk watch`: the files under the project directory that
//! match cdk.json's `watch.include` (default `**`) and none of `watch.exclude` plus the cdk
//! CLI's default excludes (the output directory, dot files and directories, `node_modules`).
//! Changes are found by comparing [`Snapshot`]s (size and modification time per file); the
//! command polls and debounces ([`crate::commands::watch`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

use crate::assembly::glob;
use crate::context::CDK_JSON;
use crate::error::{CliError, Result};

/// The include and exclude patterns of one project (paths relative to its directory, `/`
/// separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchPatterns {
    /// The project directory (where cdk.json is).
    pub root: PathBuf,
    /// Files to observe.
    pub include: Vec<String>,
    /// Files and directories to ignore (the user's, then the defaults).
    pub exclude: Vec<String>,
}

fn patterns(value: Option<&Value>, path: &Path, field: &str) -> Result<Vec<String>> {
    let bad = || CliError::Config {
        path: path.to_path_buf(),
        field: format!("watch.{field}"),
        problem: "must be a string or a list of strings".into(),
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(bad))
            .filter(|p| p.as_ref().map_or(true, |p| !p.is_empty()))
            .collect(),
        Some(_) => Err(bad()),
    }
}

impl WatchPatterns {
    /// The patterns of the project in `root` (its cdk.json's `watch` key; an error naming the
    /// fix when there is none), with `output` (the assembly directory) excluded.
    pub fn load(root: &Path, output: &Path) -> Result<Self> {
        let path = root.join(CDK_JSON);
        let cdk_json: Option<Value> = if path.is_file() {
            Some(crate::assembly::read_json(&path)?)
        } else {
            None
        };
        let Some(watch) = cdk_json.as_ref().and_then(|c| c.get("watch")) else {
            return Err(CliError::Config {
                path,
                field: "watch".into(),
                problem: "Cannot use the 'watch' command without specifying at least one directory to monitor. Make sure to add a \"watch\" key to your cdk.json (e.g. \"watch\": {\"include\": [\"src/**\"], \"exclude\": [\"target\"]})".into(),
            });
        };
        let mut include = patterns(watch.get("include"), &path, "include")?;
        if include.is_empty() {
            include.push("**".into());
        }
        let mut exclude = patterns(watch.get("exclude"), &path, "exclude")?;
        let output = output.strip_prefix(root).unwrap_or(output);
        let output = output.to_string_lossy().replace('\\', "/");
        exclude.extend([
            format!("{}/**", output.trim_end_matches('/')),
            "**/.*".into(),
            "**/.*/**".into(),
            "**/node_modules/**".into(),
        ]);
        Ok(WatchPatterns {
            root: root.to_path_buf(),
            include,
            exclude,
        })
    }

    /// Whether the relative path `rel` matches `pattern` (a leading `**/` also matches no
    /// directory, a trailing `/**` also the directory itself, as picomatch does).
    pub fn matches(pattern: &str, rel: &str) -> bool {
        let pattern = pattern.trim_start_matches("./");
        if glob::matches(pattern, rel) {
            return true;
        }
        if let Some(rest) = pattern.strip_prefix("**/") {
            if Self::matches(rest, rel) {
                return true;
            }
        }
        if let Some(base) = pattern.strip_suffix("/**") {
            if glob::matches(base, rel) {
                return true;
            }
        }
        false
    }

    /// Whether `rel` is excluded.
    pub fn excluded(&self, rel: &str) -> bool {
        self.exclude.iter().any(|p| Self::matches(p, rel))
    }

    /// Whether the file `rel` is observed.
    pub fn observed(&self, rel: &str) -> bool {
        !self.excluded(rel) && self.include.iter().any(|p| Self::matches(p, rel))
    }

    /// The observed files now. Excluded directories are not entered.
    pub fn snapshot(&self) -> Snapshot {
        let mut files = BTreeMap::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                let rel = relative(&self.root, e.path());
                rel.is_empty() || !(e.file_type().is_dir() && self.excluded(&rel))
            });
        for entry in walker.filter_map(|e| e.ok()) {
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = relative(&self.root, entry.path());
            if !self.observed(&rel) {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                files.insert(rel, (meta.len(), meta.modified().ok()));
            }
        }
        Snapshot { files }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The observed files at one moment: size and modification time by relative path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// (size, modified) by path.
    pub files: BTreeMap<String, (u64, Option<SystemTime>)>,
}

/// How a file changed between two snapshots (named as `cdk watch` names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A new file.
    Add,
    /// A changed file.
    Change,
    /// A removed file.
    Unlink,
}

impl ChangeKind {
    /// `add`, `change` or `unlink`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Add => "add",
            ChangeKind::Change => "change",
            ChangeKind::Unlink => "unlink",
        }
    }
}

impl Snapshot {
    /// The files that differ from `before`, by path.
    pub fn changes_since(&self, before: &Snapshot) -> Vec<(String, ChangeKind)> {
        let mut out = Vec::new();
        for (path, meta) in &self.files {
            match before.files.get(path) {
                None => out.push((path.clone(), ChangeKind::Add)),
                Some(m) if m != meta => out.push((path.clone(), ChangeKind::Change)),
                Some(_) => {}
            }
        }
        for path in before.files.keys() {
            if !self.files.contains_key(path) {
                out.push((path.clone(), ChangeKind::Unlink));
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(watch: &str) -> (tempfile::TempDir, WatchPatterns) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("cdk.json"),
            format!("{{\"app\": \"x\", \"watch\": {watch}}}"),
        )
        .unwrap();
        let patterns = WatchPatterns::load(dir.path(), &dir.path().join("cdk.out")).unwrap();
        (dir, patterns)
    }

    #[test]
    fn defaults_are_the_cdk_clis() {
        let (_dir, p) = project("{\"exclude\": [\"target\"]}");
        assert_eq!(p.include, ["**"]);
        assert_eq!(
            p.exclude,
            [
                "target",
                "cdk.out/**",
                "**/.*",
                "**/.*/**",
                "**/node_modules/**"
            ]
        );
        assert!(p.observed("src/main.rs"));
        assert!(p.observed("Cargo.toml"));
        for ignored in [
            "cdk.out/manifest.json",
            ".git/HEAD",
            "src/.hidden",
            "a/node_modules/x.js",
            "target",
        ] {
            assert!(!p.observed(ignored), "{ignored}");
        }
        assert!(p.excluded("target") && p.excluded("cdk.out") && p.excluded(".git"));
    }

    #[test]
    fn includes_limit_what_is_observed_and_snapshots_find_changes() {
        let (dir, p) = project("{\"include\": [\"src/**\"], \"exclude\": [\"target\"]}");
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), "fn main() {}").unwrap();
        std::fs::write(dir.path().join("target/debug/app"), "bin").unwrap();
        std::fs::write(dir.path().join("README.md"), "hi").unwrap();
        let before = p.snapshot();
        assert_eq!(before.files.keys().collect::<Vec<_>>(), ["src/main.rs"]);
        std::fs::write(dir.path().join("src/main.rs"), "fn main() { println!(); }").unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), "").unwrap();
        std::fs::write(dir.path().join("target/debug/app"), "bin2").unwrap();
        let after = p.snapshot();
        assert_eq!(
            after.changes_since(&before),
            [
                ("src/lib.rs".to_string(), ChangeKind::Add),
                ("src/main.rs".to_string(), ChangeKind::Change)
            ]
        );
        std::fs::remove_file(dir.path().join("src/lib.rs")).unwrap();
        assert_eq!(p.snapshot().changes_since(&after)[0].1, ChangeKind::Unlink);
    }

    #[test]
    fn a_project_without_watch_settings_is_an_error_naming_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cdk.json"), "{\"app\": \"x\"}").unwrap();
        let e = WatchPatterns::load(dir.path(), &dir.path().join("cdk.out")).unwrap_err();
        assert!(
            e.to_string()
                .contains("add a \"watch\" key to your cdk.json"),
            "{e}"
        );
    }
}
