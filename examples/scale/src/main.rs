//! `scale [l1|l2] STACKS RESOURCES`: synthesizes a generated app (for benchmarks).

use std::process::ExitCode;

use cdk_core::App;
use scale_example::{build, Kind};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, rest) = match args.first().map(|a| a.parse::<Kind>()) {
        Some(Ok(kind)) => (kind, &args[1..]),
        _ => (Kind::L1, &args[..]),
    };
    let numbers: Result<Vec<usize>, _> = rest.iter().map(|a| a.parse::<usize>()).collect();
    let (stacks, resources) = match numbers.as_deref() {
        Ok([s, r]) => (*s, *r),
        _ => {
            eprintln!("usage: scale [l1|l2] STACKS RESOURCES");
            return ExitCode::from(2);
        }
    };
    let trace = std::env::var_os("SCALE_TRACE").is_some();
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    let app = App::new();
    let t = std::time::Instant::now();
    build(&app, kind, stacks, resources);
    if trace {
        eprintln!("built in {:?}; {}", t.elapsed(), rss());
    }
    let t = std::time::Instant::now();
    app.synth_or_exit();
    if trace {
        eprintln!("synth in {:?}; {}", t.elapsed(), rss());
    }
    ExitCode::SUCCESS
}
