# Asset of the aws-lambda/integ.assets.lit port: only its hash reaches the template.
def main(event, context):
    return {"statusCode": 200}
