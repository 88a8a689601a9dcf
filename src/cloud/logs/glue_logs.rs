//! Where a Glue run writes its logs, as the AWS Glue developer guide says
//! (no emulator answers this; the rules below are the documentation's):
//!
//! - "Logging for AWS Glue jobs" (Glue 5.0): `/aws-glue/jobs/error` and
//!   `/aws-glue/jobs/output` only — no continuous-logging group;
//!   `--custom-logGroup-prefix` replaces `/aws-glue/jobs`; streams are
//!   `<run id>-driver` and `<run id>-<executor>`, and
//!   `--custom-logStream-prefix` replaces the run id in them.
//! - "Enabling continuous logging for AWS Glue 4.0 and earlier jobs": the
//!   continuous group is `/aws-glue/jobs/logs-v2`, or
//!   `--continuous-log-logGroup`; with a security configuration it is
//!   `<that group>-<security configuration name>`;
//!   `--continuous-log-logStreamPrefix` replaces the run id in stream
//!   names.
//! - GetJobRun's LogGroupName: the prefix of the run's `error` and
//!   `output` groups (`/aws-glue/jobs-<role>-<security configuration>/`
//!   when the security configuration encrypts them).

use crate::cloud::JobRun;
use crate::config::GlueLogs;

/// Glue 5.0: moves the `error` and `output` groups.
pub const CUSTOM_GROUP_PREFIX: &str = "--custom-logGroup-prefix";
/// Glue 5.0: replaces the run id in stream names.
pub const CUSTOM_STREAM_PREFIX: &str = "--custom-logStream-prefix";
/// Glue 4.0 and earlier: the continuous-logging group.
pub const CONTINUOUS_GROUP: &str = "--continuous-log-logGroup";
/// Glue 4.0 and earlier: replaces the run id in continuous streams' names.
pub const CONTINUOUS_STREAM_PREFIX: &str = "--continuous-log-logStreamPrefix";

/// Where one run's lines are.
#[derive(Debug, Clone, PartialEq)]
pub struct RunLogs {
    /// Every group the run may have written to.
    pub groups: Vec<String>,
    /// Glue's default `error`/`output` groups, tried when none of `groups`
    /// exists (a prefix never written to); empty when they are in `groups`.
    pub fallback: Vec<String>,
    /// The job argument, and its value, that replaced the run id in stream
    /// names: then the run's streams cannot be told from other runs'.
    pub stream_prefix: Option<(&'static str, String)>,
}

/// Glue 5.0 or later ("5.0", "5.1"…); an unknown version is read with the
/// rules of 4.0 and earlier, which is what Glue ran before 5.0.
pub fn is_glue5(version: Option<&str>) -> bool {
    version
        .and_then(|v| v.trim().split('.').next()?.parse::<u32>().ok())
        .is_some_and(|major| major >= 5)
}

/// A group name or prefix as Glue joins it: no trailing slash (the docs
/// write `/aws-glue/jobs/logs-v2/` and `/aws-glue/jobs/` both ways).
fn clean(name: &str) -> Option<&str> {
    Some(name.trim().trim_end_matches('/')).filter(|n| !n.is_empty())
}

pub fn where_glue_writes(run: &JobRun, cfg: &GlueLogs) -> RunLogs {
    let glue5 = is_glue5(run.glue_version.as_deref());
    let under = |prefix: &str| -> Vec<String> {
        cfg.suffixes
            .iter()
            // "error" and "/error" both mean the group under the prefix.
            .map(|s| format!("{prefix}/{}", s.trim_start_matches('/')))
            .collect()
    };
    // Group rules follow each version's documentation strictly: a group
    // that exists but is not the run's would be scanned (and billed) for
    // nothing.
    let custom = glue5
        .then(|| run.argument(CUSTOM_GROUP_PREFIX).and_then(clean))
        .flatten();
    let reported = run.log_group_name.as_deref().and_then(clean);
    let prefix = custom.or(reported);
    let defaults = under(clean(&cfg.default_prefix).unwrap_or("/aws-glue/jobs"));
    let mut groups = prefix.map(under).unwrap_or_else(|| defaults.clone());
    if !glue5 {
        let group = run
            .argument(CONTINUOUS_GROUP)
            .and_then(clean)
            .or_else(|| clean(&cfg.continuous_group));
        let security = run.security_configuration.as_deref().map(str::trim);
        match (group, security.filter(|s| !s.is_empty())) {
            (Some(g), Some(sc)) => groups.push(format!("{g}-{sc}")),
            (Some(g), None) => groups.push(g.to_string()),
            (None, _) => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    groups.retain(|g| seen.insert(g.clone()));
    let mut fallback = defaults;
    fallback.retain(|g| !groups.contains(g));
    // Stream prefixes are read under either version's name: a wider stream
    // filter never hides the run's lines, a missed prefix would.
    let keys = if glue5 {
        [CUSTOM_STREAM_PREFIX, CONTINUOUS_STREAM_PREFIX]
    } else {
        [CONTINUOUS_STREAM_PREFIX, CUSTOM_STREAM_PREFIX]
    };
    let stream_prefix = keys
        .into_iter()
        .find_map(|k| run.argument(k).map(|v| (k, v.to_string())));
    RunLogs {
        groups,
        fallback,
        stream_prefix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_glue5(Some("5.0")) && is_glue5(Some("5.1")) && is_glue5(Some("6.0")));
        assert!(!is_glue5(Some("4.0")) && !is_glue5(Some("0.9")) && !is_glue5(None));
        assert!(!is_glue5(Some("latest")));
    }

    #[test]
    fn trailing_slashes_and_blanks_do_not_count() {
        assert_eq!(
            clean("/aws-glue/jobs-role-sc/"),
            Some("/aws-glue/jobs-role-sc")
        );
        assert_eq!(clean("  "), None);
    }
}
