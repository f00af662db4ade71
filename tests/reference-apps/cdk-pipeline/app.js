// examples/cdk-pipeline (issue 16 §3) with aws-cdk-lib 2.276.0's pipelines module: the tree
// rcdk's example must reproduce (IDs, names, environments); the stages live in the pipeline
// stack, as in the pipelines docs. `node app.js [OUTDIR]`.
const path = require('path');
const cdk = require('aws-cdk-lib');
const codecommit = require('aws-cdk-lib/aws-codecommit');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigateway = require('aws-cdk-lib/aws-apigateway');
const pipelines = require('aws-cdk-lib/pipelines');

const TOOLS = { account: '111111111111', region: 'us-east-1' };
const PROD = { account: '222222222222', region: 'us-east-1' };

class Application extends cdk.Stack {
  constructor(scope, id, stageName, props) {
    super(scope, id, props);
    const fn = new lambda.Function(this, 'Lambda', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'lambda')),
      environment: { STAGE_NAME: stageName },
    });
    new apigateway.LambdaRestApi(this, 'HelloLambdaRestApi', {
      handler: fn,
      description: `Hello API of the ${stageName} stage`,
      deployOptions: { stageName },
    });
  }
}

class AppStage extends cdk.Stage {
  constructor(scope, id, props) {
    super(scope, id, props);
    new Application(this, 'Application', props.stageName);
  }
}

const app = new cdk.App({ outdir: process.argv[2] });
const stack = new cdk.Stack(app, 'PipelineStack', { env: TOOLS });
const repo = new codecommit.Repository(stack, 'CodeCommitRepo', {
  repositoryName: `repo-${TOOLS.account}`,
});
const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
  pipelineName: 'CrossAccountPipeline',
  crossAccountKeys: true,
  synth: new pipelines.ShellStep('Synth', {
    input: pipelines.CodePipelineSource.codeCommit(repo, 'main'),
    installCommands: [
      'curl --proto =https --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal',
      '. "$HOME/.cargo/env"',
      'cargo install --locked --path cdk-cli',
    ],
    commands: ['cd examples/cdk-pipeline', 'rcdk synth'],
    primaryOutputDirectory: 'examples/cdk-pipeline/cdk.out',
  }),
});
pipeline.addStage(new AppStage(stack, 'Dev', { env: TOOLS, stageName: 'dev' }));
pipeline.addStage(new AppStage(stack, 'Prod', { env: PROD, stageName: 'prod' }), {
  pre: [new pipelines.ManualApprovalStep('PromoteToProd')],
});
app.synth();
