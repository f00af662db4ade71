#!/usr/bin/env python3
"""Checks moto_ext.py (the e2e tests' endpoint) over loopback: a stack with a function, its version and an alias
`live` (with a Lambda permission on the alias, as an API Gateway integration has) is created, released again
(a new version, the alias re-pointed with a routing weight to the old one, a new description) and deleted, through
CloudFormation change sets; each step is verified through the Lambda API, not the stack status alone.

Usage: cdk-cli/tests/support/test_moto_ext.py [--endpoint URL]   (needs moto[server]==5.2.1 and boto3)
       Starts moto_ext.py on a free loopback port, or uses the server at URL (cdk-cli's e2e_examples test passes
       the one its harness started). Prints 'N passed, N failed'; exit status 1 if any failed (with the server log
       when it started the server).
"""
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "us-east-1"
PASSED, FAILED = [], []


def check(name, ok, detail=""):
    (PASSED if ok else FAILED).append(name)
    if not ok:
        if isinstance(detail, dict):
            detail = {k: v for k, v in detail.items() if k != "ResponseMetadata"}
        print(f"FAIL {name}: {detail}")


def template(code, version_id, description, weights):
    alias = {"FunctionName": {"Ref": "Fn"}, "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]},
             "Name": "live"}
    if description:
        alias["Description"] = description
    if weights:
        alias["RoutingConfig"] = {"AdditionalVersionWeights": [
            {"FunctionVersion": {"Fn::GetAtt": [v, "Version"]}, "FunctionWeight": w} for v, w in weights]}
    resources = {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
            "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                           "Principal": {"Service": "lambda.amazonaws.com"}}], "Version": "2012-10-17"}}},
        "Fn": {"Type": "AWS::Lambda::Function", "DependsOn": ["Role"], "Properties": {
            "Code": {"S3Bucket": "code", "S3Key": code}, "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Runtime": "python3.12"}},
        version_id: {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
        "LiveAlias": {"Type": "AWS::Lambda::Alias", "Properties": alias},
        "Invoke": {"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "LiveAlias"},
            "Principal": "apigateway.amazonaws.com"}},
    }
    for v, _ in weights or []:
        resources[v] = {"Type": "AWS::Lambda::Version", "DeletionPolicy": "Retain",
                        "Properties": {"FunctionName": {"Ref": "Fn"}}}
    return {"Resources": resources, "Outputs": {
        "AliasRef": {"Value": {"Ref": "LiveAlias"}}, "AliasArn": {"Value": {"Fn::GetAtt": ["LiveAlias", "AliasArn"]}},
        "VersionRef": {"Value": {"Ref": version_id}}}}


def deploy(cf, name, body):
    exists = any(s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE"
                 for s in cf.list_stacks()["StackSummaries"])
    cf.create_change_set(StackName=name, ChangeSetName="cs", ChangeSetType="UPDATE" if exists else "CREATE",
                         TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_IAM"])
    cf.execute_change_set(StackName=name, ChangeSetName="cs")
    cf.delete_change_set(StackName=name, ChangeSetName="cs")
    stack = cf.describe_stacks(StackName=name)["Stacks"][0]
    return stack["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def run(endpoint):
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=REGION)
    cf = session.client("cloudformation", endpoint_url=endpoint)
    lam = session.client("lambda", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket="code")
    for release in (1, 2, 3):  # the code of each release, as an asset would upload it
        body = io.BytesIO()
        with zipfile.ZipFile(body, "w") as z:
            z.writestr("index.py", f"def handler(event, context):\n    return {release}\n")
        s3.put_object(Bucket="code", Key=f"v{release}.zip", Body=body.getvalue())

    status, out = deploy(cf, "AliasStack", template("v1.zip", "V1", None, None))
    check("create: stack complete", status == "CREATE_COMPLETE", status)
    fn = cf.describe_stack_resource(StackName="AliasStack", LogicalResourceId="Fn")[
        "StackResourceDetail"]["PhysicalResourceId"]
    alias = lam.get_alias(FunctionName=fn, Name="live")
    check("create: alias live -> version 1", alias["FunctionVersion"] == "1", alias)
    check("create: Ref of the alias is its ARN", out.get("AliasRef") == alias["AliasArn"] == out.get("AliasArn"),
          (out, alias["AliasArn"]))
    check("create: Ref of the version is its ARN", out.get("VersionRef") == alias["AliasArn"][:-len("live")] + "1",
          out)
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=fn)["Versions"]]
    check("create: one published version", versions == ["$LATEST", "1"], versions)
    policy = json.loads(lam.get_policy(FunctionName=fn, Qualifier="live")["Policy"])
    check("create: the permission on the alias", any(s.get("Principal", {}).get("Service") == "apigateway.amazonaws.com"
                                                     or s.get("Principal") == "apigateway.amazonaws.com"
                                                     for s in policy["Statement"]), policy)

    # A release: new code, so a new version (new logical ID); the old one kept (Retain) and weighted 10 %.
    status, _ = deploy(cf, "AliasStack", template("v2.zip", "V2", "canary", [("V1", 0.1)]))
    check("update: stack complete", status == "UPDATE_COMPLETE", status)
    alias = lam.get_alias(FunctionName=fn, Name="live")
    check("update: alias live -> version 2", alias["FunctionVersion"] == "2", alias)
    check("update: description", alias.get("Description") == "canary", alias)
    check("update: routing weight", alias.get("RoutingConfig") == {"AdditionalVersionWeights": {"1": 0.1}}, alias)

    # Version 1 removed (no longer retained by the template): deleted; the next release must not reuse "2".
    deploy(cf, "AliasStack", template("v2.zip", "V2", None, None))
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=fn)["Versions"]]
    check("remove: version 1 kept by DeletionPolicy Retain", "1" in versions, versions)
    status, _ = deploy(cf, "AliasStack", template("v3.zip", "V3", None, None))
    alias = lam.get_alias(FunctionName=fn, Name="live")
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=fn)["Versions"]]
    check("release: version 3 published, version 2 deleted", alias["FunctionVersion"] == "3"
          and "2" not in versions and "3" in versions, (status, alias, versions))
    check("release: routing config cleared", not alias.get("RoutingConfig"), alias)
    deploy(cf, "AliasStack", template("v1.zip", "V4", None, None))  # versions 1 and 3 left: the next is 4
    alias = lam.get_alias(FunctionName=fn, Name="live")
    check("release: a deleted version's number is not reused", alias["FunctionVersion"] == "4", alias)

    cf.delete_stack(StackName="AliasStack")
    names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    check("delete: function gone", fn not in names, names)


def main():
    if sys.argv[1:2] == ["--endpoint"]:
        try:
            run(sys.argv[2])
        except Exception as exc:
            check("no API error", False, f"{type(exc).__name__}: {exc}")
        print(f"{len(PASSED)} passed, {len(FAILED)} failed")
        sys.exit(1 if FAILED else 0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "MOTO_ACCOUNT_ID"}
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen([sys.executable, os.path.join(HERE, "moto_ext.py"), "-H", "127.0.0.1", "-p",
                                   str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            endpoint = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                    break
                except OSError:
                    if server.poll() is not None:
                        break
                    time.sleep(0.1)
            try:
                run(endpoint)
            except Exception as exc:  # an API error is a failure of the extension, with its message
                check("no API error", False, f"{type(exc).__name__}: {exc}")
        finally:
            server.kill()
            server.wait()
        print(f"{len(PASSED)} passed, {len(FAILED)} failed")
        if FAILED:
            log.seek(0)
            print(log.read()[-6000:])
            sys.exit(1)


if __name__ == "__main__":
    main()
