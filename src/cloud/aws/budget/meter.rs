//! Where the budget meets the SDK: an interceptor names each attempt's
//! operation and reads its answer, and an HTTP client waits for a token
//! before the attempt leaves.

use super::{service_key, Budget};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextMut, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, Metadata};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::Arc;

/// Carries the operation from the interceptor to the connector; removed
/// before the request leaves (it is added after signing, and never sent).
const OP_HEADER: &str = "x-pipedeck-operation";

/// "glue:GetJobRuns" for the attempt in `cfg`.
fn operation(cfg: &ConfigBag) -> Option<String> {
    cfg.load::<Metadata>()
        .map(|m| format!("{}:{}", service_key(m.service()), m.name()))
}

/// Error codes that mean "slow down", in every protocol pipedeck speaks
/// (JSON `__type` and `x-amzn-ErrorType`, CBOR, query XML `<Code>`).
const THROTTLE_CODES: &[&str] = &[
    "Throttling",
    "TooManyRequests",
    "RequestLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
];

/// A throttled answer: HTTP 429, or an error whose code says so.
pub fn is_throttle(resp: &HttpResponse) -> bool {
    let status = resp.status().as_u16();
    if status == 429 {
        return true;
    }
    if status < 400 {
        return false;
    }
    let header = resp.headers().get("x-amzn-errortype").unwrap_or_default();
    let body = resp.body().bytes().unwrap_or_default();
    THROTTLE_CODES
        .iter()
        .any(|code| header.contains(code) || body.windows(code.len()).any(|w| w == code.as_bytes()))
}

/// Names each attempt's operation for [`PacedClient`], and counts its
/// answer (retries included: each attempt is read here) in the budget.
#[derive(Debug, Clone)]
pub struct Meter {
    budget: Arc<Budget>,
}

impl Meter {
    pub fn new(budget: Arc<Budget>) -> Self {
        Self { budget }
    }
}

impl Intercept for Meter {
    fn name(&self) -> &'static str {
        "pipedeck-budget"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(op) = operation(cfg) {
            context.request_mut().headers_mut().insert(OP_HEADER, op);
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(op) = operation(cfg) else {
            return Ok(());
        };
        match context.response() {
            Some(resp) => {
                let bytes = resp
                    .body()
                    .bytes()
                    .map(|b| b.len() as u64)
                    .or_else(|| resp.body().content_length())
                    .unwrap_or(0);
                self.budget.record(&op, is_throttle(resp), bytes);
            }
            // No answer at all (a timeout, a refused connection): a call
            // all the same.
            None => self.budget.record(&op, false, 0),
        }
        Ok(())
    }
}

/// The HTTP client every SDK client sends through: each attempt waits for
/// its operation's token first.
#[derive(Debug, Clone)]
pub struct PacedClient {
    inner: SharedHttpClient,
    budget: Arc<Budget>,
}

impl PacedClient {
    pub fn new(inner: SharedHttpClient, budget: Arc<Budget>) -> Self {
        Self { inner, budget }
    }
}

impl HttpClient for PacedClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Paced {
            inner: self.inner.http_connector(settings, components),
            budget: self.budget.clone(),
        })
    }
}

#[derive(Debug)]
struct Paced {
    inner: SharedHttpConnector,
    budget: Arc<Budget>,
}

impl HttpConnector for Paced {
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        let op = request.headers_mut().remove(OP_HEADER);
        let inner = self.inner.clone();
        let budget = self.budget.clone();
        HttpConnectorFuture::new(async move {
            if let Some(op) = op {
                budget.acquire(&op).await;
            }
            inner.call(request).await
        })
    }
}
