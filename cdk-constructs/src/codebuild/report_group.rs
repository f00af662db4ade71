//! Report groups of test and code-coverage reports ([`ReportGroup`]).

use std::rc::Rc;

use cdk_core::{
    fns, ArnComponents, IConstruct, Node, PhysicalName, RemovalPolicy, Resource, ResourceProps,
    Stack, Str,
};

use super::{cfn_report_group, CfnReportGroup, CfnReportGroupProps};
use crate::iam::{Grant, IPrincipal};
use crate::s3::IBucket;

/// The kind of reports of a group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportGroupType {
    /// Test reports (`TEST`, the default).
    #[default]
    Test,
    /// Code coverage reports (`CODE_COVERAGE`).
    CodeCoverage,
}

impl ReportGroupType {
    fn as_str(self) -> &'static str {
        match self {
            ReportGroupType::Test => "TEST",
            ReportGroupType::CodeCoverage => "CODE_COVERAGE",
        }
    }
}

/// Properties of a [`ReportGroup`].
#[derive(Clone, Default)]
pub struct ReportGroupProps {
    /// The group's name (default: chosen by CloudFormation).
    pub report_group_name: Option<String>,
    /// A bucket the raw reports are exported to.
    pub export_bucket: Option<Rc<dyn IBucket>>,
    /// Zip the exported reports.
    pub zip_export: bool,
    /// What happens to the group when it leaves the stack (default: retained).
    pub removal_policy: Option<RemovalPolicy>,
    /// Delete the reports with the group (needs [`RemovalPolicy::Destroy`]).
    pub delete_reports: Option<bool>,
    /// The kind of reports.
    pub r#type: Option<ReportGroupType>,
}

/// A report group (`AWS::CodeBuild::ReportGroup`, child `Resource`), retained by default.
/// Projects write to it with [`ReportGroup::grant_write`]; reports named in a build spec but
/// not created here go to `<project>-<name>` groups, which every project may create.
#[derive(Clone)]
pub struct ReportGroup {
    base: Resource,
    resource: CfnReportGroup,
    arn: Str,
    r#type: ReportGroupType,
    export_bucket: Option<Rc<dyn IBucket>>,
}

impl IConstruct for ReportGroup {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl ReportGroup {
    /// Defines a report group `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: ReportGroupProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codebuild.ReportGroup",
            ResourceProps {
                physical_name: props.report_group_name.clone().map(PhysicalName::from),
                ..Default::default()
            },
        );
        let kind = props.r#type.unwrap_or_default();
        let export = match &props.export_bucket {
            Some(bucket) => {
                let key = bucket.encryption_key();
                cfn_report_group::ReportExportConfigProperty {
                    export_config_type: "S3".into(),
                    s3_destination: Some(cfn_report_group::S3ReportExportConfigProperty {
                        bucket: bucket.bucket_name(),
                        bucket_owner: None,
                        encryption_disabled: key.as_ref().map(|_| false.into()),
                        encryption_key: key.as_ref().map(|k| k.key_arn()),
                        packaging: props.zip_export.then(|| "ZIP".into()),
                        path: None,
                    }),
                }
            }
            None => cfn_report_group::ReportExportConfigProperty {
                export_config_type: "NO_EXPORT".into(),
                s3_destination: None,
            },
        };
        let mut cfn = CfnReportGroupProps::new(export, kind.as_str());
        cfn.name = props.report_group_name.clone().map(Str::from);
        cfn.delete_reports = props.delete_reports.map(Into::into);
        let resource = CfnReportGroup::new(&base, "Resource", cfn);
        let removal = props.removal_policy.unwrap_or(RemovalPolicy::Retain);
        resource.resource().apply_removal_policy(removal);
        if props.delete_reports == Some(true)
            && props.removal_policy != Some(RemovalPolicy::Destroy)
        {
            base.node().add_error("Cannot use 'deleteReports' property on a report group without setting removal policy to 'DESTROY'.");
        }
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("codebuild", "report-group")
                .with_name(base.physical_name().unwrap_or_default()),
        );
        ReportGroup {
            base,
            resource,
            arn,
            r#type: kind,
            export_bucket: props.export_bucket,
        }
    }

    /// An existing report group of this stack's account and region, by name.
    pub fn from_report_group_name(
        scope: &impl IConstruct,
        id: &str,
        name: &str,
    ) -> ImportedReportGroup {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codebuild.ImportedReportGroup");
        let arn = match Stack::of(&node) {
            Some(s) => {
                s.format_arn(ArnComponents::new("codebuild", "report-group").with_name(name))
            }
            None => Str::from(name),
        };
        ImportedReportGroup {
            node,
            name: name.into(),
            arn,
        }
    }

    /// The group's ARN.
    pub fn report_group_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The group's name (the last part of the `Ref`, which is the ARN).
    pub fn report_group_name(&self) -> Str {
        self.base
            .name_attribute(fns::select(1, fns::split("/", self.resource.ref_())))
    }

    /// Lets `grantee` (e.g. a project) create and update reports in the group (and write the
    /// export bucket).
    pub fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        let type_action = match self.r#type {
            ReportGroupType::CodeCoverage => "codebuild:BatchPutCodeCoverages",
            ReportGroupType::Test => "codebuild:BatchPutTestCases",
        };
        let grant = Grant::add_to_principal(
            grantee,
            &[
                "codebuild:CreateReport",
                "codebuild:UpdateReport",
                type_action,
            ],
            [self.report_group_arn()],
        );
        if let Some(bucket) = &self.export_bucket {
            bucket.grant_write(grantee);
        }
        grant
    }

    /// The underlying `AWS::CodeBuild::ReportGroup`.
    pub fn cfn(&self) -> &CfnReportGroup {
        &self.resource
    }
}

/// A report group defined outside this app.
#[derive(Clone)]
pub struct ImportedReportGroup {
    node: Node,
    name: Str,
    arn: Str,
}

impl IConstruct for ImportedReportGroup {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl ImportedReportGroup {
    /// The group's ARN.
    pub fn report_group_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The group's name.
    pub fn report_group_name(&self) -> Str {
        self.name.clone()
    }

    /// Lets `grantee` create and update test reports in the group.
    pub fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        Grant::add_to_principal(
            grantee,
            &[
                "codebuild:CreateReport",
                "codebuild:UpdateReport",
                "codebuild:BatchPutTestCases",
            ],
            [self.report_group_arn()],
        )
    }
}
