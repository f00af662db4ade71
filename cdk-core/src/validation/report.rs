//! The validation report: aws-cdk-lib's JSON formats and its printed form.

use std::collections::{BTreeMap, HashMap};

use anstyle::{AnsiColor, Style};
use serde_json::{json, Map, Value as J};

use super::suppression::UnusedSuppression;
use super::{PolicyViolatingResource, PolicyViolation, Severity};

/// What aws-cdk-lib prints where a construct has no creation trace.
const STACK_TRACE_HINT: &str = "Run with '--debug' to include location info";
/// `constructInfo.version` of rcdk's constructs (as in `tree.json`).
const LIBRARY_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One plugin's results after construct paths were filled in and suppressions applied.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginReport {
    /// The plugin's name.
    pub plugin_name: String,
    /// The plugin's version.
    pub plugin_version: Option<String>,
    /// False when the plugin failed or reported an unsuppressed error.
    pub success: bool,
    /// Plugin data (an `error` entry when the plugin itself failed).
    pub metadata: BTreeMap<String, String>,
    /// Violations not suppressed.
    pub violations: Vec<PolicyViolation>,
    /// Violations suppressed, with the suppression that covers them.
    pub suppressed: Vec<SuppressedViolation>,
}

/// A violation covered by a suppression.
#[derive(Clone, Debug, PartialEq)]
pub struct SuppressedViolation {
    /// The violation (only the suppressed resources).
    pub violation: PolicyViolation,
    /// The suppressed rule ID.
    pub acknowledged_id: String,
    /// Why it is acceptable.
    pub reason: String,
    /// Construct path of the suppression (`""` for the app).
    pub acknowledged_at: String,
}

/// One finding: a rule violated by one resource (flattened from the report, for tests and
/// tools).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The plugin that reported it.
    pub plugin_name: String,
    /// The rule, `Rule[finding]` for granular rules.
    pub rule_name: String,
    /// How serious it is.
    pub severity: Severity,
    /// The construct path of the resource.
    pub construct_path: Option<String>,
    /// The resource's logical ID.
    pub logical_id: Option<String>,
    /// The template file.
    pub template_path: Option<String>,
    /// What is wrong.
    pub description: String,
    /// How to fix it.
    pub fix: Option<String>,
    /// The suppression's reason, for a suppressed finding.
    pub suppressed_because: Option<String>,
}

/// The outcome of policy validation: every plugin's report and the unused suppressions.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyValidationReport {
    /// Per plugin, in registration order.
    pub plugin_reports: Vec<PluginReport>,
    /// Suppressions that suppressed nothing (warnings).
    pub unused_suppressions: Vec<UnusedSuppression>,
    version: String,
    fqns: HashMap<String, String>,
}

impl PolicyValidationReport {
    pub(crate) fn new(
        plugin_reports: Vec<PluginReport>,
        unused_suppressions: Vec<UnusedSuppression>,
        version: &str,
        fqns: HashMap<String, String>,
    ) -> Self {
        PolicyValidationReport {
            plugin_reports,
            unused_suppressions,
            version: version.to_string(),
            fqns,
        }
    }

    /// True when every plugin succeeded: synthesis goes on.
    pub fn success(&self) -> bool {
        self.plugin_reports.iter().all(|r| r.success)
    }

    /// Unsuppressed findings, one per violating resource, errors first.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = self.flatten(false);
        out.sort_by_key(|f| severity_order(&f.severity));
        out
    }

    /// Suppressed findings, one per resource, with the reason.
    pub fn suppressed_findings(&self) -> Vec<Finding> {
        self.flatten(true)
    }

    fn flatten(&self, suppressed: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for report in &self.plugin_reports {
            let list: Vec<(&PolicyViolation, Option<&str>)> = if suppressed {
                report
                    .suppressed
                    .iter()
                    .map(|s| (&s.violation, Some(s.reason.as_str())))
                    .collect()
            } else {
                report.violations.iter().map(|v| (v, None)).collect()
            };
            for (v, reason) in list {
                for r in &v.violating_resources {
                    out.push(Finding {
                        plugin_name: report.plugin_name.clone(),
                        rule_name: v.rule_name.clone(),
                        severity: v.severity.clone(),
                        construct_path: r.construct_path.clone(),
                        logical_id: r.resource_logical_id.clone(),
                        template_path: r.template_path.clone(),
                        description: v.description.clone(),
                        fix: v.fix.clone(),
                        suppressed_because: reason.map(str::to_string),
                    });
                }
            }
        }
        out
    }

    /// True when there is anything to show (violations, plugin failures, unused suppressions).
    pub fn has_output(&self) -> bool {
        !self.unused_suppressions.is_empty()
            || self
                .plugin_reports
                .iter()
                .any(|r| !r.violations.is_empty() || plugin_failure(r).is_some())
    }

    /// `validation-report.json`: aws-cdk-lib's `PolicyValidationReportFormatter.formatJson`.
    pub fn to_json(&self) -> J {
        let mut reports = Vec::new();
        for r in &self.plugin_reports {
            if r.success && r.violations.is_empty() && r.suppressed.is_empty() {
                continue;
            }
            let mut o = Map::new();
            o.insert("pluginName".into(), J::String(r.plugin_name.clone()));
            if let Some(v) = &r.plugin_version {
                o.insert("pluginVersion".into(), J::String(v.clone()));
            }
            let conclusion = if r.success { "success" } else { "failure" };
            o.insert("conclusion".into(), J::String(conclusion.into()));
            if !r.metadata.is_empty() {
                o.insert("metadata".into(), string_map(&r.metadata));
            }
            o.insert(
                "violations".into(),
                J::Array(
                    r.violations
                        .iter()
                        .map(|v| self.violation_json(v))
                        .collect(),
                ),
            );
            if !r.suppressed.is_empty() {
                let suppressed = r
                    .suppressed
                    .iter()
                    .map(|s| {
                        let mut v = self.violation_json(&s.violation);
                        if let J::Object(m) = &mut v {
                            m.insert(
                                "acknowledgedId".into(),
                                J::String(s.acknowledged_id.clone()),
                            );
                            if !s.reason.is_empty() {
                                m.insert("reason".into(), J::String(s.reason.clone()));
                            }
                            if !s.acknowledged_at.is_empty() {
                                m.insert(
                                    "acknowledgedAt".into(),
                                    J::String(s.acknowledged_at.clone()),
                                );
                            }
                        }
                        v
                    })
                    .collect();
                o.insert("suppressedViolations".into(), J::Array(suppressed));
            }
            reports.push(J::Object(o));
        }
        json!({"version": self.version, "title": "Validation Report", "pluginReports": reports})
    }

    fn violation_json(&self, v: &PolicyViolation) -> J {
        let mut o = Map::new();
        o.insert("ruleName".into(), J::String(v.rule_name.clone()));
        o.insert("description".into(), J::String(v.description.clone()));
        if let Some(fix) = &v.fix {
            o.insert("suggestedFix".into(), J::String(fix.clone()));
        }
        o.insert("severity".into(), J::String(v.severity.as_str().into()));
        if let Severity::Custom(c) = &v.severity {
            o.insert("customSeverity".into(), J::String(c.clone()));
        }
        if !v.rule_metadata.is_empty() {
            o.insert("ruleMetadata".into(), string_map(&v.rule_metadata));
        }
        let constructs = v
            .violating_resources
            .iter()
            .map(|r| {
                let mut c = Map::new();
                let path = r.construct_path.clone().unwrap_or_default();
                if let Some(fqn) = r.construct_path.as_ref().and_then(|p| self.fqns.get(p)) {
                    c.insert("constructPath".into(), J::String(path));
                    c.insert("constructFqn".into(), J::String(fqn.clone()));
                    c.insert("libraryVersion".into(), J::String(LIBRARY_VERSION.into()));
                } else {
                    c.insert("constructPath".into(), J::String(path));
                }
                if let (Some(id), Some(file)) = (&r.resource_logical_id, &r.template_path) {
                    let mut cfn = Map::new();
                    cfn.insert("templatePath".into(), J::String(file.clone()));
                    cfn.insert("logicalId".into(), J::String(id.clone()));
                    if !r.locations.is_empty() {
                        cfn.insert("propertyPaths".into(), json!(r.locations));
                    }
                    c.insert("cloudFormationResource".into(), J::Object(cfn));
                }
                J::Object(c)
            })
            .collect();
        o.insert("violatingConstructs".into(), J::Array(constructs));
        J::Object(o)
    }

    /// `policy-validation-report.json`: aws-cdk-lib's `formatLegacyJson`.
    pub fn to_legacy_json(&self) -> J {
        let reports: Vec<J> = self
            .plugin_reports
            .iter()
            .filter(|r| !r.success || !r.violations.is_empty())
            .map(|r| {
                let mut summary = Map::new();
                summary.insert("pluginName".into(), J::String(r.plugin_name.clone()));
                let status = if r.success { "success" } else { "failure" };
                summary.insert("status".into(), J::String(status.into()));
                if !r.metadata.is_empty() {
                    summary.insert("metadata".into(), string_map(&r.metadata));
                }
                let mut o = Map::new();
                if let Some(v) = &r.plugin_version {
                    o.insert("version".into(), J::String(v.clone()));
                }
                o.insert("summary".into(), J::Object(summary));
                let violations = r
                    .violations
                    .iter()
                    .map(|v| self.legacy_violation(v))
                    .collect();
                o.insert("violations".into(), J::Array(violations));
                J::Object(o)
            })
            .collect();
        json!({"title": "Validation Report", "pluginReports": reports})
    }

    fn legacy_violation(&self, v: &PolicyViolation) -> J {
        let mut o = Map::new();
        o.insert("ruleName".into(), J::String(v.rule_name.clone()));
        o.insert("description".into(), J::String(v.description.clone()));
        if let Some(fix) = &v.fix {
            o.insert("fix".into(), J::String(fix.clone()));
        }
        if !v.rule_metadata.is_empty() {
            o.insert("ruleMetadata".into(), string_map(&v.rule_metadata));
        }
        o.insert("severity".into(), J::String(v.severity.as_str().into()));
        o.insert(
            "violatingResources".into(),
            J::Array(v.violating_resources.iter().map(raw_resource).collect()),
        );
        let constructs = v
            .violating_resources
            .iter()
            .map(|r| {
                let mut c = Map::new();
                if let Some(path) = &r.construct_path {
                    c.insert("constructStack".into(), self.trace(path));
                    c.insert("constructPath".into(), J::String(path.clone()));
                }
                c.insert("locations".into(), json!(r.locations));
                c.insert(
                    "resourceLogicalId".into(),
                    J::String(
                        r.resource_logical_id
                            .clone()
                            .unwrap_or_else(|| "N/A".into()),
                    ),
                );
                c.insert(
                    "templatePath".into(),
                    J::String(r.template_path.clone().unwrap_or_else(|| "N/A".into())),
                );
                J::Object(c)
            })
            .collect();
        o.insert("violatingConstructs".into(), J::Array(constructs));
        J::Object(o)
    }

    /// aws-cdk-lib's `ConstructTree.traceFromPath`: the path from the top, one level each.
    fn trace(&self, path: &str) -> J {
        let ids: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut result: Option<J> = None;
        for depth in (0..ids.len()).rev() {
            let here = ids[..=depth].join("/");
            let mut level = Map::new();
            level.insert("id".into(), J::String(ids[depth].to_string()));
            level.insert("path".into(), J::String(here.clone()));
            if let Some(fqn) = self.fqns.get(&here) {
                level.insert("construct".into(), J::String(fqn.clone()));
                level.insert("libraryVersion".into(), J::String(LIBRARY_VERSION.into()));
            }
            if let Some(child) = result.take() {
                level.insert("child".into(), child);
            }
            level.insert("location".into(), J::String(STACK_TRACE_HINT.into()));
            result = Some(J::Object(level));
        }
        result.unwrap_or(J::Null)
    }

    /// The printed report: one block per finding, errors first, as aws-cdk-lib's
    /// `ValidationReportFormatter` (bold severity and description, grey plugin and hints;
    /// plain text when `colour` is false), then the unused suppressions.
    pub fn format_text(&self, colour: bool) -> String {
        let paint = |style: Style, text: &str| -> String {
            if colour {
                format!("{}{text}{}", style.render(), style.render_reset())
            } else {
                text.to_string()
            }
        };
        let bold = Style::new().bold();
        let grey = Style::new().fg_color(Some(AnsiColor::BrightBlack.into()));
        let mut blocks: Vec<String> = Vec::new();
        for r in &self.plugin_reports {
            if let Some(error) = plugin_failure(r) {
                let orange = Style::new().fg_color(Some(AnsiColor::Red.into()));
                blocks.push(format!("{} {}", paint(orange, "ERROR"), sanitize(error)));
            }
        }
        let mut flat: Vec<(&PluginReport, &PolicyViolation, &PolicyViolatingResource)> = Vec::new();
        for r in &self.plugin_reports {
            if plugin_failure(r).is_some() {
                continue;
            }
            for v in &r.violations {
                for res in &v.violating_resources {
                    flat.push((r, v, res));
                }
            }
        }
        flat.sort_by_key(|(_, v, _)| severity_order(&v.severity));
        for (report, v, res) in flat {
            let severity = match &v.severity {
                Severity::Custom(c) => c.clone(),
                s => s.as_str().to_uppercase(),
            };
            let color = match v.severity {
                Severity::Fatal | Severity::Error => AnsiColor::Red,
                Severity::Warning => AnsiColor::Yellow,
                _ => AnsiColor::Blue,
            };
            let namespace = report.plugin_name.replace(' ', "-");
            let mut lines = vec![format!(
                "{} {} {}",
                paint(bold.fg_color(Some(color.into())), &sanitize(&severity)),
                paint(bold, &sanitize(&v.description)),
                paint(grey, &format!("({})", sanitize(&report.plugin_name)))
            )];
            let logical_id = res.resource_logical_id.as_deref().map(sanitize);
            let mut parts = Vec::new();
            match (&res.construct_path, &logical_id) {
                (Some(path), Some(id)) => {
                    parts.push(format!("{} ({id})", paint(bold, &sanitize(path))))
                }
                (Some(path), None) => parts.push(paint(bold, &sanitize(path))),
                (None, id) => {
                    if let Some(file) = &res.template_path {
                        parts.push(sanitize(file));
                    }
                    if let Some(id) = id {
                        parts.push(paint(bold, id));
                    }
                }
            }
            if let Some(fqn) = res.construct_path.as_ref().and_then(|p| self.fqns.get(p)) {
                parts.push(paint(grey, &sanitize(fqn)));
            }
            lines.push(format!("   {}", parts.join(" ")));
            if let Some(fix) = &v.fix {
                lines.push(format!(
                    "   Suggested fix: {}",
                    sanitize(fix).replace('\n', "\n   ")
                ));
            }
            let ack = format!("{namespace}::{}", v.rule_name.replace(' ', "-"));
            let hint = if v.severity == Severity::Fatal {
                format!("Rule {ack}")
            } else {
                format!("Acknowledge with '{ack}'")
            };
            lines.push(format!("   {}", paint(grey, &hint)));
            blocks.push(lines.join("\n"));
        }
        for unused in &self.unused_suppressions {
            let path = if unused.path.is_empty() {
                "<app>".to_string()
            } else {
                unused.path.clone()
            };
            blocks.push(format!(
                "{} {}\n   {}",
                paint(bold.fg_color(Some(AnsiColor::Yellow.into())), "WARNING"),
                paint(bold, &unused.message()),
                paint(bold, &path)
            ));
        }
        blocks.join("\n\n")
    }
}

fn string_map(map: &BTreeMap<String, String>) -> J {
    J::Object(
        map.iter()
            .map(|(k, v)| (k.clone(), J::String(v.clone())))
            .collect(),
    )
}

fn raw_resource(r: &PolicyViolatingResource) -> J {
    let mut o = Map::new();
    if let Some(id) = &r.resource_logical_id {
        o.insert("resourceLogicalId".into(), J::String(id.clone()));
    }
    if let Some(file) = &r.template_path {
        o.insert("templatePath".into(), J::String(file.clone()));
    }
    o.insert("locations".into(), json!(r.locations));
    if let Some(path) = &r.construct_path {
        o.insert("constructPath".into(), J::String(path.clone()));
    }
    J::Object(o)
}

fn plugin_failure(r: &PluginReport) -> Option<&str> {
    if r.success || !r.violations.is_empty() {
        return None;
    }
    r.metadata.get("error").map(String::as_str)
}

fn severity_order(s: &Severity) -> u8 {
    match s {
        Severity::Fatal => 0,
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
        Severity::Custom(_) => 4,
    }
}

/// Control characters (except tab and newline) replaced, as aws-cdk-lib's `sanitize`.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            let code = c as u32;
            if (code <= 0x08) || (0x0B..=0x1F).contains(&code) || code == 0x7F || code == 0x9B {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
