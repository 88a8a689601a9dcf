//! Credentials before calls, on the real SDK clients: a lookup that hangs
//! is bounded, none at all is "no credentials" with the way to log in (not
//! a dispatch failure on every pane), and the check runs once for all
//! panes, again until credentials work.

use crate::common;

use common::*;
use pipedeck::app::{update, Msg, Resource};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::{CloudError, CloudRead, CredentialProblem};

/// A credentials provider that never answers — like an instance-metadata
/// endpoint that swallows packets.
#[derive(Debug)]
struct NeverAnswers;

impl aws_credential_types::provider::ProvideCredentials for NeverAnswers {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(std::future::pending())
    }
}

// This asserts the behaviour through pipedeck's own loader. The SDK's lazy
// identity cache also defaults to 5 s; pipedeck pins the value explicitly, so
// the test guards against anyone raising or removing it, not against the
// SDK default changing.
#[tokio::test(start_paused = true)]
async fn a_hanging_credential_lookup_is_bounded() {
    use pipedeck::cloud::aws::{config_loader, AwsOptions};
    let opts = AwsOptions {
        profile: None,
        region: Some("eu-west-1".into()),
        endpoint_url: Some("http://127.0.0.1:9".into()),
        ..Default::default()
    };
    // pipedeck's own loader (timeouts, identity cache) with only the
    // credentials swapped for one that hangs.
    let conf = config_loader(&opts)
        .credentials_provider(NeverAnswers)
        .load()
        .await;
    let c = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let start = tokio::time::Instant::now();
    let err = c.glue_jobs().await.unwrap_err();
    let took = start.elapsed();
    assert!(
        matches!(
            err,
            CloudError::Credentials { .. } | CloudError::Network { .. }
        ),
        "{err:?}"
    );
    assert!(
        took <= std::time::Duration::from_secs(30),
        "bounded: {took:?}"
    );
    assert!(
        took >= std::time::Duration::from_secs(4),
        "the 5 s lookup limit applied: {took:?}"
    );
}

/// Counts lookups; fails the first `fail` of them as aws-config's default
/// chain does when no provider has credentials, then answers.
#[derive(Debug)]
struct FailsThenWorks {
    fail: usize,
    calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl aws_credential_types::provider::ProvideCredentials for FailsThenWorks {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let result = if n < self.fail {
            Err(
                aws_credential_types::provider::error::CredentialsError::not_loaded(
                    "no providers in chain provided credentials",
                ),
            )
        } else {
            Ok(aws_credential_types::Credentials::for_tests())
        };
        aws_credential_types::provider::future::ProvideCredentials::ready(result)
    }
}

/// pipedeck's own loader, with only the credentials swapped, against an
/// endpoint where nothing listens (a call that got out fails as network).
async fn unreachable_with(
    provider: impl aws_credential_types::provider::ProvideCredentials + 'static,
) -> AwsCloud {
    use pipedeck::cloud::aws::{config_loader, AwsOptions};
    let opts = AwsOptions {
        profile: None,
        region: Some("eu-west-1".into()),
        endpoint_url: Some("http://127.0.0.1:9".into()),
        ..Default::default()
    };
    let conf = config_loader(&opts)
        .credentials_provider(provider)
        .load()
        .await;
    AwsCloud::from_sdk_config(&conf)
}

// Offline with no credentials, the lookup can outlast the SDK's 5-s
// identity cache (instance metadata that never answers): that surfaced as
// "could not reach the endpoint" on every pane. The credentials are now
// checked first, so every pane says how to log in.
#[tokio::test(start_paused = true)]
async fn credentials_that_never_come_are_missing_credentials_not_a_dispatch_failure() {
    let c = unreachable_with(NeverAnswers).await;
    let err = c.glue_jobs().await.unwrap_err();
    assert!(
        matches!(
            err,
            CloudError::Credentials {
                problem: CredentialProblem::Missing,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("no AWS credentials"), "{err}");
    let mut s = empty_state(false);
    s.conn.profile = "night-shift".into();
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now(),
            result: Err(err),
            next_in: None,
        },
    );
    let screen = text(&render(&s, 120, 30));
    assert!(
        screen.contains("No usable AWS credentials found for profile 'night-shift'")
            && screen.contains("aws sso login --profile night-shift"),
        "{screen}"
    );
    assert!(!screen.contains("could not reach"), "{screen}");
}

#[tokio::test(start_paused = true)]
async fn credentials_are_checked_once_for_all_panes_and_again_until_they_work() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = unreachable_with(FailsThenWorks {
        fail: 1,
        calls: calls.clone(),
    })
    .await;
    // The first polls of every pane arrive together: one lookup answers all.
    let (glue, emr, alarms) = tokio::join!(c.glue_jobs(), c.emr_clusters(), c.alarms());
    for err in [glue.unwrap_err(), emr.unwrap_err(), alarms.unwrap_err()] {
        assert!(
            matches!(
                err,
                CloudError::Credentials {
                    problem: CredentialProblem::Missing,
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    // A moment later the answer stands; after the recheck interval the
    // lookup runs again, now works, and calls go out (to an endpoint where
    // nothing listens: a network error, no longer a credentials one).
    assert!(matches!(
        c.glue_jobs().await,
        Err(CloudError::Credentials { .. })
    ));
    tokio::time::advance(std::time::Duration::from_secs(11)).await;
    let err = c.glue_jobs().await.unwrap_err();
    assert!(matches!(err, CloudError::Network { .. }), "{err:?}");
    // The recheck, then the SDK's own lookup for the call it let through.
    assert!(calls.load(std::sync::atomic::Ordering::SeqCst) >= 2);
}
