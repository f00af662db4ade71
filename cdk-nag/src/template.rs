//! Reading synthesized templates the way cdk-nag reads resolved CloudFormation.

use serde_json::Value as J;

/// The outcome of one rule on one resource (cdk-nag's `NagRuleCompliance`, plus errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compliance {
    /// The rule does not apply to this resource.
    NotApplicable,
    /// The resource complies.
    Compliant,
    /// The resource does not comply.
    NonCompliant,
    /// The resource does not comply, finding by finding (`Action::s3:*`, ...).
    Findings(Vec<String>),
    /// The rule could not be evaluated (e.g. a value is an intrinsic function).
    Error(String),
}

/// One resource of one template, with its neighbours (rules look at other resources of the
/// same stack, as cdk-nag looks at `Stack.of(node).node.findAll()`).
pub struct Resource<'a> {
    /// Logical ID.
    pub logical_id: &'a str,
    /// The resource (`Type`, `Properties`, ...).
    pub body: &'a J,
    /// Every resource of the template, in template order.
    pub stack_resources: &'a [(&'a str, &'a J)],
    /// The stack's account, when known.
    pub account: Option<&'a str>,
}

impl<'a> Resource<'a> {
    /// The resource type.
    pub fn resource_type(&self) -> &'a str {
        self.body.get("Type").and_then(J::as_str).unwrap_or("")
    }

    /// A property (`None` when absent).
    pub fn prop(&self, name: &str) -> Option<&'a J> {
        self.body.get("Properties").and_then(|p| p.get(name))
    }

    /// The other resources of type `ty` in the stack.
    pub fn siblings(&self, ty: &'a str) -> impl Iterator<Item = (&'a str, &'a J)> + 'a {
        self.stack_resources
            .iter()
            .copied()
            .filter(move |(_, r)| r.get("Type").and_then(J::as_str) == Some(ty))
    }
}

/// cdk-nag's `NagRules.resolveIfPrimitive`: the value unless it is an object or array.
pub fn primitive(value: Option<&J>) -> Result<Option<&J>, String> {
    match value {
        Some(v @ (J::Object(_) | J::Array(_))) => Err(format!(
            "The parameter resolved to to a non-primitive value \"{}\", therefore the rule could not be validated.",
            serde_json::to_string(v).unwrap_or_default()
        )),
        other => Ok(other),
    }
}

/// cdk-nag's `NagRules.resolveResourceFromIntrinsic`: the logical ID of a `Ref` or
/// `Fn::GetAtt`, else the value as text.
pub fn resource_from_intrinsic(value: Option<&J>) -> Option<String> {
    let value = value?;
    if let Some(r) = value.get("Ref").and_then(J::as_str) {
        return Some(r.to_string());
    }
    if let Some(id) = value
        .get("Fn::GetAtt")
        .and_then(|g| g.get(0))
        .and_then(J::as_str)
    {
        return Some(id.to_string());
    }
    match value {
        J::String(s) => Some(s.clone()),
        other => Some(serde_json::to_string(other).unwrap_or_default()),
    }
}

/// cdk-nag's `flattenCfnReference`: a CloudFormation value as one string, references as
/// `<LogicalId>` / `<LogicalId.Attribute>`, `Fn::Sub` placeholders as `<...>`.
pub fn flatten(value: &J) -> String {
    match value {
        J::String(s) => s.replace("${", "<").replace('}', ">"),
        J::Object(m) if m.contains_key("Fn::Join") => {
            let args = &m["Fn::Join"];
            let delimiter = args.get(0).and_then(J::as_str).unwrap_or("");
            args.get(1)
                .and_then(J::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(flatten)
                        .collect::<Vec<_>>()
                        .join(delimiter)
                })
                .unwrap_or_default()
        }
        J::Object(m) if m.contains_key("Fn::Sub") => flatten(&m["Fn::Sub"]),
        J::Object(m) if m.contains_key("Fn::GetAtt") => {
            let g = &m["Fn::GetAtt"];
            format!(
                "<{}.{}>",
                g.get(0).map(flatten).unwrap_or_default(),
                g.get(1).map(flatten).unwrap_or_default()
            )
        }
        J::Object(m) if m.contains_key("Fn::ImportValue") => flatten(&m["Fn::ImportValue"]),
        J::Object(m) if m.contains_key("Ref") => format!("<{}>", flatten(&m["Ref"])),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A string or an array of strings (IAM's `Action`, `Resource`, principals) as a list.
pub fn list(value: Option<&J>) -> Vec<&J> {
    match value {
        None => Vec::new(),
        Some(J::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
    }
}

/// True when `text` contains `word` not followed by a word character (or by any of `extra`):
/// the JavaScript lookahead `word(?![\w...])` that cdk-nag builds from logical IDs.
pub fn contains_word(text: &str, word: &str, extra: &[char]) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find(word) {
        let end = from + pos + word.len();
        let next = text[end..].chars().next();
        if !next.is_some_and(|c| c.is_alphanumeric() || c == '_' || extra.contains(&c)) {
            return true;
        }
        from = from + pos + 1;
    }
    false
}

/// `glob` (with `*` wildcards) matches `text`, case-insensitively.
pub fn glob_matches(glob: &str, text: &str) -> bool {
    let (glob, text) = (glob.to_ascii_lowercase(), text.to_ascii_lowercase());
    let parts: Vec<&str> = glob.split('*').collect();
    if parts.len() == 1 {
        return glob == text;
    }
    let mut rest = text.as_str();
    let Some(first) = rest.strip_prefix(parts[0]) else {
        return false;
    };
    rest = first;
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(p) => rest = &rest[p + part.len()..],
            None => return false,
        }
    }
    true
}

/// The 12-digit account IDs an IAM principal value names (`arn:...:iam::ID:...` or `ID`).
pub fn principal_accounts(value: &J) -> Vec<String> {
    let text = flatten(value);
    let mut out = Vec::new();
    if text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()) {
        out.push(text);
        return out;
    }
    if let Some(i) = text.find(":iam::") {
        let id: String = text[i + 6..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if id.len() == 12 {
            out.push(id);
        }
    }
    out
}

/// The AWS principals of a statement (`Principal.AWS`, or `Principal: "*"`).
pub fn aws_principals(statement: &J) -> Vec<&J> {
    match statement.get("Principal") {
        Some(p @ J::String(_)) => vec![p],
        Some(p) => list(p.get("AWS")),
        None => Vec::new(),
    }
}

/// The statements of a policy document.
pub fn statements(document: Option<&J>) -> Vec<&J> {
    list(document.and_then(|d| d.get("Statement")))
}
