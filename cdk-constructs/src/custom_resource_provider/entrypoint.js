// rcdk's entry point of custom resource providers (`__entrypoint__.handler`): it calls the
// provider's own `index.handler(event, context)` and answers CloudFormation at the pre-signed
// `ResponseURL`. The handler may return `{ PhysicalResourceId, Data, NoEcho }`; a thrown error
// fails the request with its message. A resource whose creation failed gets a marker ID, so
// that the Delete CloudFormation sends afterwards succeeds without calling the handler.
'use strict';

const http = require('http');
const https = require('https');
const { URL } = require('url');

const CREATE_FAILED = 'rcdk::CustomResourceProvider::CREATE_FAILED';

exports.handler = async (event, context) => {
  console.log('event:', JSON.stringify({ ...event, ResponseURL: '...' }));
  if (event.RequestType === 'Delete' && event.PhysicalResourceId === CREATE_FAILED) {
    await respond(event, 'SUCCESS', '', CREATE_FAILED, {}, false);
    return;
  }
  try {
    const result = (await require('./index').handler(event, context)) || {};
    const id = result.PhysicalResourceId || event.PhysicalResourceId || event.RequestId;
    await respond(event, 'SUCCESS', '', id, result.Data || {}, result.NoEcho === true);
  } catch (err) {
    console.log('handler failed:', err);
    const id = event.PhysicalResourceId || CREATE_FAILED;
    await respond(event, 'FAILED', `${err && err.message ? err.message : err}`, id, {}, false);
  }
};

function respond(event, status, reason, physicalId, data, noEcho) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason || status,
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho,
    Data: data,
  });
  const url = new URL(event.ResponseURL);
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = client.request({
      hostname: url.hostname,
      port: url.port || (url.protocol === 'http:' ? 80 : 443),
      path: `${url.pathname}${url.search}`,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.on('data', () => {});
      response.on('end', resolve);
    });
    request.on('error', reject);
    request.end(body);
  });
}
