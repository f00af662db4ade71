// The application the pipeline deploys: a Lambda function behind API Gateway (proxy).
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "Content-Type": "text/plain" },
  body: `Hello from the ${process.env.STAGE_NAME} stage of the rcdk cross-account pipeline (${event.httpMethod} ${event.path})\n`,
});
