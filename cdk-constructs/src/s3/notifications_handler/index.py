# rcdk's handler of `Custom::S3BucketNotifications`, inlined into the template (full-line
# comments are stripped before inlining). It writes the bucket's notification configuration.
# Managed buckets (defined in the same app) get exactly the configuration of the resource, and
# an empty one on Delete. Unmanaged (imported) buckets keep the notifications others
# configured: the ones this stack adds carry the ID "<stack id>-<digest>", so an Update
# replaces only them and a Delete removes only them.
import hashlib
import json
import logging
import urllib.request

import boto3  # type: ignore

s3 = boto3.client("s3")

KINDS = ["TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations"]
EVENT_BRIDGE = "EventBridgeConfiguration"


def handler(event, context):
  status = "SUCCESS"
  reason = ""
  try:
    props = event["ResourceProperties"]
    bucket = props["BucketName"]
    wanted = props.get("NotificationConfiguration", {})
    managed = str(props.get("Managed", "true")).lower() == "true"
    skip_validation = str(props.get("SkipDestinationValidation", "false")).lower() == "true"
    request = event["RequestType"]
    if managed:
      config = {} if request == "Delete" else wanted
    else:
      previous = event.get("OldResourceProperties", {}).get("NotificationConfiguration", {})
      config = merge_unmanaged(bucket, event["StackId"], request, wanted, previous)
    s3.put_bucket_notification_configuration(
      Bucket=bucket,
      NotificationConfiguration=config,
      SkipDestinationValidation=skip_validation,
    )
  except Exception as e:
    logging.exception("could not put the bucket notification configuration")
    status = "FAILED"
    reason = f"{e}. "
  finally:
    respond(event, context, status, reason)


def normalized(notification):
  copy = {k: v for k, v in notification.items() if k != "Id"}
  rules = copy.get("Filter", {}).get("Key", {}).get("FilterRules")
  if rules is not None:
    copy["Filter"] = {"Key": {"FilterRules": sorted(
      [{"Name": r["Name"].lower(), "Value": r["Value"]} for r in rules],
      key=lambda r: r["Name"],
    )}}
  return copy


def notification_id(stack_id, notification):
  digest = hashlib.sha256(json.dumps(normalized(notification), sort_keys=True).encode("utf-8"))
  return f"{stack_id}-{digest.hexdigest()[:32]}"


def merge_unmanaged(bucket, stack_id, request, wanted, previous):
  existing = s3.get_bucket_notification_configuration(Bucket=bucket)
  config = {}
  for kind in KINDS:
    current = existing.get(kind, [])
    if request == "Update":
      ours = {notification_id(stack_id, n) for n in previous.get(kind, [])}
      kept = [n for n in current if n.get("Id") not in ours and notification_id(stack_id, n) not in ours]
    elif request == "Delete":
      kept = [n for n in current if not n.get("Id", "").startswith(f"{stack_id}-")]
    else:
      kept = list(current)
    if request != "Delete":
      kept = kept + [dict(n, Id=notification_id(stack_id, n)) for n in wanted.get(kind, [])]
    config[kind] = kept
  if request != "Delete" and EVENT_BRIDGE in wanted:
    config[EVENT_BRIDGE] = wanted[EVENT_BRIDGE]
  elif EVENT_BRIDGE in existing:
    config[EVENT_BRIDGE] = existing[EVENT_BRIDGE]
  return config


def respond(event, context, status, reason):
  body = json.dumps({
    "Status": status,
    "Reason": f"{reason}See CloudWatch log stream {context.log_stream_name}",
    "PhysicalResourceId": event.get("PhysicalResourceId") or event["LogicalResourceId"],
    "StackId": event["StackId"],
    "RequestId": event["RequestId"],
    "LogicalResourceId": event["LogicalResourceId"],
    "NoEcho": False,
  }).encode("utf-8")
  request = urllib.request.Request(
    url=event["ResponseURL"],
    data=body,
    method="PUT",
    headers={"content-type": "", "content-length": str(len(body))},
  )
  try:
    with urllib.request.urlopen(request) as response:
      print(f"CloudFormation answered {response.status}")
  except Exception as e:
    print(f"could not answer CloudFormation: {e}")
