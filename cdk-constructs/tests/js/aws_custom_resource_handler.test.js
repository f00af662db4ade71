// Unit tests of rcdk's AwsCustomResource handler (cdk-constructs/src/custom_resources/handler),
// offline: `node --test` (run by cdk-constructs/tests/custom_resources.rs). The SDK is a fake
// package; CloudFormation's response URL is a local HTTP server.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const src = path.join(__dirname, '..', '..', 'src');

// The handler's files as the asset stages them (index.js, __cfn_response__.js, sdk-names.json).
function stageHandler() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcdk-acr-test-'));
  fs.copyFileSync(path.join(src, 'custom_resources', 'handler', 'index.js'), path.join(dir, 'index.js'));
  fs.copyFileSync(path.join(src, 'custom_resource_provider', 'cfn_response.js'), path.join(dir, '__cfn_response__.js'));
  const names = {
    v2ToV3: { cloudwatchlogs: 'cloudwatch-logs', apigateway: 'api-gateway' },
    commands: { ssm: ['CancelCommand', 'SendCommand'] },
  };
  fs.writeFileSync(path.join(dir, 'sdk-names.json'), JSON.stringify(names));
  fs.copyFileSync(path.join(src, 'custom_resources', 'handler', 'sdk-types.json.br'), path.join(dir, 'sdk-types.json.br'));
  return require(path.join(dir, 'index.js'));
}

const handler = stageHandler();
const { internal } = handler;

// A fake v3 client package recording the commands it receives.
function fakePackage(calls, respond) {
  class FakeClient {
    constructor(config) {
      this.config = { apiVersion: config.apiVersion || '2006-03-01', region: async () => config.region || 'us-east-1' };
      calls.push({ config });
    }
    async send(command) {
      calls.push({ command: command.constructor.name, input: command.input });
      return respond(command);
    }
  }
  class GetParameterCommand { constructor(input) { this.input = input; } }
  class PutObjectCommand { constructor(input) { this.input = input; } }
  class SendCommandCommand { constructor(input) { this.input = input; } }
  return { FakeClient, __Client: class {}, GetParameterCommand, PutObjectCommand, SendCommandCommand };
}

// Runs the handler against a local response endpoint; resolves with the response document.
async function invoke(event, sdk) {
  let received;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { received = { method: req.method, body: JSON.parse(body) }; res.end(); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/response?signature=abc`;
  handler.sdk = sdk;
  try {
    await handler.handler({
      StackId: 'stack', RequestId: 'req', LogicalResourceId: 'Logical', ResponseURL: url, ...event,
    }, { logStreamName: 'log-stream' });
  } finally {
    delete handler.sdk;
    server.close();
  }
  assert.strictEqual(received.method, 'PUT');
  return received.body;
}

test('service and action names are normalised as aws-cdk-lib does', () => {
  assert.strictEqual(internal.normalizeServiceName('S3'), 's3');
  assert.strictEqual(internal.normalizeServiceName('CloudWatchLogs'), 'cloudwatch-logs');
  assert.strictEqual(internal.normalizeServiceName('@aws-sdk/client-ssm'), 'ssm');
  assert.strictEqual(internal.normalizeActionName('ssm', 'getParameter'), 'GetParameter');
  assert.strictEqual(internal.normalizeActionName('ssm', 'GetParameterCommand'), 'GetParameter');
  assert.strictEqual(internal.normalizeActionName('ssm', 'SendCommand'), 'SendCommand');
});

test('responses are flattened and filtered by output paths', () => {
  const flat = internal.flatten({ Parameter: { Value: 'v', Tags: [{ Key: 'a' }] }, N: 1 });
  assert.deepStrictEqual(flat, { 'Parameter.Value': 'v', 'Parameter.Tags.0.Key': 'a', N: 1 });
  assert.deepStrictEqual(internal.selectOutputs({ outputPaths: ['Parameter.V'] }, flat), { 'Parameter.Value': 'v' });
  assert.deepStrictEqual(internal.selectOutputs({ outputPath: 'N' }, flat), { N: 1 });
  assert.deepStrictEqual(internal.selectOutputs({}, flat), flat);
});

test('the physical ID comes from the call, the logical ID or the current ID', () => {
  const calls = { Create: undefined, Update: { physicalResourceId: { id: 'u' } }, Delete: undefined };
  assert.strictEqual(internal.initialPhysicalId({ RequestType: 'Create', LogicalResourceId: 'L' }, calls), 'u');
  assert.strictEqual(internal.initialPhysicalId({ RequestType: 'Create', LogicalResourceId: 'L' }, {}), 'L');
  assert.strictEqual(internal.initialPhysicalId({ RequestType: 'Delete', PhysicalResourceId: 'p' }, calls), 'p');
  assert.deepStrictEqual(
    internal.substitutePhysicalId({ a: ['PHYSICAL:RESOURCEID:', { b: 'PHYSICAL:RESOURCEID:' }], c: 1 }, 'id'),
    { a: ['id', { b: 'id' }], c: 1 },
  );
});

test('Create calls the SDK and answers with the flattened response', async () => {
  const calls = [];
  const pkg = fakePackage(calls, () => ({ $metadata: { httpStatusCode: 200 }, Parameter: { Value: 'secret', Version: 3 } }));
  const loaded = [];
  const response = await invoke({
    RequestType: 'Create',
    ResourceProperties: {
      Create: JSON.stringify({
        service: 'SSM', action: 'getParameter', parameters: { Name: '/p' },
        physicalResourceId: { id: 'fixed' }, outputPaths: ['Parameter.Value'], region: 'eu-west-1',
      }),
      InstallLatestAwsSdk: 'false',
    },
  }, { load: (name, latest) => { loaded.push([name, latest]); return pkg; } });
  assert.deepStrictEqual(loaded, [['@aws-sdk/client-ssm', 'false']]);
  assert.deepStrictEqual(calls[0].config.region, 'eu-west-1');
  assert.deepStrictEqual(calls[1], { command: 'GetParameterCommand', input: { Name: '/p' } });
  assert.strictEqual(response.Status, 'SUCCESS');
  assert.strictEqual(response.Reason, 'OK');
  assert.strictEqual(response.PhysicalResourceId, 'fixed');
  assert.deepStrictEqual(response.Data, { 'Parameter.Value': 'secret' });
  assert.strictEqual(response.RequestId, 'req');
  assert.strictEqual(response.LogicalResourceId, 'Logical');
});

test('the physical ID can come from the response; blobs become text', async () => {
  const calls = [];
  const pkg = fakePackage(calls, () => ({ ETag: '"abc"', Body: Buffer.from('hi') }));
  const response = await invoke({
    RequestType: 'Create',
    ResourceProperties: {
      Create: JSON.stringify({
        service: '@aws-sdk/client-s3', action: 'PutObjectCommand',
        parameters: { Bucket: 'b', Key: 'k' }, physicalResourceId: { responsePath: 'ETag' },
      }),
    },
  }, { load: () => pkg });
  assert.strictEqual(response.PhysicalResourceId, '"abc"');
  assert.strictEqual(response.Data.Body, 'hi');
  assert.strictEqual(response.Data.region, 'us-east-1');
});

test('Update substitutes the physical ID; a command named ...Command is found', async () => {
  const calls = [];
  const pkg = fakePackage(calls, () => ({}));
  const response = await invoke({
    RequestType: 'Update',
    PhysicalResourceId: 'current',
    ResourceProperties: {
      Update: JSON.stringify({ service: 'SSM', action: 'sendCommand', parameters: { Target: 'PHYSICAL:RESOURCEID:' } }),
    },
  }, { load: () => pkg });
  assert.deepStrictEqual(calls[1], { command: 'SendCommandCommand', input: { Target: 'current' } });
  assert.strictEqual(response.PhysicalResourceId, 'current');
});

test('ignored error codes succeed, others fail with the log stream as physical ID', async () => {
  const failing = () => fakePackage([], () => { const e = new Error('missing'); e.name = 'ParameterNotFound'; throw e; });
  const event = (ignore) => ({
    RequestType: 'Delete',
    PhysicalResourceId: 'p',
    ResourceProperties: {
      Delete: JSON.stringify({ service: 'SSM', action: 'getParameter', ignoreErrorCodesMatching: ignore }),
    },
  });
  const ok = await invoke(event('NotFound$'), { load: failing });
  assert.strictEqual(ok.Status, 'SUCCESS');
  assert.strictEqual(ok.PhysicalResourceId, 'p');
  const failed = await invoke(event('Throttling'), { load: failing });
  assert.strictEqual(failed.Status, 'FAILED');
  assert.strictEqual(failed.Reason, 'missing');
  assert.strictEqual(failed.PhysicalResourceId, 'log-stream');
});

test('an event without a call succeeds without calling anything', async () => {
  const response = await invoke({
    RequestType: 'Delete',
    PhysicalResourceId: 'p',
    ResourceProperties: { Create: JSON.stringify({ service: 'S3', action: 'listBuckets' }) },
  }, { load: () => { throw new Error('must not load'); } });
  assert.strictEqual(response.Status, 'SUCCESS');
  assert.strictEqual(response.PhysicalResourceId, 'p');
  assert.deepStrictEqual(response.Data, {});
});

test('an assumed role is used through STS', async () => {
  const calls = [];
  const pkg = fakePackage(calls, () => ({}));
  const sts = {
    STSClient: class { async send(c) { calls.push({ sts: c.input }); return { Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T' } }; } },
    AssumeRoleCommand: class { constructor(input) { this.input = input; } },
  };
  await invoke({
    RequestType: 'Create',
    ResourceProperties: {
      Create: JSON.stringify({
        service: 'SSM', action: 'getParameter', physicalResourceId: { id: 'x' },
        assumedRoleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'ext',
      }),
    },
  }, { load: (name) => (name === '@aws-sdk/client-sts' ? sts : pkg) });
  const assume = calls.find((c) => c.sts).sts;
  assert.strictEqual(assume.RoleArn, 'arn:aws:iam::111111111111:role/r');
  assert.strictEqual(assume.ExternalId, 'ext');
  assert.match(assume.RoleSessionName, /^\d+-x$/);
  const client = calls.find((c) => c.config);
  assert.strictEqual(client.config.credentials.accessKeyId, 'A');
});

test('parameters are coerced to the types of the SDK models', () => {
  const { coerceParameters } = internal;
  const invoke = coerceParameters('lambda', 'Invoke', { FunctionName: 'f', Payload: '{"a":1}' });
  assert.strictEqual(invoke.FunctionName, 'f');
  assert.ok(invoke.Payload instanceof Uint8Array);
  assert.strictEqual(Buffer.from(invoke.Payload).toString(), '{"a":1}');
  const metrics = coerceParameters('cloudwatch', 'GetMetricData', {
    StartTime: '2026-01-01T00:00:00Z', MaxDatapoints: '5', EndTime: 'not a date',
  });
  assert.ok(metrics.StartTime instanceof Date);
  assert.strictEqual(metrics.MaxDatapoints, 5);
  assert.strictEqual(metrics.EndTime, 'not a date');
  // Unknown services and actions are left as they are.
  assert.deepStrictEqual(coerceParameters('nosuch', 'Thing', { A: '1' }), { A: '1' });
  // A tiny machine: lists (`*`) and nested objects.
  const machine = [{ svc: 1 }, { act: 2 }, { Items: 3, Count: 'n' }, { '*': 4 }, { Size: 'n' }];
  assert.deepStrictEqual(
    coerceParameters('svc', 'act', { Items: [{ Size: '3' }, { Size: 'x' }], Count: '7', Other: '8' }, machine),
    { Items: [{ Size: 3 }, { Size: 'x' }], Count: 7, Other: '8' },
  );
});
