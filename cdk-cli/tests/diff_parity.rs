//! `rcdk diff` prints what the official `cdk diff` prints: every case of tests/fixtures/diff
//! that has a `cdk.txt` (the output of aws-cdk 2.1148.1 on the same old/new templates, captured
//! offline with colours off by tests/fixtures/diff/capture-cdk.sh, which names the exact
//! command) is run through `rcdk diff --template old.json` and compared line by line: section
//! and blank-line layout, `[~]` property trees, multi-line strings, IAM / security group tables.

mod common;

use common::{fixture, run_in, single_stack_assembly};
use similar::TextDiff;

/// The cases with a captured cdk output, by name.
fn captured_cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixture("diff"))
        .expect("fixtures/diff")
        .filter_map(|e| {
            let path = e.ok()?.path();
            path.join("cdk.txt")
                .is_file()
                .then(|| path.file_name()?.to_str().map(str::to_string))?
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn rcdk_diff_prints_what_cdk_diff_prints() {
    let cases = captured_cases();
    // Every crafted case carries its reference output.
    assert!(cases.len() >= 12, "cases with cdk.txt: {cases:?}");
    let mut mismatches = Vec::new();
    for case in &cases {
        let dir = fixture("diff").join(case);
        let expected = std::fs::read_to_string(dir.join("cdk.txt")).unwrap();
        let asm = single_stack_assembly(&dir.join("new.json"));
        let old = dir.join("old.json").to_string_lossy().into_owned();
        let r = run_in(asm.path(), &["diff", "--app", ".", "--template", &old]);
        assert_eq!(r.result, Ok(0), "{case}: {}", r.err);
        if r.out != expected {
            let diff = TextDiff::from_lines(&expected, &r.out)
                .unified_diff()
                .header("cdk", "rcdk")
                .to_string();
            mismatches.push(format!("== {case} ==\n{diff}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "rcdk diff differs from cdk diff in {} of {} cases:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
