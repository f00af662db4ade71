//! `Template`: assertions on one synthesized CloudFormation template.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use cdk_core::{InMemoryAssembly, Stack};
use serde_json::{Map, Value as J};

use crate::error::AssertionError;
use crate::matcher::{Match, MatchResult, Matcher};
use crate::pattern::Pattern;
use crate::style;

enum Source {
    Owned(J),
    Shared(Rc<InMemoryAssembly>, usize),
}

/// A CloudFormation template to assert on (aws-cdk-lib's `Template`).
///
/// Every assertion panics with a report naming the closest candidates, the path inside each
/// where matching failed, and what was expected and found; its `try_` twin returns the same
/// report as an [`AssertionError`].
///
/// ```
/// use cdk_assertions::{pattern, Match, Template};
/// let t = Template::from_json(serde_json::json!({"Resources": {
///     "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 5, "Tags": [{"Key": "a", "Value": "b"}]}},
/// }}));
/// t.resource_count_is("AWS::SQS::Queue", 1);
/// t.has_resource_properties("AWS::SQS::Queue", pattern!({"DelaySeconds": 5}));
/// t.has_resource_properties("AWS::SQS::Queue", pattern!({"Tags": [{"Key": "a"}]}));
/// t.has_resource_properties("AWS::SQS::Queue", pattern!({"QueueName": Match::absent()}));
/// assert!(t.try_has_resource_properties("AWS::SQS::Queue", pattern!({"DelaySeconds": 6})).is_err());
/// ```
pub struct Template {
    source: Source,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Template({})", self.json())
    }
}

/// Options of [`Template::from_json_with`].
///
/// ```
/// use cdk_assertions::{Template, TemplateParsingOptions};
/// let cyclic = serde_json::json!({"Resources": {"A": {"Type": "T", "DependsOn": "A"}}});
/// let t = Template::from_json_with(cyclic, TemplateParsingOptions { skip_cyclical_dependencies_check: true });
/// t.resource_count_is("T", 1);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct TemplateParsingOptions {
    /// Do not check the template for dependency cycles between resources.
    pub skip_cyclical_dependencies_check: bool,
}

impl Template {
    /// The template of `stack`, synthesized in memory ([`cdk_core::synth::synth_in_memory`];
    /// cached while the app does not change, so calling this repeatedly is cheap).
    ///
    /// # Panics
    /// When synthesis fails (with its error) or the template has a dependency cycle.
    #[track_caller]
    pub fn from_stack(stack: &Stack) -> Template {
        match Template::try_from_stack(stack) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`Template::from_stack`], returning synthesis errors and cycles.
    pub fn try_from_stack(stack: &Stack) -> Result<Template, AssertionError> {
        let assembly = cdk_core::synth::synth_in_memory(stack)
            .map_err(|e| AssertionError::new(format!("synthesis failed: {e}")))?;
        let artifact_id = stack.artifact_id();
        let index = assembly
            .stacks
            .iter()
            .position(|s| s.artifact_id == artifact_id)
            .ok_or_else(|| {
                AssertionError::new(format!("stack '{artifact_id}' is not in the assembly"))
            })?;
        let template = Template {
            source: Source::Shared(assembly.clone(), index),
        };
        if !already_checked(&assembly, index) {
            check_cycles(template.json())?;
            CHECKED.with(|c| {
                let mut c = c.borrow_mut();
                c.retain(|(a, _)| a.strong_count() > 0);
                c.push((Rc::downgrade(&assembly), index));
            });
        }
        Ok(template)
    }

    /// A template from JSON.
    ///
    /// # Panics
    /// When the template has a dependency cycle between resources.
    #[track_caller]
    pub fn from_json(template: J) -> Template {
        Template::from_json_with(template, TemplateParsingOptions::default())
    }

    /// A template from JSON, with options.
    ///
    /// # Panics
    /// When the template has a dependency cycle and the check is not skipped.
    #[track_caller]
    pub fn from_json_with(template: J, options: TemplateParsingOptions) -> Template {
        if !options.skip_cyclical_dependencies_check {
            if let Err(e) = check_cycles(&template) {
                panic!("{e}");
            }
        }
        Template {
            source: Source::Owned(template),
        }
    }

    /// A template from JSON text.
    ///
    /// # Panics
    /// When the text is not JSON or the template has a dependency cycle.
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn from_str(text: &str) -> Template {
        match serde_json::from_str(text) {
            Ok(json) => Template::from_json(json),
            Err(e) => panic!("the template is not valid JSON: {e}"),
        }
    }

    /// The template as JSON (aws-cdk-lib's `toJSON`).
    pub fn to_json(&self) -> &J {
        self.json()
    }

    fn json(&self) -> &J {
        match &self.source {
            Source::Owned(j) => j,
            Source::Shared(assembly, i) => &assembly.stacks[*i].template,
        }
    }

    fn section(&self, name: &str) -> Vec<(&str, &J)> {
        self.json()
            .get(name)
            .and_then(J::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    fn resources_of_type(&self, ty: &str) -> Vec<(&str, &J)> {
        self.section("Resources")
            .into_iter()
            .filter(|(_, r)| r.get("Type").and_then(J::as_str) == Some(ty))
            .collect()
    }

    /// The resource with this logical ID.
    ///
    /// # Panics
    /// When there is none.
    #[track_caller]
    pub fn resource(&self, logical_id: &str) -> &J {
        match self.json().get("Resources").and_then(|r| r.get(logical_id)) {
            Some(r) => r,
            None => panic!(
                "Template has no resource '{logical_id}'. Resources: {}",
                self.section("Resources")
                    .iter()
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Asserts there are exactly `count` resources of type `ty`.
    #[track_caller]
    pub fn resource_count_is(&self, ty: &str, count: usize) {
        unwrap(self.try_resource_count_is(ty, count));
    }

    /// [`Template::resource_count_is`] as a `Result`.
    pub fn try_resource_count_is(&self, ty: &str, count: usize) -> Result<(), AssertionError> {
        let counted = self.resources_of_type(ty).len();
        if counted == count {
            return Ok(());
        }
        let mut message = format!("Expected {count} resources of type {ty} but found {counted}");
        let ids: Vec<&str> = self
            .resources_of_type(ty)
            .iter()
            .map(|(id, _)| *id)
            .collect();
        if !ids.is_empty() {
            message.push_str(&format!(": {}", ids.join(", ")));
        }
        Err(AssertionError::new(message))
    }

    /// Asserts there are exactly `count` resources of type `ty` whose `Properties` match.
    #[track_caller]
    pub fn resource_properties_count_is(&self, ty: &str, props: impl Into<Pattern>, count: usize) {
        unwrap(self.try_resource_properties_count_is(ty, props, count));
    }

    /// [`Template::resource_properties_count_is`] as a `Result`.
    pub fn try_resource_properties_count_is(
        &self,
        ty: &str,
        props: impl Into<Pattern>,
        count: usize,
    ) -> Result<(), AssertionError> {
        let props = props.into();
        let entries = self.amended(ty, &props);
        let result = match_section(borrowed(&entries), &properties_pattern(props));
        let counted = result.matches.len();
        if counted == count {
            Ok(())
        } else {
            Err(AssertionError::new(format!(
                "Expected {count} resources of type {ty} but found {counted}"
            )))
        }
    }

    /// Asserts some resource of type `ty` has `Properties` matching `props` (a literal object
    /// matches as `object_like`, at every depth; arrays exactly).
    #[track_caller]
    pub fn has_resource_properties(&self, ty: &str, props: impl Into<Pattern>) {
        unwrap(self.try_has_resource_properties(ty, props));
    }

    /// [`Template::has_resource_properties`] as a `Result`.
    pub fn try_has_resource_properties(
        &self,
        ty: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        let props = props.into();
        let entries = self.amended(ty, &props);
        let result = match_section(borrowed(&entries), &properties_pattern(props));
        result.to_error(&format!("resources with type {ty}"), "Template")
    }

    /// Asserts some resource of type `ty` matches `props` as a whole (`Properties`,
    /// `DependsOn`, `DeletionPolicy`, ...).
    #[track_caller]
    pub fn has_resource(&self, ty: &str, props: impl Into<Pattern>) {
        unwrap(self.try_has_resource(ty, props));
    }

    /// [`Template::has_resource`] as a `Result`.
    pub fn try_has_resource(
        &self,
        ty: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        let result = match_section(self.resources_of_type(ty), &props.into());
        result.to_error(&format!("resources with type {ty}"), "Template")
    }

    /// The resources of type `ty` that match `props` as a whole, by logical ID.
    pub fn find_resources(&self, ty: &str, props: impl Into<Pattern>) -> Map<String, J> {
        match_section(self.resources_of_type(ty), &props.into()).matched()
    }

    /// The logical ID of the one resource of type `ty` matching `props`.
    #[track_caller]
    pub fn get_resource_id(&self, ty: &str, props: impl Into<Pattern>) -> String {
        unwrap(self.try_get_resource_id(ty, props))
    }

    /// [`Template::get_resource_id`] as a `Result`.
    pub fn try_get_resource_id(
        &self,
        ty: &str,
        props: impl Into<Pattern>,
    ) -> Result<String, AssertionError> {
        let result = match_section(self.resources_of_type(ty), &props.into());
        if result.matches.is_empty() {
            return result
                .to_error(&format!("resources with type {ty}"), "Template")
                .map(|_| String::new());
        }
        match result.matches.as_slice() {
            [(id, _)] => Ok(id.to_string()),
            many => Err(AssertionError::new(format!(
                "Template has {} matches, expected only one.\n{}",
                many.len(),
                left_pad(&serde_json::to_string_pretty(&result.matched()).unwrap_or_default())
            ))),
        }
    }

    /// Asserts every resource of type `ty` matches `props` as a whole.
    #[track_caller]
    pub fn all_resources(&self, ty: &str, props: impl Into<Pattern>) {
        unwrap(self.try_all_resources(ty, props));
    }

    /// [`Template::all_resources`] as a `Result`.
    pub fn try_all_resources(
        &self,
        ty: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        all(self.resources_of_type(ty), &props.into(), ty)
    }

    /// Asserts every resource of type `ty` has `Properties` matching `props`.
    #[track_caller]
    pub fn all_resources_properties(&self, ty: &str, props: impl Into<Pattern>) {
        unwrap(self.try_all_resources_properties(ty, props));
    }

    /// [`Template::all_resources_properties`] as a `Result`.
    pub fn try_all_resources_properties(
        &self,
        ty: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        let props = props.into();
        let entries = self.amended(ty, &props);
        all(borrowed(&entries), &properties_pattern(props), ty)
    }

    /// Resources of type `ty`, with an empty `Properties` added where there is none (as
    /// aws-cdk-lib does before matching properties, unless the pattern is `absent`).
    fn amended(&self, ty: &str, props: &Pattern) -> Vec<(&str, Cow<'_, J>)> {
        let absent = props.as_matcher().is_some_and(Matcher::is_absent);
        self.resources_of_type(ty)
            .into_iter()
            .map(|(id, r)| {
                if absent || r.get("Properties").is_some() {
                    (id, Cow::Borrowed(r))
                } else {
                    let mut r = r.clone();
                    if let J::Object(m) = &mut r {
                        m.insert("Properties".into(), J::Object(Map::new()));
                    }
                    (id, Cow::Owned(r))
                }
            })
            .collect()
    }

    fn has_in(
        &self,
        section: &str,
        id: &str,
        props: Pattern,
        qualifier: &str,
    ) -> Result<(), AssertionError> {
        let entries = filter_logical_id(self.section(section), id);
        match_section(entries, &props).to_error(qualifier, "Template")
    }

    fn find_in(&self, section: &str, id: &str, props: Pattern) -> Map<String, J> {
        match_section(filter_logical_id(self.section(section), id), &props).matched()
    }

    /// Asserts parameter `logical_id` (`*` for any) matches `props`.
    #[track_caller]
    pub fn has_parameter(&self, logical_id: &str, props: impl Into<Pattern>) {
        unwrap(self.try_has_parameter(logical_id, props));
    }

    /// [`Template::has_parameter`] as a `Result`.
    pub fn try_has_parameter(
        &self,
        logical_id: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        self.has_in(
            "Parameters",
            logical_id,
            props.into(),
            &format!("parameters with logicalId '{logical_id}'"),
        )
    }

    /// Parameters named `logical_id` (`*` for any) that match `props`.
    pub fn find_parameters(&self, logical_id: &str, props: impl Into<Pattern>) -> Map<String, J> {
        self.find_in("Parameters", logical_id, props.into())
    }

    /// Asserts output `logical_id` (`*` for any) matches `props`.
    #[track_caller]
    pub fn has_output(&self, logical_id: &str, props: impl Into<Pattern>) {
        unwrap(self.try_has_output(logical_id, props));
    }

    /// [`Template::has_output`] as a `Result`.
    pub fn try_has_output(
        &self,
        logical_id: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        self.has_in(
            "Outputs",
            logical_id,
            props.into(),
            &format!("outputs named {logical_id}"),
        )
    }

    /// Outputs named `logical_id` (`*` for any) that match `props`.
    pub fn find_outputs(&self, logical_id: &str, props: impl Into<Pattern>) -> Map<String, J> {
        self.find_in("Outputs", logical_id, props.into())
    }

    /// Asserts mapping `logical_id` (`*` for any) matches `props`.
    #[track_caller]
    pub fn has_mapping(&self, logical_id: &str, props: impl Into<Pattern>) {
        unwrap(self.try_has_mapping(logical_id, props));
    }

    /// [`Template::has_mapping`] as a `Result`.
    pub fn try_has_mapping(
        &self,
        logical_id: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        self.has_in(
            "Mappings",
            logical_id,
            props.into(),
            &format!("mappings with logicalId {logical_id}"),
        )
    }

    /// Mappings named `logical_id` (`*` for any) that match `props`.
    pub fn find_mappings(&self, logical_id: &str, props: impl Into<Pattern>) -> Map<String, J> {
        self.find_in("Mappings", logical_id, props.into())
    }

    /// Asserts condition `logical_id` (`*` for any) matches `props`.
    #[track_caller]
    pub fn has_condition(&self, logical_id: &str, props: impl Into<Pattern>) {
        unwrap(self.try_has_condition(logical_id, props));
    }

    /// [`Template::has_condition`] as a `Result`.
    pub fn try_has_condition(
        &self,
        logical_id: &str,
        props: impl Into<Pattern>,
    ) -> Result<(), AssertionError> {
        self.has_in(
            "Conditions",
            logical_id,
            props.into(),
            &format!("conditions with logicalId {logical_id}"),
        )
    }

    /// Conditions named `logical_id` (`*` for any) that match `props`.
    pub fn find_conditions(&self, logical_id: &str, props: impl Into<Pattern>) -> Map<String, J> {
        self.find_in("Conditions", logical_id, props.into())
    }

    /// Asserts the whole template matches `expected` (a literal object as `object_like`);
    /// [`Capture`](crate::Capture)s in `expected` hold what they matched afterwards.
    #[track_caller]
    pub fn template_matches(&self, expected: impl Into<Pattern>) {
        unwrap(self.try_template_matches(expected));
    }

    /// [`Template::template_matches`] as a `Result`.
    pub fn try_template_matches(&self, expected: impl Into<Pattern>) -> Result<(), AssertionError> {
        let expected = expected.into();
        let matcher = crate::matcher::or_object_like(&expected);
        let result = matcher.test(self.json());
        if !result.has_failed() {
            // Unlike aws-cdk-lib's `templateMatches` (which never finishes its result),
            // captures in `expected` get their values.
            result.finish();
            return Ok(());
        }
        let mut lines = vec![
            "Template did not match as expected. The following mismatches were found:".to_string(),
        ];
        lines.extend(
            result
                .to_human_strings()
                .into_iter()
                .map(|s| format!("\t{}", style::failure(&s))),
        );
        Err(AssertionError::new(lines.join("\n")))
    }
}

thread_local! {
    /// Templates of in-memory assemblies already checked for cycles (an assembly is
    /// immutable, and `from_stack` returns the same one while the app is unchanged).
    static CHECKED: std::cell::RefCell<Vec<(std::rc::Weak<InMemoryAssembly>, usize)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn already_checked(assembly: &Rc<InMemoryAssembly>, index: usize) -> bool {
    CHECKED.with(|c| {
        c.borrow()
            .iter()
            .any(|(a, i)| *i == index && a.upgrade().is_some_and(|a| Rc::ptr_eq(&a, assembly)))
    })
}

#[track_caller]
fn unwrap<T>(r: Result<T, AssertionError>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

fn borrowed<'a>(entries: &'a [(&'a str, Cow<'a, J>)]) -> Vec<(&'a str, &'a J)> {
    entries.iter().map(|(id, r)| (*id, r.as_ref())).collect()
}

/// `objectLike({Properties: props})`.
fn properties_pattern(props: Pattern) -> Pattern {
    Pattern::Matcher(Match::object_like(Pattern::Object(vec![(
        "Properties".to_string(),
        props,
    )])))
}

fn filter_logical_id<'a>(section: Vec<(&'a str, &'a J)>, id: &str) -> Vec<(&'a str, &'a J)> {
    if id == "*" {
        section
    } else {
        section.into_iter().filter(|(k, _)| *k == id).collect()
    }
}

/// What [`match_section`] found.
pub(crate) struct SectionResult<'a> {
    pub(crate) matches: Vec<(&'a str, &'a J)>,
    /// The closest failures (at most 3), best first.
    pub(crate) closest: Vec<(&'a str, MatchResult<'a>)>,
    pub(crate) analyzed: Vec<(&'a str, &'a J)>,
}

/// aws-cdk-lib's `matchSection`: each entry against `props` (a literal as `object_like`).
pub(crate) fn match_section<'a>(
    entries: Vec<(&'a str, &'a J)>,
    props: &Pattern,
) -> SectionResult<'a> {
    let matcher = crate::matcher::or_object_like(props);
    let mut matches = Vec::new();
    let mut failures = Vec::new();
    for (id, entry) in &entries {
        let result = matcher.test(entry);
        result.finish();
        if result.has_failed() {
            failures.push((*id, result));
        } else {
            matches.push((*id, *entry));
        }
    }
    if !matches.is_empty() {
        failures.clear();
    }
    failures.sort_by(|a, b| (a.1.fail_cost(), a.0).cmp(&(b.1.fail_cost(), b.0)));
    failures.truncate(3);
    SectionResult {
        matches,
        closest: failures,
        analyzed: entries,
    }
}

impl SectionResult<'_> {
    fn matched(&self) -> Map<String, J> {
        self.matches
            .iter()
            .map(|(id, v)| (id.to_string(), (*v).clone()))
            .collect()
    }

    /// `Ok` when something matched, else aws-cdk-lib's `formatSectionMatchFailure`, led by
    /// the closest candidate and the paths where it failed.
    pub(crate) fn to_error(&self, qualifier: &str, what: &str) -> Result<(), AssertionError> {
        if !self.matches.is_empty() {
            return Ok(());
        }
        let n = self.analyzed.len();
        let mut out = format!(
            "{what} has {n} {qualifier}{}.\n",
            if n > 0 {
                ", but none match as expected"
            } else {
                ""
            }
        );
        if self.closest.is_empty() {
            out.push_str("No matches found");
            return Err(AssertionError::new(out));
        }
        let (best_id, best) = &self.closest[0];
        let path = self
            .analyzed
            .iter()
            .find(|(id, _)| id == best_id)
            .and_then(|(_, v)| v.pointer("/Metadata/aws:cdk:path"))
            .and_then(J::as_str)
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "The closest match is {}{path}:\n",
            style::bold(best_id)
        ));
        for (path, message, matcher) in best.failures_with_paths() {
            let at = if path.is_empty() {
                "/".to_string()
            } else {
                format!("/{}", path.join("/"))
            };
            out.push_str(&format!(
                "  at {}: {} (using {matcher} matcher)\n",
                style::bold(&at),
                style::failure(&message)
            ));
        }
        out.push_str(&format!("The {} closest matches:\n", self.closest.len()));
        let rendered: Vec<String> = self
            .closest
            .iter()
            .map(|(id, r)| format!("{id} :: {}", style::mismatch(&r.render_mismatch())))
            .collect();
        out.push_str(&rendered.join("\n"));
        Err(AssertionError::new(out))
    }
}

fn all(entries: Vec<(&str, &J)>, props: &Pattern, ty: &str) -> Result<(), AssertionError> {
    let result = match_section(entries, props);
    let n = result.analyzed.len();
    let matched: HashSet<&str> = result.matches.iter().map(|(id, _)| *id).collect();
    if !result.matches.is_empty() && matched.len() == n {
        return Ok(());
    }
    let head = if result.matches.is_empty() {
        format!("Template has {n} resource(s) with type {ty}, but none match as expected.")
    } else {
        format!(
            "Template has {n} resource(s) with type {ty}, but only {} match as expected.",
            matched.len()
        )
    };
    let mut lines = vec![
        head,
        "The following resources do not match the given definition:".to_string(),
    ];
    let failing: Vec<(&str, &J)> = result
        .analyzed
        .iter()
        .filter(|(id, _)| !matched.contains(id))
        .copied()
        .collect();
    for (id, _) in &failing {
        lines.push(format!("\t{id}"));
    }
    // Sharper than aws-cdk-lib: why the first one fails.
    if let Some((id, entry)) = failing.first() {
        let matcher = crate::matcher::or_object_like(props);
        let r = matcher.test(entry);
        lines.push(format!("{id} :: {}", style::mismatch(&r.render_mismatch())));
    }
    if n == 0 {
        return Err(AssertionError::new(format!(
            "Template has 0 resource(s) with type {ty}, but none match as expected."
        )));
    }
    Err(AssertionError::new(lines.join("\n")))
}

fn left_pad(x: &str) -> String {
    x.split('\n')
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// aws-cdk-lib's `checkTemplateForCyclicDependencies`.
fn check_cycles(template: &J) -> Result<(), AssertionError> {
    let Some(resources) = template.get("Resources").and_then(J::as_object) else {
        return Ok(());
    };
    let ids: HashSet<&str> = resources.keys().map(String::as_str).collect();
    let mut deps: Vec<(&str, BTreeSet<String>)> = resources
        .iter()
        .map(|(id, r)| {
            let mut found = BTreeSet::new();
            match r.get("DependsOn") {
                Some(J::Array(items)) => {
                    found.extend(items.iter().filter_map(J::as_str).map(str::to_string))
                }
                Some(J::String(s)) => {
                    found.insert(s.clone());
                }
                _ => {}
            }
            if let Some(p) = r.get("Properties") {
                expression_dependencies(p, &mut found);
            }
            found.retain(|d| ids.contains(d.as_str()));
            (id.as_str(), found)
        })
        .collect();
    while !deps.is_empty() {
        let free: Vec<String> = deps
            .iter()
            .filter(|(_, d)| d.is_empty())
            .map(|(id, _)| id.to_string())
            .collect();
        if free.is_empty() {
            let map: HashMap<&str, &BTreeSet<String>> =
                deps.iter().map(|(id, d)| (*id, d)).collect();
            let cycle = find_cycle(&deps, &map);
            let mut involved = Map::new();
            for id in &cycle {
                if let Some(r) = resources.get(id) {
                    involved.insert(id.clone(), r.clone());
                }
            }
            return Err(AssertionError::new(format!(
                "Template is undeployable, these resources have a dependency cycle: {}:\n\n{}",
                cycle.join(" -> "),
                serde_json::to_string_pretty(&J::Object(involved)).unwrap_or_default()
            )));
        }
        deps.retain(|(id, _)| !free.iter().any(|f| f == id));
        for (_, d) in deps.iter_mut() {
            for f in &free {
                d.remove(f);
            }
        }
    }
    Ok(())
}

fn find_cycle(
    deps: &[(&str, BTreeSet<String>)],
    map: &HashMap<&str, &BTreeSet<String>>,
) -> Vec<String> {
    fn recurse(node: &str, path: &mut Vec<String>, map: &HashMap<&str, &BTreeSet<String>>) -> bool {
        let Some(next) = map.get(node) else {
            return false;
        };
        for dep in next.iter() {
            if path.contains(dep) {
                path.push(dep.clone());
                return true;
            }
            path.push(dep.clone());
            if recurse(dep, path, map) {
                return true;
            }
            path.pop();
        }
        false
    }
    for (node, _) in deps {
        let mut path = vec![node.to_string()];
        if recurse(node, &mut path, map) {
            return path;
        }
    }
    Vec::new()
}

fn expression_dependencies(x: &J, out: &mut BTreeSet<String>) {
    match x {
        J::Array(items) => items.iter().for_each(|i| expression_dependencies(i, out)),
        J::Object(m) if m.len() == 1 && m.contains_key("Ref") => {
            if let Some(s) = m["Ref"].as_str() {
                out.insert(s.to_string());
            }
        }
        J::Object(m) if m.len() == 1 && m.contains_key("Fn::GetAtt") => {
            if let Some(s) = m["Fn::GetAtt"].get(0).and_then(J::as_str) {
                out.insert(s.to_string());
            }
        }
        J::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
            let arg = &m["Fn::Sub"];
            let pattern = match arg {
                J::Array(a) => a.first(),
                other => Some(other),
            };
            if let Some(J::String(p)) = pattern {
                sub_references(p, out);
            }
            if let Some(J::Object(ctx)) = arg.get(1) {
                ctx.values().for_each(|v| expression_dependencies(v, out));
            }
        }
        J::Object(m) => m.values().for_each(|v| expression_dependencies(v, out)),
        _ => {}
    }
}

/// Logical IDs referenced by `${...}` placeholders of an `Fn::Sub` string.
fn sub_references(pattern: &str, out: &mut BTreeSet<String>) {
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        if let Some(escaped) = after.strip_prefix('!') {
            rest = escaped;
            continue;
        }
        let Some(end) = after.find('}') else { break };
        let placeholder = &after[..end];
        let id = placeholder.split('.').next().unwrap_or(placeholder);
        out.insert(id.to_string());
        rest = &after[end + 1..];
    }
}
