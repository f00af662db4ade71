//! docs/coverage.md cannot go stale: every row's status is checked against this crate's
//! sources, and every construct this crate defines must have a row.
//!
//! A row `| Name | done |` or `| Name | partial | what is missing |` needs a public type `Name`
//! (struct, enum or trait) in the section's module; `| Name | absent |` needs there to be none.
//! Every public struct of an L2 module with a `new(scope, id, …)` constructor must be a row of
//! its module's section.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

struct Row {
    name: String,
    status: String,
    missing: String,
    line: usize,
}

/// Sections of the document: module name -> rows.
fn parse(doc: &str) -> BTreeMap<String, Vec<Row>> {
    let mut sections: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (index, line) in doc.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = heading
                .split("`cdk_constructs::")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string);
            if let Some(module) = &current {
                sections.entry(module.clone()).or_default();
            }
            continue;
        }
        let Some(module) = &current else { continue };
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if !line.trim_start().starts_with('|') || cells.len() < 2 {
            continue;
        }
        if cells[0] == "aws-cdk-lib" || cells[0].starts_with("---") {
            continue;
        }
        sections.get_mut(module).unwrap().push(Row {
            name: cells[0].trim_matches('`').to_string(),
            status: cells[1].to_string(),
            missing: cells.get(2).copied().unwrap_or("").to_string(),
            line: index + 1,
        });
    }
    sections
}

/// The source files of module `module` (`src/<module>.rs` and `src/<module>/**.rs`; `a::b` is
/// `src/a/b.rs` and `src/a/b/**.rs`).
fn module_sources(src: &Path, module: &str) -> Vec<(PathBuf, String)> {
    let module = module.replace("::", "/");
    let mut files = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.is_file() {
        files.push(single);
    }
    let folder = src.join(module);
    if folder.is_dir() {
        rust_files(&folder, &mut files);
    }
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn defines(sources: &[(PathBuf, String)], name: &str) -> bool {
    let patterns = ["pub struct ", "pub enum ", "pub trait "];
    sources.iter().any(|(_, text)| {
        patterns.iter().any(|p| {
            text.match_indices(&format!("{p}{name}")).any(|(at, m)| {
                let next = text[at + m.len()..].chars().next();
                !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
    })
}

/// `Name` of an inherent `impl Name {` / `impl<T> Name<T> {` line (none for trait impls).
fn impl_target(rest: &str) -> Option<String> {
    if rest.contains(" for ") {
        return None;
    }
    let mut rest = rest.trim_start();
    if rest.starts_with('<') {
        rest = rest.split_once("> ").map(|(_, after)| after)?;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Public structs with a construct constructor `pub fn new(scope: …, id: &str, …)`.
fn constructs(sources: &[(PathBuf, String)]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (_, text) in sources {
        let mut current_impl: Option<String> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if let Some(rest) = line.strip_prefix("impl") {
                current_impl = impl_target(rest);
            }
            if trimmed.starts_with("pub fn new(") && trimmed.contains("scope") {
                if let Some(name) = &current_impl {
                    if defines(sources, name) {
                        found.insert(name.clone());
                    }
                }
            }
        }
    }
    found
}

#[test]
fn coverage_md_matches_the_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = fs::read_to_string(root.join("../docs/coverage.md")).expect("docs/coverage.md");
    let src = root.join("src");
    let sections = parse(&doc);
    assert!(
        sections.len() >= 15,
        "docs/coverage.md has {} service sections",
        sections.len()
    );
    let mut errors = Vec::new();
    for (module, rows) in &sections {
        let sources = module_sources(&src, module);
        for row in rows {
            let exists = defines(&sources, &row.name);
            match row.status.as_str() {
                "done" | "partial" if !exists => errors.push(format!(
                    "docs/coverage.md:{}: {} is `{}` but cdk_constructs::{module} defines no type {}",
                    row.line, row.name, row.status, row.name
                )),
                "partial" if row.missing.is_empty() => errors.push(format!(
                    "docs/coverage.md:{}: {} is partial: say what is missing",
                    row.line, row.name
                )),
                "absent" if exists => errors.push(format!(
                    "docs/coverage.md:{}: {} is `absent` but cdk_constructs::{module} defines it: update its row",
                    row.line, row.name
                )),
                "done" | "partial" | "absent" => {}
                other => errors.push(format!(
                    "docs/coverage.md:{}: unknown status `{other}` (done / partial / absent)",
                    row.line
                )),
            }
        }
        let listed: BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        for name in constructs(&sources) {
            if !listed.contains(name.as_str()) {
                errors.push(format!(
                    "cdk_constructs::{module}::{name} is a construct without a row in docs/coverage.md"
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
