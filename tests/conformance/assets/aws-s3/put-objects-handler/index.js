// The conformance port's stand-in for aws-cdk's put-objects-handler (rcdk's own code): on
// Create it puts two objects into the bucket `BucketName`, so that the bucket's
// auto-delete-objects resource has something to empty. Called through rcdk's
// `__entrypoint__.handler`.
'use strict';

const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

exports.handler = async (event) => {
  if (event.RequestType !== 'Create') {
    return {};
  }
  const s3 = new S3Client({});
  const bucket = event.ResourceProperties.BucketName;
  for (const key of ['Object1.txt', 'Object2.txt']) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${key} content` }));
  }
  return { PhysicalResourceId: bucket };
};
