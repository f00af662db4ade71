//! Text rendering of a [`TemplateDiff`], modelled on the cdk CLI's output.
//!
//! The output carries ANSI styles; the caller's writer decides whether they reach the user
//! (rcdk writes through `anstream`, which strips them when stdout is not a terminal or
//! `NO_COLOR` is set).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use super::engine::{
    ChangeKind, NamedChange, PropertyChange, ResourceChange, ResourceImpact, TemplateDiff,
    SECTIONS, TEMPLATE_ENTRIES,
};
use super::security_groups::Direction;
use super::table::{write_table, Row};

const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
/// Values whose one-line JSON is longer than this are shown as a line diff.
const SHORT: usize = 80;

/// Formatting options.
#[derive(Debug, Clone, Copy)]
pub struct FormatOptions {
    /// Lines of context around changes in line diffs.
    pub context_lines: usize,
    /// Only print the IAM and security group tables.
    pub security_only: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            context_lines: 3,
            security_only: false,
        }
    }
}

/// Writes the diff of one template (without a stack header). Writes nothing for an empty diff.
pub fn write_template_diff(
    w: &mut dyn Write,
    diff: &TemplateDiff,
    opts: &FormatOptions,
) -> io::Result<()> {
    // The cdk CLI's order: Template, security changes, Parameters, Metadata, Mappings,
    // Conditions, Resources, Outputs, Other Changes; in each section removals, then additions,
    // then updates.
    let is_template_entry = |c: &&NamedChange| TEMPLATE_ENTRIES.contains(&c.name.as_str());
    if !opts.security_only && diff.other.iter().any(|c| is_template_entry(&c)) {
        writeln!(w, "\n{BOLD}Template{BOLD:#}")?;
        for name in TEMPLATE_ENTRIES {
            if let Some(change) = diff.other.iter().find(|c| c.name == name) {
                write_named(w, name, change, opts)?;
            }
        }
    }
    write_security_changes(w, diff)?;
    if opts.security_only {
        return Ok(());
    }
    for (section, label) in SECTIONS {
        if section == "Outputs" {
            write_resources(w, &diff.resources, opts)?;
        }
        let changes = diff.section(section);
        if changes.is_empty() {
            continue;
        }
        writeln!(w, "\n{BOLD}{section}{BOLD:#}")?;
        for change in in_cdk_order(changes.iter()) {
            write_named(w, label, change, opts)?;
        }
    }
    let other: Vec<&NamedChange> = diff
        .other
        .iter()
        .filter(|c| !is_template_entry(c))
        .collect();
    if !other.is_empty() {
        writeln!(w, "\n{BOLD}Other Changes{BOLD:#}")?;
        for change in in_cdk_order(other.into_iter()) {
            write_named(w, "Unknown", change, opts)?;
        }
    }
    Ok(())
}

/// The construct path cdk shows for a logical ID: the path without its stack and without a
/// trailing `Resource` / `Default` (`Stack/Role/DefaultPolicy/Resource` → `Role/DefaultPolicy`).
pub fn normalized_path(path: &str) -> String {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if parts.len() <= 1 {
        return parts.join("/");
    }
    let mut rest = &parts[1..];
    if rest.len() > 1 && matches!(rest.last(), Some(&"Resource" | &"Default")) {
        rest = &rest[..rest.len() - 1];
    }
    rest.join("/")
}

/// Replaces every `${LogicalId...}` in `cell` by `${construct/path...}` when the path is known
/// (as cdk's tables show resources).
pub fn substitute_paths(cell: &str, paths: &std::collections::HashMap<String, String>) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (id, suffix) = match inner.find('.') {
            Some(dot) => (&inner[..dot], &inner[dot..]),
            None => (inner, ""),
        };
        let id = paths
            .get(id)
            .map(|p| normalized_path(p))
            .unwrap_or_else(|| id.to_string());
        out.push_str(&format!("${{{id}{suffix}}}"));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Writes the IAM statement, IAM policy and security group tables (those that have rows).
pub fn write_security_changes(w: &mut dyn Write, diff: &TemplateDiff) -> io::Result<()> {
    let iam = &diff.iam;
    let paths = |cells: Vec<String>| -> Vec<String> {
        cells
            .into_iter()
            .map(|c| substitute_paths(&c, &diff.paths))
            .collect()
    };
    let sign = |added: bool| {
        if added {
            ("+".to_string(), GREEN)
        } else {
            ("-".to_string(), RED)
        }
    };
    if !iam.statements_added.is_empty() || !iam.statements_removed.is_empty() {
        writeln!(w, "{BOLD}IAM Statement Changes{BOLD:#}")?;
        let rows: Vec<Row> = iam
            .statements_added
            .iter()
            .map(|s| (true, s))
            .chain(iam.statements_removed.iter().map(|s| (false, s)))
            .map(|(added, s)| {
                let (mark, style) = sign(added);
                Row {
                    cells: paths(vec![
                        mark,
                        s.resource.clone(),
                        s.effect.clone(),
                        s.action.clone(),
                        s.principal.clone(),
                        s.condition.clone(),
                    ]),
                    style,
                }
            })
            .collect();
        write_table(
            w,
            &["", "Resource", "Effect", "Action", "Principal", "Condition"],
            &rows,
        )?;
    }
    if !iam.managed_policies_added.is_empty() || !iam.managed_policies_removed.is_empty() {
        writeln!(w, "{BOLD}IAM Policy Changes{BOLD:#}")?;
        let rows: Vec<Row> = iam
            .managed_policies_added
            .iter()
            .map(|p| (true, p))
            .chain(iam.managed_policies_removed.iter().map(|p| (false, p)))
            .map(|(added, p)| {
                let (mark, style) = sign(added);
                Row {
                    cells: paths(vec![mark, p.resource.clone(), p.arn.clone()]),
                    style,
                }
            })
            .collect();
        write_table(w, &["", "Resource", "Managed Policy ARN"], &rows)?;
    }
    let sg = &diff.security_groups;
    if !sg.is_empty() {
        writeln!(w, "{BOLD}Security Group Changes{BOLD:#}")?;
        let rows: Vec<Row> = sg
            .added
            .iter()
            .map(|r| (true, r))
            .chain(sg.removed.iter().map(|r| (false, r)))
            .map(|(added, r)| {
                let (mark, style) = sign(added);
                let dir = match r.direction {
                    Direction::In => "In",
                    Direction::Out => "Out",
                };
                Row {
                    cells: paths(vec![
                        mark,
                        r.group.clone(),
                        dir.into(),
                        r.protocol.clone(),
                        r.peer.clone(),
                    ]),
                    style,
                }
            })
            .collect();
        write_table(w, &["", "Group", "Dir", "Protocol", "Peer"], &rows)?;
    }
    if !iam.is_empty() || !sg.is_empty() {
        writeln!(
            w,
            "(NOTE: There may be security-related changes not in this list. See https://github.com/aws/aws-cdk/issues/1299)"
        )?;
    }
    Ok(())
}

fn marker(kind: ChangeKind) -> String {
    match kind {
        ChangeKind::Added => format!("{GREEN}[+]{GREEN:#}"),
        ChangeKind::Removed => format!("{RED}[-]{RED:#}"),
        ChangeKind::Modified => format!("{YELLOW}[~]{YELLOW:#}"),
    }
}

fn write_named(
    w: &mut dyn Write,
    label: &str,
    change: &NamedChange,
    opts: &FormatOptions,
) -> io::Result<()> {
    let kind = change.kind();
    let title = if label.is_empty() {
        change.name.clone()
    } else {
        format!("{label} {}", change.name)
    };
    match kind {
        ChangeKind::Added | ChangeKind::Removed => {
            let value = change.new.as_ref().or(change.old.as_ref());
            let text = value.map(one_line).unwrap_or_default();
            writeln!(w, "{} {title}: {text}", marker(kind))
        }
        // One line, as the cdk CLI shows every entry outside Resources.
        ChangeKind::Modified => {
            let _ = opts;
            let old = change.old.as_ref().map(one_line).unwrap_or_default();
            let new = change.new.as_ref().map(one_line).unwrap_or_default();
            writeln!(
                w,
                "{} {title}: {RED}{old}{RED:#} to {GREEN}{new}{GREEN:#}",
                marker(kind)
            )
        }
    }
}

/// Removals, then additions, then updates (each in template order), as the cdk CLI lists a
/// section.
fn in_cdk_order<'a>(changes: impl Iterator<Item = &'a NamedChange>) -> Vec<&'a NamedChange> {
    let mut all: Vec<&NamedChange> = changes.collect();
    all.sort_by_key(|c| match c.kind() {
        ChangeKind::Removed => 0,
        ChangeKind::Added => 1,
        ChangeKind::Modified => 2,
    });
    all
}

/// The construct path relative to its stack, without a trailing `/Resource` (as cdk shows it).
fn short_path(path: &str) -> &str {
    let rel = path.split_once('/').map(|(_, r)| r).unwrap_or(path);
    rel.strip_suffix("/Resource").unwrap_or(rel)
}

fn write_resources(
    w: &mut dyn Write,
    resources: &[ResourceChange],
    opts: &FormatOptions,
) -> io::Result<()> {
    if resources.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{BOLD}Resources{BOLD:#}")?;
    // Removals, then additions, then updates, as the cdk CLI lists them.
    let mut resources: Vec<&ResourceChange> = resources.iter().collect();
    resources.sort_by_key(|r| match r.kind() {
        ChangeKind::Removed => 0,
        ChangeKind::Added => 1,
        ChangeKind::Modified => 2,
    });
    for r in resources {
        let path = r
            .path
            .as_deref()
            .map(|p| format!("{DIM}{}{DIM:#} ", short_path(p)))
            .unwrap_or_default();
        let impact = match r.impact {
            ResourceImpact::Create | ResourceImpact::Update => String::new(),
            ResourceImpact::Replace => format!(" {RED}replace{RED:#}"),
            ResourceImpact::MayReplace => format!(" {YELLOW}may be replaced{YELLOW:#}"),
            ResourceImpact::Destroy => format!(" {RED}destroy{RED:#}"),
            ResourceImpact::Orphan => format!(" {YELLOW}orphan{YELLOW:#}"),
        };
        writeln!(
            w,
            "{} {} {path}{}{impact}",
            marker(r.kind()),
            r.resource_type(),
            r.logical_id
        )?;
        // Properties by name, then the other attributes by name (as the cdk CLI).
        let mut changes: Vec<&PropertyChange> = r.changes.iter().collect();
        changes.sort_by(|a, b| (a.is_attribute, &a.name).cmp(&(b.is_attribute, &b.name)));
        for (i, c) in changes.iter().enumerate() {
            let last = i + 1 == changes.len();
            write_property(w, c, last, opts)?;
        }
    }
    Ok(())
}

fn write_property(
    w: &mut dyn Write,
    c: &PropertyChange,
    last: bool,
    opts: &FormatOptions,
) -> io::Result<()> {
    let (branch, cont) = tree_glyphs(last);
    let note = if c.requires_replacement {
        format!(" {RED}(requires replacement){RED:#}")
    } else if c.may_require_replacement {
        format!(" {YELLOW}(may cause replacement){YELLOW:#}")
    } else {
        String::new()
    };
    writeln!(w, " {branch}{} {}{note}", marker(c.kind()), c.name)?;
    let _ = cont;
    write_value_change(
        w,
        &format!(" {}   ", rail(last)),
        c.old.as_ref(),
        c.new.as_ref(),
        opts,
    )
}

/// Writes old → new for one value as tree children drawn at `indent`: `[-] old` / `[+] new`
/// for short scalars, one child per changed key when both are objects, otherwise a line diff
/// (JSON documents pretty-printed, strings split into lines).
fn write_value_change(
    w: &mut dyn Write,
    indent: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    opts: &FormatOptions,
) -> io::Result<()> {
    if let (Some(Value::Object(o)), Some(Value::Object(n))) = (old, new) {
        let keys: Vec<&String> = o
            .keys()
            .chain(n.keys().filter(|k| !o.contains_key(*k)))
            .filter(|k| o.get(*k) != n.get(*k))
            .collect();
        // As the cdk CLI: keys sorted; a key on one side only is named, not shown.
        let mut keys = keys;
        keys.sort();
        for (i, key) in keys.iter().enumerate() {
            let last = i + 1 == keys.len();
            let (branch, _) = tree_glyphs(last);
            let (ov, nv) = (o.get(*key), n.get(*key));
            match (ov, nv) {
                (Some(_), Some(_)) => {
                    writeln!(
                        w,
                        "{indent}{branch}{} .{key}:",
                        marker(ChangeKind::Modified)
                    )?;
                    write_value_change(w, &format!("{indent}{}   ", rail(last)), ov, nv, opts)?;
                }
                (Some(_), None) => writeln!(
                    w,
                    "{indent}{branch}{} Removed: .{key}",
                    marker(ChangeKind::Removed)
                )?,
                _ => writeln!(
                    w,
                    "{indent}{branch}{} Added: .{key}",
                    marker(ChangeKind::Added)
                )?,
            }
        }
        return Ok(());
    }
    if old.is_none() || new.is_none() {
        // A whole value added or removed: on one line, as the cdk CLI shows it.
        let (value, style) = match (old, new) {
            (Some(v), None) => (v, RED),
            (_, Some(v)) => (v, GREEN),
            (None, None) => return Ok(()),
        };
        return writeln!(w, "{indent}└─ {style}{}{style:#}", one_line(value));
    }
    let short = |v: Option<&Value>| v.is_none_or(is_short);
    if short(old) && short(new) {
        let lines: Vec<String> = old
            .map(|o| format!("{RED}[-] {}{RED:#}", one_line(o)))
            .into_iter()
            .chain(new.map(|n| format!("{GREEN}[+] {}{GREEN:#}", one_line(n))))
            .collect();
        for (i, line) in lines.iter().enumerate() {
            let (branch, _) = tree_glyphs(i + 1 == lines.len());
            writeln!(w, "{indent}{branch}{line}")?;
        }
        return Ok(());
    }
    let old_text = old.map(document_text).unwrap_or_default();
    let new_text = new.map(document_text).unwrap_or_default();
    let diff = TextDiff::from_lines(&old_text, &new_text);
    let mut first_line = true;
    for group in diff.grouped_ops(opts.context_lines) {
        let (Some(start), Some(end)) = (group.first(), group.last()) else {
            continue;
        };
        let (o0, o1) = (start.old_range().start, end.old_range().end);
        let (n0, n1) = (start.new_range().start, end.new_range().end);
        let lead = if first_line { "└─ " } else { "   " };
        first_line = false;
        writeln!(
            w,
            "{indent}{lead}{DIM}@@ -{},{} +{},{} @@{DIM:#}",
            o0 + 1,
            o1 - o0,
            n0 + 1,
            n1 - n0
        )?;
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches('\n');
                let (mark, style) = match change.tag() {
                    ChangeTag::Delete => ("[-]", RED),
                    ChangeTag::Insert => ("[+]", GREEN),
                    ChangeTag::Equal => ("[ ]", Style::new()),
                };
                writeln!(w, "{indent}   {style}{mark} {text}{style:#}")?;
            }
        }
    }
    Ok(())
}

/// The branch glyph and the continuation prefix of a tree child.
/// The rail under a tree branch: blank under the last child.
fn rail(last: bool) -> &'static str {
    if last {
        " "
    } else {
        "│"
    }
}

fn tree_glyphs(last: bool) -> (&'static str, &'static str) {
    if last {
        ("└─ ", "   ")
    } else {
        ("├─ ", "│  ")
    }
}

fn is_short(v: &Value) -> bool {
    match v {
        Value::String(s) => s.len() <= SHORT && !s.contains('\n'),
        Value::Object(_) | Value::Array(_) => false,
        _ => true,
    }
}

/// A value on one line: strings as they are, everything else as compact JSON.
fn one_line(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value as multi-line text for a line diff: JSON documents (including strings that hold
/// JSON) pretty-printed, other strings as they are.
fn document_text(v: &Value) -> String {
    let mut text = match v {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(doc @ (Value::Object(_) | Value::Array(_))) => pretty(&doc),
            _ => s.clone(),
        },
        other => pretty(other),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_name_resources_by_construct_path() {
        let mut paths = std::collections::HashMap::new();
        paths.insert(
            "Role1ABCC5F0".to_string(),
            "Stack/Role/Resource".to_string(),
        );
        paths.insert(
            "RoleDefaultPolicy5FFB7DAB".to_string(),
            "Stack/Role/DefaultPolicy/Resource".to_string(),
        );
        assert_eq!(
            substitute_paths("AWS:${Role1ABCC5F0}", &paths),
            "AWS:${Role}"
        );
        assert_eq!(
            substitute_paths("${Role1ABCC5F0.Arn}/*, ${Unknown.Arn}", &paths),
            "${Role.Arn}/*, ${Unknown.Arn}"
        );
        assert_eq!(
            substitute_paths("${RoleDefaultPolicy5FFB7DAB}", &paths),
            "${Role/DefaultPolicy}"
        );
        assert_eq!(normalized_path("/Stack/Fn/Default"), "Fn");
        assert_eq!(normalized_path("Stack"), "Stack");
    }

    #[test]
    fn short_path_drops_stack_and_resource() {
        assert_eq!(short_path("Stack/Bucket/Resource"), "Bucket");
        assert_eq!(short_path("Stack/Api/Handler"), "Api/Handler");
        assert_eq!(short_path("Lonely"), "Lonely");
    }
}
