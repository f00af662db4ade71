//! `rcdk watch` end to end against moto: the first deployment creates the stack through
//! CloudFormation, a change to an observed file re-runs the app and hotswaps the new function
//! code; a change to an excluded file triggers nothing. The app is a shell command copying one
//! of two pre-synthesized assemblies, chosen by the observed file `src/version`.
//!
//! Without moto installed the test prints a skip notice, unless `CI` is set (then it fails).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::lambda_app::{function_configuration, synth};
use common::moto::{moto_or_skip, point_at, ACCOUNT, REGION};

/// Kills the watching process when the test ends, whatever happens.
struct Watching(Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (at most `limit`) for a line of stderr containing `text`; returns everything read.
fn wait_for(lines: &Receiver<String>, seen: &mut String, text: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !seen.contains(text) {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                eprintln!("watch| {line}");
                seen.push_str(&line);
                seen.push('\n');
            }
            Err(_) => panic!("no {text:?} within {} s; output:\n{seen}", limit.as_secs()),
        }
    }
}

#[test]
fn watch_deploys_then_hotswaps_on_a_file_change() {
    let Some(moto) = moto_or_skip("watch end-to-end test against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    point_at(&moto, &home);
    let assemblies = work.path().join("assemblies");
    synth(&assemblies, &assemblies.join("v1"), "v1", 128);
    synth(&assemblies, &assemblies.join("v2"), "v2", 128);

    let project = work.path().join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::create_dir_all(project.join("notes")).unwrap();
    std::fs::write(
        project.join("src/version"),
        assemblies.join("v1").display().to_string(),
    )
    .unwrap();
    std::fs::write(
        project.join("cdk.json"),
        serde_json::json!({
            "app": "cp -R \"$(cat src/version)\"/. \"$CDK_OUTDIR\"",
            "watch": {"include": ["src/**"], "exclude": ["notes"]}
        })
        .to_string(),
    )
    .unwrap();

    let bootstrap = assert_cmd::Command::cargo_bin("rcdk")
        .unwrap()
        .current_dir(&project)
        .args(["bootstrap", &format!("aws://{ACCOUNT}/{REGION}")])
        .timeout(Duration::from_secs(90))
        .output()
        .unwrap();
    assert!(
        bootstrap.status.success(),
        "{}",
        String::from_utf8_lossy(&bootstrap.stderr)
    );

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("rcdk"))
        .current_dir(&project)
        .arg("watch")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rcdk watch starts");
    let stderr = child.stderr.take().unwrap();
    let _watching = Watching(child);
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let limit = Duration::from_secs(90);

    // The first deployment: the stack does not exist, so it goes through CloudFormation.
    wait_for(&lines, &mut seen, "Triggering initial 'rcdk deploy'", limit);
    wait_for(&lines, &mut seen, "✅ Hot CREATE_COMPLETE", limit);
    assert!(
        seen.contains("hotswapping needs a deployed stack"),
        "{seen}"
    );
    assert!(seen.contains("⚠️ The --hotswap and --hotswap-fallback flags deliberately introduce CloudFormation drift"), "{seen}");
    wait_for(&lines, &mut seen, "Hot: stack ARN", limit);

    // An excluded file changes nothing; an observed one triggers a hotswap of the new code.
    std::fs::write(project.join("notes/todo.txt"), "ignored").unwrap();
    std::fs::write(
        project.join("src/version"),
        assemblies.join("v2").display().to_string(),
    )
    .unwrap();
    wait_for(
        &lines,
        &mut seen,
        "Detected change to 'src/version' (type: change). Triggering 'rcdk deploy'",
        limit,
    );
    wait_for(&lines, &mut seen, "hotswapped!", limit);
    assert!(!seen.contains("notes/todo.txt"), "{seen}");
    let after_first_deploy = seen
        .split("Detected change")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(
        !after_first_deploy.contains("creating change set"),
        "{seen}"
    );

    let cfn_function = seen
        .lines()
        .find_map(|l| l.split("AWS::Lambda::Function '").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .expect("the function's name in the hotswap lines")
        .to_string();
    let config = function_configuration(&cfn_function);
    assert_eq!(config["Environment"]["Variables"]["VERSION"], "v2");
}
