//! Synthesizes the CDK pipeline example (run it through `rcdk synth`, or directly: it writes
//! `$CDK_OUTDIR`, else `cdk.out`).

use cdk_core::App;

fn main() {
    let app = App::new();
    cdk_pipeline_example::build(&app);
    app.synth_or_exit();
}
