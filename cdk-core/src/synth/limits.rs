//! What CloudFormation refuses at deploy, refused at synth: the per-template quotas
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>,
//! the same numbers cfn-lint checks) and a template without resources.
//!
//! Templates larger than [`MAX_INLINE_TEMPLATE_BYTES`] are fine: the stack synthesizer lists
//! every template as a file asset, so deploy uploads it and passes its URL.

use serde_json::Value as J;

use crate::error::ValidationError;

/// Resources per template.
pub const MAX_RESOURCES: usize = 500;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;
/// Mappings per template.
pub const MAX_MAPPINGS: usize = 200;
/// Bytes of a template body uploaded to S3 (1 MB).
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// Bytes of a template body passed inline (larger ones are uploaded).
pub const MAX_INLINE_TEMPLATE_BYTES: usize = 51_200;

/// The limit errors of the template of the stack at `stack_path` (`template_bytes`: the size of
/// its file), each naming the stack, the count and the limit.
pub fn check(stack_path: &str, template: &J, template_bytes: usize) -> Vec<ValidationError> {
    let count = |section: &str| {
        template
            .get(section)
            .and_then(J::as_object)
            .map_or(0, serde_json::Map::len)
    };
    let mut errors = Vec::new();
    let mut error = |message: String| {
        errors.push(ValidationError {
            path: stack_path.to_string(),
            message,
        })
    };
    let resources = count("Resources");
    if resources == 0 {
        error("the stack has no resources, and CloudFormation refuses a template without resources; add a resource or remove the stack".into());
    }
    for (section, n, max, what) in [
        ("Resources", resources, MAX_RESOURCES, "resources"),
        ("Outputs", count("Outputs"), MAX_OUTPUTS, "outputs"),
        (
            "Parameters",
            count("Parameters"),
            MAX_PARAMETERS,
            "parameters",
        ),
        ("Mappings", count("Mappings"), MAX_MAPPINGS, "mappings"),
    ] {
        if n > max {
            error(format!(
                "the template has {n} {what} ({section}), more than the {max} CloudFormation allows in one stack; split the stack (e.g. move constructs into another stack or a nested stack)"
            ));
        }
    }
    if template_bytes > MAX_TEMPLATE_BYTES {
        error(format!(
            "the template is {template_bytes} bytes, more than the {MAX_TEMPLATE_BYTES} bytes (1 MB) CloudFormation accepts; split the stack"
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn section(n: usize) -> J {
        J::Object((0..n).map(|i| (format!("E{i}"), json!({}))).collect())
    }

    #[test]
    fn each_limit_is_checked_at_its_boundary() {
        let ok = json!({"Resources": section(500), "Outputs": section(200), "Parameters": section(200), "Mappings": section(200)});
        assert!(check("S", &ok, MAX_TEMPLATE_BYTES).is_empty());
        let over = json!({"Resources": section(501), "Outputs": section(201), "Parameters": section(201), "Mappings": section(201)});
        let errors = check("S", &over, MAX_TEMPLATE_BYTES + 1);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{text:#?}");
        assert!(
            text[0].contains("[S] the template has 501 resources"),
            "{text:#?}"
        );
        assert!(text[1].contains("201 outputs") && text[1].contains("200"));
        assert!(text[4].contains("1000001 bytes"));
        let empty = check("Empty", &json!({"Parameters": section(1)}), 10);
        assert!(empty[0]
            .to_string()
            .starts_with("[Empty] the stack has no resources"));
    }
}
