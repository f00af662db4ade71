//! Property tests (proptest): construct IDs and paths, and the asset fingerprint. Short by
//! default; `PROPTEST_CASES=5000 cargo test -p cdk-core --test properties` runs longer.
//! Failures are not persisted into the source tree (the shrunk case is in the panic message).

use std::fs;
use std::path::Path;

use cdk_core::logical_id::{construct_addr, is_valid_logical_id, make_unique_id};
use cdk_core::{
    fingerprint, App, AppProps, CfnResource, CfnResourceProps, FingerprintOptions, IConstruct,
    Node, Stack, StackProps,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: rcdk_tests::property_cases(48),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Construct IDs as users write them, and the ones they should not: ASCII, non-ASCII only,
/// with `/`, empty, the hidden `Default` / `Resource`, long.
fn construct_id() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9]{0,12}",
        "[A-Za-z0-9 _.:-]{0,20}",
        "\\PC{0,8}",
        "[桶🪣é]{1,3}",
        Just(String::new()),
        Just("Default".to_string()),
        Just("Resource".to_string()),
        "[a-z]{1,3}/[a-z]{1,3}",
        "[A-Za-z]{250,300}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn unique_ids_are_alphanumeric_and_addresses_are_stable(ids in prop::collection::vec(construct_id(), 1..6)) {
        let id = make_unique_id(&ids);
        prop_assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id:?}");
        prop_assert!(id.len() <= 255, "{}", id.len());
        // Valid unless a single component has no ASCII letter or digit (as in aws-cdk-lib).
        let visible: Vec<&String> = ids.iter().filter(|c| c.as_str() != "Default").collect();
        if visible.len() > 1 {
            prop_assert!(is_valid_logical_id(&id), "{ids:?} -> {id:?}");
        }
        let addr = construct_addr(&ids);
        prop_assert_eq!(addr.len(), 42);
        prop_assert_eq!(addr, construct_addr(&ids));
    }

    #[test]
    fn any_tree_synthesizes_or_reports_errors_without_panicking(
        paths in prop::collection::vec(prop::collection::vec(construct_id(), 1..4), 1..6),
        stack_id in construct_id(),
    ) {
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("cdk.out");
        let app = App::with_props(AppProps { outdir: Some(out.clone()), ..Default::default() });
        let stack = Stack::new(&app, &stack_id, StackProps::default());
        for path in &paths {
            let (leaf, parents) = path.split_last().unwrap();
            let mut scope = stack.node().clone();
            for id in parents {
                scope = scope.try_find_child(id).unwrap_or_else(|| Node::new(&scope, id));
            }
            CfnResource::new(&scope, leaf, CfnResourceProps {
                resource_type: "AWS::SNS::Topic".into(),
                ..Default::default()
            });
        }
        match app.synth() {
            Ok(assembly) => {
                for s in &assembly.stacks {
                    for id in s.template["Resources"].as_object().unwrap().keys() {
                        prop_assert!(is_valid_logical_id(id), "{id:?}");
                    }
                }
            }
            Err(e) => {
                let messages = e.messages();
                prop_assert!(!messages.is_empty());
                for m in &messages {
                    prop_assert!(!m.contains("<invalid"), "{m}");
                    prop_assert!(
                        m.starts_with('[') || m.contains("stack '"),
                        "a construct or stack path names each problem: {m}"
                    );
                }
                prop_assert!(!out.exists(), "nothing written on error");
            }
        }
    }

    #[test]
    fn fingerprints_ignore_the_location_and_line_endings_and_see_every_content_change(
        files in prop::collection::btree_map("[a-z]{1,6}(/[a-z]{1,6}){0,2}", content(), 1..6),
        pick in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
    ) {
        let work = tempfile::tempdir().unwrap();
        let here = work.path().join("a");
        // Keep only paths that are not a prefix directory of another one.
        let names: Vec<&String> = files.keys().collect();
        let files: Vec<(&String, &Vec<u8>)> = files
            .iter()
            .filter(|(p, _)| !names.iter().any(|o| o.starts_with(&format!("{p}/"))))
            .collect();
        write_tree(&here, &files);
        let options = FingerprintOptions::default();
        let first = fingerprint(&here, &options).unwrap();
        // Moved: same hash.
        let there = work.path().join("elsewhere/b");
        fs::create_dir_all(there.parent().unwrap()).unwrap();
        fs::rename(&here, &there).unwrap();
        prop_assert_eq!(&fingerprint(&there, &options).unwrap(), &first);
        // Text checked out with CRLF line endings: same hash (aws-cdk-lib normalises them).
        let (path, bytes) = files[pick.index(files.len())];
        let binary = bytes.first() == Some(&0);
        if !binary {
            let crlf = String::from_utf8(bytes.clone()).unwrap().replace('\n', "\r\n");
            fs::write(there.join(path), crlf).unwrap();
            prop_assert_eq!(&fingerprint(&there, &options).unwrap(), &first);
        }
        // Any content byte changed (or appended to an empty file): another hash. Text stays
        // text (printable ASCII xor 1 is never NUL or CR); a binary file keeps its NUL.
        let mut changed = bytes.clone();
        let first_changeable = usize::from(binary);
        if changed.len() <= first_changeable {
            changed.push(b'x');
        } else {
            let i = first_changeable + flip.index(changed.len() - first_changeable);
            changed[i] ^= 0x01;
        }
        fs::write(there.join(path), &changed).unwrap();
        prop_assert_ne!(fingerprint(&there, &options).unwrap(), first);
    }
}

/// File content: text (printable ASCII and line feeds) or binary (starting with a NUL, as
/// aws-cdk-lib detects binary files).
fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[ -~\n]{0,64}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(|mut b| {
            b.insert(0, 0);
            b
        }),
    ]
}

fn write_tree(root: &Path, files: &[(&String, &Vec<u8>)]) {
    for (path, bytes) in files {
        let file = root.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, bytes).unwrap();
    }
}
