//! Match semantics, case by case as aws-cdk-lib's `match.test.ts` states them.

use cdk_assertions::{pattern, Capture, Match, Matcher, Pattern};
use serde_json::{json, Value};

fn human(m: &Matcher, actual: Value) -> Vec<String> {
    m.test(&actual).to_human_strings()
}

fn ok(m: &Matcher, actual: Value) -> bool {
    m.test(&actual).is_success()
}

fn literal(p: impl Into<Pattern>) -> Matcher {
    Match::object_like(pattern!({"v": p.into()}))
}

#[test]
fn object_like_ignores_extra_keys_at_every_depth() {
    let m = Match::object_like(pattern!({"a": {"b": 1}}));
    assert!(ok(&m, json!({"a": {"b": 1, "c": 2}, "d": 3})));
    assert_eq!(
        human(&m, json!({"a": {"c": 2}})),
        ["Missing key 'b' at /a/b (using objectLike matcher)"]
    );
    assert_eq!(
        human(&m, json!([1])),
        ["Expected type object but received array (using objectLike matcher)"]
    );
}

#[test]
fn object_equals_rejects_extra_keys_and_nested_extras() {
    let m = Match::object_equals(pattern!({"a": {"b": 1}}));
    assert!(ok(&m, json!({"a": {"b": 1}})));
    assert_eq!(
        human(&m, json!({"a": {"b": 1}, "z": 0})),
        ["Unexpected key z at /z (using objectEquals matcher)"]
    );
    assert_eq!(
        human(&m, json!({"a": {"b": 1, "c": 2}})),
        ["Unexpected key c at /a/c (using objectEquals matcher)"]
    );
}

#[test]
fn literal_values_compare_by_type_then_value() {
    let m = literal(3);
    assert!(ok(&m, json!({"v": 3.0})));
    assert_eq!(
        human(&m, json!({"v": "3"})),
        ["Expected type number but received string at /v (using objectLike matcher)"]
    );
    assert_eq!(
        human(&m, json!({"v": 4})),
        ["Expected 3 but received 4 at /v (using objectLike matcher)"]
    );
    assert_eq!(
        human(&literal("x"), json!({"v": "y"})),
        ["Expected x but received y at /v (using objectLike matcher)"]
    );
    assert!(ok(&literal(Pattern::Null), json!({"v": null})));
}

#[test]
fn literal_arrays_are_exact_in_length_and_order() {
    let m = literal(pattern!([1, 2]));
    assert!(ok(&m, json!({"v": [1, 2]})));
    assert_eq!(
        human(&m, json!({"v": [1, 2, 3]})),
        ["Too many elements in array (expecting 2, got 3) at /v/2 (using objectLike matcher)"]
    );
    assert_eq!(
        human(&m, json!({"v": [1]})),
        ["Not enough elements in array (expecting 2, got 1) at /v/1 (using objectLike matcher)"]
    );
    assert!(!ok(&m, json!({"v": [2, 1]})));
    // Objects inside a literal array keep the partial matching of objectLike.
    let m = literal(pattern!([{"Key": "a"}]));
    assert!(ok(&m, json!({"v": [{"Key": "a", "Value": "b"}]})));
}

#[test]
fn array_with_is_an_ordered_subsequence_with_exact_literal_elements() {
    let m = Match::array_with([1, 3]);
    assert!(ok(&m, json!([0, 1, 2, 3, 4])));
    assert!(!ok(&m, json!([3, 1])), "order matters");
    let actual = json!([3, 2]);
    let r = m.test(&actual);
    assert_eq!(
        r.to_human_strings(),
        [
            "Could not match arrayWith pattern 0. This is the closest match at /0 (using arrayWith matcher)",
            "Expected 1 but received 3 at /0 (using arrayWith matcher)"
        ]
    );
    // A literal object element must match exactly; objectLike makes it partial.
    assert!(!ok(
        &Match::array_with([pattern!({"a": 1})]),
        json!([{"a": 1, "b": 2}])
    ));
    assert!(ok(
        &Match::array_with([Match::object_like(pattern!({"a": 1}))]),
        json!([{"a": 1, "b": 2}])
    ));
    assert_eq!(
        human(&Match::array_with([1]), json!({"a": 1})),
        ["Expected type array but received object (using arrayWith matcher)"]
    );
    assert_eq!(
        human(&Match::array_with([1]), json!([])),
        ["Could not match arrayWith pattern 0. No more elements to try at /0 (using arrayWith matcher)"]
    );
}

#[test]
#[should_panic(expected = "The Matcher absent() cannot be nested within arrayWith()")]
fn array_with_rejects_absent_elements() {
    Match::array_with([Match::absent()]).test(&json!([1]));
}

#[test]
fn array_equals_and_exact() {
    assert!(ok(&Match::array_equals([1, 2]), json!([1, 2])));
    assert!(!ok(&Match::array_equals([1, 2]), json!([1, 2, 3])));
    let m = Match::exact(pattern!({"a": {"b": 1}}));
    assert!(ok(&m, json!({"a": {"b": 1}})));
    assert_eq!(
        human(&m, json!({"a": {"b": 1, "c": 1}})),
        ["Unexpected key c at /a/c (using exact matcher)"]
    );
}

#[test]
#[should_panic(expected = "LiteralMatch cannot directly contain another matcher")]
fn exact_of_a_matcher_is_refused() {
    Match::exact(Match::any_value());
}

#[test]
fn absent_any_value_and_not() {
    let absent = Match::object_like(pattern!({"a": Match::absent()}));
    assert!(ok(&absent, json!({"b": 1})));
    assert_eq!(
        human(&absent, json!({"a": 5})),
        ["Received 5, but key should be absent at /a (using absent matcher)"]
    );
    let any = Match::object_like(pattern!({"a": Match::any_value()}));
    assert!(ok(&any, json!({"a": [1]})));
    assert_eq!(
        human(&any, json!({"a": null})),
        ["Expected a value but found none at /a (using anyValue matcher)"]
    );
    assert_eq!(
        human(&any, json!({})),
        ["Missing key 'a' at /a (using objectLike matcher)"]
    );
    let not = Match::not(pattern!({"a": 1}));
    assert!(ok(&not, json!({"a": 2})));
    assert!(!ok(&not, json!({"a": 1})));
    // A literal inside not() matches exactly, as aws-cdk-lib's NotMatch wraps it.
    assert!(ok(&not, json!({"a": 1, "b": 2})));
}

#[test]
fn serialized_json_and_regexp() {
    let m = Match::serialized_json(pattern!({"States": {"A": Match::any_value()}}));
    assert!(ok(&m, json!("{\"States\": {\"A\": 1}}")));
    assert_eq!(
        human(&m, json!({"a": 1})),
        ["Expected JSON as a string but found object (using serializedJson matcher)"]
    );
    assert_eq!(
        human(&m, json!("{nope")),
        ["Invalid JSON string: {nope (using serializedJson matcher)"]
    );
    let r = Match::string_like_regexp("^arn:aws:iam::\\d{12}:role/");
    assert!(ok(&r, json!("arn:aws:iam::111111111111:role/x")));
    assert!(!ok(&r, json!(12)));
    // "gm": ^ matches at the start of any line.
    assert!(ok(&Match::string_like_regexp("^b"), json!("a\nb")));
}

#[test]
fn captures_collect_one_value_per_successful_match() {
    let c = Capture::new();
    let m = Match::object_like(pattern!({"a": &c}));
    let actual = json!({"a": [1, 2]});
    let result = m.test(&actual);
    result.finish();
    assert_eq!(c.as_array(), vec![json!(1), json!(2)]);
    // Values of failed matches are not kept.
    let actual = json!({"a": "x"});
    let failed = Match::object_like(pattern!({"a": &c, "b": 1})).test(&actual);
    failed.finish();
    assert_eq!(c.values().len(), 1);
    let typed = Capture::with_pattern(Match::string_like_regexp("^x"));
    let y = json!({"a": "y"});
    assert!(Match::object_like(pattern!({"a": &typed}))
        .test(&y)
        .has_failed());
    let null = json!({"a": null});
    let nullish = Match::object_like(pattern!({"a": &typed})).test(&null);
    assert_eq!(
        nullish.to_human_strings(),
        ["Can only capture non-nullish values. Found null at /a (using Capture matcher)"]
    );
}

#[test]
#[should_panic(expected = "Captured value is expected to be string but found number. Value is 3")]
fn capture_getters_check_the_type() {
    let c = Capture::new();
    Match::object_like(pattern!({"a": &c}))
        .test(&json!({"a": 3}))
        .finish();
    assert_eq!(c.as_number(), 3.0);
    let _ = c.as_string();
}

#[test]
#[should_panic(expected = "No value captured")]
fn capture_without_value() {
    Capture::new().as_bool();
}

#[test]
fn render_mismatch_marks_the_failing_path() {
    let m = Match::object_like(pattern!({"Properties": {"A": 1, "B": [1]}}));
    let actual = json!({"Properties": {"A": 2, "B": [1], "C": {"x": 1, "y": 2}}, "Type": "T"});
    let rendered = m.test(&actual).render_mismatch();
    insta::assert_snapshot!(rendered);
    let marker = rendered
        .lines()
        .find(|l| l.starts_with("!!"))
        .expect("a marker line");
    assert!(marker.ends_with("Expected 1 but received 2"), "{marker}");
    assert!(
        rendered.contains("\"C\": { ... }"),
        "other values are abridged"
    );
}

#[test]
fn pattern_keys_may_be_computed() {
    let id = format!("Role{}", 42);
    let m =
        Match::object_equals(pattern!({(id.as_str()): {"Type": "AWS::IAM::Role"}, "Other": null}));
    assert!(ok(
        &m,
        json!({"Role42": {"Type": "AWS::IAM::Role"}, "Other": null})
    ));
    assert!(!ok(
        &m,
        json!({"Role41": {"Type": "AWS::IAM::Role"}, "Other": null})
    ));
    let nested = pattern!({"Resources": {(&id): [1, {(id.clone()): Match::any_value()}]}});
    assert!(Match::object_like(nested)
        .test(&json!({"Resources": {"Role42": [1, {"Role42": 0}]}}))
        .is_success());
}
