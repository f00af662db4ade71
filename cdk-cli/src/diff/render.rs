//! Rendering template values (with intrinsic functions) as short human-readable strings, the way
//! the cdk CLI shows them in its IAM and security group tables: `{"Ref":"X"}` → `${X}`,
//! `{"Fn::GetAtt":["X","Arn"]}` → `${X.Arn}`, `Fn::Join` → the joined parts.

use serde_json::Value;

/// Renders `value` as a one-line string.
pub fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) => items.iter().map(render).collect::<Vec<_>>().join(","),
        Value::Object(map) if map.len() == 1 => {
            let (key, arg) = map
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or(("", value));
            match (key, arg) {
                ("Ref", Value::String(r)) => format!("${{{r}}}"),
                ("Fn::GetAtt", Value::Array(parts)) if parts.len() == 2 => {
                    format!("${{{}.{}}}", render(&parts[0]), render(&parts[1]))
                }
                ("Fn::GetAtt", Value::String(s)) => format!("${{{s}}}"),
                ("Fn::Join", Value::Array(parts)) if parts.len() == 2 => {
                    let sep = render(&parts[0]);
                    match &parts[1] {
                        Value::Array(items) => {
                            items.iter().map(render).collect::<Vec<_>>().join(&sep)
                        }
                        other => render(other),
                    }
                }
                ("Fn::Sub", Value::String(s)) => s.clone(),
                ("Fn::Sub", Value::Array(parts)) if !parts.is_empty() => render(&parts[0]),
                ("Fn::ImportValue", v) => format!("${{Import:{}}}", render(v)),
                _ => value.to_string(),
            }
        }
        Value::Object(_) => value.to_string(),
    }
}

/// A value that may be one item or a list, as a list.
pub fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
    }
}

/// Renders each item of a one-or-many value, sorted and de-duplicated.
pub fn render_sorted(value: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = as_list(value).into_iter().map(render).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_intrinsics() {
        assert_eq!(render(&json!({"Ref": "Role1"})), "${Role1}");
        assert_eq!(
            render(&json!({"Fn::GetAtt": ["Bucket", "Arn"]})),
            "${Bucket.Arn}"
        );
        assert_eq!(
            render(&json!({"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]})),
            "${B.Arn}/*"
        );
        assert_eq!(
            render(&json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::x"})),
            "arn:${AWS::Partition}:s3:::x"
        );
        assert_eq!(
            render(&json!({"Fn::If": ["C", 1, 2]})),
            r#"{"Fn::If":["C",1,2]}"#
        );
        assert_eq!(render(&json!(443)), "443");
    }
}
