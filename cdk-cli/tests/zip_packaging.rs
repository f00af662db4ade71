//! Deterministic zip packaging of staged directories (what `deploy` uploads for `zip` assets).

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, SystemTime};

use cdk_cli::deploy::zip::{package_directory_zip, write_directory_zip};

/// Creates `files` (relative path → content) under `root`.
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (rel, content) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
    }
}

const LAMBDA: &[(&str, &str)] = &[
    ("index.py", "def handler(event, context):\n    return 42\n"),
    ("lib/util.py", "X = 1\n"),
    ("lib/data/table.csv", "a,b\n1,2\n"),
];

fn set_mtime(path: &Path, when: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, u32, bool)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..archive.len())
        .map(|i| {
            let f = archive.by_index(i).unwrap();
            let time = f.last_modified().unwrap();
            assert_eq!(
                (
                    time.year(),
                    time.month(),
                    time.day(),
                    time.hour(),
                    time.minute(),
                    time.second()
                ),
                (1980, 1, 1, 0, 0, 0),
                "{:?}",
                f.name()
            );
            (
                f.name().unwrap().to_string(),
                f.unix_mode().unwrap() & 0o7777,
                f.is_dir(),
            )
        })
        .collect()
}

#[test]
fn zips_are_byte_identical_across_runs_copies_and_mtimes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_tree(a.path(), LAMBDA);
    fs::create_dir(a.path().join("empty")).unwrap();
    let mut reversed = LAMBDA.to_vec();
    reversed.reverse();
    write_tree(b.path(), &reversed);
    fs::create_dir(b.path().join("empty")).unwrap();
    for (rel, _) in LAMBDA {
        set_mtime(
            &b.path().join(rel),
            SystemTime::UNIX_EPOCH + Duration::from_secs(86_400 * 365 * 20),
        );
    }
    let first = package_directory_zip(a.path()).unwrap();
    let second = package_directory_zip(a.path()).unwrap();
    let copy = package_directory_zip(b.path()).unwrap();
    assert_eq!(first, second);
    assert_eq!(first, copy);

    let out = a.path().join("../zip-out-test.zip");
    write_directory_zip(a.path(), &out).unwrap();
    assert_eq!(fs::read(&out).unwrap(), first);
    fs::remove_file(&out).unwrap();

    let entries = zip_entries(&first);
    assert_eq!(
        entries,
        vec![
            ("empty/".to_string(), 0o755, true),
            ("index.py".to_string(), 0o644, false),
            ("lib/".to_string(), 0o755, true),
            ("lib/data/".to_string(), 0o755, true),
            ("lib/data/table.csv".to_string(), 0o644, false),
            ("lib/util.py".to_string(), 0o644, false),
        ]
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    let mut text = String::new();
    archive
        .by_name("lib/util.py")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "X = 1\n");
}

#[cfg(unix)]
#[test]
fn zip_keeps_the_executable_bit_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("bootstrap", "#!/bin/sh\n"),
            ("data.txt", "x"),
            ("odd.txt", "y"),
        ],
    );
    fs::set_permissions(
        dir.path().join("bootstrap"),
        fs::Permissions::from_mode(0o700),
    )
    .unwrap();
    fs::set_permissions(
        dir.path().join("odd.txt"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let entries = zip_entries(&package_directory_zip(dir.path()).unwrap());
    assert_eq!(
        entries,
        vec![
            ("bootstrap".to_string(), 0o755, false),
            ("data.txt".to_string(), 0o644, false),
            ("odd.txt".to_string(), 0o644, false),
        ]
    );
}

#[test]
fn zipping_a_missing_directory_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = package_directory_zip(dir.path().join("nope")).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}
