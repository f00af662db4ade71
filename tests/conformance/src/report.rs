//! Scores, the score table, difference listings and the regression baseline.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::compare::ElementResult;
use crate::harness::TestRun;

/// The numbers of one test (or a total).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    /// Snapshot resources.
    pub ids_total: usize,
    /// Snapshot resources whose logical ID rcdk also produced.
    pub ids_matched: usize,
    /// Matched resources that are deep-equal after normalisation.
    pub resources_equal: usize,
    /// Snapshot outputs.
    pub outputs_total: usize,
    /// Snapshot outputs rcdk produced deep-equal.
    pub outputs_equal: usize,
    /// Snapshot parameters, conditions, mappings, rules and top-level scalars (after
    /// normalisation).
    pub other_total: usize,
    /// Of those, deep-equal in rcdk's template.
    pub other_equal: usize,
    /// Elements only rcdk's templates have.
    pub extra: usize,
}

impl Score {
    /// The score of one run.
    pub fn of(run: &TestRun) -> Score {
        let mut s = Score::default();
        for t in &run.templates {
            s.ids_total += t.resources.len();
            s.ids_matched += t.resources.iter().filter(|r| !r.missing()).count();
            s.resources_equal += t.resources.iter().filter(|r| r.equal()).count();
            s.outputs_total += t.outputs.len();
            s.outputs_equal += t.outputs.iter().filter(|r| r.equal()).count();
            s.other_total += t.others.len();
            s.other_equal += t.others.iter().filter(|r| r.equal()).count();
            s.extra += t.extra.len();
        }
        s
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Score) {
        self.ids_total += other.ids_total;
        self.ids_matched += other.ids_matched;
        self.resources_equal += other.resources_equal;
        self.outputs_total += other.outputs_total;
        self.outputs_equal += other.outputs_equal;
        self.other_total += other.other_total;
        self.other_equal += other.other_equal;
        self.extra += other.extra;
    }

    /// True when every snapshot element is reproduced and nothing is extra.
    pub fn perfect(&self) -> bool {
        self.ids_matched == self.ids_total
            && self.resources_equal == self.ids_total
            && self.outputs_equal == self.outputs_total
            && self.other_equal == self.other_total
            && self.extra == 0
    }

    fn to_baseline(self) -> Value {
        json!({
            "logical_ids": [self.ids_matched, self.ids_total],
            "resources_equal": [self.resources_equal, self.ids_matched],
            "outputs_equal": [self.outputs_equal, self.outputs_total],
            "other_equal": [self.other_equal, self.other_total],
            "extra": self.extra,
        })
    }

    fn from_baseline(v: &Value) -> Option<Score> {
        let pair = |k: &str| -> Option<(usize, usize)> {
            let a = v.get(k)?.as_array()?;
            Some((a.first()?.as_u64()? as usize, a.get(1)?.as_u64()? as usize))
        };
        let (ids_matched, ids_total) = pair("logical_ids")?;
        let (resources_equal, _) = pair("resources_equal")?;
        let (outputs_equal, outputs_total) = pair("outputs_equal")?;
        let (other_equal, other_total) = pair("other_equal")?;
        Some(Score {
            ids_total,
            ids_matched,
            resources_equal,
            outputs_total,
            outputs_equal,
            other_total,
            other_equal,
            extra: v.get("extra")?.as_u64()? as usize,
        })
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

fn status(run: &TestRun) -> String {
    match (&run.fixture, &run.synth_error) {
        (Err(e), _) => format!("FIXTURE ERROR: {e}"),
        (_, Some(e)) => format!("SYNTH ERROR: {e}"),
        (Ok(f), None) if f.is_partial() => "partial".into(),
        _ => "".into(),
    }
}

/// The score table (one row per test) and the total line.
pub fn table(runs: &[TestRun]) -> String {
    let width = runs.iter().map(|r| r.test.len()).max().unwrap_or(4).max(5);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>9}  {:>9}  {:>7}  {:>7}  {:>5}  note",
        "test", "ids", "res eq", "outputs", "other", "extra"
    );
    let mut total = Score::default();
    for run in runs {
        let s = Score::of(run);
        total.add(&s);
        let _ = writeln!(
            out,
            "{:<width$}  {:>9}  {:>9}  {:>7}  {:>7}  {:>5}  {}",
            run.test,
            format!("{}/{}", s.ids_matched, s.ids_total),
            format!("{}/{}", s.resources_equal, s.ids_matched),
            format!("{}/{}", s.outputs_equal, s.outputs_total),
            format!("{}/{}", s.other_equal, s.other_total),
            s.extra,
            status(run)
        );
    }
    let _ = writeln!(out, "{}", total_line(runs.len(), &total));
    let _ = writeln!(
        out,
        "(diagnostic: {} more resources differ only by rcdk's aws:cdk:path metadata)",
        path_metadata_only(runs)
    );
    out
}

/// Matched resources whose only difference is rcdk's `aws:cdk:path` metadata.
pub fn path_metadata_only(runs: &[TestRun]) -> usize {
    runs.iter()
        .flat_map(|r| &r.templates)
        .flat_map(|t| &t.resources)
        .filter(|e| e.only_path_metadata())
        .count()
}

/// The score table as Markdown (for notes and the README).
pub fn markdown_table(runs: &[TestRun]) -> String {
    let mut out = String::from("| test | logical IDs | resources equal | outputs | other | extra | note |\n|---|---|---|---|---|---|---|\n");
    for run in runs {
        let s = Score::of(run);
        let note = status(run).replace('\n', " ").replace('|', "\\|");
        let _ = writeln!(
            out,
            "| {} | {}/{} | {}/{} | {}/{} | {}/{} | {} | {} |",
            run.test,
            s.ids_matched,
            s.ids_total,
            s.resources_equal,
            s.ids_matched,
            s.outputs_equal,
            s.outputs_total,
            s.other_equal,
            s.other_total,
            s.extra,
            note
        );
    }
    let _ = writeln!(out, "\n{}", total_line(runs.len(), &total(runs)));
    out
}

/// `TOTAL: N tests, logical IDs a/b (x%), resources deep-equal c/d (y%), ...`.
pub fn total_line(tests: usize, total: &Score) -> String {
    format!(
        "TOTAL: {tests} tests, logical IDs {}/{} ({}), resources deep-equal {}/{} ({}), outputs {}/{}, other entries {}/{}, extra {}",
        total.ids_matched,
        total.ids_total,
        pct(total.ids_matched, total.ids_total),
        total.resources_equal,
        total.ids_matched,
        pct(total.resources_equal, total.ids_matched),
        total.outputs_equal,
        total.outputs_total,
        total.other_equal,
        total.other_total,
        total.extra
    )
}

/// The total score of `runs`.
pub fn total(runs: &[TestRun]) -> Score {
    let mut t = Score::default();
    runs.iter().for_each(|r| t.add(&Score::of(r)));
    t
}

fn element_line(e: &ElementResult, max: usize) -> String {
    let kind = if e.resource_type.is_empty() {
        String::new()
    } else {
        format!(" ({})", e.resource_type)
    };
    if e.missing() {
        return format!("{}{kind}: missing in rcdk's template", e.path);
    }
    // rcdk's `aws:cdk:path` metadata is listed last so the first path shown is informative.
    let mut ordered: Vec<&crate::compare::Difference> = e
        .differences
        .iter()
        .filter(|d| !d.is_path_metadata())
        .collect();
    ordered.extend(e.differences.iter().filter(|d| d.is_path_metadata()));
    let first = ordered[0];
    let mut line = format!("{}{kind}: {}", e.path, first.describe(max));
    let more = ordered.len() - 1;
    if more > 0 {
        let next: Vec<&str> = ordered[1..]
            .iter()
            .take(3)
            .map(|d| d.path.as_str())
            .collect();
        let _ = write!(
            line,
            " (+{more} more: {}{})",
            next.join(", "),
            if more > 3 { ", …" } else { "" }
        );
    }
    line
}

/// Every difference: per test, each non-equal element with its first differing JSON path,
/// then the extra elements. With `skip_path_only`, elements that differ only by rcdk's
/// `aws:cdk:path` metadata are left out (a view for fixing the other differences).
pub fn differences(runs: &[TestRun], max: usize, skip_path_only: bool) -> String {
    let mut out = String::new();
    for run in runs {
        let s = Score::of(run);
        let files_equal = run.text_files.iter().all(|(_, p)| p.is_none());
        if s.perfect() && run.synth_error.is_none() && run.fixture.is_ok() && files_equal {
            continue;
        }
        let _ = writeln!(out, "## {}", run.test);
        if let Some(e) = &run.synth_error {
            let _ = writeln!(out, "- {e}");
        }
        if let Err(e) = &run.fixture {
            let _ = writeln!(out, "- fixture: {e}");
        }
        for t in &run.templates {
            if let Some(m) = &t.missing_stack {
                let _ = writeln!(out, "- {m}");
                continue;
            }
            for e in t.resources.iter().chain(&t.outputs).chain(&t.others) {
                let hidden = skip_path_only && e.only_path_metadata();
                if !e.equal() && !hidden {
                    let _ = writeln!(out, "- {}: {}", t.file, element_line(e, max));
                }
            }
            for x in &t.extra {
                let _ = writeln!(out, "- {}: {x}: only in rcdk's template", t.file);
            }
        }
        for (file, problem) in &run.text_files {
            if let Some(p) = problem {
                let _ = writeln!(out, "- {file}: {p}");
            }
        }
    }
    out
}

/// The committed baseline file.
pub fn baseline_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline.json")
}

/// The baseline JSON for `runs` (what `CONFORMANCE_BLESS=1` writes), one line per test.
pub fn baseline_json(runs: &[TestRun]) -> String {
    let total = total(runs);
    let about = "Scores the conformance suite must not fall below (per test). Regenerate deliberately with CONFORMANCE_BLESS=1 cargo test -p rcdk-conformance.";
    let mut text = String::from("{\n");
    let _ = writeln!(text, "  \"about\": {},", json!(about));
    let _ = writeln!(
        text,
        "  \"total\": {},",
        json!(total_line(runs.len(), &total))
    );
    text.push_str("  \"tests\": {\n");
    let mut sorted: Vec<&TestRun> = runs.iter().collect();
    sorted.sort_by(|a, b| a.test.cmp(&b.test));
    for (i, r) in sorted.iter().enumerate() {
        let comma = if i + 1 < sorted.len() { "," } else { "" };
        let _ = writeln!(
            text,
            "    {}: {}{comma}",
            json!(r.test),
            Score::of(r).to_baseline()
        );
    }
    text.push_str("  }\n}\n");
    text
}

/// Reads the baseline: test ID → score.
pub fn read_baseline(text: &str) -> Result<BTreeMap<String, Score>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("baseline.json: {e}"))?;
    let tests = v
        .get("tests")
        .and_then(Value::as_object)
        .ok_or("baseline.json: `tests` must be an object")?;
    tests
        .iter()
        .map(|(k, v)| {
            Score::from_baseline(v)
                .map(|s| (k.clone(), s))
                .ok_or_else(|| format!("baseline.json: malformed entry `{k}`"))
        })
        .collect()
}

/// Regressions of `runs` against `baseline` (empty: none). A test regresses when a count falls
/// (or `extra` grows), or when it fails to load or synthesize; a port missing from the baseline
/// or a baseline entry without a port is also reported, so the baseline always describes the
/// suite.
pub fn regressions(runs: &[TestRun], baseline: &BTreeMap<String, Score>) -> Vec<String> {
    let mut problems = Vec::new();
    for run in runs {
        let now = Score::of(run);
        if let Err(e) = &run.fixture {
            problems.push(format!("{}: fixture error: {e}", run.test));
            continue;
        }
        let Some(was) = baseline.get(&run.test) else {
            problems.push(format!(
                "{}: not in baseline.json (bless it with CONFORMANCE_BLESS=1)",
                run.test
            ));
            continue;
        };
        let checks = [
            ("logical IDs matched", now.ids_matched, was.ids_matched),
            (
                "resources deep-equal",
                now.resources_equal,
                was.resources_equal,
            ),
            ("outputs equal", now.outputs_equal, was.outputs_equal),
            ("other entries equal", now.other_equal, was.other_equal),
        ];
        for (what, n, w) in checks {
            if n < w {
                problems.push(format!("{}: {what} fell from {w} to {n}", run.test));
            }
        }
        if now.extra > was.extra {
            problems.push(format!(
                "{}: extra elements grew from {} to {}",
                run.test, was.extra, now.extra
            ));
        }
        if (now.ids_total, now.outputs_total, now.other_total)
            != (was.ids_total, was.outputs_total, was.other_total)
        {
            problems.push(format!(
                "{}: the fixture changed (totals differ from baseline.json); bless deliberately",
                run.test
            ));
        }
    }
    for test in baseline.keys() {
        if !runs.iter().any(|r| &r.test == test) {
            problems.push(format!("{test}: in baseline.json but no longer ported"));
        }
    }
    problems
}

/// Tests that score above their baseline (bless to lock the gain in).
pub fn improvements(runs: &[TestRun], baseline: &BTreeMap<String, Score>) -> Vec<String> {
    runs.iter()
        .filter_map(|run| {
            let was = baseline.get(&run.test)?;
            let now = Score::of(run);
            let better = now.ids_matched > was.ids_matched
                || now.resources_equal > was.resources_equal
                || now.outputs_equal > was.outputs_equal
                || now.other_equal > was.other_equal
                || now.extra < was.extra;
            better.then(|| run.test.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare_templates;
    use crate::fixtures::Fixture;
    use serde_json::json;

    fn run(test: &str, actual: serde_json::Value) -> TestRun {
        let expected = json!({"Resources": {"A": {"Type": "T"}, "B": {"Type": "T"}}});
        TestRun {
            test: test.into(),
            fixture: Ok(Fixture {
                test: test.into(),
                dir: PathBuf::new(),
                templates: Vec::new(),
                text_files: Vec::new(),
                context: BTreeMap::new(),
                port: "full".into(),
                feature_flags: String::new(),
                integ_only: Vec::new(),
            }),
            synth_error: None,
            templates: vec![compare_templates(
                "t.template.json",
                &expected,
                Some(&actual),
            )],
            text_files: Vec::new(),
        }
    }

    #[test]
    fn a_lower_score_than_the_baseline_is_a_regression() {
        let good = run(
            "m/t",
            json!({"Resources": {"A": {"Type": "T"}, "B": {"Type": "T"}}}),
        );
        let baseline = read_baseline(&baseline_json(std::slice::from_ref(&good))).unwrap();
        assert!(regressions(std::slice::from_ref(&good), &baseline).is_empty());
        let worse = run(
            "m/t",
            json!({"Resources": {"A": {"Type": "T"}, "B": {"Type": "U"}, "C": {"Type": "T"}}}),
        );
        let problems = regressions(&[worse], &baseline);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("resources deep-equal fell from 2 to 1"));
        assert!(problems[1].contains("extra elements grew from 0 to 1"));
    }

    #[test]
    fn unknown_and_vanished_tests_are_reported() {
        let a = run("m/a", json!({"Resources": {}}));
        let baseline = read_baseline(&baseline_json(std::slice::from_ref(&a))).unwrap();
        let b = run("m/b", json!({"Resources": {}}));
        let problems = regressions(&[b], &baseline);
        assert!(problems
            .iter()
            .any(|p| p.contains("m/b: not in baseline.json")));
        assert!(problems
            .iter()
            .any(|p| p.contains("m/a: in baseline.json but no longer ported")));
    }
}
