const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
// The second layout the ordering engine is checked against (cdk-constructs/tests/pipelines_graph.rs):
// a wave of two stages, a stack dependency, a post step, one asset publisher, no self-mutation.
// `node wave-app.js OUTDIR` (with aws-cdk-lib 2.276.0 and constructs installed, as for app.js).
const lambda = require('aws-cdk-lib/aws-lambda');
const path = require('path');
const pipelines = require('aws-cdk-lib/pipelines');
const app = new cdk.App({ outdir: process.argv[2] });
const stack = new cdk.Stack(app, 'PipelineStack', { env: { account: '111111111111', region: 'us-east-1' } });
const bucket = new s3.Bucket(stack, 'SourceBucket');
const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
  selfMutation: false, publishAssetsInParallel: false, crossAccountKeys: true,
  synth: new pipelines.ShellStep('Synth', { input: pipelines.CodePipelineSource.s3(bucket, 'src.zip', { actionName: 'Source' }), commands: ['x'] }),
});
function fn(scope) { new lambda.Function(scope, 'Lambda', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(__dirname, 'lambda')) }); }
class Eu extends cdk.Stage { constructor(s, id, p) { super(s, id, p); const a = new cdk.Stack(this, 'Api'); fn(a); } }
class Us extends cdk.Stage { constructor(s, id, p) { super(s, id, p); const api = new cdk.Stack(this, 'Api'); fn(api); const data = new cdk.Stack(this, 'Data'); new s3.Bucket(data, 'B'); api.addDependency(data); } }
const wave = pipeline.addWave('Regional');
wave.addStage(new Eu(stack, 'Eu', { env: { account: '111111111111', region: 'us-east-1' }, stageName: 'eu' }));
wave.addStage(new Us(stack, 'Us', { env: { account: '222222222222', region: 'us-east-1' }, stageName: 'us' }), { post: [new pipelines.ShellStep('Smoke', { commands: ['y'] })] });
app.synth();
