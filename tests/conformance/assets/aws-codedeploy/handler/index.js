// The function whose alias CodeDeploy shifts (conformance port of integ.deployment-group).
exports.handler = async () => ({ statusCode: 200, body: 'ok' });
