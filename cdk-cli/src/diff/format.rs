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
///
/// As the cdk CLI lays it out: each section is its title, its entries and one blank line.
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
        writeln!(w, "{BOLD}Template{BOLD:#}")?;
        for name in TEMPLATE_ENTRIES {
            if let Some(change) = diff.other.iter().find(|c| c.name == name) {
                write_named(w, name, change, opts)?;
            }
        }
        writeln!(w)?;
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
        writeln!(w, "{BOLD}{section}{BOLD:#}")?;
        for change in in_cdk_order(changes.iter()) {
            write_named(w, label, change, opts)?;
        }
        writeln!(w)?;
    }
    let other: Vec<&NamedChange> = diff
        .other
        .iter()
        .filter(|c| !is_template_entry(c))
        .collect();
    if !other.is_empty() {
        writeln!(w, "{BOLD}Other Changes{BOLD:#}")?;
        for change in in_cdk_order(other.into_iter()) {
            write_named(w, "Unknown", change, opts)?;
        }
        writeln!(w)?;
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
                        peer_label(&r.peer),
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
            "{YELLOW}(NOTE: There may be security-related changes not in this list. See https://github.com/aws/aws-cdk/issues/1299){YELLOW:#}"
        )?;
        writeln!(w)?;
    }
    Ok(())
}

/// A rule's peer as cdk's table names it: the whole internet as `Everyone (IPv4)` / `(IPv6)`.
fn peer_label(peer: &str) -> String {
    match peer {
        "0.0.0.0/0" => "Everyone (IPv4)".into(),
        "::/0" => "Everyone (IPv6)".into(),
        other => other.into(),
    }
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
    writeln!(w, "{BOLD}Resources{BOLD:#}")?;
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
        // Properties by name, then the other attributes by name (as the cdk CLI). A resource
        // whose type changed is replaced as a whole: cdk lists none of its changes.
        let type_changed = r.old_type.is_some() && r.new_type.is_some() && r.old_type != r.new_type;
        let mut changes: Vec<&PropertyChange> = if type_changed {
            Vec::new()
        } else {
            r.changes.iter().collect()
        };
        changes.sort_by(|a, b| (a.is_attribute, &a.name).cmp(&(b.is_attribute, &b.name)));
        for (i, c) in changes.iter().enumerate() {
            let last = i + 1 == changes.len();
            write_property(w, c, last, opts)?;
        }
    }
    writeln!(w)
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

/// Writes old → new for one value as tree children drawn at `indent`, as the cdk CLI's
/// `formatObjectDiff`: one child per changed key when both are objects (a key on one side only
/// is named, not shown); `[-] old` / `[+] new` for two scalars (strings whole, even multi-line
/// ones); a line diff of the pretty-printed JSON when either is an array, object or null; a
/// whole value added or removed on one line. A changed boolean has no children (as in cdk).
fn write_value_change(
    w: &mut dyn Write,
    indent: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    opts: &FormatOptions,
) -> io::Result<()> {
    let (old, new) = match (old, new) {
        (Some(o), Some(n)) => (o, n),
        (Some(v), None) => return writeln!(w, "{indent}└─ {RED}{}{RED:#}", one_line(v)),
        (None, Some(v)) => return writeln!(w, "{indent}└─ {GREEN}{}{GREEN:#}", one_line(v)),
        (None, None) => return Ok(()),
    };
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => write_key_changes(w, indent, o, n, opts),
        (Value::Bool(_), Value::Bool(_)) => Ok(()),
        _ if is_structured(old) || is_structured(new) => {
            write_line_diff(w, indent, &pretty(old), &pretty(new), opts.context_lines)
        }
        _ => {
            writeln!(
                w,
                "{indent}├─ {RED}[-]{RED:#} {RED}{}{RED:#}",
                one_line(old)
            )?;
            writeln!(
                w,
                "{indent}└─ {GREEN}[+]{GREEN:#} {GREEN}{}{GREEN:#}",
                one_line(new)
            )
        }
    }
}

/// The changed keys of two objects, sorted, each as a tree child.
fn write_key_changes(
    w: &mut dyn Write,
    indent: &str,
    o: &serde_json::Map<String, Value>,
    n: &serde_json::Map<String, Value>,
    opts: &FormatOptions,
) -> io::Result<()> {
    let mut keys: Vec<&String> = o
        .keys()
        .chain(n.keys().filter(|k| !o.contains_key(*k)))
        .filter(|k| o.get(*k) != n.get(*k))
        .collect();
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
    Ok(())
}

/// A unified line diff of two texts as tree children, as the cdk CLI's `_diffStrings`: per
/// hunk an `@@ -a,b +c,d @@` line, then its lines marked `[ ]` / `[-]` / `[+]`, with the
/// indentation common to the hunk's lines removed.
fn write_line_diff(
    w: &mut dyn Write,
    indent: &str,
    old_text: &str,
    new_text: &str,
    context_lines: usize,
) -> io::Result<()> {
    let diff = TextDiff::from_lines(old_text, new_text);
    let mut first_line = true;
    let mut lead = || {
        let lead = if first_line { "└─" } else { "  " };
        first_line = false;
        lead
    };
    for group in diff.grouped_ops(context_lines) {
        let (Some(start), Some(end)) = (group.first(), group.last()) else {
            continue;
        };
        let (o0, o1) = (start.old_range().start, end.old_range().end);
        let (n0, n1) = (start.new_range().start, end.new_range().end);
        // jsdiff's numbering: 1-based starts, an empty side starts at the line before.
        let start_of = |from: usize, to: usize| if to > from { from + 1 } else { from };
        writeln!(
            w,
            "{indent}{} {DIM}@@ -{},{} +{},{} @@{DIM:#}",
            lead(),
            start_of(o0, o1),
            o1 - o0,
            start_of(n0, n1),
            n1 - n0
        )?;
        let lines: Vec<(ChangeTag, String)> = group
            .iter()
            .flat_map(|op| diff.iter_changes(op))
            .map(|c| (c.tag(), c.value().trim_end_matches('\n').to_string()))
            .collect();
        let base = lines
            .iter()
            .filter_map(|(_, text)| text.find(|ch| ch != ' '))
            .min()
            .unwrap_or(0);
        for (tag, text) in &lines {
            let text = text.get(base..).unwrap_or("");
            let line = match tag {
                ChangeTag::Delete => format!("{RED}[-]{RED:#} {RED}{text}{RED:#}"),
                ChangeTag::Insert => format!("{GREEN}[+]{GREEN:#} {GREEN}{text}{GREEN:#}"),
                ChangeTag::Equal => format!("{DIM}[ ]{DIM:#} {text}"),
            };
            writeln!(w, "{indent}{} {line}", lead())?;
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

/// Arrays, objects and null: shown as a line diff of their JSON (cdk's `typeof === "object"`).
fn is_structured(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_) | Value::Null)
}

/// A value on one line: strings as they are, everything else as compact JSON.
fn one_line(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Pretty-printed JSON with two-space indentation, as `JSON.stringify(value, null, 2)`.
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
