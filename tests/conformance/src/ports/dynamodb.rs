//! Ports of `aws-dynamodb/test/integ.*.ts`.

use cdk_constructs::dynamodb::{
    Attribute, AttributeType, BillingMode, ContributorInsightsMode,
    ContributorInsightsSpecification, GlobalSecondaryIndexProps, LocalSecondaryIndexProps,
    ProjectionType, StreamViewType, Table, TableEncryption, TableProps,
};
use cdk_constructs::iam::{
    AccountRootPrincipal, IResourceWithPolicy, PolicyStatement, ServicePrincipal,
};
use cdk_core::{fns, App, RemovalPolicy, Stack, StackProps, Tags};

use crate::harness::Port;

/// The DynamoDB ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-dynamodb/integ.dynamodb.grant-service-principal",
        build: grant_service_principal,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.policy",
        build: policy,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.point-in-time-recovery",
        build: point_in_time_recovery,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.add-to-resource-policy",
        build: add_to_resource_policy,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.pitr",
        build: pitr,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.ondemand",
        build: ondemand,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.contirubtor-insights-for-gsi",
        build: contributor_insights_for_gsi,
    },
    Port {
        test: "aws-dynamodb/integ.dynamodb.cci",
        build: cci,
    },
];

/// A table keyed by the string attribute `pk`, destroyed with its stack.
fn table(scope: &Stack, id: &str, pk: &str) -> Table {
    Table::new(
        scope,
        id,
        TableProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..TableProps::new(Attribute::new(pk, AttributeType::String))
        },
    )
}

/// `integ.dynamodb.grant-service-principal.ts`. Partial: no `TableV2`; the grant to bedrock
/// is left out (see below).
fn grant_service_principal(app: &App) {
    let stack = Stack::new(
        app,
        "grant-service-principal-test-stack",
        StackProps::default(),
    );
    // `grantReadWriteData(bedrock)`: aws-cdk-lib 2.276 (and rcdk) refuse it with an error; the
    // snapshot's newer aws-cdk-lib drops it. The port leaves the call out, which is that template.
    table(&stack, "GrantDropTable", "pk");
    // GrantDropTableV2 (TableV2) cannot be expressed.
    let table3 = table(&stack, "Table3", "id");
    table3.add_to_resource_policy(
        PolicyStatement::new()
            .actions([
                "dynamodb:ReadDataForReplication",
                "dynamodb:WriteDataForReplication",
                "dynamodb:ReplicateSettings",
            ])
            .principal(&ServicePrincipal::new("replication.dynamodb.amazonaws.com"))
            .resource("*")
            .condition("StringEquals", "aws:SourceAccount", stack.account()),
    );
}

/// `integ.dynamodb.policy.ts` (`resourcePolicy: doc` is the first statement added).
fn policy(app: &App) {
    let stack = Stack::new(app, "resource-policy-stack", StackProps::default());
    let root_statement = |action: &str| {
        PolicyStatement::new()
            .action(action)
            .principal(&AccountRootPrincipal::new())
            .resource("*")
    };
    let t1 = table(&stack, "TableTest1", "id");
    t1.add_to_resource_policy(root_statement("dynamodb:*"));
    t1.add_to_resource_policy(root_statement("dynamodb:GetItem"));
    let t2 = table(&stack, "TableTest2", "PK");
    t2.add_to_resource_policy(root_statement("dynamodb:PutItem"));
}

/// `integ.dynamodb.point-in-time-recovery.ts`.
fn point_in_time_recovery(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-dynamodb-point-in-time-recovery",
        StackProps::default(),
    );
    Table::new(
        &stack,
        "TableTest1",
        TableProps {
            point_in_time_recovery: Some(true),
            recovery_period_in_days: Some(35),
            removal_policy: Some(RemovalPolicy::Destroy),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
}

/// `integ.dynamodb.add-to-resource-policy.ts`, as of the stored snapshot (two tables).
fn add_to_resource_policy(app: &App) {
    let stack = Stack::new(
        app,
        "add-to-resource-policy-test-stack",
        StackProps::default(),
    );
    let wildcard = table(&stack, "WildcardTable", "id");
    wildcard.add_to_resource_policy(
        PolicyStatement::new()
            .actions(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"])
            .principal(&AccountRootPrincipal::new())
            .resource("*"),
    );
    let scoped = Table::new(
        &stack,
        "ScopedTable",
        TableProps {
            table_name: Some("my-explicit-scoped-table".into()),
            removal_policy: Some(RemovalPolicy::Destroy),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    scoped.add_to_resource_policy(
        PolicyStatement::new()
            .actions(["dynamodb:GetItem", "dynamodb:Query"])
            .principal(&AccountRootPrincipal::new())
            .resource(fns::sub::<&str, &str>(
                "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/my-explicit-scoped-table",
                [],
            )),
    );
}

/// `integ.dynamodb.pitr.ts`.
fn pitr(app: &App) {
    let stack = Stack::new(
        app,
        "table-pitr",
        StackProps {
            env: Some(cdk_core::Environment {
                account: None,
                region: Some("eu-west-1".into()),
            }),
            ..Default::default()
        },
    );
    Table::new(
        &stack,
        "TableTest",
        TableProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            point_in_time_recovery: Some(true),
            recovery_period_in_days: Some(10),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
}

/// `integ.dynamodb.ondemand.ts`: on-demand tables with every kind of global and local index.
fn ondemand(app: &App) {
    let stack = Stack::new(app, "aws-cdk-dynamodb", StackProps::default());
    let pk = || Attribute::new("hashKey", AttributeType::String);
    let sk = || Attribute::new("sortKey", AttributeType::Number);
    let gsi_pk = || Attribute::new("gsiHashKey", AttributeType::String);
    let gsi_sk = || Attribute::new("gsiSortKey", AttributeType::Number);
    let lsi_sk = || Attribute::new("lsiSortKey", AttributeType::Number);
    let letters = |from: u8| (from..from + 10).map(|c| (c as char).to_string()).collect();
    let on_demand = |sort_key: Option<Attribute>| TableProps {
        billing_mode: BillingMode::PayPerRequest,
        sort_key,
        removal_policy: Some(RemovalPolicy::Destroy),
        ..TableProps::new(pk())
    };
    Table::new(
        &stack,
        "Table",
        TableProps {
            max_read_request_units: Some(100),
            max_write_request_units: Some(200),
            ..on_demand(None)
        },
    );
    let both = Table::new(
        &stack,
        "TableWithGlobalAndLocalSecondaryIndex",
        TableProps {
            point_in_time_recovery: Some(true),
            encryption: Some(TableEncryption::AwsManaged),
            stream: Some(StreamViewType::KeysOnly),
            time_to_live_attribute: Some("timeToLive".into()),
            ..on_demand(Some(sk()))
        },
    );
    Tags::of(&both).add("Environment", "Production");
    both.add_global_secondary_index(GlobalSecondaryIndexProps {
        max_read_request_units: Some(100),
        max_write_request_units: Some(100),
        ..GlobalSecondaryIndexProps::new("GSI-PartitionKeyOnly", gsi_pk())
    });
    both.add_global_secondary_index(GlobalSecondaryIndexProps {
        sort_key: Some(gsi_sk()),
        ..GlobalSecondaryIndexProps::new(
            "GSI-PartitionAndSortKeyWithReadAndWriteCapacity",
            gsi_pk(),
        )
    });
    both.add_global_secondary_index(GlobalSecondaryIndexProps {
        sort_key: Some(gsi_sk()),
        projection_type: Some(ProjectionType::KeysOnly),
        ..GlobalSecondaryIndexProps::new("GSI-ProjectionTypeKeysOnly", gsi_pk())
    });
    both.add_global_secondary_index(GlobalSecondaryIndexProps {
        sort_key: Some(gsi_sk()),
        projection_type: Some(ProjectionType::Include),
        non_key_attributes: Some(letters(b'A')),
        ..GlobalSecondaryIndexProps::new("GSI-ProjectionTypeInclude", gsi_pk())
    });
    both.add_global_secondary_index(GlobalSecondaryIndexProps {
        sort_key: Some(pk()),
        ..GlobalSecondaryIndexProps::new("GSI-InverseTableKeySchema", sk())
    });
    both.add_local_secondary_index(LocalSecondaryIndexProps::new(
        "LSI-PartitionAndTableSortKey",
        lsi_sk(),
    ));
    both.add_local_secondary_index(LocalSecondaryIndexProps::new(
        "LSI-PartitionAndSortKey",
        sk(),
    ));
    both.add_local_secondary_index(LocalSecondaryIndexProps {
        projection_type: Some(ProjectionType::KeysOnly),
        ..LocalSecondaryIndexProps::new("LSI-ProjectionTypeKeysOnly", lsi_sk())
    });
    both.add_local_secondary_index(LocalSecondaryIndexProps {
        projection_type: Some(ProjectionType::Include),
        non_key_attributes: Some(letters(b'K')),
        ..LocalSecondaryIndexProps::new("LSI-ProjectionTypeInclude", lsi_sk())
    });
    let gsi = Table::new(&stack, "TableWithGlobalSecondaryIndex", on_demand(None));
    gsi.add_global_secondary_index(GlobalSecondaryIndexProps::new(
        "GSI-PartitionKeyOnly",
        gsi_pk(),
    ));
    let lsi = Table::new(
        &stack,
        "TableWithLocalSecondaryIndex",
        on_demand(Some(sk())),
    );
    lsi.add_local_secondary_index(LocalSecondaryIndexProps::new(
        "LSI-PartitionAndSortKey",
        lsi_sk(),
    ));
}

/// `integ.dynamodb.contirubtor-insights-for-gsi.ts`, as of the stored snapshot (stack name
/// `...-for-gis`).
fn contributor_insights_for_gsi(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-dynamodb-contributor-insights-for-gis",
        StackProps::default(),
    );
    let table = table(&stack, "TableWithGlobalSecondaryIndex", "hashKey");
    for (name, enabled) in [
        ("GSI-ContributorInsightsEnabled", true),
        ("GSI-ContributorInsightsDisabled", false),
    ] {
        table.add_global_secondary_index(GlobalSecondaryIndexProps {
            contributor_insights_specification: Some(ContributorInsightsSpecification {
                enabled,
                mode: None,
            }),
            ..GlobalSecondaryIndexProps::new(
                name,
                Attribute::new("gsiHashKey", AttributeType::String),
            )
        });
    }
}

/// `integ.dynamodb.cci.ts`: table-level Contributor Insights with a mode.
fn cci(app: &App) {
    let stack = Stack::new(
        app,
        "CCI-Integ-Test-TableV1",
        StackProps {
            env: Some(cdk_core::Environment {
                account: None,
                region: Some("eu-west-1".into()),
            }),
            ..Default::default()
        },
    );
    Table::new(
        &stack,
        "TableV2",
        TableProps {
            sort_key: Some(Attribute::new("sortKey", AttributeType::Number)),
            contributor_insights_specification: Some(ContributorInsightsSpecification {
                enabled: true,
                mode: Some(ContributorInsightsMode::AccessedAndThrottledKeys),
            }),
            ..TableProps::new(Attribute::new("hashKey", AttributeType::String))
        },
    );
}
