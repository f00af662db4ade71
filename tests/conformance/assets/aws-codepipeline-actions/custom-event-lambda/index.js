// Starts the pipeline named in the event (placeholder handler for the conformance port).
exports.handler = async () => ({ statusCode: 200 });
