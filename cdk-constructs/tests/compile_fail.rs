//! Required properties are required by the type system: leaving one out does not compile.

#[test]
fn missing_required_property_does_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
