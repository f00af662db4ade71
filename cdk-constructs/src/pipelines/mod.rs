//! CDK Pipelines (aws-cdk-lib's `pipelines`): a self-mutating pipeline deploying stages of
//! stacks through the bootstrap roles of their accounts.
//!
//! Present so far: the stacks of a stage read from its nested assembly ([`deployment`]) and
//! the ordering engine ([`graph`]): from a [`graph::Blueprint`] (the synth
//! step, waves of stages of stacks with their assets and dependencies, pre/post and change-set
//! steps) it plans the pipeline's stages and actions with the names and run orders aws-cdk-lib
//! gives them (`Source`, `Build`/`Synth`, `UpdatePipeline`/`SelfMutate`, `Assets`/`FileAsset<n>`,
//! then per stage `Prepare`/`Deploy` per stack). Not present yet: the `CodePipeline` construct
//! that turns the plan into CodePipeline/CodeBuild resources, `ShellStep`/`CodeBuildStep`/
//! `ManualApprovalStep`/`CodePipelineSource` as constructs' inputs (see the issue tracker).
//! The asset actions will run `rcdk publish-assets --path MANIFEST SELECTOR`, the
//! self-mutation `rcdk deploy` of the pipeline stack.

pub mod deployment;
pub mod graph;
