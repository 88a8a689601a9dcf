//! Building the pieces from flags and config: cloud, state, logging.

use crate::app::{Settings, State};
use crate::cli::ConnArgs;
use crate::cloud::aws::{conn_info, AwsCloud, AwsOptions};
use crate::cloud::demo::{Clock, DemoCloud, DEMO_REGION};
use crate::cloud::{ConnInfo, SharedCloud};
use crate::config::{self, Loaded, Overrides, Paths};
use chrono::{FixedOffset, Offset, Utc};
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
    }
}

/// The cloud to talk to and how to describe it.
pub fn cloud(a: &ConnArgs, cfg: &config::Config) -> (SharedCloud, ConnInfo) {
    if a.demo {
        let conn = ConnInfo {
            profile: "demo".into(),
            region: DEMO_REGION.into(),
            endpoint: None,
            demo: true,
        };
        (Arc::new(DemoCloud::new(Clock::Live)), conn)
    } else {
        let opts = aws_options(a, cfg);
        let conn = conn_info(&opts);
        (Arc::new(AwsCloud::new(opts)), conn)
    }
}

pub fn state(conn: ConnInfo, loaded: &Loaded) -> State {
    State::new(
        conn,
        loaded.keymap.clone(),
        Settings {
            read_only: loaded.config.read_only,
            typed_confirm: loaded.config.safety.typed_confirm.clone(),
            dlq: loaded.config.dlq.clone(),
            alarms: loaded.config.alarms.clone(),
            insights: with_export_dir(loaded.config.insights.clone()),
        },
        Utc::now(),
    )
}

/// Exports go to the configured directory, else Downloads, else here.
fn with_export_dir(mut c: config::InsightsConfig) -> config::InsightsConfig {
    if c.export_dir.is_none() {
        c.export_dir = directories::UserDirs::new()
            .and_then(|u| u.download_dir().map(|d| d.display().to_string()))
            .filter(|d| std::path::Path::new(d).is_dir());
    }
    c
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
