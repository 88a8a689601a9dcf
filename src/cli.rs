//! Command-line flags and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  pipedeck --demo                       the console on a simulated account (no AWS needed)
  pipedeck --profile prod --region eu-west-1
  pipedeck --read-only                  look, never act
  pipedeck snapshot --demo              what is failing, as JSON
  pipedeck snapshot --format markdown   an incident note for the channel
  pipedeck insights --group /aws-glue/jobs/error --since 1h 'fields @timestamp, @message | limit 20'
  pipedeck info                         versions, paths, identity
  pipedeck completions zsh              shell completions";

#[derive(Debug, Parser)]
#[command(name = "pipedeck", version, about = "A terminal console for on-call data-pipeline engineers on AWS", after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    console: ConsoleArgs,
    #[command(subcommand)]
    command: Option<Cmd>,
}

/// Where to connect and which config to read: every command that talks to
/// AWS takes these, before or after its name.
#[derive(Debug, Clone, Default, Args)]
pub struct AwsArgs {
    /// Use the built-in demo account instead of AWS.
    #[arg(long)]
    pub demo: bool,
    /// AWS profile (default: AWS_PROFILE, then "default").
    #[arg(long)]
    pub profile: Option<String>,
    /// AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint (e.g. a local emulator).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Config file (default: <config dir>/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// What only the interactive console (and `info`, which reports it) uses.
#[derive(Debug, Clone, Default, Args)]
pub struct ConsoleArgs {
    /// Refuse every mutating action.
    #[arg(long)]
    pub read_only: bool,
    /// Theme preset (dark, light, high-contrast), name in <config>/themes, or a file.
    #[arg(long)]
    pub theme: Option<String>,
    /// Keymap preset (default, arrows) or a file.
    #[arg(long)]
    pub keymap: Option<String>,
}

/// Every flag, merged from before and after the subcommand's name.
#[derive(Debug, Clone, Default)]
pub struct ConnArgs {
    pub demo: bool,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub read_only: bool,
    pub theme: Option<String>,
    pub keymap: Option<String>,
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The interactive console (the default).
    Tui {
        #[command(flatten)]
        aws: AwsArgs,
        #[command(flatten)]
        console: ConsoleArgs,
    },
    /// Poll every pane once, print, exit.
    Snapshot {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        #[command(flatten)]
        aws: AwsArgs,
    },
    /// Run one Logs Insights query and print its rows (statistics on stderr).
    #[command(
        after_help = "Examples:\n  pipedeck insights --group /aws-glue/jobs/error --since 1h 'fields @timestamp, @message | sort @timestamp desc | limit 50'\n  pipedeck insights --group /aws/lambda/a --group /aws/lambda/b --start 2026-11-27T02:00:00Z --end 2026-11-27T03:00:00Z --format csv 'stats count(*) by bin(5m)'\n\nExit status: 0 Complete; 1 rejected, Failed, Cancelled, Timeout or Unknown; 2 bad arguments; 130 interrupted (the query is stopped first)."
    )]
    Insights {
        /// Log group to search (repeat for several, up to 50).
        #[arg(long = "group", value_name = "NAME", required = true)]
        groups: Vec<String>,
        /// How far back from now: 90s, 15m, 1h, 7d.
        #[arg(long, value_name = "DURATION")]
        since: Option<String>,
        /// Window start: RFC 3339 or epoch seconds (with --end).
        #[arg(long, value_name = "TIME")]
        start: Option<String>,
        /// Window end: RFC 3339 or epoch seconds (with --start).
        #[arg(long, value_name = "TIME")]
        end: Option<String>,
        #[arg(long, value_enum, default_value_t = RowFormat::Json)]
        format: RowFormat,
        /// The Logs Insights query.
        query: String,
        #[command(flatten)]
        aws: AwsArgs,
    },
    /// Run one Athena SQL query and print its rows (state, scan and cost on stderr).
    #[command(
        after_help = "Examples:\n  pipedeck athena --workgroup de-team-prod --database sales_db 'SELECT region, count(*) FROM transactions WHERE year = \'2026\' GROUP BY 1'\n  pipedeck athena --workgroup primary --format csv 'SHOW PARTITIONS silver_db.orders' > partitions.csv\n\nRows come from the result file in S3 when it can be read (one request, any size), else from GetQueryResults pages.\nExit status: 0 SUCCEEDED; 1 rejected, FAILED or CANCELLED; 2 bad arguments; 130 interrupted (the query is stopped first)."
    )]
    Athena {
        /// The work group to run in (its result location and scan limit apply).
        #[arg(long, value_name = "NAME", default_value = "primary")]
        workgroup: String,
        /// The data catalog for unqualified names.
        #[arg(long, value_name = "NAME")]
        catalog: Option<String>,
        /// The database for unqualified table names.
        #[arg(long, value_name = "NAME")]
        database: Option<String>,
        /// Where results go when the work group names no result location.
        #[arg(long, value_name = "S3URI")]
        output_location: Option<String>,
        #[arg(long, value_enum, default_value_t = RowFormat::Json)]
        format: RowFormat,
        /// The SQL.
        query: String,
        #[command(flatten)]
        aws: AwsArgs,
    },
    /// Print version, paths, connection and caller identity.
    Info {
        #[command(flatten)]
        aws: AwsArgs,
        #[command(flatten)]
        console: ConsoleArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  pipedeck completions bash > ~/.local/share/bash-completion/completions/pipedeck\n  pipedeck completions zsh > \"${fpath[1]}/_pipedeck\"\n  pipedeck completions fish > ~/.config/fish/completions/pipedeck.fish"
    )]
    Completions { shell: clap_complete::Shell },
}

impl Cli {
    /// The command to run and its flags, those given before the
    /// subcommand's name merged with those after it. A flag the command
    /// would ignore (`--theme` before `snapshot`) is an error, as it is
    /// after the name.
    pub fn resolve(self) -> Result<(ConnArgs, Cmd), clap::Error> {
        let command = self.command.unwrap_or(Cmd::Tui {
            aws: AwsArgs::default(),
            console: ConsoleArgs::default(),
        });
        let (name, aws, console) = match &command {
            Cmd::Tui { aws, console } => ("", Some(aws), Some(console)),
            Cmd::Info { aws, console } => ("info", Some(aws), Some(console)),
            Cmd::Snapshot { aws, .. } => ("snapshot", Some(aws), None),
            Cmd::Insights { aws, .. } => ("insights", Some(aws), None),
            Cmd::Athena { aws, .. } => ("athena", Some(aws), None),
            Cmd::Completions { .. } => ("completions", None, None),
        };
        let unused = |flags: Vec<(&str, bool)>| -> Result<(), clap::Error> {
            match flags.into_iter().find(|(_, given)| *given) {
                Some((flag, _)) => {
                    use clap::CommandFactory;
                    Err(Cli::command().error(
                        clap::error::ErrorKind::ArgumentConflict,
                        format!("{flag} does nothing for `pipedeck {name}`; leave it out"),
                    ))
                }
                None => Ok(()),
            }
        };
        let (top, top_ui) = (self.aws, self.console);
        if console.is_none() {
            unused(vec![
                ("--read-only", top_ui.read_only),
                ("--theme", top_ui.theme.is_some()),
                ("--keymap", top_ui.keymap.is_some()),
            ])?;
        }
        if aws.is_none() {
            unused(vec![
                ("--demo", top.demo),
                ("--profile", top.profile.is_some()),
                ("--region", top.region.is_some()),
                ("--endpoint-url", top.endpoint_url.is_some()),
                ("--config", top.config.is_some()),
            ])?;
        }
        let aws = aws.cloned().unwrap_or_default();
        let ui = console.cloned().unwrap_or_default();
        let conn = ConnArgs {
            demo: top.demo || aws.demo,
            profile: aws.profile.or(top.profile),
            region: aws.region.or(top.region),
            endpoint_url: aws.endpoint_url.or(top.endpoint_url),
            config: aws.config.or(top.config),
            read_only: top_ui.read_only || ui.read_only,
            theme: ui.theme.or(top_ui.theme),
            keymap: ui.keymap.or(top_ui.keymap),
        };
        Ok((conn, command))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowFormat {
    Json,
    Csv,
    Markdown,
}

impl From<RowFormat> for crate::export::Format {
    fn from(f: RowFormat) -> Self {
        match f {
            RowFormat::Json => Self::Json,
            RowFormat::Csv => Self::Csv,
            RowFormat::Markdown => Self::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Markdown,
}
