//! From a registry schema to the types of one resource: the props struct, property-type
//! structs, enums, attributes and the validation table.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::Value as J;

/// A Rust type of a property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `rt::Str`
    Str,
    /// `rt::Num`
    Num,
    /// `rt::Bool`
    Bool,
    /// `rt::StrList`
    StrList,
    /// `rt::Value` (free-form JSON)
    Value,
    /// `rt::CfnTag`
    Tag,
    /// A generated struct of this resource's module.
    Struct(String),
    /// A generated enum of this resource's module.
    Enum(String),
    /// `Vec<T>`
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`
    Map(Box<Ty>),
    /// `Box<T>` (breaks recursive structs)
    Boxed(Box<Ty>),
}

/// One field of a generated struct.
#[derive(Clone, Debug)]
pub struct Field {
    /// CloudFormation property name.
    pub cfn: String,
    /// Rust field name (may be a raw identifier).
    pub rust: String,
    /// Field type (without the `Option` of optional fields).
    pub ty: Ty,
    /// Required by the schema.
    pub required: bool,
    /// One-line constraint summary for the docs.
    pub doc: String,
}

/// A generated struct (a property type).
#[derive(Clone, Debug)]
pub struct StructDef {
    /// Rust name (`VersioningConfigurationProperty`).
    pub name: String,
    /// CloudFormation name (definition name or inline property name).
    pub cfn: String,
    /// Fields in CloudFormation property order (sorted).
    pub fields: Vec<Field>,
}

/// A generated enum.
#[derive(Clone, Debug)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Where it comes from, for the docs (`VersioningConfiguration.Status`).
    pub origin: String,
    /// (variant, CloudFormation value)
    pub variants: Vec<(String, String)>,
}

/// A read-only property exposed as `attr_*()`.
#[derive(Clone, Debug)]
pub struct Attr {
    /// `Fn::GetAtt` attribute name (`Arn`, `A.B`).
    pub name: String,
    /// Accessor name (`attr_arn`).
    pub method: String,
    /// `Str`, `Num`, `StrList` or `Value`.
    pub ty: Ty,
}

/// One resource type, ready to emit.
#[derive(Clone, Debug)]
pub struct Resource {
    /// `AWS::S3::Bucket`
    pub type_name: String,
    /// `Bucket`
    pub short: String,
    /// `CfnBucket`
    pub class: String,
    /// `cfn_bucket`
    pub module: String,
    /// Fields of `CfnBucketProps`.
    pub props: Vec<Field>,
    /// Property types.
    pub structs: Vec<StructDef>,
    /// Enums.
    pub enums: Vec<EnumDef>,
    /// Attributes.
    pub attrs: Vec<Attr>,
    /// Create-only property paths (`BucketName`, `A.B`, `A.*.B`).
    pub create_only: Vec<String>,
    /// (property, tag type variant) when tags apply.
    pub tagging: Option<(String, &'static str)>,
    /// Validation statics `(name, expression)`, in emission order.
    pub checks: Vec<(String, String)>,
    /// The root validation static, if any constraint exists.
    pub root_check: Option<String>,
    /// Patterns dropped because Rust's regex cannot compile them.
    pub skipped_patterns: usize,
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// A Rust identifier for `name`: keywords become raw identifiers (`r#type`), except the few
/// that cannot be raw, which get a trailing `_`.
pub fn ident(name: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name.to_string()
    };
    match name.as_str() {
        "self" | "Self" | "super" | "crate" | "_" => format!("{name}_"),
        n if RUST_KEYWORDS.contains(&n) => format!("r#{n}"),
        _ => name,
    }
}

/// Plural acronyms read as words: `NotificationARNs` → `NotificationArns`, `SubnetIDs` →
/// `SubnetIds` (so the snake case is `notification_arns`, not `notification_ar_ns`).
fn plural_acronyms(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_uppercase() {
            i += 1;
        }
        let run = i - start;
        let plural = run >= 2
            && i < chars.len()
            && chars[i] == 's'
            && chars.get(i + 1).is_none_or(|c| !c.is_ascii_lowercase());
        if plural {
            out.push(chars[start]);
            out.extend(chars[start + 1..i].iter().map(char::to_ascii_lowercase));
        } else {
            out.extend(&chars[start..i]);
        }
        if i < chars.len() {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// snake_case field name.
pub fn field_name(cfn: &str) -> String {
    ident(&plural_acronyms(cfn).to_snake_case())
}

/// A CamelCase type name from a CloudFormation name (kept as is when it is one already).
pub fn type_name(cfn: &str) -> String {
    let ok = cfn.starts_with(|c: char| c.is_ascii_uppercase())
        && cfn.chars().all(|c| c.is_ascii_alphanumeric())
        && cfn != "Self";
    if ok {
        cfn.to_string()
    } else {
        let camel = cfn.to_upper_camel_case();
        if camel.starts_with(|c: char| c.is_ascii_digit()) || camel.is_empty() || camel == "Self" {
            format!("T{camel}")
        } else {
            camel
        }
    }
}

fn enum_variant(value: &str) -> String {
    let camel: String = value
        .replace(['.', '*'], "_")
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if camel.is_empty() {
        "Empty".into()
    } else if camel == "Self" {
        "SelfValue".into()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

fn types_of(s: &J) -> Vec<String> {
    match s.get("type") {
        Some(J::String(t)) => vec![t.clone()],
        Some(J::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .filter(|t| *t != "null")
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

const ANNOTATION_KEYS: &[&str] = &[
    "format",
    "relationshipRef",
    "title",
    "$comment",
    "description",
    "examples",
    "default",
];

fn is_annotation_only(branch: &J) -> bool {
    branch
        .as_object()
        .is_some_and(|o| o.keys().all(|k| ANNOTATION_KEYS.contains(&k.as_str())))
}

fn is_required_only(branch: &J) -> bool {
    branch
        .as_object()
        .is_some_and(|o| o.keys().all(|k| k == "required" || k == "title"))
}

/// A branch of a type alternative that is JSON text or a free-form object.
fn is_json_alternative(branch: &J) -> bool {
    branch.get("format").and_then(J::as_str) == Some("json")
        || (types_of(branch).len() > 1 && types_of(branch).iter().any(|t| t == "object"))
}

fn combinator_branches(s: &J) -> Vec<&J> {
    ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| s.get(*k).and_then(J::as_array))
        .flatten()
        .collect()
}

/// Properties and required lists that `oneOf`/`anyOf` branches of an object contribute.
fn branch_properties(s: &J) -> Vec<(&String, &J)> {
    combinator_branches(s)
        .into_iter()
        .filter_map(|b| b.get("properties").and_then(J::as_object))
        .flatten()
        .collect()
}

/// Required-one-of groups: `(groups, exclusive)`.
fn required_groups(s: &J) -> Option<(Vec<Vec<String>>, bool)> {
    for (key, exclusive) in [("oneOf", true), ("anyOf", false)] {
        let Some(branches) = s.get(key).and_then(J::as_array) else {
            continue;
        };
        let groups: Option<Vec<Vec<String>>> = branches
            .iter()
            .map(|b| {
                let req = b.get("required")?.as_array()?;
                let mut g: Vec<String> = req
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect();
                g.sort();
                (!g.is_empty()).then_some(g)
            })
            .collect();
        if let Some(groups) = groups.filter(|g| !g.is_empty()) {
            // Exclusivity is only checked when the groups cannot overlap.
            let mut seen = BTreeSet::new();
            let disjoint = groups.iter().flatten().all(|p| seen.insert(p.clone()));
            let exclusive = exclusive && disjoint && groups.len() > 1;
            return Some((groups, exclusive));
        }
    }
    None
}

fn ref_name(s: &J) -> Option<&str> {
    s.get("$ref")?.as_str()?.strip_prefix("#/definitions/")
}

struct Builder<'a> {
    type_name: &'a str,
    schema: &'a J,
    defs: &'a serde_json::Map<String, J>,
    reserved: BTreeSet<String>,
    used: BTreeSet<String>,
    def_types: HashMap<String, Ty>,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
    checks: Vec<(String, String)>,
    check_dedup: HashMap<String, String>,
    def_checks: HashMap<String, Option<String>>,
    skipped_patterns: usize,
    regex_ok: &'a mut HashMap<String, bool>,
}

impl<'a> Builder<'a> {
    fn def(&self, name: &str) -> Option<&'a J> {
        self.defs.get(name)
    }

    /// Follows `$ref`s and `allOf: [{$ref}]` to the schema that describes the shape.
    fn resolve(&self, s: &'a J) -> &'a J {
        let mut s = s;
        for _ in 0..16 {
            if let Some(d) = ref_name(s).and_then(|n| self.def(n)) {
                s = d;
            } else if s.get("$ref").and_then(J::as_str) == Some("#/properties/Arn") {
                s = &self.schema["properties"]["Arn"];
            } else {
                break;
            }
        }
        s
    }

    fn unique_name(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if !self.reserved.contains(c) && !self.used.contains(c) {
                self.used.insert(c.clone());
                return c.clone();
            }
        }
        let base = candidates.last().cloned().unwrap_or_else(|| "T".into());
        let mut i = 2;
        loop {
            let c = format!("{base}{i}");
            if !self.reserved.contains(&c) && !self.used.contains(&c) {
                self.used.insert(c.clone());
                return c;
            }
            i += 1;
        }
    }

    fn string_enum(s: &J) -> Option<Vec<String>> {
        let values = s.get("enum")?.as_array()?;
        let strs: Option<Vec<String>> = values
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        strs.filter(|v| !v.is_empty())
    }

    fn make_enum(&mut self, name: String, origin: String, values: Vec<String>) -> Ty {
        let mut variants: Vec<(String, String)> = Vec::new();
        let mut taken = BTreeSet::from(["Other".to_string()]);
        let mut dedup_values = BTreeSet::new();
        for v in values {
            if !dedup_values.insert(v.clone()) {
                continue;
            }
            let mut variant = enum_variant(&v);
            if taken.contains(&variant) {
                let mut i = 2;
                while taken.contains(&format!("{variant}{i}")) {
                    i += 1;
                }
                variant = format!("{variant}{i}");
            }
            taken.insert(variant.clone());
            variants.push((variant, v));
        }
        self.enums.push(EnumDef {
            name: name.clone(),
            origin,
            variants,
        });
        Ty::Enum(name)
    }

    /// The type of a definition (memoized; structs are registered before their fields so
    /// recursive definitions terminate).
    fn def_ty(&mut self, name: &str) -> Ty {
        if let Some(t) = self.def_types.get(name) {
            return t.clone();
        }
        let Some(d) = self.def(name) else {
            return Ty::Value;
        };
        if is_tag_struct(d) {
            self.def_types.insert(name.into(), Ty::Tag);
            return Ty::Tag;
        }
        if is_struct(d) {
            let rust = format!("{}Property", type_name(name));
            self.used.insert(rust.clone());
            let ty = Ty::Struct(rust.clone());
            self.def_types.insert(name.into(), ty.clone());
            self.build_struct(rust, name.to_string(), d);
            return ty;
        }
        if types_of(d).iter().all(|t| t == "string") {
            if let Some(values) = Self::string_enum(d) {
                let rust = type_name(name);
                self.used.insert(rust.clone());
                let ty = self.make_enum(rust, format!("definition {name}"), values);
                self.def_types.insert(name.into(), ty.clone());
                return ty;
            }
        }
        // An alias (string with a pattern, array of X, ...): its reserved names are free for
        // the inline types it contains (`KeySchema` = array of inline objects →
        // `KeySchemaProperty`).
        self.reserved
            .remove(&format!("{}Property", type_name(name)));
        self.reserved.remove(&type_name(name));
        self.def_types.insert(name.into(), Ty::Value);
        let ty = self.ty_of(d, name, None);
        self.def_types.insert(name.into(), ty.clone());
        ty
    }

    /// Type of schema `s` found at property `prop` of struct `owner` (`None` for the props
    /// struct), used to name inline structs and enums.
    fn ty_of(&mut self, s: &'a J, prop: &str, owner: Option<&str>) -> Ty {
        if let Some(name) = ref_name(s) {
            return self.def_ty(name);
        }
        if s.get("$ref").is_some() {
            let r = self.resolve(s);
            if std::ptr::eq(r, s) {
                return Ty::Value;
            }
            return self.ty_of(r, prop, owner);
        }
        if let Some(all) = s.get("allOf").and_then(J::as_array) {
            if let Some(b) = all.iter().find(|b| b.get("$ref").is_some()) {
                return self.ty_of(b, prop, owner);
            }
        }
        let mut types = types_of(s);
        if types.is_empty() && s.get("format").and_then(J::as_str) == Some("json") {
            // JSON text or an object (policy documents).
            return Ty::Value;
        }
        if types.is_empty() {
            if s.get("properties").is_some()
                || s.get("patternProperties").is_some()
                || s.get("additionalProperties").is_some_and(J::is_object)
            {
                types.push("object".into());
            } else if s.get("items").is_some() {
                types.push("array".into());
            } else if Self::string_enum(s).is_some()
                || s.get("pattern").is_some()
                || s.get("minLength").is_some()
            {
                types.push("string".into());
            } else {
                // Type alternatives in oneOf/anyOf.
                let branches: Vec<&J> = combinator_branches(s)
                    .into_iter()
                    .filter(|b| !is_annotation_only(b) && !is_required_only(b))
                    .collect();
                if !branch_properties(s).is_empty() {
                    types.push("object".into());
                } else {
                    let structured: Vec<&J> = branches
                        .iter()
                        .copied()
                        .filter(|b| !is_json_alternative(b))
                        .collect();
                    if structured.len() == 1 {
                        return self.ty_of(structured[0], prop, owner);
                    }
                    let all_same: BTreeSet<Vec<String>> =
                        branches.iter().map(|b| types_of(b)).collect();
                    if all_same.len() == 1 && !branches.is_empty() {
                        types = all_same.into_iter().next().unwrap_or_default();
                    } else {
                        return Ty::Value;
                    }
                }
            }
        }
        if types.is_empty() {
            return Ty::Value;
        }
        if types.len() > 1 {
            let set: BTreeSet<&str> = types.iter().map(String::as_str).collect();
            return match set.iter().copied().collect::<Vec<_>>().as_slice() {
                ["boolean", "string"] => Ty::Bool,
                ["integer", "string"] | ["number", "string"] | ["integer", "number"] => Ty::Num,
                _ => Ty::Value,
            };
        }
        match types[0].as_str() {
            "string" => match Self::string_enum(s) {
                Some(values) => {
                    let (name, origin) = match owner {
                        None => (type_name(prop), prop.to_string()),
                        Some(o) => (
                            format!("{}{}", o.trim_end_matches("Property"), type_name(prop)),
                            format!("{o}.{prop}"),
                        ),
                    };
                    let name = self.unique_name(&[name.clone(), format!("{name}Enum")]);
                    self.make_enum(name, origin, values)
                }
                None => Ty::Str,
            },
            "integer" | "number" => Ty::Num,
            "boolean" => Ty::Bool,
            "array" => match s.get("items") {
                Some(items) if items.is_object() => {
                    let r = self.resolve(items);
                    let plain_string = types_of(r) == ["string"] && Self::string_enum(r).is_none();
                    if plain_string {
                        Ty::StrList
                    } else {
                        Ty::Vec(Box::new(self.ty_of(items, prop, owner)))
                    }
                }
                _ => Ty::Vec(Box::new(Ty::Value)),
            },
            "object" => {
                if is_tag_struct(s) {
                    return Ty::Tag;
                }
                if is_struct(s) {
                    let base = type_name(prop);
                    let owner_base = owner.unwrap_or("").trim_end_matches("Property");
                    let name = self.unique_name(&[
                        format!("{base}Property"),
                        format!("{owner_base}{base}Property"),
                    ]);
                    self.build_struct(name.clone(), prop.to_string(), s);
                    return Ty::Struct(name);
                }
                let value_schema = s
                    .get("patternProperties")
                    .and_then(J::as_object)
                    .filter(|pp| pp.len() == 1)
                    .and_then(|pp| pp.values().next())
                    .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()));
                match value_schema {
                    Some(v) => {
                        let inner = self.ty_of(v, prop, owner);
                        match inner {
                            Ty::Str | Ty::Num | Ty::Bool | Ty::StrList | Ty::Value => {
                                Ty::Map(Box::new(inner))
                            }
                            other => Ty::Map(Box::new(other)),
                        }
                    }
                    None => Ty::Value,
                }
            }
            _ => Ty::Value,
        }
    }

    fn build_struct(&mut self, name: String, cfn: String, s: &'a J) {
        let index = self.structs.len();
        self.structs.push(StructDef {
            name: name.clone(),
            cfn,
            fields: Vec::new(),
        });
        let fields = self.fields_of(s, Some(&name), &BTreeSet::new());
        self.structs[index].fields = fields;
    }

    fn fields_of(&mut self, s: &'a J, owner: Option<&str>, skip: &BTreeSet<String>) -> Vec<Field> {
        let required: BTreeSet<&str> = s
            .get("required")
            .and_then(J::as_array)
            .map(|r| r.iter().filter_map(J::as_str).collect())
            .unwrap_or_default();
        let mut props: BTreeMap<&String, &'a J> = BTreeMap::new();
        for (k, v) in branch_properties(s) {
            props.insert(k, v);
        }
        if let Some(p) = s.get("properties").and_then(J::as_object) {
            for (k, v) in p {
                props.insert(k, v);
            }
        }
        let mut fields = Vec::new();
        let mut names = BTreeSet::new();
        for (cfn, ps) in props {
            if skip.contains(cfn.as_str()) {
                continue;
            }
            let ty = self.ty_of(ps, cfn, owner);
            let mut rust = field_name(cfn);
            while !names.insert(rust.clone()) {
                rust.push('_');
            }
            let doc = self.field_doc(ps);
            fields.push(Field {
                cfn: cfn.clone(),
                rust,
                ty,
                required: required.contains(cfn.as_str()),
                doc,
            });
        }
        fields
    }

    fn field_doc(&self, s: &'a J) -> String {
        let r = self.resolve(s);
        let mut parts = Vec::new();
        for sch in [s, r] {
            if let (Some(min), Some(max)) = (sch.get("minLength"), sch.get("maxLength")) {
                parts.push(format!("length {min}..={max}"));
            } else if let Some(max) = sch.get("maxLength") {
                parts.push(format!("max length {max}"));
            } else if let Some(min) = sch.get("minLength") {
                parts.push(format!("min length {min}"));
            }
            if let Some(p) = sch.get("pattern").and_then(J::as_str) {
                if !p.contains('`') {
                    let p: String = p.chars().flat_map(char::escape_default).collect();
                    parts.push(format!("pattern `{p}`"));
                }
            }
            if let Some(min) = sch.get("minimum") {
                parts.push(format!("minimum {min}"));
            }
            if let Some(max) = sch.get("maximum") {
                parts.push(format!("maximum {max}"));
            }
            if let Some(min) = sch.get("minItems") {
                parts.push(format!("min items {min}"));
            }
            if let Some(max) = sch.get("maxItems") {
                parts.push(format!("max items {max}"));
            }
            if std::ptr::eq(s, r) {
                break;
            }
        }
        parts.dedup();
        parts.join(", ")
    }

    // ---- validation tables ----

    fn pattern_ok(&mut self, p: &str) -> bool {
        if let Some(ok) = self.regex_ok.get(p) {
            return *ok;
        }
        let ok = pattern_supported(p);
        self.regex_ok.insert(p.to_string(), ok);
        ok
    }

    fn def_check(&mut self, name: &str) -> Option<String> {
        if let Some(c) = self.def_checks.get(name) {
            return c.clone();
        }
        let d = self.def(name)?;
        let static_name = format!("D_{}", name.to_shouty_snake_case());
        // Assume a check exists while building it (recursive definitions).
        self.def_checks
            .insert(name.to_string(), Some(static_name.clone()));
        let body = self.check_body(d);
        match body {
            Some(body) => {
                self.checks.push((static_name.clone(), body));
                Some(static_name)
            }
            None => {
                // Referenced by a recursive use already? Emit an empty check to keep it valid.
                self.checks
                    .push((static_name.clone(), "rt::Check::NONE".to_string()));
                Some(static_name)
            }
        }
    }

    /// The static holding the check of `s`, if it constrains anything.
    fn check_of(&mut self, s: &J) -> Option<String> {
        if let Some(name) = ref_name(s) {
            let def = self.def_check_if_any(name);
            let local = self.check_body_local(s, def);
            return match local {
                Some(body) => Some(self.intern_check(body)),
                None => self.def_check_if_any(name),
            };
        }
        let body = self.check_body(s)?;
        Some(self.intern_check(body))
    }

    fn def_check_if_any(&mut self, name: &str) -> Option<String> {
        let d = self.def(name)?;
        if !has_constraints(d, self.defs, &mut BTreeSet::new()) {
            return None;
        }
        self.def_check(name)
    }

    fn intern_check(&mut self, body: String) -> String {
        if let Some(n) = self.check_dedup.get(&body) {
            return n.clone();
        }
        let name = format!("V{}", self.checks.len());
        self.check_dedup.insert(body.clone(), name.clone());
        self.checks.push((name.clone(), body));
        name
    }

    /// Constraints of a `$ref` site besides the referenced definition.
    fn check_body_local(&mut self, s: &J, def: Option<String>) -> Option<String> {
        let mut local = s.clone();
        if let Some(o) = local.as_object_mut() {
            o.remove("$ref");
        }
        let mut parts = self.check_parts(&local);
        if parts.is_empty() {
            return None;
        }
        if let Some(d) = def {
            parts.push(format!("also: Some(&{d})"));
        }
        Some(render_check(parts))
    }

    fn check_body(&mut self, s: &J) -> Option<String> {
        let parts = self.check_parts(s);
        (!parts.is_empty()).then(|| render_check(parts))
    }

    fn check_parts(&mut self, s: &J) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(all) = s.get("allOf").and_then(J::as_array) {
            if let Some(b) = all.iter().find(|b| b.get("$ref").is_some()) {
                if let Some(c) = self.check_of(b) {
                    parts.push(format!("also: Some(&{c})"));
                }
            }
        }
        let case_insensitive = s.get("enumCaseInsensitive").and_then(J::as_bool) == Some(true);
        if let (Some(values), false) = (Self::string_enum(s), case_insensitive) {
            let list: Vec<String> = values.iter().map(|v| lit(v)).collect();
            parts.push(format!("enum_values: &[{}]", list.join(", ")));
        }
        if let Some(p) = s.get("pattern").and_then(J::as_str) {
            if self.pattern_ok(p) {
                parts.push(format!("pattern: Some({})", lit(p)));
            } else {
                self.skipped_patterns += 1;
            }
        }
        for (key, field) in [
            ("minLength", "min_length"),
            ("maxLength", "max_length"),
            ("minItems", "min_items"),
            ("maxItems", "max_items"),
        ] {
            if let Some(n) = s.get(key).and_then(J::as_u64) {
                parts.push(format!("{field}: Some({n})"));
            }
        }
        for (key, field) in [("minimum", "minimum"), ("maximum", "maximum")] {
            if let Some(n) = s.get(key).and_then(J::as_f64) {
                parts.push(format!("{field}: Some({n:?})"));
            }
        }
        if let Some(items) = s.get("items").filter(|i| i.is_object()) {
            if let Some(c) = self.check_of(items) {
                parts.push(format!("items: Some(&{c})"));
            }
        }
        // Object fields (including those of oneOf/anyOf branches).
        let mut props: BTreeMap<&String, &J> = BTreeMap::new();
        for (k, v) in branch_properties(s) {
            props.insert(k, v);
        }
        if let Some(p) = s.get("properties").and_then(J::as_object) {
            for (k, v) in p {
                props.insert(k, v);
            }
        }
        let mut fields = Vec::new();
        for (k, v) in props {
            if let Some(c) = self.check_of(v) {
                fields.push(format!("({}, &{c})", lit(k)));
            }
        }
        if !fields.is_empty() {
            parts.push(format!("fields: &[{}]", fields.join(", ")));
        }
        let value_schema = s
            .get("patternProperties")
            .and_then(J::as_object)
            .filter(|pp| pp.len() == 1)
            .and_then(|pp| pp.values().next())
            .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()));
        if let Some(v) = value_schema {
            if let Some(c) = self.check_of(v) {
                parts.push(format!("map_values: Some(&{c})"));
            }
        }
        if let Some((groups, exclusive)) = required_groups(s) {
            let gs: Vec<String> = groups
                .iter()
                .map(|g| {
                    format!(
                        "&[{}]",
                        g.iter().map(|p| lit(p)).collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            parts.push(format!("one_of: &[{}]", gs.join(", ")));
            if exclusive {
                parts.push("one_of_exclusive: true".into());
            }
        }
        parts
    }
}

fn render_check(parts: Vec<String>) -> String {
    format!("rt::Check {{ {}, ..rt::Check::NONE }}", parts.join(", "))
}

/// Whether a schema (or anything it references) constrains literal values.
fn has_constraints(s: &J, defs: &serde_json::Map<String, J>, seen: &mut BTreeSet<String>) -> bool {
    match s {
        J::Object(o) => {
            if let Some(n) = ref_name(s) {
                if seen.insert(n.to_string()) {
                    if let Some(d) = defs.get(n) {
                        if has_constraints(d, defs, seen) {
                            return true;
                        }
                    }
                }
            }
            const KEYS: &[&str] = &[
                "enum",
                "pattern",
                "minLength",
                "maxLength",
                "minimum",
                "maximum",
                "minItems",
                "maxItems",
            ];
            if o.keys().any(|k| KEYS.contains(&k.as_str())) || required_groups(s).is_some() {
                return true;
            }
            o.iter().any(|(k, v)| {
                matches!(
                    k.as_str(),
                    "properties"
                        | "patternProperties"
                        | "items"
                        | "oneOf"
                        | "anyOf"
                        | "allOf"
                        | "additionalProperties"
                ) && match v {
                    J::Object(m) if k == "properties" || k == "patternProperties" => {
                        m.values().any(|v| has_constraints(v, defs, seen))
                    }
                    J::Array(a) => a.iter().any(|v| has_constraints(v, defs, seen)),
                    other => has_constraints(other, defs, seen),
                }
            })
        }
        _ => false,
    }
}

/// An object with named properties becomes a struct.
fn is_struct(s: &J) -> bool {
    let own = s
        .get("properties")
        .and_then(J::as_object)
        .is_some_and(|p| !p.is_empty());
    (own || !branch_properties(s).is_empty())
        && (types_of(s).is_empty() || types_of(s) == ["object"])
}

/// `{Key, Value}` with both required: the shared `CfnTag`.
fn is_tag_struct(s: &J) -> bool {
    let Some(p) = s.get("properties").and_then(J::as_object) else {
        return false;
    };
    let keys: BTreeSet<&str> = p.keys().map(String::as_str).collect();
    let req: BTreeSet<&str> = s
        .get("required")
        .and_then(J::as_array)
        .map(|r| r.iter().filter_map(J::as_str).collect())
        .unwrap_or_default();
    keys == BTreeSet::from(["Key", "Value"]) && req == keys
}

/// A Rust string literal (raw when that is simpler).
pub fn lit(s: &str) -> String {
    let plain = !s.chars().any(|c| c.is_control());
    if plain && !s.contains('"') && s.contains('\\') {
        format!("r\"{s}\"")
    } else if plain && !s.contains("\"#") && s.contains('\\') {
        format!("r#\"{s}\"#")
    } else {
        format!("{s:?}")
    }
}

fn strip_properties(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/properties/")?;
    Some(rest.replace('/', "."))
}

/// Whether a schema pattern can ever be checked with Rust's `regex`: not when it uses
/// lookaround or backreferences. Decided from the text alone, so the generated code does not
/// depend on which `regex` features cargo happens to enable in a build (feature unification
/// across a workspace would otherwise change the output); a pattern that still fails to
/// compile at synth is skipped there.
pub fn pattern_supported(p: &str) -> bool {
    if ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|l| p.contains(l)) {
        return false;
    }
    let bytes = p.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1).is_some_and(|c| (b'1'..=b'9').contains(c)) {
                return false; // \1 .. \9: a backreference
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    true
}

/// Builds the model of one resource type.
pub fn build_resource(
    type_name_full: &str,
    schema: &J,
    regex_ok: &mut HashMap<String, bool>,
) -> Resource {
    let short = type_name_full.rsplit("::").next().unwrap_or(type_name_full);
    let class = format!("Cfn{}", type_name(short));
    let module = class.to_snake_case();
    let empty = serde_json::Map::new();
    let defs = schema
        .get("definitions")
        .and_then(J::as_object)
        .unwrap_or(&empty);
    let read_only: Vec<String> = schema
        .get("readOnlyProperties")
        .and_then(J::as_array)
        .map(|a| {
            a.iter()
                .filter_map(J::as_str)
                .filter_map(strip_properties)
                .collect()
        })
        .unwrap_or_default();
    let top_read_only: BTreeSet<String> = read_only
        .iter()
        .filter(|p| !p.contains('.'))
        .cloned()
        .collect();
    let mut reserved = BTreeSet::new();
    for name in defs.keys() {
        reserved.insert(format!("{}Property", type_name(name)));
        reserved.insert(type_name(name));
    }
    let mut b = Builder {
        type_name: type_name_full,
        schema,
        defs,
        reserved,
        used: BTreeSet::from([class.clone(), format!("{class}Props")]),
        def_types: HashMap::new(),
        structs: Vec::new(),
        enums: Vec::new(),
        checks: Vec::new(),
        check_dedup: HashMap::new(),
        def_checks: HashMap::new(),
        skipped_patterns: 0,
        regex_ok,
    };
    let _ = b.type_name;
    // Tags.
    let tagging = schema.get("tagging");
    let taggable = match tagging {
        Some(t) => t.get("taggable").and_then(J::as_bool).unwrap_or(true),
        None => true,
    };
    let tag_prop = tagging
        .and_then(|t| t.get("tagProperty"))
        .and_then(J::as_str)
        .unwrap_or("/properties/Tags");
    let tag_prop = strip_properties(tag_prop).filter(|p| !p.contains('.'));
    let tagging = match (taggable, tag_prop) {
        (true, Some(p)) => schema["properties"]
            .get(&p)
            .and_then(|ps| tag_type(&b, ps))
            .map(|t| (p, t)),
        _ => None,
    };

    let props = b.fields_of(schema, None, &top_read_only);
    // Attributes: read-only properties outside arrays.
    let mut attrs = Vec::new();
    let mut methods = BTreeSet::new();
    for path in &read_only {
        if path.contains('*') {
            continue;
        }
        // Resolve the schema at the path for its type.
        let mut s: Option<&J> = schema.get("properties");
        for (i, seg) in path.split('.').enumerate() {
            let container = if i == 0 {
                s
            } else {
                s.map(|x| b.resolve(x)).and_then(|x| x.get("properties"))
            };
            s = container.and_then(|c| c.get(seg));
        }
        let ty = match s.map(|x| b.resolve(x)) {
            Some(x) if types_of(x) == ["array"] => Ty::StrList,
            Some(x) if types_of(x) == ["integer"] || types_of(x) == ["number"] => Ty::Num,
            Some(x) if types_of(x) == ["object"] || x.get("properties").is_some() => Ty::Value,
            _ => Ty::Str,
        };
        let mut method = format!(
            "attr_{}",
            plural_acronyms(&path.replace('.', "_")).to_snake_case()
        );
        while !methods.insert(method.clone()) {
            method.push('_');
        }
        attrs.push(Attr {
            name: path.clone(),
            method,
            ty,
        });
    }
    let create_only: Vec<String> = schema
        .get("createOnlyProperties")
        .and_then(J::as_array)
        .map(|a| {
            a.iter()
                .filter_map(J::as_str)
                .filter_map(strip_properties)
                .collect()
        })
        .unwrap_or_default();

    // Validation of the whole props object (read-only properties excluded).
    let mut root = schema.clone();
    if let Some(p) = root.get_mut("properties").and_then(J::as_object_mut) {
        for ro in &top_read_only {
            p.remove(ro);
        }
    }
    let root_check = b.check_body(&root).map(|body| {
        b.checks.push(("VALIDATION".to_string(), body));
        "VALIDATION".to_string()
    });

    // Break recursion between structs with Box.
    let mut structs = std::mem::take(&mut b.structs);
    box_recursive(&mut structs);
    Resource {
        type_name: type_name_full.to_string(),
        short: short.to_string(),
        class,
        module,
        props,
        structs,
        enums: b.enums,
        attrs,
        create_only,
        tagging,
        checks: b.checks,
        root_check,
        skipped_patterns: b.skipped_patterns,
    }
}

fn tag_type(b: &Builder<'_>, ps: &J) -> Option<&'static str> {
    let ps = b.resolve(ps);
    let types = types_of(ps);
    if types == ["array"] {
        let item = b.resolve(ps.get("items")?);
        let props = item.get("properties")?.as_object()?;
        if props.contains_key("Key") && props.contains_key("Value") {
            if props.contains_key("PropagateAtLaunch") {
                return Some("AutoScalingGroup");
            }
            if props.len() == 2 {
                return Some("Standard");
            }
        }
        None
    } else if types == ["object"] || types.is_empty() {
        if ps.get("properties").is_some() {
            return None;
        }
        let value = ps
            .get("patternProperties")
            .and_then(J::as_object)
            .and_then(|pp| pp.values().next())
            .or_else(|| ps.get("additionalProperties").filter(|a| a.is_object()));
        match value {
            Some(v) if types_of(b.resolve(v)) == ["string"] => Some("Map"),
            None => Some("Map"),
            _ => None,
        }
    } else {
        None
    }
}

fn direct_struct(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Struct(n) => Some(n),
        _ => None,
    }
}

fn reaches(structs: &[StructDef], from: &str, to: &str) -> bool {
    let by_name: HashMap<&str, &StructDef> = structs.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if !seen.insert(n) {
            continue;
        }
        if let Some(s) = by_name.get(n) {
            stack.extend(s.fields.iter().filter_map(|f| direct_struct(&f.ty)));
        }
    }
    false
}

fn box_recursive(structs: &mut [StructDef]) {
    loop {
        let mut change = None;
        'outer: for (i, s) in structs.iter().enumerate() {
            for (j, f) in s.fields.iter().enumerate() {
                if let Some(target) = direct_struct(&f.ty) {
                    if reaches(structs, target, &s.name) {
                        change = Some((i, j));
                        break 'outer;
                    }
                }
            }
        }
        match change {
            Some((i, j)) => {
                let ty = std::mem::replace(&mut structs[i].fields[j].ty, Ty::Value);
                structs[i].fields[j].ty = Ty::Boxed(Box::new(ty));
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::pattern_supported;

    #[test]
    fn lookaround_and_backreferences_are_left_out_everything_else_kept() {
        assert!(pattern_supported(r"^[a-z0-9.-]{3,63}$"));
        assert!(pattern_supported(r"^\p{L}+\d*\\1$")); // an escaped backslash, then "1"
        assert!(!pattern_supported(r"^(?!xn--)[a-z]+$"));
        assert!(!pattern_supported(r"^(?<=a)b$"));
        assert!(!pattern_supported(r"^(a)\1$"));
    }
}
