//! aws-cdk-lib's `AccessKey`: a long-term access key of an IAM user.

use cdk_core::{IConstruct, Node, Num, Str};

use super::{CfnAccessKey, CfnAccessKeyProps, IUser};

/// Whether an access key can be used (aws-cdk-lib's `AccessKeyStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKeyStatus {
    /// Usable.
    Active,
    /// Not usable.
    Inactive,
    /// Expired.
    Expired,
}

impl AccessKeyStatus {
    /// The value CloudFormation takes.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessKeyStatus::Active => "Active",
            AccessKeyStatus::Inactive => "Inactive",
            AccessKeyStatus::Expired => "Expired",
        }
    }
}

/// Properties of an [`AccessKey`].
#[derive(Clone)]
pub struct AccessKeyProps {
    /// The user's name (from [`IUser::user_name`]).
    pub user_name: Str,
    /// A serial number: change it to rotate the key (CloudFormation replaces the resource).
    pub serial: Option<Num>,
    /// The key's status (CloudFormation's default: active).
    pub status: Option<AccessKeyStatus>,
}

impl AccessKeyProps {
    /// A key for `user`.
    pub fn new(user: &dyn IUser) -> Self {
        AccessKeyProps {
            user_name: user.user_name(),
            serial: None,
            status: None,
        }
    }
}

/// An access key of a user (`AWS::IAM::AccessKey`, construct `Resource`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::iam::{AccessKey, AccessKeyProps, User, UserProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Users", StackProps::default());
/// let user = User::new(&stack, "Ci", UserProps::default());
/// let key = AccessKey::new(&stack, "CiKey", AccessKeyProps::new(&user));
/// assert!(key.access_key_id().is_token()); // {"Ref": "CiKey…"}
/// ```
#[derive(Clone)]
pub struct AccessKey {
    node: Node,
    resource: CfnAccessKey,
}

impl IConstruct for AccessKey {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl AccessKey {
    /// An access key as `props` says.
    pub fn new(scope: &impl IConstruct, id: &str, props: AccessKeyProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.iam.AccessKey");
        let resource = CfnAccessKey::new(
            &node,
            "Resource",
            CfnAccessKeyProps {
                serial: props.serial,
                status: props.status.map(|s| Str::from(s.as_str())),
                ..CfnAccessKeyProps::new(props.user_name)
            },
        );
        AccessKey { node, resource }
    }

    /// The access key's ID (`Ref`).
    pub fn access_key_id(&self) -> Str {
        self.resource.ref_()
    }

    /// The secret access key (`Fn::GetAtt SecretAccessKey`). aws-cdk-lib wraps it in a
    /// `SecretValue`; here it is the attribute token — keep it out of outputs and logs.
    pub fn secret_access_key(&self) -> Str {
        self.resource.attr_secret_access_key()
    }

    /// The `AWS::IAM::AccessKey` resource.
    pub fn cfn(&self) -> &CfnAccessKey {
        &self.resource
    }
}
