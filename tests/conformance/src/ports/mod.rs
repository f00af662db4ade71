//! The ports, one module per aws-cdk module. Each port mirrors its TypeScript test: the same
//! construct IDs, stack names and props, written with rcdk's public L2 API. A port that cannot
//! express part of its test says so in its doc comment and in its fixture's `SOURCE.json`
//! (`port: "partial: ..."`); the missing part then scores as unmatched or different.

use crate::harness::Port;

pub mod apigateway;
pub mod apigateway_features;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod codebuild;
pub mod codecommit;
pub mod codedeploy;
pub mod codepipeline_actions;
pub mod codepipeline_events;
pub mod custom_resources;
pub mod dynamodb;
pub mod events;
pub mod events_targets;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod lambda_event_sources;
pub mod logs;
pub mod pipelines;
pub mod s3;
pub mod secretsmanager;
pub mod sns;
pub mod sns_subscriptions;
pub mod sqs;
pub mod ssm;

/// Every port, in the order of the score table.
pub fn all() -> Vec<Port> {
    [
        iam::PORTS,
        kms::PORTS,
        s3::PORTS,
        dynamodb::PORTS,
        lambda::PORTS,
        lambda_event_sources::PORTS,
        apigateway::PORTS,
        apigateway_features::PORTS,
        codepipeline_actions::PORTS,
        codepipeline_events::PORTS,
        events::PORTS,
        events_targets::PORTS,
        codecommit::PORTS,
        cloudwatch::PORTS,
        codedeploy::PORTS,
        sqs::PORTS,
        sns::PORTS,
        sns_subscriptions::PORTS,
        logs::PORTS,
        ssm::PORTS,
        codebuild::PORTS,
        secretsmanager::PORTS,
        pipelines::PORTS,
        custom_resources::PORTS,
        cloudtrail::PORTS,
    ]
    .concat()
}
