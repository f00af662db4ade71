// The flagship example (examples/cross-account-pipeline/src/lib.rs) written with aws-cdk-lib:
// the same construct tree, IDs and props, so its templates are what rcdk must produce.
// Run `node app.js OUTDIR` (see regenerate.sh); the context is the example's cdk.json plus
// what the CDK CLI passes (path metadata on).
'use strict';
const cdk = require('aws-cdk-lib');
const apigateway = require('aws-cdk-lib/aws-apigateway');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const codebuild = require('aws-cdk-lib/aws-codebuild');
const codecommit = require('aws-cdk-lib/aws-codecommit');
const codedeploy = require('aws-cdk-lib/aws-codedeploy');
const codepipeline = require('aws-cdk-lib/aws-codepipeline');
const actions = require('aws-cdk-lib/aws-codepipeline-actions');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const lambda = require('aws-cdk-lib/aws-lambda');
const s3 = require('aws-cdk-lib/aws-s3');

const outdir = process.argv[2] || 'cdk.out';
const app = new cdk.App({
  outdir,
  context: {
    toolsAccount: '111111111111',
    prodAccount: '222222222222',
    region: 'us-east-1',
    'aws:cdk:enable-path-metadata': true,
  },
});
const tools = app.node.tryGetContext('toolsAccount');
const prod = app.node.tryGetContext('prodAccount');
const region = app.node.tryGetContext('region');
const toolsEnv = { account: tools, region };
const prodEnv = { account: prod, region };
const artifactBucketName = `artifact-bucket-${tools}`;
const PROD_CROSS_ACCOUNT_ROLE = 'CodePipelineCrossAccountRole';
const PROD_DEPLOYMENT_ROLE = 'CloudFormationDeploymentRole';

// RepositoryStack
const repositoryStack = new cdk.Stack(app, 'RepositoryStack', {
  env: toolsEnv,
  description: 'CodeCommit repository of the rcdk cross-account pipeline example',
});
const repository = new codecommit.Repository(repositoryStack, 'CodeCommitRepo', {
  repositoryName: `repo-${tools}`,
  description: "Source of the cross-account pipeline's application",
});

// DevApplicationStack, ProdApplicationStack
function applicationStack(id, stageName, env) {
  const stack = new cdk.Stack(app, id, {
    env,
    description: `The ${stageName} stage of the cross-account pipeline's application`,
  });
  const lambdaCode = lambda.Code.fromCfnParameters();
  const fn = new lambda.Function(stack, 'Lambda', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambdaCode,
    environment: { STAGE_NAME: stageName },
  });
  // Safe traffic shifting: the API calls the alias `live` of the function's current version;
  // CodeDeploy moves it to a new version 10 % first, and rolls back when the API's 5xx alarm fires.
  const alias = new lambda.Alias(stack, 'LiveAlias', { aliasName: 'live', version: fn.currentVersion });
  const api = new apigateway.LambdaRestApi(stack, 'HelloLambdaRestApi', {
    handler: alias,
    description: `Hello API of the ${stageName} stage`,
    deployOptions: { stageName },
    endpointExportName: `CdkTsLambdaRestApiEndpoint-${stageName}`,
  });
  const serverErrors = new cloudwatch.Alarm(stack, 'ApiServerErrors', {
    metric: api.metricServerError(),
    threshold: 1,
    evaluationPeriods: 1,
  });
  new codedeploy.LambdaDeploymentGroup(stack, 'DeploymentGroup', {
    alias,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    alarms: [serverErrors],
  });
  return { stack, lambdaCode };
}
const dev = applicationStack('DevApplicationStack', 'dev', toolsEnv);
const prodApp = applicationStack('ProdApplicationStack', 'prod', prodEnv);

// CrossAccountPipelineStack
const pipelineStack = new cdk.Stack(app, 'CrossAccountPipelineStack', {
  env: toolsEnv,
  description: 'Cross-account CI/CD pipeline: CodeCommit -> CodeBuild -> CloudFormation in dev and prod',
});
const prodAccount = new iam.AccountPrincipal(prod);
const key = new kms.Key(pipelineStack, 'ArtifactKey', { alias: 'key/artifact-key' });
key.grantDecrypt(prodAccount);
key.grantEncrypt(prodAccount);
const bucket = new s3.Bucket(pipelineStack, 'ArtifactBucket', {
  bucketName: artifactBucketName,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
});
bucket.grantPut(prodAccount);
bucket.grantRead(prodAccount);

const cdkSynthBuildSpec = {
  version: '0.2',
  phases: {
    install: {
      commands: [
        "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal",
        '. "$HOME/.cargo/env"',
        'cargo install --locked --path cdk-cli',
      ],
    },
    build: {
      commands: [
        'cd examples/cross-account-pipeline',
        'rcdk synth -q -o "$CODEBUILD_SRC_DIR/dist"',
      ],
    },
  },
  artifacts: {
    'base-directory': 'dist',
    files: ['*ApplicationStack.template.json'],
  },
};
const lambdaBuildSpec = {
  version: '0.2',
  phases: {
    build: { commands: ['node --check examples/cross-account-pipeline/lambda/index.js'] },
  },
  artifacts: {
    'base-directory': 'examples/cross-account-pipeline/lambda',
    files: ['index.js'],
  },
};
function buildProject(id, spec) {
  return new codebuild.PipelineProject(pipelineStack, id, {
    buildSpec: codebuild.BuildSpec.fromObject(spec),
    environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
    encryptionKey: key,
  });
}
const cdkBuild = buildProject('CdkBuild', cdkSynthBuildSpec);
const lambdaBuild = buildProject('LambdaBuild', lambdaBuildSpec);

const sourceOutput = new codepipeline.Artifact();
const cdkBuildOutput = new codepipeline.Artifact('CdkBuildOutput');
const lambdaBuildOutput = new codepipeline.Artifact('LambdaBuildOutput');

const prodDeploymentRole = iam.Role.fromRoleArn(pipelineStack, 'ProdDeploymentRole',
  `arn:aws:iam::${prod}:role/${PROD_DEPLOYMENT_ROLE}`, { mutable: false });
const prodCrossAccountRole = iam.Role.fromRoleArn(pipelineStack, 'ProdCrossAccountRole',
  `arn:aws:iam::${prod}:role/${PROD_CROSS_ACCOUNT_ROLE}`, { mutable: false });

function deployActionProps(application, stackName) {
  return {
    actionName: 'Deploy',
    templatePath: cdkBuildOutput.atPath(`${application.stack.artifactId}.template.json`),
    stackName,
    adminPermissions: true,
    parameterOverrides: { ...application.lambdaCode.assign(lambdaBuildOutput.s3Location) },
    extraInputs: [lambdaBuildOutput],
  };
}

const pipeline = new codepipeline.Pipeline(pipelineStack, 'CrossAccountPipeline', {
  pipelineName: 'CrossAccountPipeline',
  artifactBucket: bucket,
  stages: [
    {
      stageName: 'Source',
      actions: [new actions.CodeCommitSourceAction({
        actionName: 'CodeCommit_Source', repository, output: sourceOutput, branch: 'main',
      })],
    },
    {
      stageName: 'Build',
      actions: [
        new actions.CodeBuildAction({
          actionName: 'Application_Build', project: lambdaBuild, input: sourceOutput, outputs: [lambdaBuildOutput],
        }),
        new actions.CodeBuildAction({
          actionName: 'CDK_Synth', project: cdkBuild, input: sourceOutput, outputs: [cdkBuildOutput],
        }),
      ],
    },
    {
      stageName: 'Deploy_Dev',
      actions: [new actions.CloudFormationCreateUpdateStackAction(
        deployActionProps(dev, 'DevApplicationDeploymentStack'))],
    },
    {
      stageName: 'Deploy_Prod',
      actions: [new actions.CloudFormationCreateUpdateStackAction({
        ...deployActionProps(prodApp, 'ProdApplicationDeploymentStack'),
        deploymentRole: prodDeploymentRole,
        role: prodCrossAccountRole,
        cfnCapabilities: [cdk.CfnCapabilities.ANONYMOUS_IAM],
      })],
    },
  ],
});
pipeline.addToRolePolicy(new iam.PolicyStatement({
  actions: ['sts:AssumeRole'],
  resources: [`arn:aws:iam::${prod}:role/*`],
}));
new cdk.CfnOutput(pipelineStack, 'ArtifactBucketEncryptionKeyArn', {
  value: key.keyArn,
  exportName: 'ArtifactBucketEncryptionKey',
  description: 'ARN of the artifact key (pass it to ProdAccountRolesStack as artifactKeyArn)',
});

// ProdAccountRolesStack
const rolesStack = new cdk.Stack(app, 'ProdAccountRolesStack', {
  env: prodEnv,
  description: "Roles the tools account's pipeline uses to deploy into this account",
});
const keyArn = new cdk.CfnParameter(rolesStack, 'ArtifactKeyArn', {
  description: "ARN of the pipeline's artifact key (output ArtifactBucketEncryptionKeyArn of CrossAccountPipelineStack)",
  allowedPattern: '^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$',
}).valueAsString;
const bucketArn = `arn:aws:s3:::${artifactBucketName}`;
const objectsArn = `${bucketArn}/*`;
const deploymentStackArn = `arn:aws:cloudformation:${region}:${prod}:stack/ProdApplicationDeploymentStack/*`;
const deploymentRoleArn = `arn:aws:iam::${prod}:role/${PROD_DEPLOYMENT_ROLE}`;

const crossAccountRole = new iam.Role(rolesStack, PROD_CROSS_ACCOUNT_ROLE, {
  roleName: PROD_CROSS_ACCOUNT_ROLE,
  description: "Assumed by the tools account's pipeline to deploy the application",
  assumedBy: new iam.AccountPrincipal(tools),
});
for (const statement of [
  new iam.PolicyStatement({
    actions: [
      'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
      'cloudformation:DescribeStack*', 'cloudformation:GetTemplate*', 'cloudformation:ValidateTemplate',
      'cloudformation:GetStackPolicy', 'cloudformation:SetStackPolicy', 'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet',
    ],
    resources: [deploymentStackArn],
  }),
  new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [deploymentRoleArn] }),
  new iam.PolicyStatement({
    actions: ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:PutObject', 's3:Abort*'],
    resources: [bucketArn, objectsArn],
  }),
  new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    resources: [keyArn],
  }),
]) {
  crossAccountRole.addToPolicy(statement);
}

const deploymentRole = new iam.Role(rolesStack, PROD_DEPLOYMENT_ROLE, {
  roleName: PROD_DEPLOYMENT_ROLE,
  description: "CloudFormation runs the application's deployment as this role",
  assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
});
const rolesInAccount = `arn:aws:iam::${prod}:role/*`;
for (const statement of [
  new iam.PolicyStatement({
    actions: [
      'iam:PassRole', 'iam:GetRole', 'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:TagRole',
      'iam:UntagRole', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy',
      'iam:GetRolePolicy', 'iam:DeleteRolePolicy',
    ],
    resources: [rolesInAccount],
  }),
  new iam.PolicyStatement({
    actions: [
      'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission',
      'lambda:RemovePermission', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags',
      'lambda:PublishVersion', 'lambda:ListVersionsByFunction', 'lambda:CreateAlias', 'lambda:UpdateAlias',
      'lambda:DeleteAlias', 'lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig',
    ],
    resources: [`arn:aws:lambda:${region}:${prod}:function:*`],
  }),
  new iam.PolicyStatement({
    actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
    resources: [
      `arn:aws:apigateway:${region}::/restapis`,
      `arn:aws:apigateway:${region}::/restapis/*`,
      `arn:aws:apigateway:${region}::/account`,
      `arn:aws:apigateway:${region}::/tags/*`,
    ],
  }),
  new iam.PolicyStatement({
    actions: [
      'codedeploy:CreateApplication', 'codedeploy:GetApplication', 'codedeploy:DeleteApplication',
      'codedeploy:TagResource', 'codedeploy:UntagResource', 'codedeploy:RegisterApplicationRevision',
      'codedeploy:GetApplicationRevision',
    ],
    resources: [`arn:aws:codedeploy:${region}:${prod}:application:ProdApplicationDeploymentStack-*`],
  }),
  new iam.PolicyStatement({
    actions: [
      'codedeploy:CreateDeploymentGroup', 'codedeploy:GetDeploymentGroup', 'codedeploy:UpdateDeploymentGroup',
      'codedeploy:DeleteDeploymentGroup', 'codedeploy:CreateDeployment', 'codedeploy:GetDeployment',
      'codedeploy:StopDeployment',
    ],
    resources: [`arn:aws:codedeploy:${region}:${prod}:deploymentgroup:ProdApplicationDeploymentStack-*/*`],
  }),
  new iam.PolicyStatement({
    actions: ['codedeploy:GetDeploymentConfig'],
    resources: [`arn:aws:codedeploy:${region}:${prod}:deploymentconfig:CodeDeployDefault.LambdaCanary10Percent5Minutes`],
  }),
  new iam.PolicyStatement({
    actions: [
      'cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms',
      'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource',
    ],
    resources: [`arn:aws:cloudwatch:${region}:${prod}:alarm:ProdApplicationDeploymentStack-*`],
  }),
  new iam.PolicyStatement({
    actions: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
    resources: [bucketArn, objectsArn],
  }),
  new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [keyArn] }),
  new iam.PolicyStatement({
    actions: [
      'cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet',
      'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents', 'cloudformation:GetTemplate',
    ],
    resources: [deploymentStackArn],
  }),
]) {
  deploymentRole.addToPolicy(statement);
}

app.synth();
