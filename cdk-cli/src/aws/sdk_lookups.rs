//! [`Lookups`] for real AWS: SSM, EC2, KMS and Route 53 through [`super::signed_http`] (their
//! SDK crates cost minutes of build time).

use aws_config::SdkConfig;
use serde_json::{json, Value};
use tokio::runtime::Handle;

use super::signed_http::{encode, xml_error, Answer, SignedClient, Xml, EC2, KMS, ROUTE53, SSM};
use super::{
    AvailabilityZone, AwsError, AwsResult, HostedZone, Lookups, Route, RouteTable, Subnet, Vpc,
};

/// The clients of the context providers, for one region and set of credentials.
pub struct SdkLookups {
    http: SignedClient,
    handle: Handle,
}

impl SdkLookups {
    /// Clients built from `config` (region and credentials already set), run on `handle`.
    pub fn new(config: &SdkConfig, region: &str, handle: Handle) -> AwsResult<Self> {
        Ok(SdkLookups {
            http: SignedClient::new(config, region)?,
            handle,
        })
    }

    /// An EC2 Query call: `Action` with `params`; the parsed answer.
    fn ec2(&self, action: &str, params: &[(String, String)]) -> AwsResult<Xml> {
        let mut body = format!("Action={action}&Version=2016-11-15");
        for (k, v) in params {
            body.push_str(&format!("&{}={}", encode(k), encode(v)));
        }
        let answer = self.handle.block_on(self.http.send(
            EC2,
            "POST",
            "/",
            &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            &body,
        ))?;
        parse_xml(answer, &format!("ec2:{action}"))
    }

    /// A paginated EC2 Describe call: every page's items of `list`.
    fn ec2_all(
        &self,
        action: &str,
        params: &[(String, String)],
        list: &str,
    ) -> AwsResult<Vec<Xml>> {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut p = params.to_vec();
            if let Some(t) = token.take() {
                p.push(("NextToken".into(), t));
            }
            let doc = self.ec2(action, &p)?;
            items.extend(doc.items(list).cloned());
            match doc.text_of("nextToken") {
                Some(t) => token = Some(t),
                None => return Ok(items),
            }
        }
    }

    fn route53(&self, path_and_query: &str, what: &str) -> AwsResult<Xml> {
        let answer =
            self.handle
                .block_on(self.http.send(ROUTE53, "GET", path_and_query, &[], ""))?;
        parse_xml(answer, what)
    }
}

fn parse_xml(answer: Answer, what: &str) -> AwsResult<Xml> {
    if answer.status >= 300 {
        return Err(xml_error(&answer));
    }
    Xml::parse(&answer.body).ok_or_else(|| AwsError {
        code: None,
        message: format!(
            "{what}: the answer is not XML: {}",
            answer.body.chars().take(200).collect::<String>()
        ),
    })
}

fn filters(filters: &[(String, Vec<String>)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, (name, values)) in filters.iter().enumerate() {
        out.push((format!("Filter.{}.Name", i + 1), name.clone()));
        for (j, v) in values.iter().enumerate() {
            out.push((format!("Filter.{}.Value.{}", i + 1, j + 1), v.clone()));
        }
    }
    out
}

fn vpc_filter(vpc_id: &str) -> Vec<(String, String)> {
    filters(&[("vpc-id".to_string(), vec![vpc_id.to_string()])])
}

impl Lookups for SdkLookups {
    fn ssm_parameter(&self, name: &str) -> AwsResult<Option<String>> {
        self.handle.block_on(ssm_get_parameter(&self.http, name))
    }

    fn availability_zones(&self) -> AwsResult<Vec<AvailabilityZone>> {
        let doc = self.ec2("DescribeAvailabilityZones", &[])?;
        Ok(doc
            .items("availabilityZoneInfo")
            .map(|z| AvailabilityZone {
                name: z.text_of("zoneName").unwrap_or_default(),
                state: z.text_of("zoneState").unwrap_or_default(),
            })
            .collect())
    }

    fn kms_aliases(&self) -> AwsResult<Vec<(String, Option<String>)>> {
        let mut all = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let body = match marker.take() {
                Some(m) => json!({ "Marker": m }),
                None => json!({}),
            }
            .to_string();
            let answer = self.handle.block_on(self.http.send(
                KMS,
                "POST",
                "/",
                &[
                    ("content-type", "application/x-amz-json-1.1"),
                    ("x-amz-target", "TrentService.ListAliases"),
                ],
                &body,
            ))?;
            let doc: Value = serde_json::from_str(&answer.body).map_err(|_| AwsError {
                code: None,
                message: format!(
                    "kms:ListAliases: HTTP {}: {}",
                    answer.status,
                    answer.body.chars().take(200).collect::<String>()
                ),
            })?;
            if answer.status >= 300 {
                let code = doc["__type"]
                    .as_str()
                    .map(|t| t.rsplit('#').next().unwrap_or(t).to_string());
                let message = doc["message"]
                    .as_str()
                    .or(doc["Message"].as_str())
                    .unwrap_or("")
                    .to_string();
                return Err(AwsError { code, message });
            }
            for a in doc["Aliases"].as_array().into_iter().flatten() {
                all.push((
                    a["AliasName"].as_str().unwrap_or_default().to_string(),
                    a["TargetKeyId"].as_str().map(str::to_string),
                ));
            }
            match doc["NextMarker"].as_str() {
                Some(m) if doc["Truncated"].as_bool() == Some(true) && !m.is_empty() => {
                    marker = Some(m.to_string())
                }
                _ => return Ok(all),
            }
        }
    }

    fn hosted_zones_by_name(&self, dns_name: &str) -> AwsResult<Vec<HostedZone>> {
        let doc = self.route53(
            &format!("/2013-04-01/hostedzonesbyname?dnsname={}", encode(dns_name)),
            "route53:ListHostedZonesByName",
        )?;
        Ok(doc
            .child("HostedZones")
            .into_iter()
            .flat_map(|z| z.all("HostedZone"))
            .map(|z| HostedZone {
                id: z.text_of("Id").unwrap_or_default(),
                name: z.text_of("Name").unwrap_or_default(),
                private: z
                    .child("Config")
                    .and_then(|c| c.text_of("PrivateZone"))
                    .is_some_and(|p| p == "true"),
            })
            .collect())
    }

    fn hosted_zone_vpcs(&self, zone_id: &str) -> AwsResult<Vec<String>> {
        let id = zone_id.trim_start_matches("/hostedzone/");
        let doc = self.route53(
            &format!("/2013-04-01/hostedzone/{}", encode(id)),
            "route53:GetHostedZone",
        )?;
        Ok(doc
            .child("VPCs")
            .into_iter()
            .flat_map(|v| v.all("VPC"))
            .filter_map(|v| v.text_of("VPCId"))
            .collect())
    }

    fn vpcs(&self, wanted: &[(String, Vec<String>)]) -> AwsResult<Vec<Vpc>> {
        let items = self.ec2_all("DescribeVpcs", &filters(wanted), "vpcSet")?;
        Ok(items
            .iter()
            .map(|v| Vpc {
                vpc_id: v.text_of("vpcId").unwrap_or_default(),
                cidr_block: v.text_of("cidrBlock"),
                owner_id: v.text_of("ownerId"),
            })
            .collect())
    }

    fn subnets(&self, vpc_id: &str) -> AwsResult<Vec<Subnet>> {
        let items = self.ec2_all("DescribeSubnets", &vpc_filter(vpc_id), "subnetSet")?;
        Ok(items
            .iter()
            .map(|s| Subnet {
                subnet_id: s.text_of("subnetId").unwrap_or_default(),
                subnet_arn: s.text_of("subnetArn"),
                availability_zone: s.text_of("availabilityZone").unwrap_or_default(),
                cidr_block: s.text_of("cidrBlock"),
                map_public_ip_on_launch: s.text_of("mapPublicIpOnLaunch").as_deref()
                    == Some("true"),
                tags: s.tags(),
            })
            .collect())
    }

    fn route_tables(&self, vpc_id: &str) -> AwsResult<Vec<RouteTable>> {
        let items = self.ec2_all("DescribeRouteTables", &vpc_filter(vpc_id), "routeTableSet")?;
        Ok(items
            .iter()
            .map(|t| RouteTable {
                route_table_id: t.text_of("routeTableId").unwrap_or_default(),
                subnet_ids: t
                    .items("associationSet")
                    .filter_map(|a| a.text_of("subnetId"))
                    .collect(),
                main: t
                    .items("associationSet")
                    .any(|a| a.text_of("main").as_deref() == Some("true")),
                routes: t
                    .items("routeSet")
                    .map(|r| Route {
                        destination_cidr_block: r.text_of("destinationCidrBlock"),
                        gateway_id: r.text_of("gatewayId"),
                        nat_gateway_id: r.text_of("natGatewayId"),
                        transit_gateway_id: r.text_of("transitGatewayId"),
                    })
                    .collect(),
            })
            .collect())
    }

    fn vpn_gateways(&self, vpc_id: &str) -> AwsResult<Vec<String>> {
        let params = filters(&[
            ("attachment.vpc-id".to_string(), vec![vpc_id.to_string()]),
            ("attachment.state".to_string(), vec!["attached".to_string()]),
            ("state".to_string(), vec!["available".to_string()]),
        ]);
        let doc = self.ec2("DescribeVpnGateways", &params)?;
        Ok(doc
            .items("vpnGatewaySet")
            .filter_map(|g| g.text_of("vpnGatewayId"))
            .collect())
    }
}

/// SSM GetParameter (JSON 1.1): the value; `None` when the parameter does not exist.
pub(crate) async fn ssm_get_parameter(
    http: &SignedClient,
    name: &str,
) -> AwsResult<Option<String>> {
    let result = http
        .json_call(
            SSM,
            "application/x-amz-json-1.1",
            "AmazonSSM.GetParameter",
            &json!({ "Name": name }),
        )
        .await;
    match result {
        Ok(doc) => Ok(doc["Parameter"]["Value"].as_str().map(str::to_string)),
        Err(e) if e.has_code("ParameterNotFound") => Ok(None),
        Err(e) => Err(AwsError {
            code: e.code,
            message: format!("ssm:GetParameter {name}: {}", e.message),
        }),
    }
}
