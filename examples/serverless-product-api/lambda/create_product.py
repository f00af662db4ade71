"""POST /product/create: validates a product and stores it in the DynamoDB table.

Body: {"title": str, "description": str, "price": number >= 0, "id": optional str}.
Responses: 201 with the stored product, 400 for invalid input, 500 if the table is not
configured or DynamoDB fails.
"""
import json
import os
import uuid
from decimal import Decimal, InvalidOperation

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


def validate(payload):
    """Returns (product, None) for a valid payload, or (None, error message)."""
    if not isinstance(payload, dict):
        return None, "body must be a JSON object"
    errors = []
    title = payload.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append("title must be a non-empty string")
    elif len(title) > 200:
        errors.append("title must be at most 200 characters")
    description = payload.get("description", "")
    if not isinstance(description, str):
        errors.append("description must be a string")
    price = payload.get("price")
    if isinstance(price, bool) or not isinstance(price, (int, float, str)):
        errors.append("price must be a number")
        price_value = None
    else:
        try:
            price_value = Decimal(str(price))
            if not price_value.is_finite() or price_value < 0:
                errors.append("price must be a finite number >= 0")
        except InvalidOperation:
            errors.append("price must be a number")
            price_value = None
    product_id = payload.get("id", str(uuid.uuid4()))
    if not isinstance(product_id, str) or not product_id.strip():
        errors.append("id must be a non-empty string when given")
    if errors:
        return None, "; ".join(errors)
    return {
        "id": product_id,
        "title": title.strip(),
        "description": description,
        "price": price_value,
    }, None


def handler(event, _context):
    try:
        payload = json.loads(event.get("body") or "")
    except (TypeError, ValueError):
        return _response(400, {"message": "body must be valid JSON"})
    product, error = validate(payload)
    if error:
        return _response(400, {"message": error})
    try:
        _get_table().put_item(
            Item=product,
            ConditionExpression="attribute_not_exists(id)",
        )
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return _response(409, {"message": f"product {product['id']} already exists"})
        return _response(500, {"message": "could not store the product"})
    except (BotoCoreError, RuntimeError):
        return _response(500, {"message": "could not store the product"})
    return _response(201, product)
