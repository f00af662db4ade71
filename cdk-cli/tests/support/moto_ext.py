#!/usr/bin/env python3
"""The local endpoint of rcdk's end-to-end tests: ../shared/tools/moto-server plus the Lambda versions and aliases
CloudFormation needs for a canary release (the flagship's `LiveAlias`).

Usage: cdk-cli/tests/support/moto_ext.py -H 127.0.0.1 -p PORT   (same arguments as moto-server / moto_server)
       MOTO_SERVER_BASE=/path/to/moto-server selects the base (default: ../shared/tools/moto-server beside the
       checkout, the one cdk-cli/tests/common/moto.rs uses). Tests: cdk-cli/tests/e2e_examples.rs (the flagship's
       alias `live` seen through the Lambda API) and cdk-cli/tests/support/test_moto_ext.py (CloudFormation create,
       update, delete of a version and an alias, checked through the Lambda API).
The base is loaded by path (runpy), so every one of its patches applies; this file only adds to it, on the test
side: rcdk's product code knows nothing of the endpoint. moto 5.2.1 gaps it fills (checked against moto 5.2.1):
  A1. AWS::Lambda::Alias has a CloudFormation model (stock: none, so the base made it a placeholder: nothing was
      created, Ref was a generated name, and an AWS::Lambda::Permission on the alias failed "Function not found").
      As CloudFormation documents it: Ref = the alias ARN, GetAtt AliasArn; create = Lambda CreateAlias with
      FunctionName, FunctionVersion, Name, Description and RoutingConfig (CloudFormation's list
      AdditionalVersionWeights [{FunctionVersion, FunctionWeight}] becomes the API's version -> weight map);
      an update of FunctionVersion, Description or RoutingConfig is UpdateAlias, one of FunctionName or Name
      replaces the alias; deleted with the stack (DeleteAlias). Not emulated: ProvisionedConcurrencyConfig (moto has
      no provisioned concurrency; accepted and ignored) and the CodeDeployLambdaAliasUpdate update policy (an update
      re-points the alias at once, where CloudFormation would hand the shift to a CodeDeploy deployment).
  A2. AWS::Lambda::Version: Ref = the version ARN, GetAtt Version (the number, a string) and FunctionArn; its
      Description is the published version's; deleted with the stack (DeleteFunction with the version as
      qualifier). Stock: no Ref (the base generated a name), no GetAtt (so an alias's FunctionVersion failed), the
      Description ignored, never deleted.
  A3. Version numbers are never reused after a version is deleted (stock: a deleted version freed its number, as
      moto numbers versions len(versions) + 1, so a release after one removal published a second "2").
"""
import os
import runpy
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.environ.get("MOTO_SERVER_BASE") or os.path.normpath(
    os.path.join(_HERE, "..", "..", "..", "..", "shared", "tools", "moto-server"))

runpy.run_path(BASE, run_name="moto_server_base")  # applies the base's patches to the moto modules

from moto.awslambda import models as _lambda  # noqa: E402
from moto.awslambda.exceptions import UnknownAliasException, UnknownFunctionException  # noqa: E402
from moto.cloudformation import parsing as _parsing  # noqa: E402
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException  # noqa: E402
from moto.core.common_models import CloudFormationModel  # noqa: E402


def _backend(account_id, region_name):
    return _lambda.lambda_backends[account_id][region_name]


def _function_name(name_or_arn):
    """A function's name from its name, partial ARN or ARN (CloudFormation accepts all three)."""
    if ":function:" in name_or_arn:
        return name_or_arn.split(":function:")[1].split(":")[0]
    return name_or_arn.split(":")[0]


# ---- A3. version numbers ---------------------------------------------------------------------------------------
_orig_publish = _lambda.LambdaStorage.publish_version


def _publish_version(self, name_or_arn, description=""):
    fn = _orig_publish(self, name_or_arn, description)
    if fn is None or getattr(fn, "_cfn_numbered", False):
        return fn  # nothing to publish, or nothing changed (moto returns the latest published version)
    highest = self.__dict__.setdefault("_cfn_highest_version", {})
    name = fn.function_name
    if int(fn.version) <= highest.get(name, 0):  # the number of a deleted version: take the next free one
        self._arns.pop(fn.function_arn, None)
        fn.set_version(highest[name] + 1)
        self._arns[fn.function_arn] = fn
    fn._cfn_numbered = True
    highest[name] = int(fn.version)
    return fn


_lambda.LambdaStorage.publish_version = _publish_version


# ---- A2. AWS::Lambda::Version ----------------------------------------------------------------------------------
def _version_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    props = cloudformation_json["Properties"]
    backend = _backend(account_id, region_name)
    published = backend.publish_version(props["FunctionName"], props.get("Description") or "")
    version = cls({"Version": published.version})
    version.function_name = published.function_name
    version.function_arn = published.function_arn  # arn:...:function:NAME:N
    return version


def _version_get_att(self, attribute_name):
    if attribute_name == "Version":
        return str(self.version)
    if attribute_name == "FunctionArn":
        return self.function_arn
    raise UnformattedGetAttTemplateException()


def _version_delete(self, account_id, region_name):
    try:
        _backend(account_id, region_name).delete_function(self.function_name, str(self.version))
    except (UnknownFunctionException, KeyError, ValueError):
        pass  # the function (and so its versions) is gone already


_lambda.LambdaVersion.create_from_cloudformation_json = classmethod(_version_create)
_lambda.LambdaVersion.physical_resource_id = property(lambda self: getattr(self, "function_arn", None))
_lambda.LambdaVersion.has_cfn_attr = classmethod(lambda cls, attr: attr in ("Version", "FunctionArn"))
_lambda.LambdaVersion.get_cfn_attribute = _version_get_att
_lambda.LambdaVersion.delete = _version_delete


# ---- A1. AWS::Lambda::Alias ------------------------------------------------------------------------------------
def _routing_config(props):
    """CloudFormation's RoutingConfig as the Lambda API's: {"AdditionalVersionWeights": {version: weight}}."""
    config = props.get("RoutingConfig")
    if not config:
        return None
    weights = config.get("AdditionalVersionWeights") or []
    return {"AdditionalVersionWeights": {str(w["FunctionVersion"]): float(w["FunctionWeight"]) for w in weights}}


class CfnLambdaAlias(CloudFormationModel):
    __module__ = "moto.awslambda.cfn_alias"  # moto's model registry keys classes by service (module part 2)

    def __init__(self, function_name, name, arn):
        self.function_name, self.name, self.arn = function_name, name, arn

    @property
    def physical_resource_id(self):
        return self.arn

    @staticmethod
    def cloudformation_name_type():
        return ""  # Name is required: CloudFormation generates no alias names

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::Alias"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "AliasArn"

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "AliasArn":
            return self.arn
        raise UnformattedGetAttTemplateException()

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        function_name = _function_name(props["FunctionName"])
        alias = _backend(account_id, region_name).create_alias(
            name=props["Name"], function_name=function_name, function_version=str(props["FunctionVersion"]),
            description=props.get("Description") or "", routing_config=_routing_config(props))
        return cls(function_name, alias.name, alias.arn)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id,
                                        region_name):
        props = cloudformation_json["Properties"]
        function_name = _function_name(props["FunctionName"])
        if function_name != original_resource.function_name or props["Name"] != original_resource.name:
            replacement = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id,
                                                              region_name)
            original_resource.delete(account_id, region_name)
            return replacement
        alias = _backend(account_id, region_name).get_alias(original_resource.name, function_name)
        _backend(account_id, region_name).update_alias(
            name=original_resource.name, function_name=function_name,
            function_version=str(props["FunctionVersion"]), description=props.get("Description") or "",
            routing_config=None)
        alias.routing_config = _routing_config(props)  # update_alias keeps the old one when given None
        return original_resource

    def delete(self, account_id, region_name):
        try:
            _backend(account_id, region_name).delete_alias(self.name, self.function_name)
        except (UnknownFunctionException, UnknownAliasException):
            pass  # the function (and so its aliases) is gone already


for _fn in (_parsing.get_model_list, _parsing.get_model_map, _parsing.get_name_type_map):
    _fn.cache_clear()


if __name__ == "__main__":
    from moto.server import main
    main(sys.argv[1:])
