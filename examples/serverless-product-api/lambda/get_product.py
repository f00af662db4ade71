"""GET /product/find/{id}: returns a product by id.

Responses: 200 with the product, 400 without an id, 404 when it does not exist, 500 if the
table is not configured or DynamoDB fails.
"""
import json
import os
from decimal import Decimal

import boto3
from botocore.exceptions import BotoCoreError, ClientError

_table = None


def _get_table():
    global _table
    if _table is None:
        name = os.environ.get("TABLE_NAME")
        if not name:
            raise RuntimeError("TABLE_NAME is not set")
        _table = boto3.resource("dynamodb").Table(name)
    return _table


def _response(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body, default=lambda d: float(d) if isinstance(d, Decimal) else str(d)),
    }


def handler(event, _context):
    product_id = (event.get("pathParameters") or {}).get("id")
    if not isinstance(product_id, str) or not product_id.strip():
        return _response(400, {"message": "the path must end with a product id"})
    try:
        item = _get_table().get_item(Key={"id": product_id}).get("Item")
    except (ClientError, BotoCoreError, RuntimeError):
        return _response(500, {"message": "could not read the product"})
    if item is None:
        return _response(404, {"message": f"product {product_id} not found"})
    return _response(200, item)
