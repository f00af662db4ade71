//! DynamoDB L2: table defaults, keys, billing modes, removal policy, name rules and grants.

mod common;

use cdk_assertions::{pattern, Capture, Match, Pattern, Template};
use cdk_constructs::dynamodb::*;
use cdk_constructs::iam::{AccountPrincipal, Role, RoleProps, ServicePrincipal};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};
use serde_json::json;

/// Asserts the stack has a resource at construct path `Stack/<path>` that matches `pattern`.
#[track_caller]
fn has_at(t: &Template, ty: &str, path: &str, pattern: Pattern) {
    t.has_resource(
        ty,
        pattern!({"Metadata": {"aws:cdk:path": format!("Stack/{path}")}, "Properties": pattern}),
    );
}

#[test]
fn defaults_match_aws_cdk_lib() {
    let (app, stack) = common::app_and_stack();
    let table = Table::new(
        &stack,
        "Table",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    assert!(table.table_name().is_token());
    Template::from_stack(&stack).template_matches(pattern!({"Resources": {"TableCD117FA1": {
        "Metadata": {"aws:cdk:path": "Stack/Table/Resource"},
        "Properties": Match::exact(pattern!({
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        })),
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    }}}));
    let dir = tempfile::tempdir().unwrap();
    common::synth_template(&app, &dir.path().join("out"));
    rcdk_tests::validate_assembly(&dir.path().join("out"), true);
}

#[test]
fn on_demand_table_with_sort_key_and_options() {
    let (app, stack) = common::app_and_stack();
    Table::new(
        &stack,
        "Table",
        TableProps {
            sort_key: Some(Attribute::new("createdAt", AttributeType::Number)),
            billing_mode: BillingMode::PayPerRequest,
            table_name: Some("products.v1".into()),
            removal_policy: Some(RemovalPolicy::Destroy),
            point_in_time_recovery: Some(true),
            time_to_live_attribute: Some("expires".into()),
            ..TableProps::new(Attribute::new("pk", AttributeType::Binary))
        },
    );
    Template::from_stack(&stack).has_resource(
        "AWS::DynamoDB::Table",
        pattern!({
            "Metadata": {"aws:cdk:path": "Stack/Table/Resource"},
            "Properties": Match::exact(pattern!({
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "B"},
                    {"AttributeName": "createdAt", "AttributeType": "N"}
                ],
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "createdAt", "KeyType": "RANGE"}
                ],
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
                "TableName": "products.v1",
                "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": true}
            })),
            "DeletionPolicy": "Delete",
        }),
    );
    let dir = tempfile::tempdir().unwrap();
    common::synth_template(&app, &dir.path().join("out"));
    rcdk_tests::validate_assembly(&dir.path().join("out"), true);
}

#[test]
fn grants_use_aws_cdk_lib_action_lists() {
    let (app, stack) = common::app_and_stack();
    let table = Table::new(
        &stack,
        "Table",
        TableProps {
            read_capacity: Some(10),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    let lambda = || ServicePrincipal::new("lambda.amazonaws.com");
    let writer = Role::new(&stack, "Writer", RoleProps::assumed_by(lambda()));
    let reader = Role::new(&stack, "Reader", RoleProps::assumed_by(lambda()));
    let both = Role::new(&stack, "Both", RoleProps::assumed_by(lambda()));
    assert!(table.grant_write_data(&writer).success());
    table.grant_read_data(&reader);
    let grant = table.grant_read_write_data(&both);
    assert!(
        grant.resource_statement.is_none(),
        "same account: principal policy only"
    );
    let t = Template::from_stack(&stack);
    let table_id = t.get_resource_id(
        "AWS::DynamoDB::Table",
        pattern!({"Metadata": {"aws:cdk:path": "Stack/Table/Resource"}}),
    );
    has_at(
        &t,
        "AWS::DynamoDB::Table",
        "Table/Resource",
        pattern!({
            "ProvisionedThroughput": Match::exact(pattern!({"ReadCapacityUnits": 10, "WriteCapacityUnits": 5})),
            "ResourcePolicy": Match::absent(),
        }),
    );
    let resources = json!([{"Fn::GetAtt": [table_id, "Arn"]}, {"Ref": "AWS::NoValue"}]);
    // Each role's default policy has one statement, for its grant.
    let first_statement = |role: &str, statement: Pattern| {
        has_at(
            &t,
            "AWS::IAM::Policy",
            &format!("{role}/DefaultPolicy/Resource"),
            pattern!({
                "PolicyDocument": {"Statement": [statement]},
            }),
        );
    };
    first_statement("Writer", Match::exact(pattern!({
        "Action": ["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"],
        "Effect": "Allow",
        "Resource": resources.clone()
    })).into());
    first_statement(
        "Reader",
        pattern!({"Action": [
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:GetItem",
            "dynamodb:Scan",
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:DescribeTable"
        ]}),
    );
    first_statement(
        "Both",
        pattern!({
            "Action": [
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:ConditionCheckItem",
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:BatchWriteItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable"
            ],
            "Resource": Match::exact(resources),
        }),
    );
    let dir = tempfile::tempdir().unwrap();
    common::synth_template(&app, &dir.path().join("out"));
    rcdk_tests::validate_assembly(&dir.path().join("out"), true);
}

#[test]
fn cross_account_grant_goes_to_the_resource_policy() {
    let app = common::cli_app();
    let stack = Stack::new(
        &app,
        "Stack",
        StackProps {
            env: Some(cdk_core::Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    );
    let table = Table::new(
        &stack,
        "Table",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    let grant = table.grant_read_data(&AccountPrincipal::new("222222222222"));
    assert!(grant.resource_statement.is_some());
    assert!(table.resource_policy().is_some());
    let actions = Capture::new();
    has_at(
        &Template::from_stack(&stack),
        "AWS::DynamoDB::Table",
        "Table/Resource",
        pattern!({
            "ResourcePolicy": {"PolicyDocument": {"Statement": [{
                "Principal": Match::exact(pattern!({"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]}})),
                "Resource": "*",
                "Action": &actions,
            }]}},
        }),
    );
    assert_eq!(actions.as_array()[0], "dynamodb:BatchGetItem");
    let dir = tempfile::tempdir().unwrap();
    common::synth_template(&app, &dir.path().join("out"));
    rcdk_tests::validate_assembly(&dir.path().join("out"), true);
}

#[test]
fn bad_input_is_reported_against_the_construct_path() {
    let (app, stack) = common::app_and_stack();
    Table::new(
        &stack,
        "Short",
        TableProps {
            table_name: Some("ab".into()),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    Table::new(
        &stack,
        "Chars",
        TableProps {
            table_name: Some("my table!".into()),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    Table::new(
        &stack,
        "OnDemand",
        TableProps {
            billing_mode: BillingMode::PayPerRequest,
            read_capacity: Some(5),
            sort_key: Some(Attribute::new("id", AttributeType::Number)),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    let errors = common::synth_errors(&app).join("\n");
    for expected in [
        "[Stack/Short] table name 'ab' must be between 3 and 255 characters long (got 2)",
        "[Stack/Chars] table name 'my table!' may only contain letters, digits, '_', '-' and '.' (found ' ')",
        "[Stack/OnDemand] you cannot provision read and write capacity for a table with PAY_PER_REQUEST billing mode",
        "[Stack/OnDemand] the sort key 'id' must differ from the partition key",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in\n{errors}");
    }
    assert!(table_name_errors(&"a".repeat(255)).is_empty());
    assert_eq!(table_name_errors(&"a".repeat(256)).len(), 1);
}

/// aws-cdk-lib 2.276 refuses grants to service principals DynamoDB resource policies do not
/// document (a synth error naming the table); the replication service is accepted.
#[test]
fn grants_to_unsupported_service_principals_are_errors() {
    use cdk_assertions::{Annotations, Template};
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let table = Table::new(
        &stack,
        "Table",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    let grant = table.grant_read_data(&ServicePrincipal::new("bedrock.amazonaws.com"));
    assert!(!grant.success());
    Annotations::from_stack(&stack).has_error(
        "/S/Table",
        cdk_assertions::Match::string_like_regexp("do not support ServicePrincipal grantees"),
    );
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let table = Table::new(
        &stack,
        "Table",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    table.grant_read_data(&ServicePrincipal::new("glue.amazonaws.com"));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::DynamoDB::Table",
        cdk_assertions::pattern!({"ResourcePolicy": cdk_assertions::Match::any_value()}),
    );
}

#[test]
fn global_and_local_secondary_indexes_render_as_aws_cdk_lib() {
    let (_app, stack) = common::app_and_stack();
    let table = Table::new(
        &stack,
        "Table",
        TableProps {
            sort_key: Some(Attribute::new("sk", AttributeType::Number)),
            ..TableProps::new(Attribute::new("pk", AttributeType::String))
        },
    );
    assert!(!table.has_index());
    table.add_global_secondary_index(GlobalSecondaryIndexProps {
        sort_key: Some(Attribute::new("sk", AttributeType::Number)),
        projection_type: Some(ProjectionType::Include),
        non_key_attributes: Some(vec!["a".into(), "b".into()]),
        read_capacity: Some(10),
        ..GlobalSecondaryIndexProps::new("ByGsi", Attribute::new("gsiPk", AttributeType::String))
    });
    table.add_local_secondary_index(LocalSecondaryIndexProps {
        projection_type: Some(ProjectionType::KeysOnly),
        ..LocalSecondaryIndexProps::new("ByLsi", Attribute::new("lsiSk", AttributeType::Binary))
    });
    assert!(table.has_index());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    table.grant_read_data(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::DynamoDB::Table",
        pattern!({
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
                {"AttributeName": "gsiPk", "AttributeType": "S"},
                {"AttributeName": "lsiSk", "AttributeType": "B"}
            ],
            "GlobalSecondaryIndexes": [{
                "IndexName": "ByGsi",
                "KeySchema": [{"AttributeName": "gsiPk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"NonKeyAttributes": ["a", "b"], "ProjectionType": "INCLUDE"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}
            }],
            "LocalSecondaryIndexes": [{
                "IndexName": "ByLsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "lsiSk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}
            }]
        }),
    );
    // Grants name the indexes once there are any.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Resource": Match::array_with([json!({"Fn::Join": ["", [{"Fn::GetAtt": ["TableCD117FA1", "Arn"]}, "/index/*"]]})])
        }))])}}),
    );
}

#[test]
fn index_errors_name_the_problem() {
    let (_app, stack) = common::app_and_stack();
    let table = Table::new(
        &stack,
        "Table",
        TableProps {
            billing_mode: BillingMode::PayPerRequest,
            ..TableProps::new(Attribute::new("pk", AttributeType::String))
        },
    );
    table.add_global_secondary_index(GlobalSecondaryIndexProps {
        read_capacity: Some(1),
        ..GlobalSecondaryIndexProps::new("A", Attribute::new("pk", AttributeType::Number))
    });
    table.add_global_secondary_index(GlobalSecondaryIndexProps {
        non_key_attributes: Some(vec!["x".into()]),
        ..GlobalSecondaryIndexProps::new("A", Attribute::new("other", AttributeType::String))
    });
    table.add_local_secondary_index(LocalSecondaryIndexProps::new(
        "L",
        Attribute::new("sk", AttributeType::String),
    ));
    let err = synth_error(&stack);
    for expected in [
        "you cannot provision read and write capacity",
        "Unable to specify pk as N because it was already defined as S",
        "a duplicate index name, A, is not allowed",
        "non-key attributes should not be specified when not using INCLUDE projection type",
        "a sort key of the table must be specified to add local secondary indexes",
    ] {
        assert!(
            err.to_string().contains(expected),
            "{expected} missing in {err}"
        );
    }
}

#[test]
fn streams_ttl_contributor_insights_and_resource_policy() {
    let (_app, stack) = common::app_and_stack();
    let policy = cdk_constructs::iam::PolicyDocument::new();
    policy.add_statements([cdk_constructs::iam::PolicyStatement::new()
        .action("dynamodb:GetItem")
        .principal(&AccountPrincipal::new("111111111111"))
        .resource("*")]);
    let table = Table::new(
        &stack,
        "Table",
        TableProps {
            stream: Some(StreamViewType::NewAndOldImages),
            time_to_live_attribute: Some("expiresAt".into()),
            contributor_insights_enabled: Some(true),
            point_in_time_recovery: Some(true),
            resource_policy: Some(policy),
            ..TableProps::new(Attribute::new("pk", AttributeType::String))
        },
    );
    assert!(table.table_stream_arn().is_some());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    table.grant_stream_read(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::DynamoDB::Table",
        pattern!({
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": true},
            "ContributorInsightsSpecification": {"Enabled": true},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
            "ResourcePolicy": {"PolicyDocument": {"Statement": [Match::object_like(pattern!({"Action": "dynamodb:GetItem"}))]}}
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [
            {"Action": "dynamodb:ListStreams", "Effect": "Allow", "Resource": "*"},
            {"Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
             "Effect": "Allow", "Resource": {"Fn::GetAtt": ["TableCD117FA1", "StreamArn"]}}
        ]}}),
    );
}

#[test]
fn stream_grants_without_a_stream_are_an_error() {
    let (_app, stack) = common::app_and_stack();
    let table = Table::new(
        &stack,
        "Table",
        TableProps::new(Attribute::new("pk", AttributeType::String)),
    );
    assert!(table.table_stream_arn().is_none());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    table.grant_stream_read(&role);
    let err = synth_error(&stack);
    assert!(err
        .to_string()
        .contains("DynamoDB Streams must be enabled on the table Stack/Table"));
}

/// The error of a synthesis that must fail.
#[track_caller]
fn synth_error(stack: &cdk_core::Stack) -> cdk_assertions::AssertionError {
    match Template::try_from_stack(stack) {
        Ok(_) => panic!("synthesis must fail"),
        Err(e) => e,
    }
}
