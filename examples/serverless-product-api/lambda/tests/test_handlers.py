"""Handler tests against moto's in-process DynamoDB."""
import importlib
import json
import os
import sys

import boto3
import pytest
from moto import mock_aws

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


@pytest.fixture()
def handlers(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("TABLE_NAME", "products")
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="products",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        import create_product
        import get_product

        importlib.reload(create_product)
        importlib.reload(get_product)
        yield create_product, get_product


def post(create, body):
    return create.handler({"body": body if isinstance(body, str) else json.dumps(body)}, None)


def test_create_then_find(handlers):
    create, get = handlers
    created = post(create, {"id": "p1", "title": "Lamp", "description": "Desk lamp", "price": 19.5})
    assert created["statusCode"] == 201
    assert json.loads(created["body"]) == {"id": "p1", "title": "Lamp", "description": "Desk lamp", "price": 19.5}
    found = get.handler({"pathParameters": {"id": "p1"}}, None)
    assert found["statusCode"] == 200
    assert json.loads(found["body"])["title"] == "Lamp"
    stored = boto3.resource("dynamodb").Table("products").get_item(Key={"id": "p1"})["Item"]
    assert stored["price"] == __import__("decimal").Decimal("19.5")


def test_generated_id(handlers):
    create, get = handlers
    created = json.loads(post(create, {"title": "Chair", "price": 40})["body"])
    assert created["id"]
    assert get.handler({"pathParameters": {"id": created["id"]}}, None)["statusCode"] == 200


@pytest.mark.parametrize(
    "body, message",
    [
        ("not json", "valid JSON"),
        ([1, 2], "JSON object"),
        ({"price": 1}, "title"),
        ({"title": "  ", "price": 1}, "title"),
        ({"title": "x", "price": -1}, "price"),
        ({"title": "x", "price": "abc"}, "price"),
        ({"title": "x", "price": True}, "price"),
        ({"title": "x", "price": 1, "description": 5}, "description"),
        ({"title": "x", "price": 1, "id": ""}, "id"),
    ],
)
def test_invalid_input_is_400(handlers, body, message):
    create, _ = handlers
    response = post(create, body)
    assert response["statusCode"] == 400
    assert message in json.loads(response["body"])["message"]


def test_duplicate_id_is_409(handlers):
    create, _ = handlers
    assert post(create, {"id": "dup", "title": "A", "price": 1})["statusCode"] == 201
    assert post(create, {"id": "dup", "title": "B", "price": 2})["statusCode"] == 409


def test_missing_and_unknown_ids(handlers):
    _, get = handlers
    assert get.handler({"pathParameters": None}, None)["statusCode"] == 400
    assert get.handler({"pathParameters": {"id": "nope"}}, None)["statusCode"] == 404


def test_unconfigured_table_is_500(handlers, monkeypatch):
    create, get = handlers
    monkeypatch.delenv("TABLE_NAME")
    create._table = None
    get._table = None
    assert post(create, {"title": "x", "price": 1})["statusCode"] == 500
    assert get.handler({"pathParameters": {"id": "x"}}, None)["statusCode"] == 500
