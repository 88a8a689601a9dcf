//! Maps SDK errors onto [`CloudError`], the few cases the UI can explain.

use crate::cloud::{CloudError, CredentialProblem};
use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::error::Error as StdError;

const THROTTLE_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
];
const DENIED_CODES: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "UnauthorizedOperation",
    "UnauthorizedException",
];
const EXPIRED_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
];
const NOT_FOUND_CODES: &[&str] = &[
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
    "EntityNotFoundException",
    "ResourceNotFoundException",
    "NotFoundException",
];
const INVALID_CODES: &[&str] = &[
    "InvalidInputException",
    "ValidationException",
    "InvalidParameterValue",
    "InvalidParameterException",
];

/// `op` is the IAM-style action name (`glue:GetJobs`) used when access is denied.
pub fn map_sdk_error<E>(op: &str, err: SdkError<E, HttpResponse>) -> CloudError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    if let Some(problem) = credentials_problem(&err) {
        return problem;
    }
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            match e.code() {
                Some(code) => classify(op, code, e.message().unwrap_or("").to_string()),
                // Not an AWS error document (a proxy's or an emulator's
                // HTML page): say what came back instead of "Unknown".
                None => CloudError::Other {
                    code: format!("HTTP {}", service.raw().status().as_u16()),
                    message: format!(
                        "{op}: the endpoint answered without an AWS error code (an emulator without this API, or a proxy?)"
                    ),
                },
            }
        }
        SdkError::TimeoutError(_) => CloudError::Network {
            message: format!("{op} timed out"),
        },
        _ if source_chain(&err).contains("Missing Region") => CloudError::InvalidInput {
            message: "no AWS region configured: pass --region, set AWS_REGION, or add region to the profile".into(),
        },
        SdkError::DispatchFailure(_) => CloudError::Network {
            message: format!(
                "{op}: could not reach the endpoint ({})",
                source_chain(&err)
            ),
        },
        // An error page that is not an AWS error document at all (an
        // emulator's traceback for an API it lacks, a proxy's HTML).
        SdkError::ResponseError(r) if !r.raw().status().is_success() && is_markup(r.raw()) => {
            CloudError::Other {
                code: format!("HTTP {}", r.raw().status().as_u16()),
                message: format!(
                    "{op}: the endpoint answered without an AWS error code (an emulator without this API, or a proxy?)"
                ),
            }
        }
        SdkError::ResponseError(_) => CloudError::Network {
            message: format!("{op}: unreadable response ({})", source_chain(&err)),
        },
        _ => CloudError::Other {
            code: "ClientError".into(),
            message: format!("{op}: {}", source_chain(&err)),
        },
    }
}

/// A body that starts like HTML or XML markup (`<`), not JSON.
fn is_markup(resp: &HttpResponse) -> bool {
    resp.body()
        .bytes()
        .and_then(|b| b.iter().find(|c| !c.is_ascii_whitespace()))
        == Some(&b'<')
}

/// Classifies a service error code; shared by every service module.
pub fn classify(op: &str, code: &str, message: String) -> CloudError {
    let is = |list: &[&str]| list.contains(&code);
    if is(THROTTLE_CODES) {
        CloudError::Throttled { op: op.to_string() }
    } else if is(DENIED_CODES) {
        CloudError::AccessDenied {
            op: op.to_string(),
            message,
        }
    } else if is(EXPIRED_CODES) {
        CloudError::Credentials {
            problem: CredentialProblem::Expired,
            message: format!("credentials rejected or expired ({code}: {message})"),
        }
    } else if is(NOT_FOUND_CODES) {
        CloudError::NotFound { message }
    } else if is(INVALID_CODES) {
        CloudError::InvalidInput { message }
    } else if code == "ConcurrentRunsExceededException" {
        CloudError::ConcurrentRunsExceeded { message }
    } else {
        CloudError::Other {
            code: code.to_string(),
            message,
        }
    }
}

/// Credential resolution failures arrive wrapped in a construction or
/// dispatch failure; find them anywhere in the source chain.
fn credentials_problem(err: &(dyn StdError + 'static)) -> Option<CloudError> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(c) = e.downcast_ref::<CredentialsError>() {
            return Some(from_credentials_error(c));
        }
        cur = e.source();
    }
    None
}

/// A credentials provider's failure, as the UI explains it.
pub(crate) fn from_credentials_error(c: &CredentialsError) -> CloudError {
    let problem = match c {
        CredentialsError::CredentialsNotLoaded(_) => CredentialProblem::Missing,
        // Only a provider that says so means "expired"; anything
        // else (IMDS refusing, a broken profile) reads as missing.
        _ if source_chain(c).to_lowercase().contains("expired") => CredentialProblem::Expired,
        _ => CredentialProblem::Missing,
    };
    CloudError::Credentials {
        problem,
        message: source_chain(c),
    }
}

/// "a: b: c" from an error and its sources, for messages a human reads.
fn source_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_the_small_enum() {
        assert!(classify("glue:GetJobs", "ThrottlingException", String::new()).is_throttle());
        assert_eq!(
            classify("glue:GetJobs", "AccessDeniedException", "no".into()),
            CloudError::AccessDenied {
                op: "glue:GetJobs".into(),
                message: "no".into()
            }
        );
        assert!(matches!(
            classify("x", "ExpiredTokenException", String::new()),
            CloudError::Credentials {
                problem: CredentialProblem::Expired,
                ..
            }
        ));
        assert!(matches!(
            classify("x", "SomethingNew", "m".into()),
            CloudError::Other { .. }
        ));
    }
}
