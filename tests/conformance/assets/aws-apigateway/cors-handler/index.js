// Stand-in handler for the ported API Gateway CORS tests (written for rcdk; only its
// presence as an asset matters, the comparer normalises asset hashes).
exports.handler = async () => ({
  statusCode: 200,
  headers: { 'Access-Control-Allow-Origin': '*' },
  body: JSON.stringify({ ok: true }),
});
