//! Synthesizes the cross-account source example (run it through `rcdk synth`, or directly: it
//! writes `$CDK_OUTDIR`, else `cdk.out`).

use std::process::ExitCode;

use cdk_core::App;
use cross_account_source_example::{build, Settings};

fn main() -> ExitCode {
    let app = App::new();
    let settings = match Settings::from_context(&app) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    build(&app, &settings);
    app.synth_or_exit();
    ExitCode::SUCCESS
}
