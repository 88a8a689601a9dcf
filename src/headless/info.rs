//! `pipedeck info`: what pipedeck uses and where, like `k9s info`.

use crate::cloud::{Cloud, ConnInfo};
use crate::config::{Loaded, Paths};
use std::time::Duration;

/// `region_source` says where the region the console uses came from.
pub async fn info(
    paths: &Paths,
    loaded: &Loaded,
    conn: &ConnInfo,
    region_source: &str,
    cloud: &dyn Cloud,
) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<14} {v}\n"));
    line("version", env!("CARGO_PKG_VERSION").to_string());
    line(
        "config",
        match &loaded.config_file {
            Some(p) => p.display().to_string(),
            None => format!(
                "{} (not present; defaults in use)",
                paths.config_file.display()
            ),
        },
    );
    line(
        "themes",
        format!(
            "{} (active: {})",
            paths.themes_dir.display(),
            loaded.theme.name
        ),
    );
    line(
        "keymap",
        format!(
            "{} (active: {})",
            paths.keymap_file.display(),
            loaded.keymap.name
        ),
    );
    line("journal", paths.journal_file.display().to_string());
    line("log", paths.log_file.display().to_string());
    line(
        "exports",
        format!(
            "{} (where E in Insights proposes to write)",
            crate::startup::export_dir_for(&loaded.config.insights, paths)
        ),
    );
    line("profile", conn.profile.clone());
    // The region every call uses, decided before any call (see
    // `startup::cloud`): the header shows the same.
    line("region", format!("{} ({region_source})", conn.region));
    let identity = tokio::time::timeout(Duration::from_secs(15), cloud.identity()).await;
    line(
        "endpoint",
        conn.endpoint
            .clone()
            .unwrap_or_else(|| "(AWS default)".into()),
    );
    line("read-only", loaded.config.read_only.to_string());
    let who = match identity {
        Ok(Ok(id)) => format!(
            "{} (account {})",
            id.arn.unwrap_or_else(|| "?".into()),
            id.account.unwrap_or_else(|| "?".into())
        ),
        Ok(Err(e)) => format!("unavailable: {e}"),
        Err(_) => "unavailable: timed out".into(),
    };
    line("identity", who);
    if conn.env_keys_set_aside {
        line(
            "credentials",
            format!(
                "profile '{}'; AWS_ACCESS_KEY_ID in the environment set aside",
                conn.profile
            ),
        );
    }
    // The rate budget pipedeck keeps (published quotas, or its own).
    let overrides = &loaded.config.budget;
    for q in crate::cloud::aws::budget::DEFAULT_QUOTAS {
        let (rate, whose) = match overrides.get(q.key) {
            Some(r) => (*r, "from the config"),
            None if q.published => (q.rate, "AWS's published quota"),
            None => (q.rate, "pipedeck's own; AWS publishes none"),
        };
        line("budget", format!("{} {rate}/s ({whose})", q.key));
    }
    for (key, rate) in overrides {
        if !crate::cloud::aws::budget::DEFAULT_QUOTAS
            .iter()
            .any(|q| q.key == key)
        {
            line("budget", format!("{key} {rate}/s (from the config)"));
        }
    }
    if let Some(f) = cloud.footprint() {
        line("aws use", format!("this run: {}", f.summary()));
    }
    out
}
