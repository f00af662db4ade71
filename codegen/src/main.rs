//! `rcdk-codegen`: regenerate the typed L1 resources or refresh the vendored schemas.
//!
//! ```text
//! cargo run -p codegen -- generate            # write cdk-constructs/src/generated + features
//! cargo run -p codegen -- check               # exit 1 when the checked-in code is stale
//! cargo run -p codegen -- vendor --from DIR   # DIR = .../site-packages/cfnlint/data/schemas
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: rcdk-codegen generate | check | vendor --from <cfnlint/data/schemas> [--version V]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rcdk-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("generate") => {
            let input = codegen::input::load_vendored()?;
            let out = codegen::generate(&input, &codegen::default_services()?)?;
            codegen::write(&out)?;
            let s = &out.stats;
            println!(
                "generated {} services, {} resource types, {} property types, {} enums from cfn-lint {} ({} patterns skipped: lookaround or backreferences, which Rust regex does not support)",
                s.services, s.resources, s.structs, s.enums, input.cfn_lint_version, s.skipped_patterns
            );
            Ok(())
        }
        Some("check") => {
            let input = codegen::input::load_vendored()?;
            let out = codegen::generate(&input, &codegen::default_services()?)?;
            let stale = codegen::stale_files(&out)?;
            if stale.is_empty() {
                println!("generated code is up to date");
                Ok(())
            } else {
                Err(format!(
                    "stale (run `cargo run -p codegen -- generate`):\n  {}",
                    stale.join("\n  ")
                ))
            }
        }
        Some("vendor") => {
            let mut from = None;
            let mut version = None;
            let mut it = args[1..].iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--from" => from = it.next().map(PathBuf::from),
                    "--version" => version = it.next().cloned(),
                    other => return Err(format!("unknown argument {other}\n{USAGE}")),
                }
            }
            let from = from.ok_or(USAGE)?;
            let (gz, version) = codegen::input::vendor(&from, version.as_deref())?;
            let dir = codegen::input::schemas_dir();
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            for e in std::fs::read_dir(&dir)
                .map_err(|e| e.to_string())?
                .flatten()
            {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with("cfn-lint-") && name.ends_with(".json.gz") {
                    std::fs::remove_file(e.path()).map_err(|e| e.to_string())?;
                }
            }
            let path = dir.join(format!("cfn-lint-{version}.json.gz"));
            std::fs::write(&path, &gz).map_err(|e| e.to_string())?;
            println!("wrote {} ({} bytes)", path.display(), gz.len());
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}
