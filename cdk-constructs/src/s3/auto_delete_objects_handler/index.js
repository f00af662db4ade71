// rcdk's handler of `Custom::S3AutoDeleteObjects` (the provider behind a bucket's
// `auto_delete_objects`). On Delete it empties the bucket named by `BucketName` — every object
// version and delete marker — unless the bucket no longer carries the tag
// `aws-cdk:auto-delete-objects=true` (the user turned the feature off, or the bucket is being
// replaced). Create and Update do nothing else than report success. The handler answers
// CloudFormation itself (rcdk's shared `__cfn_response__.js`).
'use strict';

const { respond } = require('./__cfn_response__');
const {
  S3Client,
  GetBucketTaggingCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  ListObjectVersionsCommand,
  DeleteObjectsCommand,
} = require('@aws-sdk/client-s3');

const TAG_KEY = 'aws-cdk:auto-delete-objects';
const s3 = new S3Client({});

exports.handler = async (event, context) => {
  let status = 'SUCCESS';
  let reason = '';
  const props = event.ResourceProperties || {};
  const oldProps = event.OldResourceProperties || {};
  let physicalId = event.PhysicalResourceId || props.BucketName || event.LogicalResourceId;
  try {
    switch (event.RequestType) {
      case 'Create':
        physicalId = props.BucketName || physicalId;
        break;
      case 'Update':
        physicalId = props.BucketName || oldProps.BucketName || physicalId;
        break;
      case 'Delete':
        await emptyBucket(props.BucketName);
        break;
      default:
        throw new Error(`unknown request type ${event.RequestType}`);
    }
  } catch (err) {
    console.log('failed:', err);
    status = 'FAILED';
    reason = `${err && err.message ? err.message : err}`;
  }
  await respond(event, {
    Status: status,
    Reason: `${reason}${reason ? ' ' : ''}See CloudWatch log stream ${context && context.logStreamName}`,
    PhysicalResourceId: physicalId,
  });
};

async function emptyBucket(bucket) {
  if (!bucket) {
    throw new Error('No BucketName was provided.');
  }
  try {
    if (!(await isTagged(bucket))) {
      console.log(`Bucket ${bucket} does not carry the tag ${TAG_KEY}=true: leaving its objects.`);
      return;
    }
    await denyNewObjects(bucket);
    await deleteEverything(bucket);
  } catch (err) {
    if (err && err.name === 'NoSuchBucket') {
      console.log(`Bucket ${bucket} is gone already.`);
      return;
    }
    throw err;
  }
}

async function isTagged(bucket) {
  try {
    const tagging = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return (tagging.TagSet || []).some((t) => t.Key === TAG_KEY && t.Value === 'true');
  } catch (err) {
    if (err && err.name === 'NoSuchTagSet') {
      return false;
    }
    throw err;
  }
}

// While the bucket empties, nobody may add objects (best effort: a failure here only logs).
async function denyNewObjects(bucket) {
  try {
    let policy = { Version: '2012-10-17', Statement: [] };
    try {
      const current = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      if (current.Policy) {
        policy = JSON.parse(current.Policy);
      }
    } catch (err) {
      if (err && err.name === 'NoSuchBucket') throw err;
    }
    policy.Statement = policy.Statement || [];
    policy.Statement.push({
      Principal: '*',
      Effect: 'Deny',
      Action: ['s3:PutObject'],
      Resource: [`arn:aws:s3:::${bucket}/*`],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  } catch (err) {
    if (err && err.name === 'NoSuchBucket') throw err;
    console.log(`Could not deny new objects in ${bucket} before emptying it: ${err}`);
  }
}

async function deleteEverything(bucket) {
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const entries = [...(page.Versions || []), ...(page.DeleteMarkers || [])];
    if (entries.length === 0) {
      return;
    }
    await s3.send(new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: entries.map((e) => ({ Key: e.Key, VersionId: e.VersionId })), Quiet: true },
    }));
    if (!page.IsTruncated) {
      return;
    }
  }
}
