//! Building the pieces from flags and config: cloud, state, logging.

use crate::app::{Settings, State};
use crate::cli::ConnArgs;
use crate::cloud::aws::{conn_info, resolve_region, AwsCloud, AwsOptions, RegionSource};
use crate::cloud::demo::{Clock, DemoCloud, DEMO_REGION};
use crate::cloud::{ConnInfo, SharedCloud};
use crate::config::{self, Loaded, Overrides, Paths};
use chrono::{FixedOffset, Offset, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn overrides(a: &ConnArgs) -> Overrides {
    Overrides {
        config_file: a.config.clone(),
        theme: a.theme.clone(),
        keymap: a.keymap.clone(),
        read_only: a.read_only,
    }
}

pub fn load_config(paths: &Paths, a: &ConnArgs) -> Result<Loaded, config::ConfigError> {
    config::load(paths, &overrides(a))
}

pub fn aws_options(a: &ConnArgs, cfg: &config::Config) -> AwsOptions {
    AwsOptions {
        profile: a.profile.clone().or_else(|| cfg.profile.clone()),
        region: a.region.clone().or_else(|| cfg.region.clone()),
        endpoint_url: a.endpoint_url.clone(),
        budget: cfg.budget.clone(),
        cadence: crate::cloud::cadence::Cadence {
            recent_secs: cfg.poll.glue_recent_secs,
            idle_secs: cfg.poll.glue_idle_secs,
        },
        state_dir: None,
        audit_tables: cfg.audit.tables.clone(),
        audit_scan_pages: cfg.audit.scan_pages,
    }
}

/// The cloud to talk to, how to describe it, and where its region came
/// from (`pipedeck info` says). The region is decided here, once, so the
/// header, `info` and every call use the same one.
pub async fn cloud(
    a: &ConnArgs,
    cfg: &config::Config,
    state_dir: Option<std::path::PathBuf>,
) -> (SharedCloud, ConnInfo, String) {
    if a.demo {
        let conn = ConnInfo {
            profile: "demo".into(),
            region: DEMO_REGION.into(),
            endpoint: None,
            demo: true,
            env_keys_set_aside: false,
        };
        (
            Arc::new(DemoCloud::new(Clock::Live)),
            conn,
            "the demo account".into(),
        )
    } else {
        let mut opts = aws_options(a, cfg);
        opts.state_dir = state_dir;
        let explicit = a
            .region
            .clone()
            .map(|r| (r, RegionSource::Flag))
            .or_else(|| cfg.region.clone().map(|r| (r, RegionSource::Config)));
        let (region, source) = resolve_region(explicit, opts.profile.as_deref()).await;
        opts.region = Some(region);
        let conn = conn_info(&opts);
        (Arc::new(AwsCloud::new(opts)), conn, source.to_string())
    }
}

pub fn state(conn: ConnInfo, loaded: &Loaded, paths: &Paths) -> State {
    State::new(
        conn,
        loaded.keymap.clone(),
        Settings {
            athena: loaded.config.athena.clone(),
            audit: loaded.config.audit.clone(),
            // The file this session read (`--config` too), else the default.
            config_file: loaded
                .config_file
                .clone()
                .or_else(|| Some(paths.config_file.clone())),
            read_only: loaded.config.read_only,
            typed_confirm: loaded.config.safety.typed_confirm.clone(),
            dlq: loaded.config.dlq.clone(),
            alarms: loaded.config.alarms.clone(),
            insights: with_export_dir(loaded.config.insights.clone(), paths),
        },
        Utc::now(),
    )
}

/// Exports go to the configured directory, else Downloads, else
/// pipedeck's exports folder under the user's data directory.
fn with_export_dir(mut c: config::InsightsConfig, paths: &Paths) -> config::InsightsConfig {
    c.export_dir = Some(export_dir_for(&c, paths));
    c
}

/// The folder `E` proposes on this machine (`pipedeck info` shows it).
pub fn export_dir_for(c: &config::InsightsConfig, paths: &Paths) -> String {
    let downloads =
        directories::UserDirs::new().and_then(|u| u.download_dir().map(Path::to_path_buf));
    export_dir(c.export_dir.clone(), downloads, &paths.exports_dir)
}

/// Where `E` proposes to write: the configured directory, else the
/// Downloads folder when it exists, else `fallback` (created by the first
/// export, see `runtime::effects::write_export`) — never the current
/// directory, which is as often as not a git clone.
pub fn export_dir(
    configured: Option<String>,
    downloads: Option<PathBuf>,
    fallback: &Path,
) -> String {
    configured
        .filter(|d| !d.trim().is_empty())
        .or_else(|| {
            downloads
                .filter(|d| d.is_dir())
                .map(|d| d.display().to_string())
        })
        .unwrap_or_else(|| fallback.display().to_string())
}

pub fn time_zone(cfg: &config::Config) -> FixedOffset {
    if cfg.display.utc {
        Utc.fix()
    } else {
        chrono::Local::now().offset().fix()
    }
}

/// Logs go to a file, never to the screen. Returns the guard that flushes.
pub fn init_logging(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(&paths.state_dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&paths.log_file)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("PIPEDECK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

/// The one load path for what panes keep: each pane's file under the state
/// dir, read once at start and handed to the pane. A missing file is a
/// first start; an unreadable one is logged and skipped.
pub fn restore_panes(state: &mut State, state_dir: &std::path::Path, now: chrono::DateTime<Utc>) {
    let conn = &state.conn;
    let at = crate::panes::Restore {
        now,
        profile: conn.profile.clone(),
        scope: (!conn.demo).then(|| {
            format!(
                "{}|{}|{}",
                conn.profile,
                conn.region,
                conn.endpoint.as_deref().unwrap_or("")
            )
        }),
    };
    state.panes.for_each_mut(|pane| {
        for file in pane.state_files() {
            let path = state_dir.join(file);
            match std::fs::read_to_string(&path) {
                Ok(text) => pane.restore(file, &text, &at),
                // Nothing kept yet: the pane still learns the profile it
                // keeps its state under.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => pane.restore(file, "", &at),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot read pane state");
                    pane.restore(file, "", &at);
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_fall_back_to_the_data_dir_not_the_current_one() {
        let home = tempfile::tempdir().unwrap();
        let downloads = home.path().join("Downloads");
        let fallback = home.path().join("share/pipedeck/exports");
        let shown = |p: &Path| p.display().to_string();
        // No Downloads folder (a server, a container): pipedeck's own folder.
        assert_eq!(export_dir(None, None, &fallback), shown(&fallback));
        // A Downloads folder that is named but does not exist: the same.
        assert_eq!(
            export_dir(None, Some(downloads.clone()), &fallback),
            shown(&fallback)
        );
        // One that exists wins.
        std::fs::create_dir_all(&downloads).unwrap();
        assert_eq!(
            export_dir(None, Some(downloads.clone()), &fallback),
            shown(&downloads)
        );
        // The config wins over both.
        assert_eq!(
            export_dir(Some("~/incidents".into()), Some(downloads), &fallback),
            "~/incidents"
        );
        // Nothing is created until something is exported; the export
        // creates the folder.
        assert!(!fallback.exists());
        let file = fallback.join("pipedeck-insights-1.csv");
        let written = crate::runtime::write_export(&file.display().to_string(), "a\n1\n").unwrap();
        assert_eq!(std::fs::read_to_string(&written).unwrap(), "a\n1\n");
        assert!(fallback.is_dir());
    }
}
