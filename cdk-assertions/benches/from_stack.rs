//! `Template::from_stack` on the flagship example's pipeline stack.
//!
//! ```sh
//! cargo bench -p cdk-assertions --bench from_stack                 # release (bench profile)
//! cargo bench -p cdk-assertions --bench from_stack --profile dev   # debug test build
//! ```
//!
//! Prints the time of 1,000 `from_stack` calls on one app (the cached path every test with
//! several assertions takes), of 1,000 calls that each follow a change to the app (full
//! in-memory synthesis), and of building the app plus one `from_stack` (a typical test).
//! Times are the CPU time of the benchmark thread (best of 3), so other load on a shared
//! machine does not inflate them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cdk_assertions::Template;
use cdk_core::{App, AppProps, CfnResource, IConstruct};
use cross_account_pipeline_example::{build, CrossAccountPipelineApp, Settings};

fn app() -> (App, CrossAccountPipelineApp) {
    let app = App::with_props(AppProps::default());
    let settings = Settings::from_context(&app).expect("default settings");
    let stacks = build(&app, &settings);
    (app, stacks)
}

fn best_of<F: FnMut() -> Duration>(runs: usize, mut f: F) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

/// CPU time of this thread (Linux `schedstat`), so that other load on a shared machine does
/// not count; falls back to wall time elsewhere.
struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: thread_cpu_ns(),
        }
    }

    /// CPU time since start (wall time when unavailable).
    fn elapsed(&self) -> Duration {
        match (self.cpu, thread_cpu_ns()) {
            (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
            _ => self.wall.elapsed(),
        }
    }
}

fn main() {
    let runs = 3;
    let (_, flagship) = app();
    let stack = flagship.pipeline.stack.clone();
    let count = Template::from_stack(&stack).to_json()["Resources"]
        .as_object()
        .map_or(0, |r| r.len());
    println!("pipeline stack: {count} resources");

    let cached = best_of(runs, || {
        let start = Clock::start();
        for _ in 0..1000 {
            let t = Template::from_stack(&stack);
            black_box(t.to_json());
        }
        start.elapsed()
    });
    println!(
        "1000 x from_stack, unchanged app: {:.1} ms ({:.1} us each)",
        ms(cached),
        us(cached) / 1000.0
    );

    let n = 100;
    let changed = best_of(runs, || {
        let bucket = CfnResource::from_node(
            &flagship
                .pipeline
                .bucket
                .node()
                .find_child("Resource")
                .expect("bucket resource"),
        )
        .expect("a CfnResource");
        let start = Clock::start();
        for i in 0..n {
            bucket.add_cfn_metadata("bench", i.to_string());
            black_box(Template::from_stack(&stack));
        }
        start.elapsed()
    });
    println!(
        "{n} x (change + from_stack): {:.1} ms ({:.2} ms each)",
        ms(changed),
        ms(changed) / n as f64
    );

    let fresh = best_of(runs, || {
        let start = Clock::start();
        for _ in 0..n {
            let (_, flagship) = app();
            black_box(Template::from_stack(&flagship.pipeline.stack));
        }
        start.elapsed()
    });
    println!(
        "{n} x (build app + from_stack): {:.1} ms ({:.2} ms each)",
        ms(fresh),
        ms(fresh) / n as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
