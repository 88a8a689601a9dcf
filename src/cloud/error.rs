//! The small set of errors the UI knows how to explain.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CredentialProblem {
    Missing,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CloudError {
    /// The service throttled us even after the SDK's own retries.
    Throttled {
        op: String,
    },
    /// IAM said no; `op` names the denied call (e.g. `glue:GetJobs`).
    AccessDenied {
        op: String,
        message: String,
    },
    /// No credentials, or they expired: the user must log in again.
    Credentials {
        problem: CredentialProblem,
        message: String,
    },
    NotFound {
        message: String,
    },
    /// The service rejected the request; its own message is kept.
    InvalidInput {
        message: String,
    },
    /// Glue's ConcurrentRunsExceededException.
    ConcurrentRunsExceeded {
        message: String,
    },
    /// Could not reach the endpoint, or it timed out.
    Network {
        message: String,
    },
    Other {
        code: String,
        message: String,
    },
    /// A mutating call whose gate token approved something else: nothing
    /// was sent.
    NotApproved {
        message: String,
    },
}

impl CloudError {
    pub fn is_throttle(&self) -> bool {
        matches!(self, Self::Throttled { .. })
    }

    /// A short label for the pane status line.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Throttled { .. } => "throttled",
            Self::AccessDenied { .. } => "access denied",
            Self::Credentials {
                problem: CredentialProblem::Missing,
                ..
            } => "no credentials",
            Self::Credentials {
                problem: CredentialProblem::Expired,
                ..
            } => "credentials expired",
            Self::NotFound { .. } => "not found",
            Self::InvalidInput { .. } => "invalid input",
            Self::ConcurrentRunsExceeded { .. } => "concurrent runs exceeded",
            Self::Network { .. } => "network",
            Self::Other { .. } => "error",
            Self::NotApproved { .. } => "not approved",
        }
    }
}

impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Throttled { op } => write!(f, "throttled by AWS on {op}; backing off"),
            Self::AccessDenied { op, message } => {
                write!(f, "access denied: {op} is not allowed ({message})")
            }
            Self::Credentials { message, .. } => write!(f, "{message}"),
            Self::NotFound { message } => write!(f, "not found: {message}"),
            Self::InvalidInput { message } => write!(f, "invalid input: {message}"),
            Self::ConcurrentRunsExceeded { message } => write!(f, "{message}"),
            Self::Network { message } => write!(f, "network: {message}"),
            Self::Other { code, message } => write!(f, "{code}: {message}"),
            Self::NotApproved { message } => write!(f, "not approved: {message}"),
        }
    }
}

impl std::error::Error for CloudError {}
