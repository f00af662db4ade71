// rcdk's handler of `AwsCustomResource` (`Custom::AWS`): one AWS SDK call per lifecycle event.
//
// The resource's properties `Create`, `Update` and `Delete` are JSON texts of an SDK call
// (`service`, `action`, `parameters`, `physicalResourceId`, `region`, `assumedRoleArn`,
// `externalId`, `outputPaths` / `outputPath`, `ignoreErrorCodesMatching`, `apiVersion`,
// `logApiResponseData`); `InstallLatestAwsSdk` says whether to install the newest client
// package from npm first. The call is made with the AWS SDK for JavaScript v3 that the Lambda
// runtime provides, its parameters coerced to the blobs, numbers and dates the SDK models
// declare; its response is flattened (`a.b.0.c`), optionally filtered by the output
// paths, and returned to CloudFormation as the resource's attributes. The handler answers
// CloudFormation itself (rcdk's shared `__cfn_response__.js`).
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { respond } = require('./__cfn_response__');
const names = require('./sdk-names.json');

// The placeholder `PhysicalResourceIdReference` renders to.
const PHYSICAL_RESOURCE_ID_REFERENCE = 'PHYSICAL:RESOURCEID:';

// `S3`, `@aws-sdk/client-s3`, `CloudWatchLogs` → the v3 package suffix (`s3`, `cloudwatch-logs`).
function normalizeServiceName(service) {
  const lower = `${service}`.toLowerCase().replace(/^@aws-sdk\/client-/, '');
  return names.v2ToV3[lower] || lower;
}

// `getParameter` → `GetParameter`; `GetParameterCommand` → `GetParameter`, except for commands
// whose own name ends in `Command` (`ssm` `SendCommand`).
function normalizeActionName(v3Service, action) {
  if (action.charAt(0).toLowerCase() === action.charAt(0)) {
    return action.charAt(0).toUpperCase() + action.slice(1);
  }
  if ((names.commands[v3Service] || []).includes(action)) {
    return action;
  }
  return action.replace(/Command$/, '');
}

// The physical ID before the call: the one the call names, else (Create) the one any call
// names or the logical ID, (Update/Delete) the current one.
function initialPhysicalId(event, calls) {
  if (event.RequestType === 'Create') {
    for (const call of [calls.Create, calls.Update, calls.Delete]) {
      if (call && call.physicalResourceId && call.physicalResourceId.id !== undefined) {
        return call.physicalResourceId.id;
      }
    }
    return event.LogicalResourceId;
  }
  const call = calls[event.RequestType];
  if (call && call.physicalResourceId && call.physicalResourceId.id !== undefined) {
    return call.physicalResourceId.id;
  }
  return event.PhysicalResourceId;
}

// Replaces every `PHYSICAL:RESOURCEID:` in the parameters by the physical ID.
function substitutePhysicalId(value, physicalId) {
  if (value === PHYSICAL_RESOURCE_ID_REFERENCE) {
    return physicalId;
  }
  if (Array.isArray(value)) {
    return value.map((v) => substitutePhysicalId(v, physicalId));
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = substitutePhysicalId(v, physicalId);
    }
    return out;
  }
  return value;
}

// Which parameters of which call are blobs (`b`), numbers (`n`) or timestamps (`d`): a state
// machine over lower-case service and action names, then parameter names (`*` for list
// elements and map values), from the SDK models (`sdk-types.json.br`, brotli-compressed JSON:
// a list of states, each mapping a key to the next state's index or to a type letter).
let typeMachine;
function types() {
  if (typeMachine === undefined) {
    const compressed = fs.readFileSync(path.join(__dirname, 'sdk-types.json.br'));
    typeMachine = JSON.parse(zlib.brotliDecompressSync(compressed).toString('utf8'));
  }
  return typeMachine;
}

function nextState(machine, state, key) {
  return typeof state === 'number' ? machine[state][key] : undefined;
}

function coerceValue(machine, value, state) {
  switch (state) {
    case undefined:
      return value;
    case 'b':
      return typeof value === 'string' || typeof value === 'number' ? new TextEncoder().encode(`${value}`) : value;
    case 'n': {
      if (typeof value !== 'string') return value;
      const n = Number(value);
      return Number.isNaN(n) ? value : n;
    }
    case 'd': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      const d = new Date(value);
      return Number.isNaN(d.getTime()) ? value : d;
    }
    default:
      break;
  }
  if (Array.isArray(value)) {
    const element = nextState(machine, state, '*');
    return element === undefined ? value : value.map((v) => coerceValue(machine, v, element));
  }
  if (value && typeof value === 'object') {
    const any = nextState(machine, state, '*');
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const s = nextState(machine, state, k);
      out[k] = coerceValue(machine, v, s === undefined ? any : s);
    }
    return out;
  }
  return value;
}

// The call's parameters with strings turned into the blobs, numbers and dates the SDK expects
// (CloudFormation passes every property as text, and tokens render as strings).
function coerceParameters(v3Service, action, parameters, machine = types()) {
  const service = nextState(machine, 0, v3Service.toLowerCase());
  return coerceValue(machine, parameters, nextState(machine, service, action.toLowerCase()));
}

// Blobs and streams of a response become text (CloudFormation attributes are strings).
async function decodeResponse(value) {
  if (value && typeof value === 'object' && typeof value.transformToString === 'function') {
    return value.transformToString();
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('utf8');
  }
  if (ArrayBuffer.isView(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  }
  if (value instanceof Date) {
    return value;
  }
  if (Array.isArray(value)) {
    const out = [];
    for (const v of value) {
      out.push(await decodeResponse(v));
    }
    return out;
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = await decodeResponse(v);
    }
    return out;
  }
  return value;
}

// `{a: {b: [1, {c: 2}]}}` → `{"a.b.0": 1, "a.b.1.c": 2}`.
function flatten(value) {
  const out = {};
  const walk = (v, path) => {
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      for (const [k, child] of Object.entries(v)) {
        walk(child, [...path, k]);
      }
      return;
    }
    out[path.join('.')] = v;
  };
  walk(value, []);
  return out;
}

// Keeps the keys that start with one of the call's output paths (all keys without any).
function selectOutputs(call, flat) {
  const paths = call.outputPath !== undefined ? [call.outputPath] : call.outputPaths;
  if (!paths) {
    return flat;
  }
  const out = {};
  for (const [k, v] of Object.entries(flat)) {
    if (paths.some((p) => k.startsWith(p))) {
      out[k] = v;
    }
  }
  return out;
}

const installed = {};

// The v3 client package: the runtime's, or the newest from npm when asked (falling back to
// the runtime's when npm fails).
function loadPackage(packageName, installLatest) {
  if (installLatest === 'true' || installLatest === true) {
    if (!installed[packageName]) {
      try {
        console.log(`Installing the latest ${packageName}`);
        require('child_process').execSync(
          `NPM_CONFIG_UPDATE_NOTIFIER=false HOME=/tmp npm install ${JSON.stringify(packageName)} --omit=dev --no-package-lock --no-save --prefix /tmp`,
        );
        installed[packageName] = true;
      } catch (err) {
        console.log(`Could not install ${packageName}, using the runtime's: ${err}`);
      }
    }
    if (installed[packageName]) {
      return require(`/tmp/node_modules/${packageName}`);
    }
  }
  try {
    return require(packageName);
  } catch (err) {
    throw new Error(`Package ${packageName} does not exist.`);
  }
}

// Credentials of the assumed role, when the call names one.
async function credentialsFor(call, physicalId, sdk) {
  if (call.externalId && !call.assumedRoleArn) {
    throw new Error('ExternalId can only be provided when assumedRoleArn is specified');
  }
  if (!call.assumedRoleArn) {
    return undefined;
  }
  const sts = sdk.load('@aws-sdk/client-sts');
  const client = new sts.STSClient(call.region !== undefined ? { region: call.region } : {});
  const session = `${Date.now()}-${physicalId}`.replace(/[^\w+=,.@-]/g, '').substring(0, 64);
  const { Credentials: c } = await client.send(new sts.AssumeRoleCommand({
    RoleArn: call.assumedRoleArn,
    RoleSessionName: session,
    ExternalId: call.externalId,
  }));
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

// Makes the call; returns the flattened response with `apiVersion` and `region`.
async function invoke(call, physicalId, installLatest, sdk) {
  const service = normalizeServiceName(call.service);
  const action = normalizeActionName(service, call.action);
  const packageName = `@aws-sdk/client-${service}`;
  const pkg = sdk.load(packageName, installLatest);
  const credentials = await credentialsFor(call, physicalId, sdk);
  const [, Client] = Object.entries(pkg).find(([k]) => k.endsWith('Client') && k !== '__Client') || [];
  if (!Client) {
    throw new Error(`No client class in ${packageName}`);
  }
  const commandName = `${action}Command`.toLowerCase();
  const [, Command] = Object.entries(pkg).find(([k]) => k.toLowerCase() === commandName) || [];
  if (!Command) {
    throw new Error(`Unable to find command named: ${action}Command for action: ${action} in service package ${packageName}`);
  }
  const client = new Client({ apiVersion: call.apiVersion, credentials, region: call.region });
  const parameters = coerceParameters(service, action, substitutePhysicalId(call.parameters || {}, physicalId));
  const response = await client.send(new Command(parameters));
  delete response.$metadata;
  const data = {};
  data.apiVersion = client.config && client.config.apiVersion;
  if (client.config && typeof client.config.region === 'function') {
    data.region = await client.config.region().catch(() => undefined);
  }
  Object.assign(data, flatten(await decodeResponse(response)));
  return data;
}

// The result of one event: `{ status, reason, physicalId, data }`. `sdk.load(name, latest)`
// returns a client package (injected by tests).
async function run(event, context, sdk) {
  const props = event.ResourceProperties || {};
  const calls = {};
  for (const type of ['Create', 'Update', 'Delete']) {
    calls[type] = props[type] ? JSON.parse(props[type]) : undefined;
  }
  let physicalId = initialPhysicalId(event, calls);
  const call = calls[event.RequestType];
  let data = {};
  if (call) {
    let flat = {};
    try {
      flat = await invoke(call, physicalId, props.InstallLatestAwsSdk, sdk);
      if (call.logApiResponseData !== false) {
        console.log('API response', JSON.stringify(flat));
      }
      data = selectOutputs(call, flat);
    } catch (err) {
      const code = err.name || (err.constructor && err.constructor.name);
      if (!call.ignoreErrorCodesMatching || !new RegExp(call.ignoreErrorCodesMatching).test(code)) {
        throw err;
      }
      console.log(`Ignored error ${code}: ${err.message}`);
    }
    if (call.physicalResourceId && call.physicalResourceId.responsePath) {
      physicalId = flat[call.physicalResourceId.responsePath];
    }
  }
  return { status: 'SUCCESS', reason: 'OK', physicalId, data };
}

const runtimeSdk = { load: loadPackage };

exports.handler = async (event, context) => {
  console.log(JSON.stringify({ ...event, ResponseURL: '...' }));
  let result;
  try {
    result = await run(event, context, exports.sdk || runtimeSdk);
  } catch (err) {
    console.log(err);
    result = {
      status: 'FAILED',
      reason: err.message || 'Internal Error',
      physicalId: (context && context.logStreamName) || event.PhysicalResourceId,
      data: {},
    };
  }
  await respond(event, {
    Status: result.status,
    Reason: result.reason,
    PhysicalResourceId: result.physicalId,
    Data: result.data,
  });
};

// For tests.
exports.internal = {
  normalizeServiceName,
  normalizeActionName,
  initialPhysicalId,
  substitutePhysicalId,
  flatten,
  selectOutputs,
  decodeResponse,
  coerceParameters,
  run,
};
