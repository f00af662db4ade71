//! DynamoDB L2: table defaults, keys, billing modes, removal policy, name rules and grants.

mod common;

use cdk_constructs::dynamodb::*;
use cdk_constructs::iam::{AccountPrincipal, Role, RoleProps, ServicePrincipal};
use cdk_core::{RemovalPolicy, Stack, StackProps};
use serde_json::{json, Value as J};

fn table_resource(t: &J) -> (String, J) {
    common::resource(t, "Table/Resource")
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
    let dir = tempfile::tempdir().unwrap();
    let t = common::synth_template(&app, &dir.path().join("out"));
    let (id, r) = table_resource(&t);
    assert_eq!(id, "TableCD117FA1");
    assert_eq!(
        r["Properties"],
        json!({
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        })
    );
    assert_eq!(r["DeletionPolicy"], "Retain");
    assert_eq!(r["UpdateReplacePolicy"], "Retain");
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
    let dir = tempfile::tempdir().unwrap();
    let t = common::synth_template(&app, &dir.path().join("out"));
    let (_, r) = table_resource(&t);
    assert_eq!(
        r["Properties"],
        json!({
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
        })
    );
    assert_eq!(r["DeletionPolicy"], "Delete");
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
    let dir = tempfile::tempdir().unwrap();
    let t = common::synth_template(&app, &dir.path().join("out"));
    let (table_id, r) = table_resource(&t);
    assert_eq!(
        r["Properties"]["ProvisionedThroughput"],
        json!({"ReadCapacityUnits": 10, "WriteCapacityUnits": 5})
    );
    assert!(r["Properties"].get("ResourcePolicy").is_none());
    let resources = json!([{"Fn::GetAtt": [table_id, "Arn"]}, {"Ref": "AWS::NoValue"}]);
    let statement = |role: &str| {
        let (_, policy) = common::resource(&t, &format!("{role}/DefaultPolicy/Resource"));
        policy["Properties"]["PolicyDocument"]["Statement"][0].clone()
    };
    assert_eq!(
        statement("Writer"),
        json!({
            "Action": ["dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"],
            "Effect": "Allow",
            "Resource": resources
        })
    );
    assert_eq!(
        statement("Reader")["Action"],
        json!([
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:GetItem",
            "dynamodb:Scan",
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:DescribeTable"
        ])
    );
    assert_eq!(
        statement("Both")["Action"],
        json!([
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
        ])
    );
    assert_eq!(statement("Both")["Resource"], resources);
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
    let dir = tempfile::tempdir().unwrap();
    let t = common::synth_template(&app, &dir.path().join("out"));
    let (_, r) = table_resource(&t);
    let statement = &r["Properties"]["ResourcePolicy"]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        statement["Principal"],
        json!({"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]}})
    );
    assert_eq!(statement["Resource"], "*");
    assert_eq!(statement["Action"][0], "dynamodb:BatchGetItem");
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
