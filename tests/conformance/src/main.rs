//! `cargo run -p rcdk-conformance -- [--markdown] [--skip-path-only] [FILTER]`: the score
//! table and every difference (`--markdown`: the table as Markdown; `--skip-path-only`: leave
//! out elements whose only difference is rcdk's `aws:cdk:path` metadata).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let markdown = args.iter().any(|a| a == "--markdown");
    let skip_path_only = args.iter().any(|a| a == "--skip-path-only");
    let filter = args.iter().find(|a| !a.starts_with("--")).cloned();
    let runs = match rcdk_conformance::run_all(filter.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    if markdown {
        print!("{}", rcdk_conformance::report::markdown_table(&runs));
        return;
    }
    print!("{}", rcdk_conformance::report::table(&runs));
    println!();
    print!(
        "{}",
        rcdk_conformance::report::differences(&runs, 300, skip_path_only)
    );
}
