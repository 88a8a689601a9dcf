//! The one LocalStack of the test run (started by scripts/test.sh), for SQS
//! move tasks and CloudWatch (whose Rust client speaks CBOR, which moto
//! cannot answer). Each test gets its own account: LocalStack takes a
//! 12-digit access key id as the account id, so tests never see each
//! other's queues.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_sdk_sqs::types::{MessageAttributeValue, QueueAttributeName};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub fn localstack_url() -> String {
    std::env::var("PIPEDECK_LOCALSTACK_URL").expect(
        "PIPEDECK_LOCALSTACK_URL is not set: run the suite with ./scripts/test.sh, which installs and starts LocalStack",
    )
}

/// A fresh 12-digit account id for this test in this process.
pub fn account(test_no: u64) -> String {
    format!(
        "{}",
        100_000_000_000 + u64::from(std::process::id()) % 9_999_999 * 100 + test_no
    )
}

pub async fn sdk_config(account: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(localstack_url())
        .credentials_provider(Credentials::new(account, "test", None, None, "tests"))
        .load()
        .await
}

/// pipedeck's AWS backend on this account.
pub async fn cloud(account: &str) -> AwsCloud {
    AwsCloud::from_clients(Clients::from_sdk_config(&sdk_config(account).await))
}

pub struct Sqs {
    pub client: aws_sdk_sqs::Client,
}

pub struct Queue {
    pub name: String,
    pub url: String,
    pub arn: String,
}

impl Sqs {
    pub async fn new(account: &str) -> Self {
        Self {
            client: aws_sdk_sqs::Client::new(&sdk_config(account).await),
        }
    }

    pub async fn queue(&self, name: &str, attrs: &[(QueueAttributeName, String)]) -> Queue {
        let url = self
            .client
            .create_queue()
            .queue_name(name)
            .set_attributes(Some(attrs.iter().cloned().collect()))
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        let arn = self.attr(&url, QueueAttributeName::QueueArn).await;
        Queue {
            name: name.into(),
            url,
            arn,
        }
    }

    /// A source queue whose RedrivePolicy points at `dlq` (maxReceiveCount 1).
    pub async fn source_of(&self, name: &str, dlq: &Queue) -> Queue {
        let mut attrs = vec![(
            QueueAttributeName::RedrivePolicy,
            format!(
                r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":"1"}}"#,
                dlq.arn
            ),
        )];
        if name.ends_with(".fifo") {
            attrs.push((QueueAttributeName::FifoQueue, "true".into()));
        }
        self.queue(name, &attrs).await
    }

    pub async fn attr(&self, url: &str, a: QueueAttributeName) -> String {
        self.client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(a.clone())
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap()
            .remove(&a)
            .unwrap_or_default()
    }

    pub async fn count(&self, url: &str, a: QueueAttributeName) -> i64 {
        self.attr(url, a).await.parse().unwrap_or(-1)
    }

    /// Sends `bodies` to `source` (FIFO: group per body index % 2, explicit
    /// dedup ids), then receives them with visibility 0 until SQS has moved
    /// every one to `dlq` through maxReceiveCount — the real way messages
    /// reach a DLQ.
    pub async fn fill_through_moves(&self, source: &Queue, dlq: &Queue, bodies: &[String]) {
        let fifo = source.name.ends_with(".fifo");
        for (i, b) in bodies.iter().enumerate() {
            let mut send = self
                .client
                .send_message()
                .queue_url(&source.url)
                .message_body(b)
                .message_attributes(
                    "index",
                    MessageAttributeValue::builder()
                        .data_type("Number")
                        .string_value(i.to_string())
                        .build()
                        .unwrap(),
                );
            if fifo {
                send = send
                    .message_group_id(format!("group-{}", i % 2))
                    .message_deduplication_id(format!("orig-{i}"));
            }
            send.send().await.unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let moved = self
                .count(&dlq.url, QueueAttributeName::ApproximateNumberOfMessages)
                .await;
            if moved == bodies.len() as i64 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "only {moved} of {} reached the DLQ",
                bodies.len()
            );
            self.client
                .receive_message()
                .queue_url(&source.url)
                .max_number_of_messages(10)
                .visibility_timeout(0)
                .send()
                .await
                .unwrap();
        }
    }

    /// Every message now in `q` (received and deleted): (body, attribute
    /// "index", group id).
    pub async fn drain(&self, q: &Queue) -> Vec<(String, Option<String>, Option<String>)> {
        let mut out = Vec::new();
        let mut empty = 0;
        while empty < 3 {
            let got = self
                .client
                .receive_message()
                .queue_url(&q.url)
                .max_number_of_messages(10)
                .visibility_timeout(30)
                .wait_time_seconds(1)
                .message_attribute_names("All")
                .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
                .send()
                .await
                .unwrap();
            if got.messages().is_empty() {
                empty += 1;
                continue;
            }
            empty = 0;
            for m in got.messages() {
                let attrs: HashMap<_, _> = m.message_attributes().cloned().unwrap_or_default();
                out.push((
                    m.body().unwrap_or_default().to_string(),
                    attrs
                        .get("index")
                        .and_then(|v| v.string_value())
                        .map(str::to_string),
                    m.attributes()
                        .and_then(|a| {
                            a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::MessageGroupId)
                        })
                        .cloned(),
                ));
                self.client
                    .delete_message()
                    .queue_url(&q.url)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
        out
    }
}

pub fn bodies(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!(r#"{{"{prefix}":{i}}}"#)).collect()
}

/// Polls `f` until it returns Some, with a generous deadline (no fixed sleeps).
pub async fn eventually<T, F, Fut>(what: &str, secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
