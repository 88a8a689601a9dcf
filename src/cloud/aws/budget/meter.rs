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

/// Error codes that mean "slow down": the SDK's own throttling list.
const THROTTLE_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// An error answer's code, in every protocol pipedeck speaks: the
/// `x-amzn-ErrorType` / `x-amzn-query-error` headers, JSON `__type` or
/// `code`, CBOR `__type`, query XML `<Code>` — never a word of the message
/// (a message may quote a name like "etl-Throttling-alarm").
pub fn error_code(resp: &HttpResponse) -> Option<String> {
    let short = |c: &str| {
        let c = c.split([':', ';']).next().unwrap_or(c);
        c.rsplit('#').next().unwrap_or(c).trim().to_string()
    };
    for h in ["x-amzn-errortype", "x-amzn-query-error"] {
        if let Some(v) = resp.headers().get(h).filter(|v| !v.is_empty()) {
            return Some(short(v));
        }
    }
    let body = resp.body().bytes()?;
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        let code = v
            .get("__type")
            .or_else(|| v.get("code"))
            .or_else(|| v.get("Code"));
        return code.and_then(|c| c.as_str()).map(short);
    }
    if let Some(code) = xml_code(body) {
        return Some(code);
    }
    cbor_type(body).map(|c| short(&c))
}

fn xml_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let end = text[start..].find("</Code>")? + start;
    Some(text[start..end].trim().to_string())
}

/// The text right after a `__type` key in a CBOR map (a text string of
/// under 256 bytes, as error types are).
fn cbor_type(body: &[u8]) -> Option<String> {
    let at = body.windows(6).position(|w| w == b"__type")? + 6;
    let head = *body.get(at)?;
    let (len, from) = match head {
        0x60..=0x77 => (usize::from(head - 0x60), at + 1),
        0x78 => (usize::from(*body.get(at + 1)?), at + 2),
        _ => return None,
    };
    let bytes = body.get(from..from + len)?;
    String::from_utf8(bytes.to_vec()).ok()
}

/// A throttled answer: HTTP 429, or an error whose code says so.
pub fn is_throttle(resp: &HttpResponse) -> bool {
    let status = resp.status().as_u16();
    if status == 429 {
        return true;
    }
    status >= 400 && error_code(resp).is_some_and(|code| THROTTLE_CODES.contains(&code.as_str()))
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

/// The HTTPS client the SDK would pick by default (hyper 1, rustls with
/// aws-lc, proxy settings from the environment), made here: a config loaded
/// by aws-config carries no client of its own (each SDK client adds the
/// default later), so there would be nothing to wrap.
pub fn default_https_client() -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::{tls, Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut conn = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ));
        conn.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            conn.set_sleep_impl(components.sleep_impl());
        }
        conn.set_proxy_config(Some(ProxyConfig::from_env()));
        conn.build()
    })
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
            let Some(op) = op else {
                return inner.call(request).await;
            };
            let asked = std::time::Instant::now();
            budget.acquire(&op).await;
            let sent = std::time::Instant::now();
            let answer = inner.call(request).await;
            // PIPEDECK_LOG=pipedeck=debug: where a slow read spends its time
            // (waiting for the budget, or for the service).
            tracing::debug!(
                op = op.as_str(),
                waited_ms = (sent - asked).as_millis() as u64,
                took_ms = sent.elapsed().as_millis() as u64,
                status = answer.as_ref().map(|r| r.status().as_u16()).unwrap_or(0),
                "call"
            );
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    fn resp(
        status: u16,
        body: &'static [u8],
        header: Option<(&'static str, &'static str)>,
    ) -> HttpResponse {
        let mut r = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        if let Some((k, v)) = header {
            r.headers_mut().insert(k, v);
        }
        r
    }

    #[test]
    fn throttles_are_told_by_their_code_in_every_protocol() {
        // awsJson: header and body.
        assert!(is_throttle(&resp(
            400,
            b"{}",
            Some(("x-amzn-errortype", "ThrottlingException:http://internal"))
        )));
        assert!(is_throttle(&resp(
            400,
            br#"{"__type":"com.amazon.coral#ThrottlingException","message":"Rate exceeded"}"#,
            None
        )));
        // Query XML (STS).
        assert!(is_throttle(&resp(
            400,
            b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>",
            None
        )));
        // CBOR (CloudWatch): {"__type": "...#ThrottlingException"}.
        let mut cbor = vec![0xa1, 0x66];
        cbor.extend_from_slice(b"__type");
        let t = b"com.amazonaws.cloudwatch#Throttling";
        cbor.push(0x78);
        cbor.push(t.len() as u8);
        cbor.extend_from_slice(t);
        let leaked: &'static [u8] = Box::leak(cbor.into_boxed_slice());
        assert!(is_throttle(&resp(400, leaked, None)));
        assert!(is_throttle(&resp(429, b"", None)));
    }

    #[test]
    fn a_message_that_only_mentions_throttling_is_not_one() {
        let r = resp(
            400,
            br#"{"__type":"ResourceNotFoundException","message":"alarm etl-Throttling-alarm not found"}"#,
            None,
        );
        assert_eq!(error_code(&r).as_deref(), Some("ResourceNotFoundException"));
        assert!(!is_throttle(&r));
        assert!(!is_throttle(&resp(
            200,
            br#"{"__type":"Throttling"}"#,
            None
        )));
    }
}
