//! What every benchmark sets up the same way: an empty console state and
//! a timed run of frames at 200×50.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use pipedeck::app::{Settings, State};
use pipedeck::cloud::ConnInfo;
use pipedeck::config::{Keymap, Theme};
use std::time::Instant;

/// The console with nothing loaded, default keys, nothing read-only.
pub fn state(now: DateTime<Utc>) -> State {
    State::new(
        ConnInfo {
            profile: "bench".into(),
            region: "eu-west-1".into(),
            endpoint: None,
            demo: true,
            env_keys_set_aside: false,
        },
        Keymap::preset("default").unwrap(),
        Settings {
            read_only: false,
            typed_confirm: vec![],
            dlq: Default::default(),
            alarms: Default::default(),
            insights: Default::default(),
            athena: Default::default(),
            audit: Default::default(),
            config_file: None,
        },
        now,
    )
}

/// Mean and p99 of microsecond samples.
pub fn mean_p99(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    (mean, samples[samples.len() * 99 / 100])
}

/// Draws `frames` frames of `state` at 200×50; mean and p99 in µs.
pub fn frame_us(state: &State, frames: usize) -> (f64, f64) {
    let theme = Theme::preset("dark").unwrap();
    let tz = chrono::FixedOffset::east_opt(0).unwrap();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)).unwrap();
    let mut samples: Vec<f64> = (0..frames)
        .map(|_| {
            let t = Instant::now();
            term.draw(|f| pipedeck::ui::render(state, f, &theme, tz))
                .unwrap();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    mean_p99(&mut samples)
}

/// The StartQuery among `fx`: the run number and the query asked.
pub fn insights_start(
    fx: &[pipedeck::app::Effect],
) -> Option<(u64, pipedeck::cloud::InsightsQuery)> {
    use pipedeck::app::{Effect, Resource};
    fx.iter().find_map(|e| match e {
        Effect::Refresh(Resource::InsightsStart { run, query }) => Some((*run, query.clone())),
        _ => None,
    })
}

/// An SDK config whose every call goes to `http` (an in-process endpoint),
/// in `region`, with fake keys.
pub fn sdk_config(
    region: &str,
    http: impl aws_smithy_runtime_api::client::http::HttpClient + 'static,
) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    "AKIDBENCH",
                    "not-a-secret",
                    None,
                    None,
                    "bench",
                ),
            ),
        )
        .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().unwrap())
        .http_client(http)
        .build()
}
