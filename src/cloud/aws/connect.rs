//! Connecting: the options the user gave, pipedeck's SDK config loader
//! (retries, timeouts, bounded credential lookup, a named profile that
//! wins), the metered clients built from it, and what the header shows
//! before any call.

use super::budget::meter::{default_https_client, Meter, PacedClient};
use super::budget::Budget;
use super::credentials;
use super::region::{self, profile_name};
use crate::cloud::ConnInfo;
use aws_config::identity::IdentityCache;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Connection flags as the user gave them; `None` means "let aws-config decide".
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// `[budget]` overrides: calls per second by service or API.
    pub budget: BTreeMap<String, f64>,
    /// How often each Glue job's runs are read by its pace.
    pub cadence: crate::cloud::cadence::Cadence,
    /// Where what never changes is kept across restarts (Athena's ended
    /// executions); `None` keeps it in memory.
    pub state_dir: Option<std::path::PathBuf>,
    /// `[[audit.tables]]`: the pipelines' run records to read.
    pub audit_tables: Vec<crate::cloud::audit::TableMapping>,
    /// Where only a Scan would do, at most this many pages.
    pub audit_scan_pages: usize,
}

#[derive(Debug, Clone)]
pub struct Clients {
    pub glue: aws_sdk_glue::Client,
    pub emr: aws_sdk_emr::Client,
    pub sts: aws_sdk_sts::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub athena: aws_sdk_athena::Client,
    /// Athena's result files only.
    pub s3: aws_sdk_s3::Client,
    /// The pipelines' audit tables.
    pub dynamodb: aws_sdk_dynamodb::Client,
}

impl Clients {
    pub fn from_sdk_config(conf: &SdkConfig) -> Self {
        Self {
            glue: aws_sdk_glue::Client::new(conf),
            emr: aws_sdk_emr::Client::new(conf),
            sts: aws_sdk_sts::Client::new(conf),
            sqs: aws_sdk_sqs::Client::new(conf),
            cloudwatch: aws_sdk_cloudwatch::Client::new(conf),
            logs: aws_sdk_cloudwatchlogs::Client::new(conf),
            athena: aws_sdk_athena::Client::new(conf),
            s3: aws_sdk_s3::Client::from_conf(s3_config(
                conf,
                aws_sdk_s3::config::Builder::from(conf),
            )),
            dynamodb: aws_sdk_dynamodb::Client::new(conf),
        }
    }

    /// Clients whose every attempt draws on `budget` (paced by its HTTP
    /// client, counted by its interceptor).
    pub fn metered(conf: &SdkConfig, budget: &Arc<Budget>) -> Self {
        // The loaded config carries no HTTP client unless one was given:
        // the SDK's default is made here so it can be wrapped.
        let http = conf.http_client().unwrap_or_else(default_https_client);
        let conf = conf
            .to_builder()
            .http_client(SharedHttpClient::new(PacedClient::new(
                http,
                budget.clone(),
            )))
            .build();
        let meter = Meter::new(budget.clone());
        macro_rules! client {
            ($sdk:ident) => {
                $sdk::Client::from_conf(
                    $sdk::config::Builder::from(&conf)
                        .interceptor(meter.clone())
                        .build(),
                )
            };
        }
        Self {
            glue: client!(aws_sdk_glue),
            emr: client!(aws_sdk_emr),
            sts: client!(aws_sdk_sts),
            sqs: client!(aws_sdk_sqs),
            cloudwatch: client!(aws_sdk_cloudwatch),
            logs: client!(aws_sdk_cloudwatchlogs),
            athena: client!(aws_sdk_athena),
            s3: aws_sdk_s3::Client::from_conf(s3_config(
                &conf,
                aws_sdk_s3::config::Builder::from(&conf).interceptor(meter.clone()),
            )),
            dynamodb: client!(aws_sdk_dynamodb),
        }
    }
}

/// An endpoint of one's own (an emulator, a VPC endpoint by URL) names no
/// bucket host: its S3 is addressed by path.
fn s3_config(conf: &SdkConfig, builder: aws_sdk_s3::config::Builder) -> aws_sdk_s3::Config {
    builder
        .force_path_style(conf.endpoint_url().is_some())
        .build()
}

/// Builds the shared SDK config: adaptive retries, bounded timeouts and a
/// bounded credential lookup (no hang on the instance-metadata endpoint).
pub async fn load_sdk_config(options: &AwsOptions) -> SdkConfig {
    config_loader(options).load().await
}

/// The loader behind [`load_sdk_config`], for tests that need to swap one
/// part (e.g. the credentials provider) and keep the rest.
pub fn config_loader(options: &AwsOptions) -> aws_config::ConfigLoader {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(3))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .read_timeout(Duration::from_secs(20))
                .operation_attempt_timeout(Duration::from_secs(25))
                .operation_timeout(Duration::from_secs(60))
                .build(),
        )
        .identity_cache(
            IdentityCache::lazy()
                .load_timeout(credentials::CREDENTIALS_TIMEOUT)
                .build(),
        );
    if let Some(p) = &options.profile {
        // A profile the user named must win, as the AWS CLI's --profile
        // does (see `credentials::named_profile`).
        let chain = credentials::named_profile(p, options.region.as_deref());
        loader = loader.profile_name(p).credentials_provider(chain);
    }
    if let Some(r) = &options.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &options.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    loader
}

/// What the header shows before any call is made: flags first, then the
/// environment aws-config would read. The endpoint is shown when overridden
/// globally or for any service pipedeck uses.
pub fn conn_info(options: &AwsOptions) -> ConnInfo {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let endpoint = options
        .endpoint_url
        .clone()
        .or_else(|| env("AWS_ENDPOINT_URL"))
        .or_else(|| env("AWS_ENDPOINT_URL_GLUE"))
        .or_else(|| env("AWS_ENDPOINT_URL_EMR"))
        .or_else(|| env("AWS_ENDPOINT_URL_SQS"))
        .or_else(|| env("AWS_ENDPOINT_URL_CLOUDWATCH"))
        .or_else(|| env("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"));
    ConnInfo {
        profile: profile_name(options.profile.as_deref()),
        // Set by [`resolve_region`] before the cloud is built.
        region: options
            .region
            .clone()
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "(from profile)".into()),
        endpoint,
        demo: false,
        env_keys_set_aside: env("AWS_ACCESS_KEY_ID").is_some()
            && options
                .profile
                .as_deref()
                .is_some_and(region::profile_names_credentials),
    }
}
