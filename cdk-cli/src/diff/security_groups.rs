//! Security group rule changes between two templates.
//!
//! Rules come from `AWS::EC2::SecurityGroup` (`SecurityGroupIngress` / `SecurityGroupEgress`
//! lists, group = `${Id.GroupId}`) and from standalone `AWS::EC2::SecurityGroupIngress` /
//! `AWS::EC2::SecurityGroupEgress` resources (group = their `GroupId`). The two templates' rules
//! are compared as multisets of rendered rules.

use serde_json::{Map, Value};

use super::iam::multiset_diff;
use super::render::{as_list, render};

/// Traffic direction of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Ingress.
    In,
    /// Egress.
    Out,
}

/// One security group rule, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SecurityGroupRule {
    /// The group the rule belongs to, e.g. `${WebSg.GroupId}`.
    pub group: String,
    /// Ingress or egress.
    pub direction: Direction,
    /// `Everything`, `TCP 443`, `UDP 1000-2000`, `ICMP 8-0`, ...
    pub protocol: String,
    /// The peer: a CIDR, a security group or a prefix list.
    pub peer: String,
}

/// Security group changes between two templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityGroupChanges {
    /// Rules present only in the new template.
    pub added: Vec<SecurityGroupRule>,
    /// Rules present only in the old template.
    pub removed: Vec<SecurityGroupRule>,
}

impl SecurityGroupChanges {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// Whether the change widens network access (any added rule).
    pub fn is_broadening(&self) -> bool {
        !self.added.is_empty()
    }
}

/// Compares the security group rules of two templates.
pub fn diff_security_groups(old: &Value, new: &Value) -> SecurityGroupChanges {
    let (added, removed) = multiset_diff(extract(old), extract(new));
    SecurityGroupChanges { added, removed }
}

/// All security group rules of a template.
pub fn extract(template: &Value) -> Vec<SecurityGroupRule> {
    let mut rules = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return rules;
    };
    let empty = Map::new();
    for (logical_id, resource) in resources {
        let props = resource
            .get("Properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        match resource.get("Type").and_then(Value::as_str) {
            Some("AWS::EC2::SecurityGroup") => {
                let group = format!("${{{logical_id}.GroupId}}");
                for (key, direction) in [
                    ("SecurityGroupIngress", Direction::In),
                    ("SecurityGroupEgress", Direction::Out),
                ] {
                    for rule in as_list(props.get(key)) {
                        if let Some(rule) = rule.as_object() {
                            rules.push(to_rule(group.clone(), direction, rule));
                        }
                    }
                }
            }
            Some(t @ ("AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress")) => {
                let direction = if t.ends_with("Ingress") {
                    Direction::In
                } else {
                    Direction::Out
                };
                let group = props
                    .get("GroupId")
                    .or_else(|| props.get("GroupName"))
                    .map(render)
                    .unwrap_or_default();
                rules.push(to_rule(group, direction, props));
            }
            _ => {}
        }
    }
    rules
}

fn to_rule(group: String, direction: Direction, rule: &Map<String, Value>) -> SecurityGroupRule {
    SecurityGroupRule {
        group,
        direction,
        protocol: protocol(rule),
        peer: peer(rule),
    }
}

fn protocol(rule: &Map<String, Value>) -> String {
    let proto = rule.get("IpProtocol").map(render).unwrap_or_default();
    let from = rule.get("FromPort").map(render);
    let to = rule.get("ToPort").map(render);
    let name = match proto.as_str() {
        "-1" | "all" => return "Everything".into(),
        "6" => "TCP".to_string(),
        "17" => "UDP".to_string(),
        "1" => "ICMP".to_string(),
        other => other.to_uppercase(),
    };
    match (from, to) {
        (Some(f), Some(t)) if f == t => format!("{name} {f}"),
        (Some(f), Some(t)) if name != "ICMP" && f == "0" && t == "65535" => {
            format!("{name} All ports")
        }
        (Some(f), Some(t)) => format!("{name} {f}-{t}"),
        (Some(f), None) | (None, Some(f)) => format!("{name} {f}"),
        (None, None) => name,
    }
}

fn peer(rule: &Map<String, Value>) -> String {
    const PEERS: [&str; 7] = [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
        "SourceSecurityGroupName",
    ];
    PEERS
        .iter()
        .find_map(|k| rule.get(*k).map(render))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_from_group_and_standalone_resources() {
        let t = json!({"Resources": {
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
                "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]}},
            "In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 5432,
                "ToPort": 5432, "SourceSecurityGroupId": {"Fn::GetAtt": ["Other", "GroupId"]}}}}});
        let rules = extract(&t);
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].protocol, "TCP 443");
        assert_eq!(rules[1].protocol, "Everything");
        assert_eq!(rules[1].direction, Direction::Out);
        assert_eq!(rules[2].group, "${Sg.GroupId}");
        assert_eq!(rules[2].peer, "${Other.GroupId}");
    }
}
