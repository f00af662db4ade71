//! CloudWatch: [`Metric`]s (a namespace, name, dimensions, period and statistic) and
//! [`Alarm`]s on them, as aws-cdk-lib's `aws-cloudwatch` (`Metric`, `Alarm`,
//! `metric.createAlarm`). Constructs offer their metrics through `metric_*` helpers
//! (`Function::metric_errors`, `RestApi::metric_server_error`, `Table::metric_...`).
//!
//! Not here yet: math and search expressions, anomaly-detection alarms, composite alarms,
//! dashboards and alarm actions.

use std::collections::BTreeMap;
use std::time::Duration;

use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Node, PhysicalName, Resource, ResourceProps, Stack, Str,
    TokenComparison,
};

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::cloudwatch::*;
pub use cfn_alarm::{ComparisonOperator, TreatMissingData, Unit};

/// Statistics by name (aws-cdk-lib's `Stats`): the simple ones and percentiles (`p(99.0)`).
pub struct Stats;

impl Stats {
    /// `Average`.
    pub const AVERAGE: &'static str = "Average";
    /// `Sum`.
    pub const SUM: &'static str = "Sum";
    /// `Minimum`.
    pub const MINIMUM: &'static str = "Minimum";
    /// `Maximum`.
    pub const MAXIMUM: &'static str = "Maximum";
    /// `SampleCount`.
    pub const SAMPLE_COUNT: &'static str = "SampleCount";

    /// The `percentile`-th percentile (`p99`, `p99.9`).
    pub fn p(percentile: f64) -> String {
        format!("p{percentile}")
    }
}

/// A statistic as the alarm renders it: `Statistic` (simple) or `ExtendedStatistic`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ParsedStatistic {
    Simple(&'static str),
    Extended(String),
}

/// aws-cdk-lib's `parseStatistic` + `normalizeStatistic` for the simple statistics (any case,
/// and the aliases `avg`, `min`, `max`, `n`) and percentiles (`p99`); other text is kept as
/// an extended statistic (with a warning).
fn parse_statistic(stat: &str) -> (ParsedStatistic, bool) {
    let simple = match stat.to_lowercase().as_str() {
        "average" | "avg" => Some("Average"),
        "sum" => Some("Sum"),
        "minimum" | "min" => Some("Minimum"),
        "maximum" | "max" => Some("Maximum"),
        "samplecount" | "n" => Some("SampleCount"),
        _ => None,
    };
    if let Some(s) = simple {
        return (ParsedStatistic::Simple(s), true);
    }
    let lower = stat.to_lowercase();
    let known = ["p", "tm", "wm", "tc", "ts", "pr", "iqm"];
    let recognized = known.iter().any(|prefix| {
        lower.strip_prefix(prefix).is_some_and(|rest| {
            rest == "iqm"
                || (!rest.is_empty() && (rest.parse::<f64>().is_ok() || rest.starts_with('(')))
        })
    }) || lower == "iqm";
    let normalized = if recognized {
        // Percentile-style statistics are written in lower case by aws-cdk-lib.
        lower
    } else {
        stat.to_string()
    };
    (ParsedStatistic::Extended(normalized), recognized)
}

/// A number as JavaScript writes it: whole numbers without a fraction (`1`, not `1.0`).
fn js_number(n: f64) -> cdk_core::Num {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        (n as i64).into()
    } else {
        n.into()
    }
}

/// Properties of a [`Metric`] (aws-cdk-lib's `MetricProps`).
#[derive(Clone, Debug, Default)]
pub struct MetricProps {
    /// Namespace (`AWS/Lambda`).
    pub namespace: String,
    /// Metric name (`Errors`).
    pub metric_name: String,
    /// Dimensions (name → value).
    pub dimensions_map: BTreeMap<String, Str>,
    /// Aggregation period (default 5 minutes; 1, 5, 10, 30 s or a multiple of 60 s).
    pub period: Option<Duration>,
    /// Statistic (default `Average`; see [`Stats`]).
    pub statistic: Option<String>,
    /// Only data points of this unit.
    pub unit: Option<Unit>,
    /// Label (an alarm on a labelled metric renders it as a metric data query).
    pub label: Option<String>,
    /// Account of the metric (default: the stack's).
    pub account: Option<Str>,
    /// Region of the metric (default: the stack's).
    pub region: Option<Str>,
}

/// Changes to a metric (aws-cdk-lib's `MetricOptions`): what the `metric_*` helpers accept.
#[derive(Clone, Debug, Default)]
pub struct MetricOptions {
    /// Dimensions to set (merged over the helper's).
    pub dimensions_map: BTreeMap<String, Str>,
    /// Aggregation period.
    pub period: Option<Duration>,
    /// Statistic.
    pub statistic: Option<String>,
    /// Unit filter.
    pub unit: Option<Unit>,
    /// Label.
    pub label: Option<String>,
    /// Account.
    pub account: Option<Str>,
    /// Region.
    pub region: Option<Str>,
}

/// A CloudWatch metric.
///
/// ```
/// use std::time::Duration;
/// use cdk_constructs::cloudwatch::{Metric, MetricProps, Stats};
///
/// let metric = Metric::new(MetricProps {
///     namespace: "AWS/Lambda".into(),
///     metric_name: "Errors".into(),
///     statistic: Some(Stats::SUM.into()),
///     period: Some(Duration::from_secs(60)),
///     ..Default::default()
/// });
/// assert_eq!(metric.statistic(), "Sum");
/// ```
#[derive(Clone, Debug)]
pub struct Metric {
    props: MetricProps,
    statistic: ParsedStatistic,
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Metric {
    /// A metric; a bad period or dimension is reported on the alarm that uses it.
    pub fn new(props: MetricProps) -> Metric {
        let mut errors = Vec::new();
        let period = props.period.unwrap_or(Duration::from_secs(300)).as_secs();
        if !matches!(period, 1 | 5 | 10 | 30) && !period.is_multiple_of(60) {
            errors.push(format!(
                "'period' must be 1, 5, 10, 30, or a multiple of 60 seconds, received {period}"
            ));
        }
        if props.dimensions_map.len() > 30 {
            errors.push(format!(
                "The maximum number of dimensions is 30, received {}",
                props.dimensions_map.len()
            ));
        }
        for (name, value) in &props.dimensions_map {
            if name.is_empty() || name.len() > 255 {
                errors.push(format!(
                    "Dimension name must be at least 1 and no more than 255 characters; received {name}"
                ));
            }
            if value
                .literal()
                .is_some_and(|v| v.is_empty() || v.len() > 255)
            {
                errors.push(format!(
                    "Dimension value must be at least 1 and no more than 255 characters; received {:?}",
                    value.literal()
                ));
            }
        }
        let stat = props.statistic.clone().unwrap_or_else(|| "Average".into());
        let (statistic, recognized) = parse_statistic(&stat);
        let mut warnings = Vec::new();
        if !recognized {
            warnings.push(format!(
                "Unrecognized statistic \"{stat}\" for metric with namespace \"{}\" and metric name \"{}\". Preferably use the `aws_cloudwatch.Stats` helper class to specify a statistic. You can ignore this warning if your statistic is valid but not yet supported by the `aws_cloudwatch.Stats` helper class.",
                props.namespace, props.metric_name
            ));
        }
        Metric {
            props,
            statistic,
            errors,
            warnings,
        }
    }

    /// This metric with `options` applied (aws-cdk-lib's `metric.with`).
    pub fn with(&self, options: MetricOptions) -> Metric {
        let mut props = self.props.clone();
        props.dimensions_map.extend(options.dimensions_map);
        if options.period.is_some() {
            props.period = options.period;
        }
        if options.statistic.is_some() {
            props.statistic = options.statistic;
        }
        if options.unit.is_some() {
            props.unit = options.unit;
        }
        if options.label.is_some() {
            props.label = options.label;
        }
        if options.account.is_some() {
            props.account = options.account;
        }
        if options.region.is_some() {
            props.region = options.region;
        }
        Metric::new(props)
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.props.namespace
    }

    /// The metric name.
    pub fn metric_name(&self) -> &str {
        &self.props.metric_name
    }

    /// The dimensions.
    pub fn dimensions(&self) -> &BTreeMap<String, Str> {
        &self.props.dimensions_map
    }

    /// The period (default 5 minutes).
    pub fn period(&self) -> Duration {
        self.props.period.unwrap_or(Duration::from_secs(300))
    }

    /// The normalized statistic (`Average`, `Sum`, `p99`).
    pub fn statistic(&self) -> &str {
        match &self.statistic {
            ParsedStatistic::Simple(s) => s,
            ParsedStatistic::Extended(s) => s,
        }
    }

    /// An alarm `id` on this metric under `scope` (aws-cdk-lib's `metric.createAlarm`).
    pub fn create_alarm(
        &self,
        scope: &impl IConstruct,
        id: &str,
        options: CreateAlarmOptions,
    ) -> Alarm {
        Alarm::new(
            scope,
            id,
            AlarmProps {
                metric: self.clone(),
                options,
            },
        )
    }
}

impl std::fmt::Display for Metric {
    /// aws-cdk-lib's `Metric.toString` (used in alarm annotations).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}",
            self.props
                .label
                .clone()
                .unwrap_or_else(|| self.props.metric_name.clone())
        )
    }
}

/// Options of an alarm on a given metric (aws-cdk-lib's `CreateAlarmOptions`).
#[derive(Clone, Debug)]
pub struct CreateAlarmOptions {
    /// The value the statistic is compared with.
    pub threshold: f64,
    /// How many periods are evaluated.
    pub evaluation_periods: u32,
    /// How the statistic is compared (default `GreaterThanOrEqualToThreshold`).
    pub comparison_operator: Option<ComparisonOperator>,
    /// How many of the evaluated data points must breach (default: all of them).
    pub datapoints_to_alarm: Option<u32>,
    /// How missing data counts (default: CloudWatch's, `missing`).
    pub treat_missing_data: Option<TreatMissingData>,
    /// Physical name (default: generated by CloudFormation).
    pub alarm_name: Option<PhysicalName>,
    /// Description.
    pub alarm_description: Option<Str>,
    /// Whether actions run (default: CloudWatch's, yes).
    pub actions_enabled: Option<bool>,
    /// `evaluate` or `ignore` for percentiles with few samples.
    pub evaluate_low_sample_count_percentile: Option<String>,
}

impl CreateAlarmOptions {
    /// Options with the two required values and defaults elsewhere.
    pub fn new(threshold: f64, evaluation_periods: u32) -> Self {
        CreateAlarmOptions {
            threshold,
            evaluation_periods,
            comparison_operator: None,
            datapoints_to_alarm: None,
            treat_missing_data: None,
            alarm_name: None,
            alarm_description: None,
            actions_enabled: None,
            evaluate_low_sample_count_percentile: None,
        }
    }
}

/// Properties of an [`Alarm`].
#[derive(Clone, Debug)]
pub struct AlarmProps {
    /// The metric.
    pub metric: Metric,
    /// Threshold, periods and the rest.
    pub options: CreateAlarmOptions,
}

impl AlarmProps {
    /// An alarm on `metric` crossing `threshold` for `evaluation_periods` periods.
    pub fn new(metric: Metric, threshold: f64, evaluation_periods: u32) -> Self {
        AlarmProps {
            metric,
            options: CreateAlarmOptions::new(threshold, evaluation_periods),
        }
    }
}

/// A CloudWatch alarm: created ([`Alarm`]) or imported ([`Alarm::from_alarm_arn`]).
pub trait IAlarm: IConstruct {
    /// The alarm's ARN.
    fn alarm_arn(&self) -> Str;
    /// The alarm's name.
    fn alarm_name(&self) -> Str;
}

/// A CloudWatch alarm (`AWS::CloudWatch::Alarm`) on a metric.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::cloudwatch::{Alarm, AlarmProps, Metric, MetricProps, Stats};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Monitoring", StackProps::default());
/// let errors = Metric::new(MetricProps {
///     namespace: "AWS/ApiGateway".into(),
///     metric_name: "5XXError".into(),
///     statistic: Some(Stats::SUM.into()),
///     ..Default::default()
/// });
/// let alarm = Alarm::new(&stack, "ServerErrors", AlarmProps::new(errors, 1.0, 1));
/// let _name = alarm.alarm_name();
/// ```
#[derive(Clone)]
pub struct Alarm {
    base: Resource,
    resource: CfnAlarm,
    metric: Metric,
}

impl IConstruct for Alarm {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Alarm {
    /// Defines an alarm `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: AlarmProps) -> Self {
        let o = props.options;
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.cloudwatch.Alarm",
            ResourceProps {
                physical_name: o.alarm_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        let metric = props.metric;
        for e in &metric.errors {
            node.add_error(e);
        }
        for w in &metric.warnings {
            node.add_warning(w);
        }
        let stack = Stack::of(&node);
        if let (Some(region), Some(stack)) = (&metric.props.region, &stack) {
            if region.compare(&stack.region()) == TokenComparison::Different {
                node.add_error(&format!(
                    "Cannot create an Alarm in region '{}' based on metric '{metric}' in '{}'",
                    stack.region().literal().unwrap_or_default(),
                    region.literal().unwrap_or_default()
                ));
            }
        }
        let requires_account = match (&metric.props.account, &stack) {
            (Some(account), Some(stack)) => {
                account.compare(&stack.account()) != TokenComparison::Same
            }
            _ => false,
        };
        let dimensions = (!metric.props.dimensions_map.is_empty()).then(|| {
            metric
                .props
                .dimensions_map
                .iter()
                .map(|(k, v)| cfn_alarm::DimensionProperty {
                    name: k.as_str().into(),
                    value: v.clone(),
                })
                .collect::<Vec<_>>()
        });
        let period = metric.period().as_secs();
        let mut props = CfnAlarmProps {
            alarm_description: o.alarm_description.clone(),
            alarm_name: base.physical_name(),
            comparison_operator: Some(
                o.comparison_operator
                    .clone()
                    .unwrap_or(ComparisonOperator::GreaterThanOrEqualToThreshold),
            ),
            threshold: Some(js_number(o.threshold)),
            datapoints_to_alarm: o.datapoints_to_alarm.map(Into::into),
            evaluate_low_sample_count_percentile: o
                .evaluate_low_sample_count_percentile
                .as_deref()
                .map(Str::from),
            evaluation_periods: Some(o.evaluation_periods.into()),
            treat_missing_data: o.treat_missing_data.clone(),
            actions_enabled: o.actions_enabled.map(Into::into),
            ..CfnAlarmProps::default()
        };
        if metric.props.label.is_none() && !requires_account {
            props.dimensions = dimensions;
            props.namespace = Some(metric.props.namespace.as_str().into());
            props.metric_name = Some(metric.props.metric_name.as_str().into());
            props.period = Some(period.into());
            match &metric.statistic {
                ParsedStatistic::Simple(s) => props.statistic = Some((*s).into()),
                ParsedStatistic::Extended(s) => props.extended_statistic = Some(s.as_str().into()),
            }
            props.unit = metric.props.unit.clone();
        } else {
            props.metrics = Some(vec![cfn_alarm::MetricDataQueryProperty {
                metric_stat: Some(cfn_alarm::MetricStatProperty {
                    metric: cfn_alarm::MetricProperty {
                        metric_name: Some(metric.props.metric_name.as_str().into()),
                        namespace: Some(metric.props.namespace.as_str().into()),
                        dimensions,
                    },
                    period: period.into(),
                    stat: metric.statistic().into(),
                    unit: metric
                        .props
                        .unit
                        .as_ref()
                        .and_then(|u| u.as_str())
                        .map(cfn_alarm::MetricStatUnit::from),
                }),
                account_id: requires_account
                    .then(|| metric.props.account.clone())
                    .flatten(),
                label: metric.props.label.as_deref().map(Str::from),
                return_data: Some(true.into()),
                ..cfn_alarm::MetricDataQueryProperty::new("m1")
            }]);
        }
        let resource = CfnAlarm::new(&base, "Resource", props);
        Alarm {
            base,
            resource,
            metric,
        }
    }

    /// An existing alarm by ARN.
    pub fn from_alarm_arn(scope: &impl IConstruct, id: &str, arn: impl Into<Str>) -> ImportedAlarm {
        let arn: Str = arn.into();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.cloudwatch.ImportedAlarm",
            ResourceProps {
                environment_from_arn: Some(arn.clone()),
                ..Default::default()
            },
        );
        let name = Stack::of(&base)
            .and_then(|s| {
                s.split_arn(arn.clone(), ArnFormat::ColonResourceName)
                    .resource_name
            })
            .unwrap_or_default();
        ImportedAlarm { base, arn, name }
    }

    /// An existing alarm of the stack's account and region by name.
    pub fn from_alarm_name(scope: &impl IConstruct, id: &str, name: &str) -> ImportedAlarm {
        let arn = match Stack::of(scope) {
            Some(s) => s.format_arn(
                ArnComponents::new("cloudwatch", "alarm")
                    .with_name(name)
                    .with_format(ArnFormat::ColonResourceName),
            ),
            None => Str::from(name),
        };
        Self::from_alarm_arn(scope, id, arn)
    }

    /// The alarm's ARN.
    pub fn alarm_arn(&self) -> Str {
        self.base.arn_attribute(
            self.resource.attr_arn(),
            ArnComponents::new("cloudwatch", "alarm")
                .with_name(self.base.physical_name().unwrap_or_default())
                .with_format(ArnFormat::ColonResourceName),
        )
    }

    /// The alarm's name (`Ref`).
    pub fn alarm_name(&self) -> Str {
        self.base.name_attribute(self.resource.ref_())
    }

    /// The metric the alarm watches.
    pub fn metric(&self) -> &Metric {
        &self.metric
    }

    /// The underlying `AWS::CloudWatch::Alarm`.
    pub fn cfn(&self) -> &CfnAlarm {
        &self.resource
    }
}

impl IAlarm for Alarm {
    fn alarm_arn(&self) -> Str {
        Alarm::alarm_arn(self)
    }
    fn alarm_name(&self) -> Str {
        Alarm::alarm_name(self)
    }
}

/// An alarm defined outside this app ([`Alarm::from_alarm_arn`]).
#[derive(Clone)]
pub struct ImportedAlarm {
    base: Resource,
    arn: Str,
    name: Str,
}

impl IConstruct for ImportedAlarm {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IAlarm for ImportedAlarm {
    fn alarm_arn(&self) -> Str {
        self.arn.clone()
    }
    fn alarm_name(&self) -> Str {
        self.name.clone()
    }
}
