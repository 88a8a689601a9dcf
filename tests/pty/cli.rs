//! The binary's headless surface: flags, exit codes, config errors,
//! `snapshot` on the demo account, version, help and completions.

fn pipedeck(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
        .args(args)
        .env("XDG_CONFIG_HOME", dir.join("c"))
        .env("XDG_STATE_HOME", dir.join("s"))
        .output()
        .unwrap()
}

#[test]
fn version_help_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let v = pipedeck(&["--version"], dir.path());
    assert!(v.status.success());
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).trim(),
        format!("pipedeck {}", env!("CARGO_PKG_VERSION"))
    );
    let h = String::from_utf8_lossy(&pipedeck(&["--help"], dir.path()).stdout).to_string();
    assert!(
        h.contains("Examples:") && h.contains("pipedeck --demo"),
        "{h}"
    );
    for (shell, marker) in [
        ("bash", "_pipedeck()"),
        ("zsh", "#compdef pipedeck"),
        ("fish", "complete -c pipedeck"),
    ] {
        let out = pipedeck(&["completions", shell], dir.path());
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(text.contains("snapshot"), "{shell} completes subcommands");
    }
    // A broken config does not stand between a user and their completions.
    std::fs::create_dir_all(dir.path().join("c/pipedeck")).unwrap();
    std::fs::write(dir.path().join("c/pipedeck/config.toml"), "theme = [").unwrap();
    assert!(pipedeck(&["completions", "bash"], dir.path())
        .status
        .success());
    assert_eq!(
        pipedeck(&["--demo", "snapshot"], dir.path()).status.code(),
        Some(2)
    );
    let bad = pipedeck(&["completions", "cmd.exe"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn broken_config_exits_2_before_touching_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "theme = \"dark\"\n[poll]\nglue_secs = \"soon\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
        .args(["--demo", "--config"])
        .arg(&cfg)
        .env("XDG_CONFIG_HOME", dir.path().join("c"))
        .env("XDG_STATE_HOME", dir.path().join("s"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3"), "{err}");
    assert!(err.contains("invalid type"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

#[test]
fn broken_theme_and_user_keymap_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("mine.toml");
    std::fs::write(&theme, "name = \"mine\"\n[colors]\nfg = \"blurple\"\n").unwrap();
    let run = |args: &[&str], config_home: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
            .args(args)
            .env("XDG_CONFIG_HOME", config_home)
            .env("XDG_STATE_HOME", dir.path().join("s"))
            .output()
            .unwrap()
    };
    let out = run(
        &["--demo", "--theme", theme.to_str().unwrap()],
        &dir.path().join("c"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mine.toml:3") && err.contains("blurple"),
        "{err}"
    );

    let home = dir.path().join("c2");
    std::fs::create_dir_all(home.join("pipedeck")).unwrap();
    std::fs::write(
        home.join("pipedeck/keymap.toml"),
        "[normal]\nhelp = [\"F1\"]\nteleport = [\"t\"]\n",
    )
    .unwrap();
    let out = run(&["--demo", "snapshot"], &home);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("keymap.toml:3") && err.contains("teleport"),
        "{err}"
    );

    let out = run(&["--demo", "--theme", "nope"], &dir.path().join("c"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("theme 'nope'"));
}

#[test]
fn demo_snapshot_json_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let run = |fmt: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"))
            .args(["snapshot", "--demo", "--format", fmt])
            .env("XDG_CONFIG_HOME", dir.path().join("c"))
            .env("XDG_STATE_HOME", dir.path().join("s"))
            .output()
            .unwrap()
    };
    let out = run("json");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["account"], "123456789012");
    assert_eq!(v["glue"]["error"], serde_json::Value::Null);
    let jobs = v["glue"]["jobs"].as_array().unwrap();
    let raw = jobs
        .iter()
        .find(|j| j["name"] == "raw-to-silver-transform")
        .unwrap();
    assert_eq!(raw["last_run"]["state"], "FAILED");
    assert!(raw["last_run"]["error_message"]
        .as_str()
        .unwrap()
        .contains("Empty file"));
    assert!(raw["last_run"]["started_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    // The demo's DLQs: deepest first, sources from RedrivePolicy, the
    // SNS-fed one from config, ages from CloudWatch.
    assert_eq!(v["dlq"]["error"], serde_json::Value::Null);
    let queues = v["dlq"]["queues"].as_array().unwrap();
    assert_eq!(queues[0]["name"], "pipeline-events-dlq");
    assert_eq!(queues[0]["visible"], 37);
    assert_eq!(queues[0]["sources"], serde_json::json!(["pipeline-events"]));
    assert_eq!(queues[0]["max_receive_count"], 3);
    assert_eq!(queues[0]["oldest_age_s"], 2400);
    assert_eq!(queues[0]["move_task"], serde_json::Value::Null);
    let fanout = queues
        .iter()
        .find(|q| q["name"] == "alerts-fanout-dlq")
        .unwrap();
    assert_eq!(fanout["sources"], serde_json::json!([]));
    assert_eq!(fanout["configured"], true);
    // P8's queue, written by the pipeline itself (its message names the
    // run whose audit record says REQUIRES_MANUAL_REVIEW).
    let review = queues.iter().find(|q| q["name"] == "pipeline-dlq").unwrap();
    assert_eq!(review["visible"], 1);
    assert_eq!(review["configured"], true);
    let empty = queues
        .iter()
        .find(|q| q["name"] == "file-arrival-dlq")
        .unwrap();
    assert_eq!(empty["visible"], 0);
    assert_eq!(empty["oldest_age_s"], serde_json::Value::Null);
    // Alarms: ALARM first (longest first), composites typed, metric math
    // without namespace, a disabled one visible.
    assert_eq!(v["alarms"]["error"], serde_json::Value::Null);
    let alarms = v["alarms"]["alarms"].as_array().unwrap();
    assert_eq!(v["alarms"]["in_alarm"], 4);
    assert_eq!(alarms[0]["name"], "pipeline-events-DLQ-not-empty");
    assert_eq!(alarms[0]["state"], "ALARM");
    assert_eq!(alarms[0]["namespace"], "AWS/SQS");
    assert_eq!(alarms[0]["threshold"], 0.0);
    assert!(alarms[0]["state_since"].as_str().unwrap().ends_with('Z'));
    let composite = alarms.iter().find(|a| a["type"] == "composite").unwrap();
    assert_eq!(composite["namespace"], serde_json::Value::Null);
    assert_eq!(composite["threshold"], serde_json::Value::Null);
    let math = alarms
        .iter()
        .find(|a| a["name"] == "orders-rows-anomaly")
        .unwrap();
    assert_eq!(math["type"], "metric");
    assert_eq!(math["metric"], serde_json::Value::Null);
    assert_eq!(math["state"], "INSUFFICIENT_DATA");
    let off = alarms
        .iter()
        .find(|a| a["name"] == "GlueJobDurationBreached-orders-bronze-to-silver")
        .unwrap();
    assert_eq!(off["actions_enabled"], false);
    let md = run("markdown");
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        // Three: orders-bronze-to-silver's retry runs after a timeout, and a
        // retry does not make a job healthy.
        md.contains("**3 Glue jobs failing, 2 EMR clusters with failures, 4 alarms in ALARM, 44 messages in DLQs.**"),
        "{md}"
    );
    assert!(md.contains("3 of 8 jobs failing"), "{md}");
    assert!(md.contains("a retry is running"), "{md}");
    // The console's one time form, not RFC 3339.
    assert!(md.contains(" UTC"), "{md}");
    assert!(md.contains("daily-pipeline-7f3a9c21"), "{md}");
    assert!(md.contains("log: `s3://my-logs/emr/"), "{md}");
    assert!(md.contains("raw-to-silver-transform"), "{md}");
    assert!(
        md.contains(
            "- **pipeline-events-dlq**: 37 message(s), oldest 40m 00s — from pipeline-events"
        ),
        "{md}"
    );
}

#[test]
fn each_subcommand_lists_only_the_flags_it_uses() {
    let dir = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| {
        let out = pipedeck(args, dir.path());
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let snapshot = help(&["snapshot", "--help"]);
    for used in [
        "--format",
        "--demo",
        "--profile",
        "--region",
        "--endpoint-url",
        "--config",
    ] {
        assert!(snapshot.contains(used), "{used}: {snapshot}");
    }
    for unused in ["--theme", "--keymap", "--read-only"] {
        assert!(!snapshot.contains(unused), "{unused}: {snapshot}");
    }
    let insights = help(&["insights", "--help"]);
    assert!(insights.contains("--group") && insights.contains("--region"));
    assert!(!insights.contains("--theme") && !insights.contains("--read-only"));
    let completions = help(&["completions", "--help"]);
    assert!(!completions.contains("--demo") && !completions.contains("--theme"));
    // The console and `info` (which reports the theme, keymap and mode)
    // keep them.
    for args in [&["--help"][..], &["info", "--help"]] {
        let h = help(args);
        assert!(h.contains("--theme") && h.contains("--read-only"), "{h}");
    }
    // Before the subcommand's name they mean the same; where they do
    // nothing they are refused, as after it.
    let out = pipedeck(&["--theme", "light", "snapshot", "--demo"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--theme does nothing for `pipedeck snapshot`"));
    let out = pipedeck(&["snapshot", "--theme", "light", "--demo"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = pipedeck(&["--demo", "snapshot"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn with_config(text: &str) -> Result<pipedeck::config::Loaded, pipedeck::config::ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(&file, text).unwrap();
    let paths = pipedeck::config::Paths::under(
        dir.path().join("c"),
        dir.path().join("s"),
        dir.path().join("d"),
    );
    pipedeck::config::load(
        &paths,
        &pipedeck::config::Overrides {
            config_file: Some(file),
            ..Default::default()
        },
    )
}

#[test]
fn a_zero_poll_interval_is_refused_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("zero.toml");
    std::fs::write(&cfg, "theme = \"dark\"\n[poll]\nglue_secs = 0\n").unwrap();
    let out = pipedeck(&["--demo", "--config", cfg.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zero.toml:3:13: glue_secs = 0"), "{err}");
    assert!(err.contains("1 to 86400"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

#[test]
fn numbers_that_make_no_sense_are_refused_with_file_line_col() {
    for (text, line_col, key) in [
        ("[poll]\nalarms_secs = 0\n", ":2:15:", "alarms_secs"),
        ("[poll]\ninsights_secs = 0\n", ":2:17:", "insights_secs"),
        ("[poll]\nredrive_secs = 0\n", ":2:16:", "redrive_secs"),
        (
            "[poll]\nmax_backoff_secs = 0\n",
            ":2:20:",
            "max_backoff_secs",
        ),
        ("[poll]\nhidden_factor = 0\n", ":2:17:", "hidden_factor"),
        ("[alarms]\nsnooze_minutes = 0\n", ":2:18:", "snooze_minutes"),
        (
            "[alarms]\nsnooze_minutes = -5\n",
            ":2:18:",
            "snooze_minutes",
        ),
        ("[dlq]\npeek_max = 0\n", ":2:12:", "peek_max"),
        ("[dlq]\npeek_max = 500\n", ":2:12:", "peek_max"),
        // Upper bounds: a poll past a day is not polling, and a huge
        // number must not overflow the clock arithmetic.
        (
            "[poll]\nglue_secs = 10000000000000\n",
            ":2:13:",
            "glue_secs",
        ),
        ("[poll]\nhidden_factor = 1000\n", ":2:17:", "hidden_factor"),
        (
            "[alarms]\nsnooze_minutes = 99999999\n",
            ":2:18:",
            "snooze_minutes",
        ),
        (
            "[insights]\ncost_per_gb = -0.005\n",
            ":2:15:",
            "cost_per_gb",
        ),
        (
            "[insights.glue]\nmargin_minutes = -1\n",
            ":2:18:",
            "margin_minutes",
        ),
    ] {
        let err = with_config(text).unwrap_err().to_string();
        assert!(err.contains(line_col) && err.contains(key), "{text}: {err}");
    }
    // The edges that do make sense are accepted.
    let ok = with_config(
        "[poll]\nglue_secs = 1\nalarms_secs = 86400\nhidden_factor = 1\n[alarms]\nsnooze_minutes = 1\n[dlq]\npeek_max = 100\n[insights]\ncost_per_gb = 0.0\n[insights.glue]\nmargin_minutes = 0\n",
    )
    .unwrap();
    assert_eq!(ok.config.poll.glue_secs, 1);
}

#[test]
fn an_unknown_theme_names_the_themes_folder_and_what_is_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("c/pipedeck/themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(themes.join("ocean.toml"), "").unwrap();
    std::fs::write(themes.join("night.toml"), "").unwrap();
    let out = pipedeck(&["--demo", "--theme", "oceanic"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("theme 'oceanic'"), "{err}");
    assert!(err.contains(&themes.display().to_string()), "{err}");
    assert!(err.contains("found: night, ocean"), "{err}");
    assert!(err.contains("dark, light, high-contrast"), "{err}");
}

/// `pipedeck ARGS` with no AWS settings from this machine: an AWS config
/// file of our own, fake keys, and an endpoint where nothing listens.
fn isolated(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pipedeck"));
    cmd.args(args)
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("c"))
        .env("XDG_STATE_HOME", dir.join("s"))
        .env("XDG_DATA_HOME", dir.join("d"))
        .env("AWS_CONFIG_FILE", dir.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("aws-credentials"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn info_says_which_region_the_console_uses_and_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aws-config"),
        "[profile night-shift]\nregion = eu-central-1\n",
    )
    .unwrap();
    let region = |args: &[&str], env: &[(&str, &str)]| {
        let out = isolated(dir.path(), args, env);
        out.lines()
            .find(|l| l.starts_with("region "))
            .unwrap_or_else(|| panic!("{out}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        region(&["info"], &[]),
        "us-east-1 (default: no --region, AWS_REGION, AWS_DEFAULT_REGION or region in profile 'default')"
    );
    assert_eq!(
        region(&["info", "--profile", "night-shift"], &[]),
        "eu-central-1 (from profile 'night-shift')"
    );
    assert_eq!(
        region(&["info"], &[("AWS_PROFILE", "night-shift")]),
        "eu-central-1 (from profile 'night-shift')"
    );
    assert_eq!(
        region(
            &["info", "--profile", "night-shift"],
            &[("AWS_REGION", "ap-south-1")]
        ),
        "ap-south-1 (from AWS_REGION)"
    );
    assert_eq!(
        region(&["info"], &[("AWS_DEFAULT_REGION", "ca-central-1")]),
        "ca-central-1 (from AWS_DEFAULT_REGION)"
    );
    assert_eq!(
        region(
            &["--region", "sa-east-1", "info"],
            &[("AWS_REGION", "ap-south-1")]
        ),
        "sa-east-1 (from --region)"
    );
    // The console (here its snapshot) uses the region `info` names.
    let snap = isolated(dir.path(), &["snapshot"], &[]);
    let v: serde_json::Value = serde_json::from_str(&snap).unwrap();
    assert_eq!(v["region"], "us-east-1");
}
