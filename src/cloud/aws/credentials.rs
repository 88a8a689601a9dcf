//! Credentials before calls: a named profile's own provider first, and a
//! bounded check of whatever provider is in use before the first call, so
//! every pane can say how to log in instead of failing its own way.

use super::errors;
use crate::cloud::{CloudError, CloudResult, CredentialProblem};
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::Region;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use std::time::Duration;
use tokio::time::Instant;

/// The outcome of the last credentials check.
pub(super) enum Preflight {
    Unchecked,
    Passed,
    Failed { at: Instant, error: CloudError },
}

/// How long a failed credentials check stands before the next call looks
/// again (so a `aws sso login` in another terminal is noticed by itself).
pub(super) const RECHECK: Duration = Duration::from_secs(10);
/// The same bound the SDK's identity cache has (see `config_loader`).
pub(super) const CREDENTIALS_TIMEOUT: Duration = Duration::from_secs(5);

/// The credentials of a profile the user named: the profile first, as the
/// AWS CLI's `--profile` (exported keys do not win over it); a profile
/// that names no credentials at all (only a region, say) falls through to
/// the usual sources. Its STS calls (assume role) sign for `region`.
pub(super) fn named_profile(profile: &str, region: Option<&str>) -> CredentialsProviderChain {
    let mut provider_config = aws_config::provider_config::ProviderConfig::default();
    if let Some(r) = region {
        provider_config = provider_config.with_region(Some(Region::new(r.to_string())));
    }
    CredentialsProviderChain::first_try(
        "profile",
        aws_config::profile::ProfileFileCredentialsProvider::builder()
            .configure(&provider_config)
            .profile_name(profile)
            .build(),
    )
    .or_else(
        "environment",
        aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else(
        "web identity",
        aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
            .configure(&provider_config)
            .build(),
    )
    .or_else(
        "ecs",
        aws_config::ecs::EcsCredentialsProvider::builder()
            .configure(&provider_config)
            .build(),
    )
    .or_else(
        "imds",
        aws_config::imds::credentials::ImdsCredentialsProvider::builder()
            .configure(&provider_config)
            .build(),
    )
}

/// Resolves the credentials once, bounded, and says what is missing.
pub(super) async fn check_credentials(
    provider: Option<&SharedCredentialsProvider>,
) -> CloudResult<()> {
    let Some(provider) = provider else {
        return Err(CloudError::Credentials {
            problem: CredentialProblem::Missing,
            message: "no AWS credentials: no credentials provider is configured".into(),
        });
    };
    match tokio::time::timeout(CREDENTIALS_TIMEOUT, provider.provide_credentials()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(errors::from_credentials_error(&e)),
        Err(_) => Err(CloudError::Credentials {
            problem: CredentialProblem::Missing,
            message: format!(
                "no AWS credentials found within {}s (the credential chain was still waiting, e.g. on instance metadata)",
                CREDENTIALS_TIMEOUT.as_secs()
            ),
        }),
    }
}
