//! Parameter Store parameters as constructs ([`StringParameter`], [`StringListParameter`]),
//! their imports, and references to existing parameters' values
//! ([`StringParameter::value_for_string_parameter`]), as aws-cdk-lib's `aws_ssm`.

use std::rc::Rc;

use cdk_core::{
    fns, ArnComponents, ArnFormat, CfnParameterProps as TemplateParameterProps, IConstruct, Node,
    Num, PhysicalName, Resource, ResourceProps, Stack, Str, StrList, Value,
};

use super::{cfn_parameter, CfnParameter, CfnParameterProps, StringParameter};
use crate::iam::{Grant, IPrincipal};
use crate::kms::IKey;

/// The tier of a parameter (`Standard`, `Advanced`, `Intelligent-Tiering`).
pub type ParameterTier = cfn_parameter::Tier;
/// The data type of a String parameter (`text`, `aws:ec2:image`).
pub type ParameterDataType = cfn_parameter::DataType;

/// The type of a parameter a template reads (`AWS::SSM::Parameter::Value<T>`), aws-cdk-lib's
/// `ParameterValueType`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParameterValueType {
    /// `String`.
    String,
    /// `AWS::EC2::AvailabilityZone::Name`.
    AwsEc2AvailabilityZoneName,
    /// `AWS::EC2::Image::Id`.
    AwsEc2ImageId,
    /// `AWS::EC2::Instance::Id`.
    AwsEc2InstanceId,
    /// `AWS::EC2::KeyPair::KeyName`.
    AwsEc2KeyPairKeyName,
    /// `AWS::EC2::SecurityGroup::GroupName`.
    AwsEc2SecurityGroupGroupName,
    /// `AWS::EC2::SecurityGroup::Id`.
    AwsEc2SecurityGroupId,
    /// `AWS::EC2::Subnet::Id`.
    AwsEc2SubnetId,
    /// `AWS::EC2::Volume::Id`.
    AwsEc2VolumeId,
    /// `AWS::EC2::VPC::Id`.
    AwsEc2VpcId,
    /// `AWS::Route53::HostedZone::Id`.
    AwsRoute53HostedZoneId,
}

impl ParameterValueType {
    /// The CloudFormation name of the type.
    pub fn as_str(&self) -> &'static str {
        use ParameterValueType::*;
        match self {
            String => "String",
            AwsEc2AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            AwsEc2ImageId => "AWS::EC2::Image::Id",
            AwsEc2InstanceId => "AWS::EC2::Instance::Id",
            AwsEc2KeyPairKeyName => "AWS::EC2::KeyPair::KeyName",
            AwsEc2SecurityGroupGroupName => "AWS::EC2::SecurityGroup::GroupName",
            AwsEc2SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            AwsEc2SubnetId => "AWS::EC2::Subnet::Id",
            AwsEc2VolumeId => "AWS::EC2::Volume::Id",
            AwsEc2VpcId => "AWS::EC2::VPC::Id",
            AwsRoute53HostedZoneId => "AWS::Route53::HostedZone::Id",
        }
    }
}

/// A Parameter Store parameter: created here or imported.
pub trait IParameter: IConstruct {
    /// The parameter's ARN.
    fn parameter_arn(&self) -> Str;
    /// The parameter's name.
    fn parameter_name(&self) -> Str;
    /// The key that encrypts a SecureString parameter.
    fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        None
    }

    /// `ssm:DescribeParameters`, `GetParameters`, `GetParameter`, `GetParameterHistory` on the
    /// parameter (and `kms:Decrypt` on its key).
    fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        if let Some(key) = self.encryption_key() {
            key.grant_decrypt(grantee);
        }
        Grant::add_to_principal(
            grantee,
            &[
                "ssm:DescribeParameters",
                "ssm:GetParameters",
                "ssm:GetParameter",
                "ssm:GetParameterHistory",
            ],
            [self.parameter_arn()],
        )
    }

    /// `ssm:PutParameter` on the parameter (and `kms:Encrypt` on its key).
    fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        if let Some(key) = self.encryption_key() {
            key.grant_encrypt(grantee);
        }
        Grant::add_to_principal(grantee, &["ssm:PutParameter"], [self.parameter_arn()])
    }
}

/// aws-cdk-lib's `AUTOGEN_MARKER`: a generated name, always simple.
const AUTOGEN: &str = "$$autogen$$";

/// aws-cdk-lib's `arnForParameterName`: `parameter/NAME` for simple names, `parameterNAME`
/// for names that start with `/`; `concrete` is the name known at synthesis, if any.
fn arn_for_parameter_name(
    node: &Node,
    name: Str,
    concrete: Option<&Str>,
    simple_name: Option<bool>,
) -> Str {
    let Some(stack) = Stack::of(node) else {
        return name;
    };
    let to_validate = concrete.cloned().unwrap_or_else(|| name.clone());
    if let Some(n) = to_validate.literal() {
        if n.contains('/') && !n.starts_with('/') && n != AUTOGEN {
            node.add_error(&format!("Parameter names must be fully qualified (if they include \"/\" they must also begin with a \"/\"): {n}"));
        }
    }
    let concrete_name = match name.literal() {
        Some(_) => Some(name.clone()),
        None => concrete.cloned(),
    };
    let simple = match concrete_name
        .as_ref()
        .and_then(|c| c.literal().map(str::to_string))
    {
        None => match simple_name {
            Some(s) => s,
            None => {
                node.add_error("Unable to determine ARN separator for SSM parameter since the parameter name is an unresolved token. Use \"fromAttributes\" and specify \"simpleName\" explicitly");
                true
            }
        },
        Some(c) => {
            let result = !c.starts_with('/');
            if let Some(s) = simple_name {
                if s != result {
                    if c == AUTOGEN {
                        node.add_error("If \"parameterName\" is not explicitly defined, \"simpleName\" must be \"true\" or undefined since auto-generated parameter names always have simple names");
                    } else {
                        node.add_error(&format!(
                            "Parameter name \"{c}\" is {}, but \"simpleName\" was explicitly set to {s}. Either omit it or set it to {result}",
                            if result { "a simple name" } else { "not a simple name" }
                        ));
                    }
                }
            }
            result
        }
    };
    if simple {
        stack.format_arn(
            ArnComponents::new("ssm", "parameter")
                .with_name(name)
                .with_format(ArnFormat::SlashResourceName),
        )
    } else {
        stack.format_arn(ArnComponents::new("ssm", Str::from("parameter") + name))
    }
}

fn validate_parameter_name(node: &Node, name: Option<&Str>) {
    let Some(n) = name.and_then(|n| n.literal()) else {
        return;
    };
    if n.len() > 2048 {
        node.add_error("name cannot be longer than 2048 characters.");
    }
    if n.is_empty()
        || !n
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '/' || c == '.' || c == '-')
    {
        node.add_error(&format!(
            "name must only contain letters, numbers, and the following 4 symbols .-_/; got {n}"
        ));
    }
}

fn check_allowed_pattern(node: &Node, value: &Str, pattern: Option<&str>) {
    let (Some(pattern), Some(v)) = (pattern, value.literal()) else {
        return;
    };
    match regex::Regex::new(pattern) {
        Ok(re) if !re.is_match(v) => node.add_error(&format!(
            "The supplied value ({v}) does not match the specified allowedPattern ({pattern})"
        )),
        Ok(_) => {}
        Err(e) => node.add_error(&format!("invalid allowed_pattern '{pattern}': {e}")),
    }
}

/// Properties of a [`StringParameter`].
#[derive(Clone, Default)]
pub struct StringParameterProps {
    /// The value.
    pub string_value: Str,
    /// The name (default: chosen by CloudFormation, a simple name).
    pub parameter_name: Option<Str>,
    /// Whether the name is simple (no leading `/`); needed only when the name is a token.
    pub simple_name: Option<bool>,
    /// Description (at most 1024 characters).
    pub description: Option<String>,
    /// A regular expression the value must match (checked here for literal values).
    pub allowed_pattern: Option<String>,
    /// Tier (default: CloudFormation's, `Standard`).
    pub tier: Option<ParameterTier>,
    /// Data type (default: CloudFormation's, `text`).
    pub data_type: Option<ParameterDataType>,
}

/// The parts of a String parameter created here.
#[derive(Clone)]
pub(super) struct Created {
    pub(super) base: Resource,
    pub(super) resource: CfnParameter,
}

fn create(
    scope: &impl IConstruct,
    id: &str,
    fqn: &str,
    parameter_name: Option<&Str>,
    props: CfnParameterProps,
    description: Option<&String>,
) -> Created {
    let base = Resource::new(
        scope,
        id,
        fqn,
        ResourceProps {
            physical_name: parameter_name.cloned().map(PhysicalName::from),
            ..Default::default()
        },
    );
    validate_parameter_name(base.node(), parameter_name);
    if description.is_some_and(|d| d.chars().count() > 1024) {
        base.node()
            .add_error("Description cannot be longer than 1024 characters.");
    }
    let resource = CfnParameter::new(
        &base,
        "Resource",
        CfnParameterProps {
            name: base.physical_name(),
            ..props
        },
    );
    Created { base, resource }
}

impl StringParameter {
    /// Defines a String parameter `id` under `scope` (`AWS::SSM::Parameter`, child `Resource`).
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
    /// use cdk_constructs::ssm::*;
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Config", StackProps::default());
    /// let param = StringParameter::new(&stack, "ApiUrl", StringParameterProps {
    ///     parameter_name: Some("/app/api-url".into()),
    ///     string_value: "https://api.example.com".into(),
    ///     tier: Some(ParameterTier::Standard),
    ///     ..Default::default()
    /// });
    /// let reader = Role::new(&stack, "Reader", RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")));
    /// param.grant_read(&reader);
    /// // Another parameter's value, read by CloudFormation at deploy time:
    /// let other = StringParameter::value_for_string_parameter(&stack, "/shared/vpc-id", None);
    /// assert!(other.is_token());
    /// ```
    pub fn new(scope: &impl IConstruct, id: &str, props: StringParameterProps) -> Self {
        let mut cfn =
            CfnParameterProps::new(cfn_parameter::Type::String, props.string_value.clone());
        cfn.allowed_pattern = props.allowed_pattern.clone().map(Str::from);
        cfn.description = props.description.clone().map(Str::from);
        cfn.tier = props.tier.clone();
        cfn.data_type = props.data_type.clone();
        let created = create(
            scope,
            id,
            "cdk-constructs.ssm.StringParameter",
            props.parameter_name.as_ref(),
            cfn,
            props.description.as_ref(),
        );
        let node = created.base.node().clone();
        check_allowed_pattern(&node, &props.string_value, props.allowed_pattern.as_deref());
        let name = created.base.name_attribute(created.resource.ref_());
        let concrete = props
            .parameter_name
            .clone()
            .unwrap_or_else(|| Str::from(AUTOGEN));
        let arn = arn_for_parameter_name(&node, name.clone(), Some(&concrete), props.simple_name);
        let value = created.resource.resource().get_att("Value");
        StringParameter {
            node,
            name,
            arn,
            value: ParameterValue::Known(value),
            key: None,
            created: Some(created),
        }
    }

    /// An existing String parameter by name (its value through a template parameter
    /// `<id>.Parameter` of type `AWS::SSM::Parameter::Value<String>`).
    pub fn from_string_parameter_name(
        scope: &impl IConstruct,
        id: &str,
        parameter_name: impl Into<Str>,
    ) -> StringParameter {
        Self::from_string_parameter_attributes(
            scope,
            id,
            StringParameterAttributes::new(parameter_name),
        )
    }

    /// An existing String parameter (aws-cdk-lib's `fromStringParameterAttributes`): with a
    /// `version` or `force_dynamic_reference` its value is the dynamic reference
    /// `{{resolve:ssm:NAME[:VERSION]}}`, else the template parameter `<id>.Parameter` (created
    /// when the value is first read).
    pub fn from_string_parameter_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: StringParameterAttributes,
    ) -> StringParameter {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.ssm.ImportedStringParameter");
        let arn =
            arn_for_parameter_name(&node, attrs.parameter_name.clone(), None, attrs.simple_name);
        let name = attrs.parameter_name.clone();
        let value_type = attrs
            .value_type
            .clone()
            .unwrap_or(ParameterValueType::String);
        let value = if let Some(version) = &attrs.version {
            ParameterValue::Known(dynamic_reference(Str::concat([
                name.clone(),
                Str::from(":"),
                version_str(version),
            ])))
        } else if attrs.force_dynamic_reference || name.literal().is_none() {
            ParameterValue::Known(dynamic_reference(name.clone()))
        } else {
            ParameterValue::Lazy(Rc::new(LazyTemplateParameter {
                scope: scope.node().clone(),
                id: format!("{id}.Parameter"),
                type_name: format!("AWS::SSM::Parameter::Value<{}>", value_type.as_str()),
                default: name.clone(),
                value: std::cell::OnceCell::new(),
            }))
        };
        node.attach(VALUE_KEY, Rc::new(value.clone()));
        StringParameter {
            node,
            name,
            arn,
            value,
            key: None,
            created: None,
        }
    }

    /// An existing SecureString parameter: its value is the dynamic reference
    /// `{{resolve:ssm-secure:NAME[:VERSION]}}`; `encryption_key` gets the grants' KMS actions.
    pub fn from_secure_string_parameter_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: SecureStringParameterAttributes,
    ) -> StringParameter {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.ssm.ImportedSecureStringParameter");
        let arn =
            arn_for_parameter_name(&node, attrs.parameter_name.clone(), None, attrs.simple_name);
        let reference = match &attrs.version {
            Some(v) => Str::concat([attrs.parameter_name.clone(), Str::from(":"), version_str(v)]),
            None => attrs.parameter_name.clone(),
        };
        StringParameter {
            node,
            name: attrs.parameter_name,
            arn,
            value: ParameterValue::Known(Str::concat([
                Str::from("{{resolve:ssm-secure:"),
                reference,
                Str::from("}}"),
            ])),
            key: attrs.encryption_key,
            created: None,
        }
    }

    /// An existing String parameter by ARN (same region as the stack).
    pub fn from_string_parameter_arn(
        scope: &impl IConstruct,
        id: &str,
        parameter_arn: &str,
    ) -> StringParameter {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.ssm.ImportedStringParameter");
        let parts: Vec<&str> = parameter_arn.split(':').collect();
        if parts.len() != 6 {
            node.add_error("unexpected StringParameterArn format");
        } else if let Some(stack) = Stack::of(&node) {
            match stack.region().literal() {
                Some(r) if r != parts[3] => {
                    node.add_error("stringParameterArn must be in the same region as the stack")
                }
                Some(_) => {}
                None => node.add_warning(
                    "Cross-account references will only work within the same region [ack: aws-cdk-lib/aws-ssm:crossAccountReferenceSameRegion]",
                ),
            }
        }
        let name = parameter_arn.rsplit('/').next().unwrap_or("").to_string();
        let name = name.strip_suffix("parameter/").unwrap_or(&name).to_string();
        let value = ParameterValue::Known(dynamic_reference(Str::from(parameter_arn)));
        StringParameter {
            node,
            name: name.into(),
            arn: parameter_arn.into(),
            value,
            key: None,
            created: None,
        }
    }

    /// The value of an existing String parameter, read by CloudFormation at deploy time
    /// (aws-cdk-lib's `valueForStringParameter`): a template parameter
    /// `SsmParameterValue:<name>:C96584B6-F00A-464E-AD19-53AFF4B05118.Parameter` of type
    /// `AWS::SSM::Parameter::Value<String>` in the stack (one per name), or with `version`
    /// the dynamic reference `{{resolve:ssm:NAME:VERSION}}`.
    pub fn value_for_string_parameter(
        scope: &impl IConstruct,
        parameter_name: &str,
        version: Option<u32>,
    ) -> Str {
        Self::value_for_typed_string_parameter_v2(
            scope,
            parameter_name,
            ParameterValueType::String,
            version,
        )
    }

    /// [`StringParameter::value_for_string_parameter`] for a typed parameter
    /// (`AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`, ...).
    pub fn value_for_typed_string_parameter_v2(
        scope: &impl IConstruct,
        parameter_name: &str,
        value_type: ParameterValueType,
        version: Option<u32>,
    ) -> Str {
        let Some(stack) = Stack::of(scope.node()) else {
            return dynamic_reference(Str::from(parameter_name));
        };
        // constructs turns the path separator of an ID into `--`.
        let id = format!("SsmParameterValue:{parameter_name}:C96584B6-F00A-464E-AD19-53AFF4B05118")
            .replace('/', "--");
        if let Some(existing) = stack
            .node()
            .try_find_child(&id)
            .and_then(|n| n.attached::<ParameterValue>(VALUE_KEY))
        {
            return existing.string_value();
        }
        let imported = Self::from_string_parameter_attributes(
            &stack,
            &id,
            StringParameterAttributes {
                version: version.map(Num::from),
                value_type: Some(value_type),
                ..StringParameterAttributes::new(parameter_name)
            },
        );
        imported.string_value()
    }

    /// A dynamic reference to a SecureString parameter's value
    /// (`{{resolve:ssm-secure:NAME[:VERSION]}}`).
    pub fn value_for_secure_string_parameter(parameter_name: &str, version: Option<u32>) -> Str {
        Str::from(match version {
            Some(v) => format!("{{{{resolve:ssm-secure:{parameter_name}:{v}}}}}"),
            None => format!("{{{{resolve:ssm-secure:{parameter_name}}}}}"),
        })
    }

    /// The parameter's name (`Ref` for a parameter created here).
    pub fn parameter_name(&self) -> Str {
        self.name.clone()
    }

    /// The parameter's ARN.
    pub fn parameter_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The parameter's value (`Fn::GetAtt Value` for a parameter created here; the template
    /// parameter or dynamic reference for an imported one).
    pub fn string_value(&self) -> Str {
        self.value.string_value()
    }

    /// `ssm:Get*` on the parameter (see [`IParameter::grant_read`]).
    pub fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        IParameter::grant_read(self, grantee)
    }

    /// `ssm:PutParameter` on the parameter (see [`IParameter::grant_write`]).
    pub fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        IParameter::grant_write(self, grantee)
    }

    /// The underlying `AWS::SSM::Parameter` (`None` for an imported parameter).
    pub fn cfn(&self) -> Option<&CfnParameter> {
        self.created.as_ref().map(|c| &c.resource)
    }
}

/// Where an imported parameter's value comes from.
#[derive(Clone)]
pub(super) enum ParameterValue {
    /// An attribute or a dynamic reference.
    Known(Str),
    /// A template parameter, created when the value is first read (as aws-cdk-lib).
    Lazy(Rc<LazyTemplateParameter>),
}

impl ParameterValue {
    fn string_value(&self) -> Str {
        match self {
            ParameterValue::Known(v) => v.clone(),
            ParameterValue::Lazy(l) => l.value(),
        }
    }
}

/// A template parameter `AWS::SSM::Parameter::Value<T>` not created yet.
pub(super) struct LazyTemplateParameter {
    scope: Node,
    id: String,
    type_name: String,
    default: Str,
    value: std::cell::OnceCell<Str>,
}

impl LazyTemplateParameter {
    fn value(&self) -> Str {
        self.value
            .get_or_init(|| {
                if let Some(v) = self
                    .scope
                    .try_find_child(&self.id)
                    .and_then(|p| p.attached::<Str>(VALUE_KEY))
                {
                    return (*v).clone();
                }
                let parameter = cdk_core::CfnParameter::new(
                    &self.scope,
                    &self.id,
                    TemplateParameterProps {
                        parameter_type: Some(self.type_name.clone()),
                        default: Some(self.default.clone().into_value()),
                        ..Default::default()
                    },
                );
                let value = parameter.value_as_string();
                parameter.node().attach(VALUE_KEY, Rc::new(value.clone()));
                value
            })
            .clone()
    }
}

/// Where the value of an import (or template parameter) is kept on its node.
const VALUE_KEY: &str = "cdk-constructs.ssm.value";

/// `{{resolve:ssm:REFERENCE}}` (aws-cdk-lib's `CfnDynamicReference` for SSM).
pub fn dynamic_reference(reference: Str) -> Str {
    Str::concat([Str::from("{{resolve:ssm:"), reference, Str::from("}}")])
}

impl IConstruct for StringParameter {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl IParameter for StringParameter {
    fn parameter_arn(&self) -> Str {
        self.arn.clone()
    }
    fn parameter_name(&self) -> Str {
        self.name.clone()
    }
    fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.key.clone()
    }
}

/// Attributes of an existing String parameter.
#[derive(Clone, Debug)]
pub struct StringParameterAttributes {
    /// The name.
    pub parameter_name: Str,
    /// A version (makes the value a dynamic reference); a number token such as a
    /// `CfnParameter`'s `value_as_number` is allowed (aws-cdk-lib's `version: number`).
    pub version: Option<Num>,
    /// The template parameter's value type (default `String`).
    pub value_type: Option<ParameterValueType>,
    /// Whether the name is simple (needed when it is a token).
    pub simple_name: Option<bool>,
    /// Use a dynamic reference even without a version.
    pub force_dynamic_reference: bool,
}

impl StringParameterAttributes {
    /// The attributes of the parameter `parameter_name`.
    pub fn new(parameter_name: impl Into<Str>) -> Self {
        StringParameterAttributes {
            parameter_name: parameter_name.into(),
            version: None,
            value_type: None,
            simple_name: None,
            force_dynamic_reference: false,
        }
    }
}

/// Attributes of an existing SecureString parameter.
#[derive(Clone)]
pub struct SecureStringParameterAttributes {
    /// The name.
    pub parameter_name: Str,
    /// A version (a number token allowed).
    pub version: Option<Num>,
    /// Whether the name is simple (needed when it is a token).
    pub simple_name: Option<bool>,
    /// The key that encrypts the value.
    pub encryption_key: Option<Rc<dyn IKey>>,
}

/// Properties of a [`StringListParameter`].
#[derive(Clone, Default)]
pub struct StringListParameterProps {
    /// The values (joined with `,`; a literal value may not contain a comma).
    pub string_list_value: Vec<Str>,
    /// The name (default: chosen by CloudFormation).
    pub parameter_name: Option<Str>,
    /// Whether the name is simple (needed when it is a token).
    pub simple_name: Option<bool>,
    /// Description (at most 1024 characters).
    pub description: Option<String>,
    /// A regular expression every value must match.
    pub allowed_pattern: Option<String>,
    /// Tier.
    pub tier: Option<ParameterTier>,
}

/// A StringList parameter (`AWS::SSM::Parameter` of type `StringList`, child `Resource`),
/// created here ([`StringListParameter::new`]) or imported.
#[derive(Clone)]
pub struct StringListParameter {
    node: Node,
    source: ListSource,
    name: Str,
    arn: Str,
}

/// A created list parameter, or an import's value.
#[derive(Clone)]
enum ListSource {
    Created(Created),
    Imported(ListValue),
}

/// Where an imported list parameter's value comes from.
#[derive(Clone)]
enum ListValue {
    /// A list token (a split dynamic reference, or a dynamic reference as a list).
    Known(StrList),
    /// A template parameter `AWS::SSM::Parameter::Value<List<T>>`, created when first read.
    Lazy(Rc<LazyTemplateParameter>),
}

impl IConstruct for StringListParameter {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// Attributes of an existing StringList parameter (aws-cdk-lib's `ListParameterAttributes`).
#[derive(Clone)]
pub struct StringListParameterAttributes {
    /// The name.
    pub parameter_name: Str,
    /// The type of the elements (default `String`: `List<String>`).
    pub element_type: Option<ParameterValueType>,
    /// A version (makes the value a dynamic reference; a number token allowed).
    pub version: Option<Num>,
    /// Whether the name is simple (needed when it is a token).
    pub simple_name: Option<bool>,
}

impl StringListParameterAttributes {
    /// The attributes of the parameter `parameter_name`.
    pub fn new(parameter_name: impl Into<Str>) -> Self {
        StringListParameterAttributes {
            parameter_name: parameter_name.into(),
            element_type: None,
            version: None,
            simple_name: None,
        }
    }
}

/// Where a list import's value is kept on its node (for `value_for_typed_list_parameter`).
const LIST_VALUE_KEY: &str = "cdk-constructs.ssm.list-value";

impl StringListParameter {
    /// Defines a StringList parameter `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: StringListParameterProps) -> Self {
        let value = fns::join(",", StrList::from(props.string_list_value.clone()));
        let mut cfn = CfnParameterProps::new(cfn_parameter::Type::StringList, value);
        cfn.allowed_pattern = props.allowed_pattern.clone().map(Str::from);
        cfn.description = props.description.clone().map(Str::from);
        cfn.tier = props.tier.clone();
        let created = create(
            scope,
            id,
            "cdk-constructs.ssm.StringListParameter",
            props.parameter_name.as_ref(),
            cfn,
            props.description.as_ref(),
        );
        let node = created.base.node().clone();
        for v in &props.string_list_value {
            if v.literal().is_some_and(|l| l.contains(',')) {
                node.add_error(&format!(
                    "Values of a StringList SSM Parameter cannot contain the ',' character. Use a string parameter instead: {}",
                    v.literal().unwrap_or("")
                ));
            }
            check_allowed_pattern(&node, v, props.allowed_pattern.as_deref());
        }
        let name = created.base.name_attribute(created.resource.ref_());
        let concrete = props
            .parameter_name
            .clone()
            .unwrap_or_else(|| Str::from(AUTOGEN));
        let arn = arn_for_parameter_name(&node, name.clone(), Some(&concrete), props.simple_name);
        StringListParameter {
            node,
            source: ListSource::Created(created),
            name,
            arn,
        }
    }

    /// An existing StringList parameter by name (aws-cdk-lib's `fromStringListParameterName`):
    /// its value is `Fn::Split` of the dynamic reference `{{resolve:ssm:NAME}}`.
    pub fn from_string_list_parameter_name(
        scope: &impl IConstruct,
        id: &str,
        parameter_name: impl Into<Str>,
    ) -> StringListParameter {
        let name = parameter_name.into();
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.ssm.ImportedStringListParameter");
        let arn = arn_for_parameter_name(&node, name.clone(), None, None);
        let value = ListValue::Known(split_dynamic_reference(name.clone()));
        StringListParameter {
            node,
            source: ListSource::Imported(value),
            name,
            arn,
        }
    }

    /// An existing StringList parameter (aws-cdk-lib's `fromListParameterAttributes`): with a
    /// `version` its value is the dynamic reference `{{resolve:ssm:NAME:VERSION}}` as a list,
    /// else the template parameter `<id>.Parameter` of type
    /// `AWS::SSM::Parameter::Value<List<T>>` (created when the value is first read).
    pub fn from_list_parameter_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: StringListParameterAttributes,
    ) -> StringListParameter {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.ssm.ImportedStringListParameter");
        if attrs.parameter_name.literal() == Some("") {
            node.add_error("parameterName cannot be an empty string");
        }
        let name = attrs.parameter_name.clone();
        let arn = arn_for_parameter_name(&node, name.clone(), None, attrs.simple_name);
        let element_type = attrs
            .element_type
            .clone()
            .unwrap_or(ParameterValueType::String);
        let value = match &attrs.version {
            Some(version) => ListValue::Known(StrList::from_value(
                dynamic_reference(Str::concat([
                    name.clone(),
                    Str::from(":"),
                    version_str(version),
                ]))
                .into_value(),
            )),
            None => ListValue::Lazy(Rc::new(LazyTemplateParameter {
                scope: scope.node().clone(),
                id: format!("{id}.Parameter"),
                type_name: format!(
                    "AWS::SSM::Parameter::Value<List<{}>>",
                    element_type.as_str()
                ),
                default: name.clone(),
                value: std::cell::OnceCell::new(),
            })),
        };
        node.attach(LIST_VALUE_KEY, Rc::new(value.clone()));
        StringListParameter {
            node,
            source: ListSource::Imported(value),
            name,
            arn,
        }
    }

    /// The value of an existing StringList parameter, read by CloudFormation at deploy time
    /// (aws-cdk-lib's `valueForTypedListParameter`): the template parameter
    /// `SsmParameterValue:<name>:C96584B6-F00A-464E-AD19-53AFF4B05118.Parameter` of type
    /// `AWS::SSM::Parameter::Value<List<T>>` in the stack, or with `version` the dynamic
    /// reference. One import per name and stack: a second call returns the first one's value
    /// (whatever its version), as aws-cdk-lib.
    pub fn value_for_typed_list_parameter(
        scope: &impl IConstruct,
        parameter_name: &str,
        element_type: ParameterValueType,
        version: Option<Num>,
    ) -> StrList {
        let Some(stack) = Stack::of(scope.node()) else {
            return split_dynamic_reference(Str::from(parameter_name));
        };
        let id = format!("SsmParameterValue:{parameter_name}:C96584B6-F00A-464E-AD19-53AFF4B05118")
            .replace('/', "--");
        if let Some(existing) = stack
            .node()
            .try_find_child(&id)
            .and_then(|n| n.attached::<ListValue>(LIST_VALUE_KEY))
        {
            return existing.list();
        }
        Self::from_list_parameter_attributes(
            &stack,
            &id,
            StringListParameterAttributes {
                element_type: Some(element_type),
                version,
                ..StringListParameterAttributes::new(parameter_name)
            },
        )
        .string_list_value()
    }

    /// The values (`Fn::Split` of `Fn::GetAtt Value` for a parameter created here; the
    /// template parameter or dynamic reference for an imported one).
    pub fn string_list_value(&self) -> StrList {
        match &self.source {
            ListSource::Created(created) => {
                fns::split(",", created.resource.resource().get_att("Value"))
            }
            ListSource::Imported(value) => value.list(),
        }
    }

    /// The parameter's name (`Ref`).
    pub fn parameter_name(&self) -> Str {
        self.name.clone()
    }

    /// The parameter's ARN.
    pub fn parameter_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The underlying `AWS::SSM::Parameter` (`None` for an imported parameter).
    pub fn cfn(&self) -> Option<&CfnParameter> {
        match &self.source {
            ListSource::Created(created) => Some(&created.resource),
            ListSource::Imported(_) => None,
        }
    }
}

impl ListValue {
    fn list(&self) -> StrList {
        match self {
            ListValue::Known(v) => v.clone(),
            ListValue::Lazy(l) => StrList::from_value(l.value().into_value()),
        }
    }
}

impl IParameter for StringListParameter {
    fn parameter_arn(&self) -> Str {
        self.arn.clone()
    }
    fn parameter_name(&self) -> Str {
        self.name.clone()
    }
}

/// A parameter version as text inside a dynamic reference: the literal number, or the token
/// (aws-cdk-lib's `Tokenization.stringifyNumber`).
fn version_str(version: &Num) -> Str {
    match version.value() {
        Value::Number(n) => Str::from(n.to_string()),
        other => Str::from_value(other.clone()),
    }
}

/// `Fn::Split` of `{{resolve:ssm:NAME}}` on `,`, kept as an intrinsic even for a literal name:
/// only CloudFormation resolves the reference (aws-cdk-lib's `CfnDynamicReference` is a token).
fn split_dynamic_reference(name: Str) -> StrList {
    StrList::from_value(Value::intrinsic(
        "Fn::Split",
        Value::List(vec![Value::from(","), dynamic_reference(name).into_value()]),
    ))
}
