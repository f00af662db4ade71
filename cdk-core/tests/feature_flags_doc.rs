//! docs/feature-flags.md lists every flag rcdk reads, with its absent behaviour.

#[test]
fn the_feature_flag_table_lists_every_flag_with_its_absent_behaviour() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/feature-flags.md"),
    )
    .expect("docs/feature-flags.md");
    for flag in cdk_core::feature_flags::FLAGS {
        let absent = if flag.absent_default { "on" } else { "off" };
        let row = format!("| `{}` | {absent} |", flag.name);
        assert!(
            doc.contains(&row),
            "docs/feature-flags.md lacks the row `{row}`"
        );
    }
}
