//! Fingerprint throughput against `sha256sum` over the same files.
//!
//! ```text
//! cargo bench -p cdk-core --bench fingerprint                      # 10,000 files / 1 GiB
//! RCDK_BENCH_FILES=2000 RCDK_BENCH_MIB=200 cargo bench -p cdk-core --bench fingerprint
//! ```
//!
//! Generates a tree of pseudo-random files (100 per directory) in a temporary directory (or
//! `RCDK_BENCH_DIR`, kept between runs), warms the page cache, then times
//! `cdk_core::fingerprint` and `find DIR -type f -print0 | xargs -0 sha256sum` alternately
//! (`RCDK_BENCH_RUNS` times each, default 3) and prints the best throughput of each and the
//! ratio. The issue's target is a ratio of at least 0.80.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cdk_core::{fingerprint, FingerprintOptions};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes `files` files totalling about `total` bytes (sizes vary ±50 % around the mean).
fn generate(root: &Path, files: u64, total: u64) -> std::io::Result<u64> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mean = total / files.max(1);
    let mut written = 0;
    let mut block = vec![0u8; 64 * 1024];
    for i in 0..files {
        let dir = root.join(format!("d{:04}", i / 100));
        fs::create_dir_all(&dir)?;
        let size = if mean == 0 {
            0
        } else {
            mean / 2 + next() % mean.max(1)
        };
        let mut out = BufWriter::with_capacity(
            256 * 1024,
            fs::File::create(dir.join(format!("f{i:06}.bin")))?,
        );
        let mut left = size;
        while left > 0 {
            for chunk in block.chunks_mut(8) {
                let v = next().to_le_bytes();
                chunk.copy_from_slice(&v[..chunk.len()]);
            }
            let n = left.min(block.len() as u64) as usize;
            out.write_all(&block[..n])?;
            left -= n as u64;
        }
        out.flush()?;
        written += size;
    }
    Ok(written)
}

fn time_sha256sum(root: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg("find \"$1\" -type f -print0 | xargs -0 sha256sum > /dev/null")
        .arg("sh")
        .arg(root)
        .stdout(Stdio::null())
        .status()
        .expect("run sha256sum");
    assert!(status.success(), "sha256sum failed");
    started.elapsed()
}

fn time_fingerprint(root: &Path) -> (Duration, String) {
    let started = Instant::now();
    let hash = fingerprint(root, &FingerprintOptions::default()).expect("fingerprint");
    (started.elapsed(), hash)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing special. Either way
    // a tiny run keeps `cargo test --all-targets` fast.
    let quick = !std::env::args().any(|a| a == "--bench");
    let files = env_number("RCDK_BENCH_FILES", if quick { 50 } else { 10_000 });
    let mib = env_number("RCDK_BENCH_MIB", if quick { 1 } else { 1024 });
    let runs = env_number("RCDK_BENCH_RUNS", if quick { 1 } else { 3 }).max(1);

    let temp;
    let root = match std::env::var_os("RCDK_BENCH_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => {
            temp = tempfile::tempdir().expect("temporary directory");
            temp.path().join("tree")
        }
    };
    let marker = root.join(format!(".generated-{files}-{mib}"));
    let bytes = if marker.exists() {
        let sizes: u64 = walk_size(&root);
        println!("reusing {} ({files} files)", root.display());
        sizes
    } else {
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).expect("create tree");
        let started = Instant::now();
        let bytes = generate(&root, files, mib * 1024 * 1024).expect("generate tree");
        fs::write(&marker, b"").expect("marker");
        println!(
            "generated {files} files, {:.1} MiB in {:.1}s under {}",
            bytes as f64 / 1048576.0,
            started.elapsed().as_secs_f64(),
            root.display()
        );
        bytes
    };

    // Warm the page cache for both contenders.
    time_sha256sum(&root);
    let (_, reference) = time_fingerprint(&root);

    let mut best_fp = Duration::MAX;
    let mut best_sum = Duration::MAX;
    for run in 1..=runs {
        let (fp, hash) = time_fingerprint(&root);
        assert_eq!(hash, reference, "fingerprint is not stable");
        let sum = time_sha256sum(&root);
        println!(
            "run {run}: fingerprint {:.3}s, sha256sum {:.3}s",
            fp.as_secs_f64(),
            sum.as_secs_f64()
        );
        best_fp = best_fp.min(fp);
        best_sum = best_sum.min(sum);
    }
    let mib_total = bytes as f64 / 1048576.0;
    let fp_rate = mib_total / best_fp.as_secs_f64();
    let sum_rate = mib_total / best_sum.as_secs_f64();
    println!(
        "fingerprint: {fp_rate:.0} MiB/s, sha256sum: {sum_rate:.0} MiB/s, ratio {:.2} (target >= 0.80), threads available: {}",
        fp_rate / sum_rate,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
}

fn walk_size(root: &Path) -> u64 {
    let mut total = 0;
    let mut work = vec![root.to_path_buf()];
    while let Some(dir) = work.pop() {
        for entry in fs::read_dir(&dir).expect("read dir").flatten() {
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                work.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}
