// rcdk's entry point of custom resource providers (`__entrypoint__.handler`): it calls the
// provider's own `index.handler(event, context)` and answers CloudFormation at the pre-signed
// `ResponseURL`. The handler may return `{ PhysicalResourceId, Data, NoEcho }`; a thrown error
// fails the request with its message. A resource whose creation failed gets a marker ID, so
// that the Delete CloudFormation sends afterwards succeeds without calling the handler.
'use strict';

const { respond, CREATE_FAILED } = require('./__cfn_response__');

exports.handler = async (event, context) => {
  console.log('event:', JSON.stringify({ ...event, ResponseURL: '...' }));
  if (event.RequestType === 'Delete' && event.PhysicalResourceId === CREATE_FAILED) {
    await respond(event, { Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED });
    return;
  }
  try {
    const result = (await require('./index').handler(event, context)) || {};
    await respond(event, {
      Status: 'SUCCESS',
      PhysicalResourceId: result.PhysicalResourceId || event.PhysicalResourceId || event.RequestId,
      Data: result.Data,
      NoEcho: result.NoEcho,
    });
  } catch (err) {
    console.log('handler failed:', err);
    await respond(event, {
      Status: 'FAILED',
      Reason: `${err && err.message ? err.message : err}`,
      PhysicalResourceId: event.PhysicalResourceId || CREATE_FAILED,
    });
  }
};
