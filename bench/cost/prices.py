"""AWS list prices for Asia Pacific (Jakarta) ap-southeast-3, in US dollars, as used by
``bench/cost/run.py``.

Source: the AWS pricing pages of each service, region "Asia Pacific (Jakarta)", on-demand,
as of 2026-11 (DynamoDB after the November 2024 on-demand price cut). This machine has no
network beyond package registries, so they could not be re-read from the Price List API
while writing the bench: check them in the AWS Pricing Calculator (calculator.aws) before
quoting a figure, and change them here. Free tiers are left out (a unit's account may
already use them), except where a line says so.
"""

# AWS Lambda (https://aws.amazon.com/lambda/pricing/)
LAMBDA_REQUEST = 0.20 / 1_000_000
LAMBDA_GB_SECOND = {"arm64": 0.0000133334, "x86_64": 0.0000166667}

# Amazon API Gateway, REST APIs, first 333 million requests a month
# (https://aws.amazon.com/api-gateway/pricing/)
API_GATEWAY_REQUEST = 4.25 / 1_000_000

# Amazon DynamoDB, on-demand, Standard table class (https://aws.amazon.com/dynamodb/pricing/on-demand/)
DYNAMODB_WRITE_UNIT = 0.7125 / 1_000_000
DYNAMODB_READ_UNIT = 0.1425 / 1_000_000
DYNAMODB_STORAGE_GB_MONTH = 0.285
DYNAMODB_PITR_GB_MONTH = 0.228
DYNAMODB_BACKUP_GB_MONTH = 0.114

# Amazon SES, outbound (https://aws.amazon.com/ses/pricing/)
SES_EMAIL = 0.10 / 1000
SES_DATA_GB = 0.12

# Amazon CloudFront, Indonesia's price region, first 10 TB
# (https://aws.amazon.com/cloudfront/pricing/). The always-free tier (1 TB, 10 million
# requests a month) would make both zero for a unit; not counted.
CLOUDFRONT_DATA_GB = 0.120
CLOUDFRONT_HTTPS_REQUEST = 0.0120 / 10_000

# Amazon S3 Standard (https://aws.amazon.com/s3/pricing/)
S3_GET = 0.00044 / 1000
S3_STORAGE_GB_MONTH = 0.025

# Amazon CloudWatch (https://aws.amazon.com/cloudwatch/pricing/)
LOGS_INGEST_GB = 0.70
LOGS_STORE_GB_MONTH = 0.033
ALARM_MONTH = 0.10  # standard resolution, per alarm
DASHBOARD_MONTH = 3.00  # beyond the first three of the account
CUSTOM_METRIC_MONTH = 0.30  # first 10,000 metrics

# AWS WAF (https://aws.amazon.com/waf/pricing/)
WAF_WEB_ACL_MONTH = 5.00
WAF_RULE_MONTH = 1.00
WAF_REQUEST = 0.60 / 1_000_000

# AWS KMS, the AWS managed key aws/ssm: no key charge, requests only
# (https://aws.amazon.com/kms/pricing/)
KMS_REQUEST = 0.03 / 10_000

DATE = "2026-11"
