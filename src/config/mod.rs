//! Configuration: the config file, themes and keymaps, each an embedded
//! preset that a user file can override. Everything is loaded and validated
//! before the terminal is touched, so a broken file is a clear message.

pub mod audit;
pub mod keymap;
pub mod keys;
pub(crate) mod limits;
mod load;
mod paths;
pub mod theme;

pub use keymap::{Command, Keymap, Mode};
pub use load::{read_toml, ConfigError};
pub use paths::Paths;
pub use theme::Theme;

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Theme preset name (dark, light, high-contrast), a theme in
    /// `<config>/themes/NAME.toml`, or a path.
    pub theme: String,
    /// Keymap preset name (default, arrows) or a path; `<config>/keymap.toml`
    /// is applied on top when it exists.
    pub keymap: String,
    pub read_only: bool,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub poll: PollConfig,
    pub safety: SafetyConfig,
    pub display: DisplayConfig,
    pub dlq: DlqConfig,
    pub alarms: AlarmsConfig,
    pub insights: InsightsConfig,
    pub athena: AthenaConfig,
    pub audit: AuditConfig,
    /// Calls per second pipedeck allows itself, by `service` or
    /// `service:Operation`, over its defaults (published quotas where AWS
    /// has them, its own otherwise; `pipedeck info` lists them).
    #[serde(deserialize_with = "limits::budget")]
    pub budget: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InsightsConfig {
    /// Dollars per GB scanned, for the cost estimate (Logs Insights: 0.005).
    #[serde(deserialize_with = "limits::cost_per_gb")]
    pub cost_per_gb: f64,
    /// Where the triage key (`t` on a Glue run) looks for the run's logs.
    pub glue: GlueLogs,
    /// Where `E` proposes to write exports (default: the Downloads
    /// directory, else `exports` in pipedeck's data directory,
    /// `~/.local/share/pipedeck/exports`).
    pub export_dir: Option<String>,
}

impl Default for InsightsConfig {
    fn default() -> Self {
        Self {
            cost_per_gb: 0.005,
            glue: Default::default(),
            export_dir: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AthenaConfig {
    /// The work group queries run in until another is chosen (`p`).
    pub workgroup: String,
    /// The data catalog unqualified names are read from.
    pub catalog: String,
    /// The database unqualified tables are read from (`:database NAME`).
    pub database: Option<String>,
    /// Result reuse: a query whose same text ran within this many minutes
    /// is answered from that result, without scanning (0: off; at most
    /// 10080, seven days).
    #[serde(deserialize_with = "limits::reuse_minutes")]
    pub reuse_max_age_minutes: i32,
    /// Where results go for a work group that names no result location
    /// (`s3://bucket/prefix/`; Athena refuses a query with none).
    pub output_location: Option<String>,
    /// Dollars per TB scanned, for the cost shown ($5 in most Regions).
    #[serde(deserialize_with = "limits::usd_per_tb")]
    pub usd_per_tb: f64,
    /// Ask before a run that reads a partitioned table with no predicate
    /// on any of its partition keys.
    pub warn_full_scan: bool,
    /// Ask before a run in a work group without a scan limit.
    pub warn_no_scan_limit: bool,
    /// The work groups `snapshot` reports on (empty: every one).
    pub workgroups: Vec<String>,
}

impl Default for AthenaConfig {
    fn default() -> Self {
        Self {
            workgroup: "primary".into(),
            catalog: "AwsDataCatalog".into(),
            database: None,
            reuse_max_age_minutes: 0,
            output_location: None,
            usd_per_tb: 5.0,
            warn_full_scan: true,
            warn_no_scan_limit: true,
            workgroups: Vec::new(),
        }
    }
}

/// `[audit]`: the pipelines' own run records in DynamoDB.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// A RUNNING record older than this many minutes is "stuck?" (0:
    /// three times its pipeline's median duration).
    pub stuck_after_minutes: u64,
    /// Where only a Scan would do (no status index), at most this many
    /// pages of 1 MB.
    pub scan_pages: usize,
    /// Pipelines the pipelines view always lists (besides those its reads
    /// saw in the last 7 days).
    pub pipelines: Vec<String>,
    /// How many of each pipeline's runs the pipelines view reads (1–100).
    #[serde(deserialize_with = "limits::last_runs")]
    pub last_runs: usize,
    /// One entry per table: `[[audit.tables]]`.
    pub tables: Vec<audit::TableMapping>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self {
            stuck_after_minutes: 0,
            scan_pages: 4,
            pipelines: Vec::new(),
            last_runs: 10,
            tables: Vec::new(),
        }
    }
}

impl AuditConfig {
    pub fn stuck_after(&self) -> Option<Duration> {
        (self.stuck_after_minutes > 0).then(|| Duration::from_secs(self.stuck_after_minutes * 60))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlarmsConfig {
    /// Ring the terminal bell once when an alarm newly enters ALARM.
    pub bell: bool,
    /// How long `z` snoozes an alarm (local only: hidden from the header
    /// count, nothing changes in AWS).
    #[serde(deserialize_with = "limits::snooze_minutes")]
    pub snooze_minutes: i64,
}

impl Default for AlarmsConfig {
    fn default() -> Self {
        Self {
            bell: true,
            snooze_minutes: 60,
        }
    }
}

/// Dead-letter queues.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DlqConfig {
    /// DLQs no RedrivePolicy points at (fed by SNS, Lambda, EventBridge):
    /// names, URLs or ARNs.
    pub queues: Vec<String>,
    /// Messages a peek reads (each read counts as a receive).
    #[serde(deserialize_with = "limits::peek_max")]
    pub peek_max: usize,
}

impl Default for DlqConfig {
    fn default() -> Self {
        Self {
            queues: Vec::new(),
            peek_max: 10,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            theme: "dark".into(),
            keymap: "default".into(),
            read_only: false,
            profile: None,
            region: None,
            poll: PollConfig::default(),
            safety: SafetyConfig::default(),
            display: DisplayConfig::default(),
            dlq: DlqConfig::default(),
            alarms: AlarmsConfig::default(),
            insights: InsightsConfig::default(),
            athena: AthenaConfig::default(),
            audit: AuditConfig::default(),
            budget: Default::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PollConfig {
    /// Glue job list (GetJobs + GetJobRuns per job).
    #[serde(deserialize_with = "limits::glue_secs")]
    pub glue_secs: u64,
    /// A Glue job whose latest run ended in the last hour is read again
    /// this often (one with a run going: every `glue_secs`).
    #[serde(deserialize_with = "limits::glue_recent_secs")]
    pub glue_recent_secs: u64,
    /// A Glue job with nothing going on for an hour is read this often:
    /// how soon a run started outside pipedeck shows.
    #[serde(deserialize_with = "limits::glue_idle_secs")]
    pub glue_idle_secs: u64,
    /// Runs of the job that is open.
    #[serde(deserialize_with = "limits::glue_runs_secs")]
    pub glue_runs_secs: u64,
    /// EMR clusters (ListClusters + ListSteps per cluster).
    #[serde(deserialize_with = "limits::emr_secs")]
    pub emr_secs: u64,
    /// Steps of the cluster that is open.
    #[serde(deserialize_with = "limits::emr_steps_secs")]
    pub emr_steps_secs: u64,
    /// Caller identity (STS), also how fast a fixed login is noticed.
    #[serde(deserialize_with = "limits::identity_secs")]
    pub identity_secs: u64,
    /// DLQ discovery and counts (ListQueues + GetQueueAttributes per queue).
    #[serde(deserialize_with = "limits::dlq_secs")]
    pub dlq_secs: u64,
    /// DLQ depth history and oldest age from CloudWatch (GetMetricData).
    #[serde(deserialize_with = "limits::dlq_metrics_secs")]
    pub dlq_metrics_secs: u64,
    /// CloudWatch alarms (DescribeAlarms, every page); polled even while the
    /// pane is hidden, for the header's `ALARM n`.
    #[serde(deserialize_with = "limits::alarms_secs")]
    pub alarms_secs: u64,
    /// The open alarm's chart and history.
    #[serde(deserialize_with = "limits::alarm_detail_secs")]
    pub alarm_detail_secs: u64,
    /// A running Logs Insights query (GetQueryResults).
    #[serde(deserialize_with = "limits::insights_secs")]
    pub insights_secs: u64,
    /// A DLQ whose redrive is running (GetQueueAttributes +
    /// ListMessageMoveTasks for that queue only).
    #[serde(deserialize_with = "limits::redrive_secs")]
    pub redrive_secs: u64,
    /// Hidden panes poll this many times slower.
    #[serde(deserialize_with = "limits::hidden_factor")]
    pub hidden_factor: u32,
    /// Backoff on throttling and errors doubles up to this.
    #[serde(deserialize_with = "limits::max_backoff_secs")]
    pub max_backoff_secs: u64,
}

impl Default for PollConfig {
    fn default() -> Self {
        Self {
            glue_secs: 30,
            glue_runs_secs: 15,
            glue_recent_secs: 60,
            glue_idle_secs: 300,
            emr_secs: 60,
            emr_steps_secs: 20,
            identity_secs: 300,
            dlq_secs: 20,
            dlq_metrics_secs: 120,
            redrive_secs: 3,
            alarms_secs: 30,
            alarm_detail_secs: 60,
            insights_secs: 1,
            hidden_factor: 4,
            max_backoff_secs: 300,
        }
    }
}

impl PollConfig {
    pub fn secs(s: u64) -> Duration {
        Duration::from_secs(s.max(1))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SafetyConfig {
    /// Actions (by journal name) that need the resource name typed, not just `y`.
    pub typed_confirm: Vec<String>,
}

impl Default for SafetyConfig {
    fn default() -> Self {
        Self {
            typed_confirm: vec![
                "glue.stop_runs".into(),
                "emr.cancel_steps".into(),
                "sqs.purge".into(),
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisplayConfig {
    /// Show absolute times in UTC instead of local time.
    pub utc: bool,
    /// Copy to the desktop clipboard (X11, Wayland via XWayland, macOS,
    /// Windows) instead of OSC 52; OSC 52 is still used without a display.
    pub system_clipboard: bool,
}

/// What the command line asked for; `None` defers to the config file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub theme: Option<String>,
    pub keymap: Option<String>,
    pub read_only: bool,
}

/// Config, theme and keymap, loaded and validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub theme: Theme,
    pub keymap: Keymap,
    pub config_file: Option<PathBuf>,
}

pub fn load(paths: &Paths, o: &Overrides) -> Result<Loaded, ConfigError> {
    let config_file = o
        .config_file
        .clone()
        .or_else(|| Some(paths.config_file.clone()).filter(|p| p.exists()));
    let mut config: Config = match &config_file {
        Some(p) => read_toml(p)?,
        None => Config::default(),
    };
    config.read_only |= o.read_only;
    let origin = config_file
        .clone()
        .unwrap_or_else(|| PathBuf::from("--theme/--keymap"));
    let theme = resolve_theme(paths, o.theme.as_deref().unwrap_or(&config.theme), &origin)?;
    let mut keymap = resolve_keymap(o.keymap.as_deref().unwrap_or(&config.keymap), &origin)?;
    if paths.keymap_file.exists() {
        let text = std::fs::read_to_string(&paths.keymap_file)
            .map_err(|e| ConfigError::io(&paths.keymap_file, e))?;
        keymap = keymap.overlay(Keymap::parse(&text, &paths.keymap_file)?);
    }
    Ok(Loaded {
        config,
        theme,
        keymap,
        config_file,
    })
}

fn resolve_theme(paths: &Paths, name: &str, origin: &Path) -> Result<Theme, ConfigError> {
    if let Some(t) = Theme::preset(name) {
        return Ok(t);
    }
    let user = paths.themes_dir.join(format!("{name}.toml"));
    let path = if user.exists() {
        user
    } else {
        PathBuf::from(name)
    };
    if !path.exists() {
        let names: Vec<_> = theme::PRESETS.iter().map(|(n, _)| *n).collect();
        let found = user_themes(&paths.themes_dir);
        let there = if found.is_empty() {
            "none there".to_string()
        } else {
            format!("found: {}", found.join(", "))
        };
        return Err(ConfigError::other(
            origin,
            format!(
                "theme '{name}' is not a preset ({}), not a theme in {} ({there}), and not a file",
                names.join(", "),
                paths.themes_dir.display()
            ),
        ));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::io(&path, e))?;
    Theme::parse(&text, &path)
}

/// The names of the themes in the themes folder (`NAME.toml`), sorted.
fn user_themes(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

fn resolve_keymap(name: &str, origin: &Path) -> Result<Keymap, ConfigError> {
    if let Some(k) = Keymap::preset(name) {
        return Ok(k);
    }
    let path = PathBuf::from(name);
    if !path.exists() {
        let names: Vec<_> = keymap::PRESETS.iter().map(|(n, _)| *n).collect();
        return Err(ConfigError::other(
            origin,
            format!(
                "keymap '{name}' is neither a preset ({}) nor a file",
                names.join(", ")
            ),
        ));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::io(&path, e))?;
    // A full keymap file replaces the preset; start from default so that
    // commands it leaves out stay usable.
    Ok(Keymap::preset("default")
        .expect("default keymap")
        .overlay(Keymap::parse(&text, &path)?))
}

/// `[insights.glue]` in the config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GlueLogs {
    /// Where Glue writes a run's `error` and `output` groups when the run
    /// reports no LogGroupName (and no `--custom-logGroup-prefix`).
    pub default_prefix: String,
    /// Appended to that prefix (the default, the run's LogGroupName or its
    /// custom prefix).
    pub suffixes: Vec<String>,
    /// Glue 4.0 and earlier: the continuous-logging group when the job sets
    /// no `--continuous-log-logGroup` (a security configuration appends
    /// `-<its name>`). It is not under the prefix.
    pub continuous_group: String,
    /// Minutes searched before the start and after the end of the run.
    #[serde(deserialize_with = "limits::margin_minutes")]
    pub margin_minutes: i64,
}

impl Default for GlueLogs {
    fn default() -> Self {
        Self {
            default_prefix: "/aws-glue/jobs".into(),
            suffixes: vec!["/error".into(), "/output".into()],
            continuous_group: "/aws-glue/jobs/logs-v2".into(),
            margin_minutes: 5,
        }
    }
}
