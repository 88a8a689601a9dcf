//! Real SDK clients whose responses come from `aws-smithy-mocks` rules.

use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use std::time::Duration;

pub fn sts() -> aws_sdk_sts::Client {
    let who = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("111122223333")
            .arn("arn:aws:sts::111122223333:assumed-role/OnCall/me")
            .build()
    });
    mock_client!(aws_sdk_sts, RuleMode::MatchAny, [&who])
}

// Standard, not adaptive, retries: the adaptive rate limiter reads the mock
// client's frozen clock and would never let a retry through. Three attempts
// with a tiny backoff, like production but fast.
pub fn glue(rules: &[&Rule]) -> aws_sdk_glue::Client {
    // Every list poll also reads the triggers: none, unless a test says.
    let no_triggers = mock!(aws_sdk_glue::Client::get_triggers).then_output(|| {
        aws_sdk_glue::operation::get_triggers::GetTriggersOutput::builder().build()
    });
    mock_client!(
        aws_sdk_glue,
        RuleMode::MatchAny,
        rules.iter().copied().chain([&no_triggers]),
        |c| c.retry_config(
            aws_sdk_glue::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn emr(rules: &[&Rule]) -> aws_sdk_emr::Client {
    mock_client!(
        aws_sdk_emr,
        RuleMode::MatchAny,
        rules.iter().copied(),
        |c| c.retry_config(
            aws_sdk_emr::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn sqs(rules: &[&Rule]) -> aws_sdk_sqs::Client {
    mock_client!(
        aws_sdk_sqs,
        RuleMode::MatchAny,
        rules.iter().copied(),
        |c| c.retry_config(
            aws_sdk_sqs::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn cloudwatch(rules: &[&Rule]) -> aws_sdk_cloudwatch::Client {
    mock_client!(
        aws_sdk_cloudwatch,
        RuleMode::MatchAny,
        rules.iter().copied(),
        |c| c.retry_config(
            aws_sdk_cloudwatch::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn logs(rules: &[&Rule]) -> aws_sdk_cloudwatchlogs::Client {
    mock_client!(
        aws_sdk_cloudwatchlogs,
        RuleMode::MatchAny,
        rules.iter().copied(),
        |c| c.retry_config(
            aws_sdk_cloudwatchlogs::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn athena(rules: &[&Rule]) -> aws_sdk_athena::Client {
    // Work groups also ask for capacity reservations: none, unless a test says.
    let no_reservations = mock!(aws_sdk_athena::Client::list_capacity_reservations).then_output(|| {
        aws_sdk_athena::operation::list_capacity_reservations::ListCapacityReservationsOutput::builder()
            .set_capacity_reservations(Some(vec![]))
            .build()
            .unwrap()
    });
    mock_client!(
        aws_sdk_athena,
        RuleMode::MatchAny,
        rules.iter().copied().chain([&no_reservations]),
        |c| c.retry_config(
            aws_sdk_athena::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn dynamodb(rules: &[&Rule]) -> aws_sdk_dynamodb::Client {
    mock_client!(
        aws_sdk_dynamodb,
        RuleMode::MatchAny,
        rules.iter().copied(),
        |c| c.retry_config(
            aws_sdk_dynamodb::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

pub fn s3(rules: &[&Rule]) -> aws_sdk_s3::Client {
    mock_client!(aws_sdk_s3, RuleMode::MatchAny, rules.iter().copied(), |c| c
        .retry_config(
            aws_sdk_s3::config::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        ))
}

/// Every client answering nothing: tests replace the ones they use.
pub fn clients() -> Clients {
    Clients {
        glue: glue(&[]),
        emr: emr(&[]),
        sts: sts(),
        sqs: sqs(&[]),
        cloudwatch: cloudwatch(&[]),
        logs: logs(&[]),
        athena: athena(&[]),
        s3: s3(&[]),
        dynamodb: dynamodb(&[]),
    }
}

pub fn logs_cloud(logs_rules: &[&Rule]) -> AwsCloud {
    AwsCloud::from_clients(Clients {
        logs: logs(logs_rules),
        ..clients()
    })
}

pub fn cloud(glue_rules: &[&Rule], emr_rules: &[&Rule]) -> AwsCloud {
    AwsCloud::from_clients(Clients {
        glue: glue(glue_rules),
        emr: emr(emr_rules),
        ..clients()
    })
}

pub fn sqs_cloud(sqs_rules: &[&Rule], cloudwatch_rules: &[&Rule]) -> AwsCloud {
    AwsCloud::from_clients(Clients {
        sqs: sqs(sqs_rules),
        cloudwatch: cloudwatch(cloudwatch_rules),
        ..clients()
    })
}

pub fn athena_cloud(athena_rules: &[&Rule], s3_rules: &[&Rule]) -> AwsCloud {
    AwsCloud::from_clients(Clients {
        athena: athena(athena_rules),
        s3: s3(s3_rules),
        ..clients()
    })
}
