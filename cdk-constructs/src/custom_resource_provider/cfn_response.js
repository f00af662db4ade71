// rcdk's answer to CloudFormation for custom resource handlers (`__cfn_response__.js`, shared by
// the `__entrypoint__.js` wrapper and by handlers that answer CloudFormation themselves). The
// response is a PUT of a JSON document to the request's pre-signed `ResponseURL`.
'use strict';

const http = require('http');
const https = require('https');
const { URL } = require('url');

// Physical ID of a resource whose creation failed: the Delete that CloudFormation sends after
// a failed Create succeeds without touching anything.
exports.CREATE_FAILED = 'rcdk::CustomResourceProvider::CREATE_FAILED';

// The response document of `event` (`result`: Status, Reason, PhysicalResourceId, Data, NoEcho).
exports.responseBody = (event, result) => ({
  Status: result.Status,
  Reason: result.Reason || result.Status,
  PhysicalResourceId: result.PhysicalResourceId,
  StackId: event.StackId,
  RequestId: event.RequestId,
  LogicalResourceId: event.LogicalResourceId,
  NoEcho: result.NoEcho === true,
  Data: result.Data || {},
});

// Sends the response; resolves when CloudFormation's endpoint has answered.
exports.respond = (event, result) => {
  const body = JSON.stringify(exports.responseBody(event, result));
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
};
