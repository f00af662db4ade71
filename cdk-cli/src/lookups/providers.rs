//! The context providers: each turns the `props` of one `missing` entry into the value the app
//! reads back from its context, with the same queries, filters, results and error messages as
//! the cdk CLI's providers (aws-cdk 2.1148, `@aws-cdk/toolkit-lib/lib/context-providers`).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::aws::{Lookups, RouteTable, Subnet};

/// Providers rcdk implements.
pub const SUPPORTED: [&str; 5] = [
    "ssm",
    "availability-zones",
    "key",
    "hosted-zone",
    "vpc-provider",
];

/// Providers aws-cdk-lib emits that rcdk does not implement (they fail with a clear message).
pub const UNSUPPORTED: [&str; 7] = [
    "ami",
    "security-group",
    "load-balancer",
    "load-balancer-listener",
    "endpoint-service-availability-zones",
    "cc-api-provider",
    "plugin",
];

/// Why a lookup failed (the cdk CLI's error codes, e.g. `SsmParameterNotFound`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// A short code.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

fn error(code: &'static str, message: impl Into<String>) -> ProviderError {
    ProviderError {
        code,
        message: message.into(),
    }
}

fn call_failed(what: &str) -> impl Fn(crate::aws::AwsError) -> ProviderError + '_ {
    move |e| error("AwsCallFailed", format!("{what}: {e}"))
}

fn prop_str<'a>(props: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    props.get(key).and_then(Value::as_str)
}

fn ignore_missing(props: &Map<String, Value>) -> bool {
    props
        .get("ignoreErrorOnMissingContext")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Looks up the value for `provider` with `props`, through `aws`.
pub fn provide(
    provider: &str,
    props: &Map<String, Value>,
    aws: &dyn Lookups,
) -> Result<Value, ProviderError> {
    match provider {
        "ssm" => ssm(props, aws),
        "availability-zones" => availability_zones(aws),
        "key" => key(props, aws),
        "hosted-zone" => hosted_zone(props, aws),
        "vpc-provider" => vpc(props, aws),
        other => Err(error(
            "UnsupportedProvider",
            format!("rcdk does not implement the context provider `{other}`"),
        )),
    }
}

fn account_region(props: &Map<String, Value>) -> (&str, &str) {
    (
        prop_str(props, "account").unwrap_or("?"),
        prop_str(props, "region").unwrap_or("?"),
    )
}

fn ssm(props: &Map<String, Value>, aws: &dyn Lookups) -> Result<Value, ProviderError> {
    let (account, region) = account_region(props);
    let name = prop_str(props, "parameterName").ok_or_else(|| {
        error(
            "MissingParameterName",
            "parameterName must be provided in props for SSMContextProviderPlugin",
        )
    })?;
    let value = aws
        .ssm_parameter(name)
        .map_err(call_failed(&format!("ssm:GetParameter {name}")))?;
    match value {
        Some(v) => Ok(Value::String(v)),
        None if ignore_missing(props) && props.contains_key("dummyValue") => {
            Ok(props["dummyValue"].clone())
        }
        None => Err(error(
            "SsmParameterNotFound",
            format!("SSM parameter not available in account {account}, region {region}: {name}"),
        )),
    }
}

fn availability_zones(aws: &dyn Lookups) -> Result<Value, ProviderError> {
    let zones = aws
        .availability_zones()
        .map_err(call_failed("ec2:DescribeAvailabilityZones"))?;
    Ok(Value::Array(
        zones
            .into_iter()
            .filter(|z| z.state == "available")
            .map(|z| Value::String(z.name))
            .collect(),
    ))
}

fn key(props: &Map<String, Value>, aws: &dyn Lookups) -> Result<Value, ProviderError> {
    let alias = prop_str(props, "aliasName").unwrap_or_default();
    let aliases = aws.kms_aliases().map_err(call_failed("kms:ListAliases"))?;
    let target = match aliases.into_iter().find(|(name, _)| name == alias) {
        Some((_, target)) => target,
        None => {
            let dummy = props
                .get("dummyValue")
                .and_then(|d| d.get("keyId"))
                .and_then(Value::as_str);
            match dummy {
                Some(id) if ignore_missing(props) => Some(id.to_string()),
                _ => {
                    return Err(error(
                        "KeyNotFound",
                        format!("Could not find any key with alias named {alias}"),
                    ))
                }
            }
        }
    };
    match target {
        Some(id) => Ok(json!({ "keyId": id })),
        None => Err(error(
            "KeyMissingTargetId",
            format!("Could not find any key with alias named {alias}"),
        )),
    }
}

fn hosted_zone(props: &Map<String, Value>, aws: &dyn Lookups) -> Result<Value, ProviderError> {
    let (account, region) = account_region(props);
    let domain = prop_str(props, "domainName").ok_or_else(|| {
        error(
            "MissingDomainName",
            "HostedZoneProvider requires domainName property to be set",
        )
    })?;
    let zones = aws
        .hosted_zones_by_name(domain)
        .map_err(call_failed("route53:ListHostedZonesByName"))?;
    if zones.is_empty() {
        return Err(error(
            "HostedZoneNotFound",
            format!("Hosted Zone not found in account {account}, region {region}: {domain}"),
        ));
    }
    let wanted = if domain.ends_with('.') {
        domain.to_string()
    } else {
        format!("{domain}.")
    };
    let private = props
        .get("privateZone")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut candidates: Vec<_> = zones
        .into_iter()
        .filter(|z| z.name == wanted && z.private == private)
        .collect();
    if let Some(vpc_id) = prop_str(props, "vpcId") {
        let mut in_vpc = Vec::new();
        for zone in candidates {
            let vpcs = aws
                .hosted_zone_vpcs(&zone.id)
                .map_err(call_failed("route53:GetHostedZone"))?;
            if vpcs.iter().any(|v| v == vpc_id) {
                in_vpc.push(zone);
            }
        }
        candidates = in_vpc;
    }
    if candidates.len() != 1 {
        let found: Vec<Value> = candidates
            .iter()
            .map(|z| json!({"Id": z.id, "Name": z.name}))
            .collect();
        return Err(error(
            "HostedZoneCountMismatch",
            format!(
                "Found zones: {} for dns:{domain}, privateZone:{}, vpcId:{}, but wanted exactly 1 zone",
                Value::Array(found),
                props.get("privateZone").map_or("undefined".to_string(), Value::to_string),
                prop_str(props, "vpcId").unwrap_or("undefined"),
            ),
        ));
    }
    let zone = &candidates[0];
    Ok(json!({ "Id": zone.id, "Name": zone.name }))
}

/// Subnet types the VPC provider knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SubnetType {
    Isolated,
    Private,
    Public,
}

impl SubnetType {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "Public" => Some(SubnetType::Public),
            "Private" => Some(SubnetType::Private),
            "Isolated" => Some(SubnetType::Isolated),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            SubnetType::Public => "Public",
            SubnetType::Private => "Private",
            SubnetType::Isolated => "Isolated",
        }
    }

    fn group_type(self) -> &'static str {
        match self {
            SubnetType::Public => "Public",
            SubnetType::Private => "Private",
            SubnetType::Isolated => "Isolated",
        }
    }
}

struct Classified {
    az: String,
    cidr: Option<String>,
    kind: SubnetType,
    name: String,
    subnet_id: String,
    route_table_id: String,
}

struct Tables<'a>(&'a [RouteTable]);

impl Tables<'_> {
    fn for_subnet(&self, subnet_id: &str) -> Option<&RouteTable> {
        self.0
            .iter()
            .find(|t| t.subnet_ids.iter().any(|s| s == subnet_id))
    }

    fn main(&self) -> Option<&RouteTable> {
        self.0.iter().find(|t| t.main)
    }

    fn effective(&self, subnet_id: &str) -> Option<&RouteTable> {
        self.for_subnet(subnet_id).or_else(|| self.main())
    }

    fn table_id(&self, subnet_id: &str) -> Option<String> {
        self.effective(subnet_id).map(|t| t.route_table_id.clone())
    }

    fn any_route(&self, subnet_id: &str, f: impl Fn(&crate::aws::Route) -> bool) -> bool {
        self.effective(subnet_id)
            .is_some_and(|t| t.routes.iter().any(f))
    }
}

fn tag<'a>(subnet: &'a Subnet, key: &str) -> Option<&'a str> {
    subnet.tags.get(key).map(String::as_str)
}

fn vpc(props: &Map<String, Value>, aws: &dyn Lookups) -> Result<Value, ProviderError> {
    let filters: Vec<(String, Vec<String>)> = props
        .get("filter")
        .and_then(Value::as_object)
        .map(|f| {
            f.iter()
                .map(|(k, v)| {
                    let value = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), vec![value])
                })
                .collect()
        })
        .unwrap_or_default();
    let args = Value::Object(props.clone()).to_string();
    let vpcs = aws
        .vpcs(&filters)
        .map_err(call_failed("ec2:DescribeVpcs"))?;
    let vpc = match vpcs.as_slice() {
        [] => {
            return Err(error(
                "VpcNotFound",
                format!("Could not find any VPCs matching {args}"),
            ))
        }
        [one] => one.clone(),
        many => {
            return Err(error(
                "MultipleVpcsFound",
                format!(
                    "Found {} VPCs matching {args}; please narrow the search criteria",
                    many.len()
                ),
            ))
        }
    };
    let vpc_id = vpc.vpc_id.clone();
    let subnets = aws
        .subnets(&vpc_id)
        .map_err(call_failed("ec2:DescribeSubnets"))?;
    let tables = aws
        .route_tables(&vpc_id)
        .map_err(call_failed("ec2:DescribeRouteTables"))?;
    let tables = Tables(&tables);
    let group_tag = prop_str(props, "subnetGroupNameTag");
    let mut classified = Vec::new();
    for subnet in &subnets {
        let arn = subnet.subnet_arn.clone().unwrap_or_default();
        let explicit = tag(subnet, "aws-cdk:subnet-type");
        let kind = match explicit {
            Some(t) => SubnetType::parse(t).ok_or_else(|| {
                error(
                    "InvalidSubnetType",
                    format!(
                        "Subnet {arn} has invalid subnet type {t} (must be Public, Private or Isolated)"
                    ),
                )
            })?,
            None if subnet.map_public_ip_on_launch => SubnetType::Public,
            None if tables.any_route(&subnet.subnet_id, |r| {
                r.gateway_id.as_deref().is_some_and(|g| g.starts_with("igw-"))
            }) =>
            {
                SubnetType::Public
            }
            None if tables.any_route(&subnet.subnet_id, |r| {
                r.nat_gateway_id.is_some()
                    && r.destination_cidr_block.as_deref() == Some("0.0.0.0/0")
            }) =>
            {
                SubnetType::Private
            }
            None if tables.any_route(&subnet.subnet_id, |r| {
                r.transit_gateway_id.is_some()
                    && r.destination_cidr_block.as_deref() == Some("0.0.0.0/0")
            }) =>
            {
                SubnetType::Private
            }
            None => SubnetType::Isolated,
        };
        if let Some(t) = group_tag {
            if tag(subnet, t).is_none() {
                return Err(error(
                    "MissingSubnetGroupTag",
                    format!("Invalid subnetGroupNameTag: Subnet {arn} does not have an associated tag with Key='{t}'"),
                ));
            }
        }
        let name = tag(subnet, group_tag.unwrap_or("aws-cdk:subnet-name"))
            .map(str::to_string)
            .unwrap_or_else(|| kind.name().to_string());
        let route_table_id = tables.table_id(&subnet.subnet_id).ok_or_else(|| {
            error(
                "MissingRouteTable",
                format!("Subnet {arn} does not have an associated route table (and there is no \"main\" table)"),
            )
        })?;
        classified.push(Classified {
            az: subnet.availability_zone.clone(),
            cidr: subnet.cidr_block.clone(),
            kind,
            name,
            subnet_id: subnet.subnet_id.clone(),
            route_table_id,
        });
    }

    // Groups by (type, name) in first-seen order, each sorted by AZ.
    let mut groups: Vec<(SubnetType, String, Vec<&Classified>)> = Vec::new();
    for s in &classified {
        match groups
            .iter_mut()
            .find(|(k, n, _)| *k == s.kind && *n == s.name)
        {
            Some(g) => g.2.push(s),
            None => groups.push((s.kind, s.name.clone(), vec![s])),
        }
    }
    for g in &mut groups {
        g.2.sort_by(|a, b| a.az.cmp(&b.az));
    }
    let asymmetric = props
        .get("returnAsymmetricSubnets")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut azs: Vec<String> = Vec::new();
    let mut subnet_groups = None;
    if asymmetric {
        subnet_groups = Some(Value::Array(
            groups
                .iter()
                .map(|(kind, name, subnets)| {
                    json!({
                        "name": name,
                        "type": kind.group_type(),
                        "subnets": subnets.iter().map(|s| json!({
                            "subnetId": s.subnet_id,
                            "cidr": s.cidr,
                            "availabilityZone": s.az,
                            "routeTableId": s.route_table_id,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        ));
    } else if let Some((_, _, first)) = groups.first() {
        azs = first.iter().map(|s| s.az.clone()).collect();
        for (_, _, subnets) in &groups {
            let group_azs: Vec<String> = subnets.iter().map(|s| s.az.clone()).collect();
            if group_azs != azs {
                return Err(error(
                    "InconsistentSubnetAzs",
                    format!(
                        "Not all subnets in VPC have the same AZs: {} vs {}",
                        group_azs.join(","),
                        azs.join(",")
                    ),
                ));
            }
        }
    }
    let return_vpn = props
        .get("returnVpnGateways")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let vpn_gateway_id = if return_vpn {
        let ids = aws
            .vpn_gateways(&vpc_id)
            .map_err(call_failed("ec2:DescribeVpnGateways"))?;
        match ids.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    } else {
        None
    };

    let mut out = Map::new();
    out.insert("vpcId".into(), json!(vpc_id));
    out.insert("vpcCidrBlock".into(), json!(vpc.cidr_block));
    out.insert("ownerAccountId".into(), json!(vpc.owner_id));
    out.insert("availabilityZones".into(), json!(azs));
    let symmetric: Vec<&(SubnetType, String, Vec<&Classified>)> = if asymmetric {
        Vec::new()
    } else {
        groups.iter().collect()
    };
    for (kind, prefix) in [
        (SubnetType::Isolated, "isolated"),
        (SubnetType::Private, "private"),
        (SubnetType::Public, "public"),
    ] {
        let of_kind: Vec<_> = symmetric.iter().filter(|g| g.0 == kind).collect();
        let ids: Vec<&str> = of_kind
            .iter()
            .flat_map(|g| g.2.iter().map(|s| s.subnet_id.as_str()))
            .collect();
        let names: Vec<&str> = of_kind.iter().map(|g| g.1.as_str()).collect();
        let tables: Vec<&str> = of_kind
            .iter()
            .flat_map(|g| g.2.iter().map(|s| s.route_table_id.as_str()))
            .collect();
        for (suffix, list) in [
            ("SubnetIds", ids),
            ("SubnetNames", names),
            ("SubnetRouteTableIds", tables),
        ] {
            if !list.is_empty() {
                out.insert(format!("{prefix}{suffix}"), json!(list));
            }
        }
    }
    if let Some(id) = vpn_gateway_id {
        out.insert("vpnGatewayId".into(), json!(id));
    }
    if let Some(groups) = subnet_groups {
        out.insert("subnetGroups".into(), groups);
    }
    // JSON.stringify drops undefined fields: so do we.
    out.retain(|_, v| !v.is_null());
    Ok(Value::Object(out))
}

/// The distinct keys of missing entries, sorted.
pub fn keys_of(missing: &[crate::assembly::MissingContext]) -> BTreeSet<String> {
    missing.iter().map(|m| m.key.clone()).collect()
}
