use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::iam::*;
use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps};

/// The template of a stack holding `doc` as the `PolicyDocument` of resource `R`.
fn render(doc: &PolicyDocument) -> Template {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    CfnResource::new(
        &stack,
        "R",
        CfnResourceProps {
            resource_type: "AWS::IAM::ManagedPolicy".into(),
            properties: [("PolicyDocument".to_string(), doc.to_value())].into(),
        },
    );
    Template::from_stack(&stack)
}

#[test]
fn statements_render_like_aws_cdk() {
    let doc = PolicyDocument::new();
    doc.add_statements([
        PolicyStatement::new()
            .actions(["s3:GetObject*", "s3:GetObject*", "s3:List*"])
            .resources(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
        PolicyStatement::new()
            .effect(Effect::Deny)
            .action("s3:*")
            .all_resources()
            .principal(&AnyPrincipal)
            .condition("Bool", "aws:SecureTransport", "false"),
        PolicyStatement::new()
            .action("sts:AssumeRole")
            .principal(&CompositePrincipal::new(vec![
                Box::new(ServicePrincipal::new("lambda.amazonaws.com")),
                Box::new(AccountPrincipal::new("222222222222")),
                Box::new(ServicePrincipal::new("codebuild.amazonaws.com")),
            ])),
    ]);
    render(&doc).template_matches(pattern!({"Resources": {"R": {"Properties": {
        "PolicyDocument": Match::exact(pattern!({
            "Statement": [
                {"Action": ["s3:GetObject*", "s3:List*"], "Effect": "Allow", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]},
                {"Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Effect": "Deny", "Principal": {"AWS": "*"}, "Resource": "*"},
                {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {
                    "AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]},
                    "Service": ["lambda.amazonaws.com", "codebuild.amazonaws.com"]
                }}
            ],
            "Version": "2012-10-17"
        })),
    }}}}));
}

#[test]
fn validation_reports_missing_parts() {
    let s = PolicyStatement::new().action("bad");
    assert_eq!(s.validate_for_identity_policy().len(), 2);
    assert!(s
        .validate_for_resource_policy()
        .iter()
        .any(|e| e.contains("principal")));
    let ok = PolicyStatement::new().action("s3:GetObject").resource("*");
    assert!(ok.validate_for_identity_policy().is_empty());
}

struct FakeBucket(std::cell::RefCell<Vec<PolicyStatement>>, &'static str);
impl IResourceWithPolicy for FakeBucket {
    fn add_to_resource_policy(&self, s: PolicyStatement) -> AddToResourcePolicyResult {
        self.0.borrow_mut().push(s);
        AddToResourcePolicyResult {
            statement_added: true,
            policy_dependable: None,
        }
    }
    fn resource_account(&self) -> cdk_core::Str {
        self.1.into()
    }
}

#[test]
fn cross_account_grants_go_to_the_resource_policy() {
    let bucket = FakeBucket(Default::default(), "111111111111");
    let g = Grant::add_to_principal_or_resource(
        &AccountPrincipal::new("222222222222"),
        &["s3:GetObject"],
        ["arn:aws:s3:::b/*"],
        &bucket,
    );
    assert!(g.principal_statement.is_none());
    assert!(g.resource_statement.is_some());
    assert_eq!(bucket.0.borrow().len(), 1);
    let g = Grant::add_to_principal_or_resource(
        &ServicePrincipal::new("x.amazonaws.com"),
        &["s3:GetObject"],
        ["arn:aws:s3:::b/*"],
        &bucket,
    );
    assert!(
        g.resource_statement.is_some(),
        "a service has no policy of its own"
    );
}
