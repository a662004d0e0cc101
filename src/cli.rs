//! The command-line grammar: clap derive definitions only, no I/O and no defaults from the
//! environment (settings.rs resolves flags, env and config in one place).

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{
    NonEmptyStringValueParser, PossibleValue, PossibleValuesParser, TypedValueParser,
};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalog::topics;
use crate::leaf::time::parse_duration;
use crate::output::color::COLOR_WHEN;
use crate::output::{ColorWhen, Format, Listing};

const AFTER_HELP: &str = "\
Examples:
  cycle-notify tail --demo                          watch a simulated hub, no account needed
  cycle-notify tail --topic 'container.*'           every container notification, live
  cycle-notify tail -o json | jq -r .topic          one JSON notification per line
  cycle-notify tail -t 'image.*' -x '*.error_reset' --count 10
  cycle-notify --profile prod tail --environment 5f1e...
  cycle-notify topics 'container.*'                 the topics there are to filter on
  printf '%s' \"$KEY\" | cycle-notify config set api_key --api-key-stdin

Credentials come from flags, the environment (CYCLE_API_KEY, CYCLE_HUB_ID, CYCLE_BASE_URL)
or the config file, in that order.";

/// `--version`: what a bug report needs (`-V` stays the one line).
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit: ",
    env!("CYCLE_NOTIFY_COMMIT"),
    "\ntarget: ",
    env!("CYCLE_NOTIFY_TARGET"),
    " (",
    env!("CYCLE_NOTIFY_PROFILE"),
    ")\ntls:    rustls ",
    env!("CYCLE_NOTIFY_RUSTLS"),
    " (ring), the operating system's trust store",
);

#[derive(Debug, Parser)]
#[command(
    name = "cycle-notify",
    version,
    long_version = LONG_VERSION,
    about = "Tail, filter and wait on the notification stream of a Cycle hub",
    after_help = AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags that go before or after any subcommand. Each command's help lists only those it
/// acts on ([`GLOBALS_USED`]).
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// API key with the notifications-listen capability [env: CYCLE_API_KEY]
    #[arg(long, global = true, value_name = "KEY", value_parser = NonEmptyStringValueParser::new())]
    pub api_key: Option<String>,

    /// Read the API key from standard input (trimmed): keeps it out of `ps` and shell history
    #[arg(long, global = true, conflicts_with = "api_key")]
    pub api_key_stdin: bool,

    /// Hub id (24 hex characters) [env: CYCLE_HUB_ID]
    #[arg(long, global = true, value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub hub: Option<String>,

    /// API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]
    #[arg(long, global = true, value_name = "URL", value_parser = NonEmptyStringValueParser::new())]
    pub base_url: Option<String>,

    /// Profile of the config file to use [env: CYCLE_PROFILE]
    #[arg(long, global = true, value_name = "NAME", value_parser = NonEmptyStringValueParser::new())]
    pub profile: Option<String>,

    /// Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]
    #[arg(long, global = true, value_name = "FILE", value_parser = non_empty_path)]
    pub config: Option<PathBuf>,

    /// When to colour output (auto: only on a terminal, never with NO_COLOR)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Log connection lifecycle to stderr (-vv adds per-frame sizes)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print only errors on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The global flags (by id) each command acts on: its help, man page and completions show
/// those only. The others are still accepted there, since a global flag may come before the
/// subcommand or after it, and do nothing. Every visible command has a row (a test checks).
pub const GLOBALS_USED: &[(&str, &[&str])] = &[
    ("tail", ALL_GLOBALS),
    ("wait-for", ALL_GLOBALS),
    // The simulator serves its own key and hub id and reads no config file.
    ("simulate", &["quiet"]),
    ("topics", &["quiet"]),
    ("completion", &[]),
    ("config", &["profile", "config", "quiet"]),
    ("config path", &["config"]),
    ("config show", CREDENTIALS),
    ("config get", CREDENTIALS),
    ("config check", CREDENTIALS),
    (
        "config set",
        &["api_key_stdin", "profile", "config", "quiet"],
    ),
    ("config unset", &["profile", "config", "quiet"]),
    ("config profiles", &["config", "quiet"]),
];

const ALL_GLOBALS: &[&str] = &[
    "api_key",
    "api_key_stdin",
    "hub",
    "base_url",
    "profile",
    "config",
    "color",
    "verbose",
    "quiet",
];

/// What resolving settings reads: the credentials and where the file is.
const CREDENTIALS: &[&str] = &[
    "api_key",
    "api_key_stdin",
    "hub",
    "base_url",
    "profile",
    "config",
    "quiet",
];

/// The command line as users see it: the derive's definition with each command's globals
/// narrowed to its row of [`GLOBALS_USED`]. Parsing, help and man pages go through it.
pub fn command() -> clap::Command {
    scoped(<Cli as clap::CommandFactory>::command(), Unused::Hidden)
}

/// What becomes of a global a command does not act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unused {
    /// Accepted and not shown: for parsing, help and man pages.
    Hidden,
    /// Not there at all: for completion scripts (clap_complete offers hidden flags), which
    /// need not parse anything.
    Absent,
}

/// `cmd` (the derive's definition, perhaps adjusted) narrowed as [`command`] says.
pub fn scoped(cmd: clap::Command, unused: Unused) -> clap::Command {
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let cmd = match unused {
        Unused::Hidden => cmd,
        Unused::Absent => cmd.mut_args(|a| a.global(false)),
    };
    narrow(cmd, "", &globals, unused)
}

/// Gives each command with a row its own copy of the globals: with `Hidden`, of every
/// global, hidden unless the row names it (clap then propagates nothing there, as it skips
/// globals a command already has, and parses the copies as its own); with `Absent`, of the
/// ones the row names only.
fn narrow(cmd: clap::Command, path: &str, globals: &[clap::Arg], unused: Unused) -> clap::Command {
    cmd.mut_subcommands(|sub| {
        let path = if path.is_empty() {
            sub.get_name().to_string()
        } else {
            format!("{path} {}", sub.get_name())
        };
        let sub = match GLOBALS_USED.iter().find(|(p, _)| *p == path) {
            Some((_, used)) => globals.iter().fold(sub, |sub, g| {
                let applies = used.contains(&g.get_id().as_str());
                match unused {
                    Unused::Hidden => sub.arg(g.clone().hide(!applies)),
                    // A conflict may name a global left out here; parsing still has it.
                    Unused::Absent if applies => sub.arg(
                        g.clone()
                            .global(false)
                            .conflicts_with(clap::builder::Resettable::Reset),
                    ),
                    Unused::Absent => sub,
                }
            }),
            None => sub,
        };
        narrow(sub, &path, globals, unused)
    })
}

/// Parses the process's arguments against [`command`]; a usage error exits 2 with clap's message.
pub fn parse() -> Cli {
    try_parse_from(std::env::args_os()).unwrap_or_else(|e| e.exit())
}

pub fn try_parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut cmd = command();
    let mut matches = cmd.try_get_matches_from_mut(args)?;
    <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches)
        .map_err(|e| e.format(&mut cmd))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the hub's notifications as they arrive, filtered
    #[command(after_help = TAIL_HELP)]
    Tail(Box<TailArgs>),

    /// Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)
    #[command(after_help = crate::catalog::kinds::help_table() + WAIT_HELP)]
    WaitFor(WaitForArgs),

    /// Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work
    #[command(after_help = SIMULATE_HELP)]
    Simulate(SimulateArgs),

    /// List the known notification topics, or those matching GLOBs
    #[command(after_help = TOPICS_HELP)]
    Topics(TopicsArgs),

    /// Show, check or edit the config file: path, show, get, check, set, unset, profiles
    #[command(subcommand, after_help = CONFIG_HELP)]
    Config(ConfigCommand),

    /// Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)
    #[command(after_help = COMPLETION_HELP)]
    Completion {
        /// The shell to complete in
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// Write shell completions or man pages (for packagers; not shown in help)
    #[command(subcommand, hide = true)]
    Generate(GenerateCommand),
}

const COMPLETION_HELP: &str = "\
Examples:
  source <(cycle-notify completion bash)            bash, this shell only
  cycle-notify completion bash > ~/.local/share/bash-completion/completions/cycle-notify
  cycle-notify completion zsh > ~/.zfunc/_cycle-notify    with fpath=(~/.zfunc $fpath)
  cycle-notify completion fish > ~/.config/fish/completions/cycle-notify.fish";

const TOPICS_HELP: &str = "\
The catalogue is for discovery and typo warnings: topics it does not know still pass
through `tail`. Legacy names (from older documentation) are marked.

Examples:
  cycle-notify topics
  cycle-notify topics 'container.*' '*.error'
  cycle-notify topics -o json | jq -r 'select(.status == \"current\") | .topic'";

const CONFIG_HELP: &str = "\
The config file is TOML: top-level api_key, hub_id, base_url, and [profiles.NAME] tables with
the same keys. `set` and `unset` keep comments and other content, create the directory, and
write the file with mode 0600. `--profile` (or CYCLE_PROFILE) selects the profile to edit;
`set --create` makes one that does not exist yet. Keys are shown by their last 4 characters.

Examples:
  cycle-notify config path
  cycle-notify config show
  cycle-notify config check                         is the key accepted for the hub?
  cycle-notify config set api_key                   prompts for the key (not echoed)
  printf '%s' \"$KEY\" | cycle-notify config set api_key --api-key-stdin
  cycle-notify config set hub_id 5f1e... --profile staging --create
  cycle-notify config get hub_id
  cycle-notify config unset base_url";

#[derive(Debug, Args, Clone)]
pub struct TopicsArgs {
    /// Only topics matching GLOB (`*` spans dots); all topics without one
    #[arg(value_name = "GLOB", value_parser = TOPIC_GLOB, hide_possible_values = true)]
    pub globs: Vec<String>,

    /// Output format: one topic per line, or one JSON object per line
    #[arg(
        short,
        long,
        value_name = "FORMAT",
        value_parser = FormatParser(Listing::Topics),
        default_value = Listing::Topics.default_format().name()
    )]
    pub output: Format,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print where the config file is (it may not exist yet)
    Path,
    /// Print the effective settings and where each comes from (keys by their last 4 characters)
    Show,
    /// Print the effective value of KEY (a key by its last 4 characters)
    Get {
        /// The key to print
        #[arg(value_enum, value_name = "KEY")]
        key: ConfigKey,
    },
    /// Ask the API whether the effective key is accepted for the effective hub (the token call)
    Check,
    /// Set KEY to VALUE in the config file (in the profile given by --profile)
    Set {
        /// The key to set
        #[arg(value_enum, value_name = "KEY")]
        key: ConfigKey,
        /// The value; for api_key leave it out: prompted for on a terminal, or --api-key-stdin
        #[arg(value_name = "VALUE")]
        value: Option<String>,
        /// Create the profile given by --profile when the file does not have it
        #[arg(long)]
        create: bool,
    },
    /// Remove KEY from the config file (from the profile given by --profile)
    Unset {
        /// The key to remove
        #[arg(value_enum, value_name = "KEY")]
        key: ConfigKey,
    },
    /// List the profiles defined in the config file, one per line
    Profiles,
}

/// The keys a config file holds, spelled as in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigKey {
    /// API key with the notifications-listen capability
    #[value(name = "api_key")]
    ApiKey,
    /// Hub id (24 hex characters)
    #[value(name = "hub_id")]
    HubId,
    /// API base URL
    #[value(name = "base_url")]
    BaseUrl,
    /// Signing secret for --forward-to (whsec_...)
    #[value(name = "forward_secret")]
    ForwardSecret,
}

impl ConfigKey {
    pub fn name(self) -> &'static str {
        match self {
            ConfigKey::ApiKey => "api_key",
            ConfigKey::HubId => "hub_id",
            ConfigKey::BaseUrl => "base_url",
            ConfigKey::ForwardSecret => "forward_secret",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Write completion scripts for bash, zsh, fish, elvish and powershell into DIR
    Completions {
        /// Directory to write into (created if missing)
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        dir: PathBuf,
    },
    /// Write cycle-notify.1 and one page per subcommand into DIR
    Man {
        /// Directory to write into (created if missing)
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        dir: PathBuf,
    },
}

const SIMULATE_HELP: &str = "\
On start, prints the `export` lines that point clients at it (eval them), then serves until
stopped, logging each connection on stderr. Each socket gets the scenario from its start;
state reads (GET /v1/containers/ID, ...) answer the last state announced.

Examples:
  cycle-notify simulate --port 7777 > sim.env &    then: . ./sim.env; cycle-notify tail
  cycle-notify simulate --scenario failure --speed 5
  cycle-notify simulate --replay captured.jsonl --loop
  cycle-notify simulate --scenario churn --rate max --count 1000000";

#[derive(Debug, Args, Clone)]
pub struct SimulateArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    pub port: u16,

    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Scenario to play (see --list-scenarios)
    #[arg(
        long,
        value_name = "NAME",
        default_value = "deploy",
        conflicts_with = "replay"
    )]
    pub scenario: String,

    /// List the scenarios and exit
    #[arg(long)]
    pub list_scenarios: bool,

    /// Send the notifications of a JSON-lines file (what `tail -o json` writes)
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,

    /// Start the replay over when it ends
    #[arg(long = "loop", requires = "replay")]
    pub repeat: bool,

    /// Notifications per second, or `max` (default: the scenario's or replay's own timing)
    #[arg(long, value_name = "N|max", value_parser = parse_rate)]
    pub rate: Option<Rate>,

    /// Stop after N notifications per connection (the socket stays open)
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Scale the scenario's clock (2: twice as fast)
    #[arg(long, value_name = "X", default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,

    /// API key the hub accepts (default: a random one, printed on start)
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,

    /// Hub id the hub answers to (default: a random 24-hex id, printed on start)
    #[arg(long, value_name = "ID")]
    pub hub_id: Option<String>,

    /// Also serve the internal API's notification socket on this unix socket path, as inside a Cycle container
    #[arg(long, value_name = "PATH", value_parser = non_empty_path)]
    pub internal_socket: Option<PathBuf>,

    /// Container token the internal socket accepts (default: a random one, printed on start)
    #[arg(long, value_name = "TOKEN", requires = "internal_socket", value_parser = NonEmptyStringValueParser::new())]
    pub internal_token: Option<String>,

    // Last: its heading would carry over to the fields after it.
    #[command(flatten)]
    pub faults: FaultArgs,
}

/// Misbehaviour on request, so scripts can be tested against a flaky hub.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Faults")]
pub struct FaultArgs {
    /// Abort every socket (no close frame) after it has been open this long
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true)]
    pub drop_every: Option<Duration>,

    /// Abort every socket after it has sent N notifications
    #[arg(long, value_name = "N")]
    pub drop_after: Option<u64>,

    /// Go silent after N notifications (no frames, pings unanswered): a half-open link
    #[arg(long, value_name = "N")]
    pub stall_after: Option<u64>,

    /// Send a bad frame (not JSON, binary, no topic, by turns) after every N notifications
    #[arg(long, value_name = "N")]
    pub garbage_every: Option<u64>,

    /// Refuse every token call with 401, as for a wrong key
    #[arg(long)]
    pub auth_fail: bool,

    /// Refuse token calls with 401 from the Nth on, as for a key revoked mid-run
    #[arg(long, value_name = "N", conflicts_with = "auth_fail")]
    pub revoke_after: Option<u32>,

    /// Answer the first N token calls with 429 and Retry-After: 1
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rate_limit_first: u32,

    /// Answer the first N token calls (after any 429s) with 503
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub unavailable_first: u32,

    /// The shape of 401s: Cycle's error envelope, or the OAuth shape the API spec allows for
    /// authentication errors (`{"error": "invalid_token", "error_description": ...}`)
    #[arg(long, value_name = "STYLE", value_enum, default_value_t = AuthFailStyle::Envelope)]
    pub auth_fail_style: AuthFailStyle,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum AuthFailStyle {
    #[default]
    Envelope,
    Oauth,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    PerSecond(f64),
    Max,
}

fn parse_rate(s: &str) -> Result<Rate, String> {
    if s.eq_ignore_ascii_case("max") {
        return Ok(Rate::Max);
    }
    match s.parse::<f64>() {
        // Pacing divides by the rate: keep the time between two notifications sane.
        Ok(n) if (0.01..=1e9).contains(&n) => Ok(Rate::PerSecond(n)),
        _ => Err(format!(
            "'{s}' is not a rate: give notifications per second (0.01 to 1e9) or `max`"
        )),
    }
}

/// A path flag given an empty value is a mistake (an unset variable), not "no file".
fn non_empty_path(s: &str) -> Result<PathBuf, String> {
    if s.is_empty() {
        return Err("the path is empty (an unset variable?)".into());
    }
    Ok(PathBuf::from(s))
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(n) if (0.01..=1e6).contains(&n) => Ok(n),
        _ => Err(format!("'{s}' is not a speed factor (0.01 to 1e6)")),
    }
}

const WAIT_HELP: &str = "
A 404 means \"not visible yet\" for --appear-within (a freshly created object), then \"not
found\"; --state deleted takes a 404 at once. Besides notifications, pending objects are read
again every --poll and after every reconnect. state.error is shown, and fails the kinds
marked above (or every kind with --fail-on-error).

Exit status: 0 when the objects reached a target state, 1 when one reached a failure state,
was deleted or not found, or got an error notification, 124 on --timeout, 3 when refused,
4 when unreachable or the API has no such path (check --base-url).

Examples:
  cycle-notify wait-for container \"$ID\" --state running --timeout 5m || exit $?
  cycle-notify wait-for container \"$ID\" --healthy --timeout 10m
  cycle-notify wait-for instance \"$INSTANCE\" --container \"$CONTAINER\"
  cycle-notify wait-for pipeline-run \"$RUN\" --pipeline \"$PIPELINE\" --heartbeat 1m
  cycle-notify wait-for job \"$A\" \"$B\" --any -o json | jq -r .id
  cycle-notify wait-for container --demo        (waits on the demo's first container)";

#[derive(Debug, Args, Clone)]
pub struct WaitForArgs {
    /// Kind of object: container, instance, image, job, ... (listed below)
    #[arg(value_name = "KIND", value_parser = KIND_NAME, hide_possible_values = true)]
    pub kind: String,

    /// Ids of the objects to wait for (`hub` needs none: it is the hub of --hub)
    #[arg(value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub ids: Vec<String>,

    /// Target states (default: per kind, listed below)
    #[arg(long = "state", value_name = "STATE", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub states: Vec<String>,

    /// States that end the wait with exit 1 (default: per kind, listed below)
    #[arg(long = "fail-on", value_name = "STATE", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub fail_on: Vec<String>,

    /// Succeed as soon as any one object reaches a target (default: all must)
    #[arg(long)]
    pub any: bool,

    /// Give up after this long with exit 124 (0: check once and exit)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "10m")]
    pub timeout: Duration,

    /// Treat a 404 as "not visible yet" this long before "not found" (re-read every 2s)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "10s")]
    pub appear_within: Duration,

    /// Also re-read the pending objects this often (0: on notifications and reconnects only)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "15s")]
    pub poll: Duration,

    /// In a pipe, a progress line on stderr this often (0: none; a terminal gets live lines)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "30s")]
    pub heartbeat: Duration,

    /// Fail when an object's state.error is set, for every kind (default: per kind, below)
    #[arg(long)]
    pub fail_on_error: bool,

    /// container only: also wait until every instance is running and healthy
    #[arg(long)]
    pub healthy: bool,

    /// With --healthy: how long an instance may stay unhealthy before the wait fails
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "30s")]
    pub unhealthy_grace: Duration,

    /// The container of an instance or backup (else learnt from its first notification)
    #[arg(long, value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub container: Option<String>,

    /// The pipeline of a run or trigger key
    #[arg(long, value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub pipeline: Option<String>,

    /// The environment of a scoped variable (else learnt from its first notification)
    #[arg(long, value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub environment: Option<String>,

    /// The DNS zone of a record
    #[arg(long, value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub zone: Option<String>,

    /// The virtual provider integration of an ISO
    #[arg(long, value_name = "ID", value_parser = NonEmptyStringValueParser::new())]
    pub integration: Option<String>,

    /// Output format of the settled objects (auto: pretty on a terminal, json otherwise)
    #[arg(
        short,
        long,
        value_name = "FORMAT",
        value_parser = FormatParser(Listing::Settled),
        default_value = Listing::Settled.default_format().name()
    )]
    pub output: Format,

    #[command(flatten)]
    pub stream: StreamArgs,

    /// Run against a simulated hub started in this process (no credentials needed)
    #[arg(long)]
    pub demo: bool,

    // The events from the internal API's socket; states are still read from the public API.
    #[command(flatten)]
    pub internal: InternalArgs,
}

const TAIL_HELP: &str = "\
Filters: the same flag given twice (or comma-separated) is OR; different flags are AND.
`*` in a topic glob matches any run of characters, dots included.

Acting on events: each notification that passes the filters also goes to every destination
(--exec, --forward-to, --publish), through a queue per destination (--queue). While a queue
is full the socket is not read (backpressure): nothing is dropped. Each object's
notifications are handled in order, one at a time. --exec gets the JSON on stdin and
CYCLE_TOPIC, CYCLE_OBJECT_ID, CYCLE_OBJECT_STATE, CYCLE_PREVIOUS_STATE, CYCLE_OBJECT_ERROR,
CYCLE_HUB_ID, CYCLE_ENVIRONMENT_IDS, CYCLE_CONTAINER_IDS. --forward-to signs each POST as
Standard Webhooks do (webhook-id, webhook-timestamp, webhook-signature). Failures are
retried, then reported on stderr; at the end, what is still queued gets --drain and is then
listed. Exit 5 when anything was not delivered.

Publishing: --publish nats://HOST:PORT (or NATS_URL) publishes each notification with a
JetStream ack to PREFIX.<hub id>.<topic> (in each topic segment whitespace, * and > become _,
an empty segment is _), the frame's bytes as payload, headers Cycle-Hub-Id, Cycle-Topic,
Cycle-Received-At and Nats-Msg-Id; a Cycle-side gap is published as a
cycle-notify.stream.gap record. --ha: of several bridges, the one holding the lease publishes
and a standby takes over within 10 s, after a gap record (what a handover can lose: the
man page and the README, Fan out with NATS).

Examples:
  cycle-notify tail --demo
  cycle-notify tail -t 'container.*' -x 'container.instance.*'
  cycle-notify tail -o json --state error,failed | jq -c '{topic, id: .object.id}'
  cycle-notify tail --count 1 --timeout 5m -t 'image.state.changed' --id $IMAGE_ID
  cycle-notify tail -t 'container.*' --exec ./on-event.sh
  cycle-notify tail -o none --forward-to http://127.0.0.1:8080/hook --forward-jobs 4
  cycle-notify tail -o none --publish nats://127.0.0.1:4222 --nats-stream CYCLE --ha";

#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only topics matching GLOB (repeatable, comma-separated)
    #[arg(
        short,
        long = "topic",
        value_name = "GLOB",
        value_delimiter = ',',
        value_parser = TOPIC_GLOB,
        hide_possible_values = true
    )]
    pub topics: Vec<String>,

    /// Drop topics matching GLOB (repeatable, comma-separated)
    #[arg(
        short = 'x',
        long = "exclude",
        value_name = "GLOB",
        value_delimiter = ',',
        value_parser = TOPIC_GLOB,
        hide_possible_values = true
    )]
    pub excludes: Vec<String>,

    /// Only notifications about this object id
    #[arg(long = "id", value_name = "ID", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub ids: Vec<String>,

    /// Only notifications whose object is in this state
    #[arg(long = "state", value_name = "STATE", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub states: Vec<String>,

    /// Only notifications in this environment (context.environments)
    #[arg(long = "environment", value_name = "ID", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub environments: Vec<String>,

    /// Only notifications about this container (context.containers)
    #[arg(long = "container", value_name = "ID", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub containers: Vec<String>,

    /// Only notifications in this cluster (context.clusters)
    #[arg(long = "cluster", value_name = "NAME", value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    pub clusters: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct TailArgs {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Output format (auto: pretty on a terminal, json otherwise; pretty fits the terminal)
    #[arg(
        short,
        long,
        value_name = "FORMAT",
        value_parser = FormatParser(Listing::Notifications),
        default_value = Listing::Notifications.default_format().name()
    )]
    pub output: Format,

    /// Exit 0 after N notifications passed the filters
    #[arg(short = 'n', long, value_name = "N")]
    pub count: Option<u64>,

    /// Exit 124 when no notification passed the filters for this long (a watchdog for cron and CI)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true)]
    pub idle_timeout: Option<Duration>,

    /// Stop after this long (e.g. 30s, 5m); exit 124 if --count was not reached
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true)]
    pub timeout: Option<Duration>,

    /// Run against a simulated hub started in this process (no credentials needed)
    #[arg(long)]
    pub demo: bool,

    #[command(flatten)]
    pub internal: InternalArgs,

    #[command(flatten)]
    pub stream: StreamArgs,

    /// Also print connection records (topic cycle-notify.stream.connected / .gap) on stdout
    #[arg(long)]
    pub status_events: bool,

    /// Pretty times in UTC, each with its date (default: local time, dated when the day changes)
    #[arg(long)]
    pub utc: bool,

    /// JSON lines start with "received_at" (RFC 3339, UTC): a recording `simulate --replay`
    /// plays back with its spacing (not with -o raw)
    #[arg(long)]
    pub timestamps: bool,

    #[command(flatten)]
    pub act: ActArgs,
}

/// The internal API's notification socket, for code running in a Cycle container.
#[derive(Debug, Args, Clone, Default)]
pub struct InternalArgs {
    /// Inside a Cycle container: follow the internal API's socket, with the container's CYCLE_API_TOKEN instead of an API key
    #[arg(long)]
    pub internal: bool,

    /// The internal API's unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]
    #[arg(long, value_name = "PATH", requires = "internal", value_parser = non_empty_path)]
    pub internal_socket: Option<PathBuf>,
}

/// What `tail` does with each notification besides printing it.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Acting on events")]
pub struct ActArgs {
    /// Run CMD (with sh -c) for each notification: its JSON on stdin, CYCLE_* variables set
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,

    /// Commands run at once (never two for the same object id) [default: 1]
    #[arg(long, value_name = "N", requires = "exec")]
    pub exec_jobs: Option<usize>,

    /// Kill a command (and its process group) that runs longer, counting it as failed
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "exec")]
    pub exec_timeout: Option<Duration>,

    /// Retry a failed command this many times, with backoff [default: 0]
    #[arg(long, value_name = "N", requires = "exec")]
    pub exec_retries: Option<u32>,

    /// POST each notification to URL, signed as Standard Webhooks prescribe
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,

    /// Signing secret (whsec_...) [env: CYCLE_NOTIFY_FORWARD_SECRET] [default: one per run]
    #[arg(long, value_name = "SECRET", requires = "forward_to")]
    pub forward_secret: Option<String>,

    /// Extra header on every POST, as 'Name: value' (repeatable)
    #[arg(long, value_name = "HEADER", requires = "forward_to")]
    pub forward_header: Vec<String>,

    /// POSTs in flight at once (never two for the same object id) [default: 1]
    #[arg(long, value_name = "N", requires = "forward_to")]
    pub forward_jobs: Option<usize>,

    /// Keep retrying a failed POST for this long [default: 5m]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "forward_to")]
    pub forward_retry_for: Option<Duration>,

    /// Give up on one POST attempt after this long [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "forward_to")]
    pub forward_timeout: Option<Duration>,

    /// Publish each notification to NATS JetStream (comma-separated servers) [env: NATS_URL]
    #[arg(long, value_name = "nats://HOST:PORT", num_args = 0..=1, default_missing_value = "")]
    pub publish: Option<String>,

    /// First subject token: subjects are PREFIX.<hub id>.<topic> [default: cycle]
    #[arg(long, value_name = "PREFIX", requires = "publish")]
    pub subject_prefix: Option<String>,

    /// NATS credentials file (JWT and nkey seed) [env: NATS_CREDS]
    #[arg(long, value_name = "FILE", requires = "publish")]
    pub nats_creds: Option<PathBuf>,

    /// CA certificate (PEM) to trust for TLS to NATS, besides the system store
    #[arg(long, value_name = "FILE", requires = "publish")]
    pub nats_ca: Option<PathBuf>,

    /// JetStream stream to publish into, created when missing (subjects PREFIX.<hub id>.>)
    #[arg(long, value_name = "NAME", requires = "publish")]
    pub nats_stream: Option<String>,

    /// Retention of a stream created by --nats-stream (default: unlimited)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "nats_stream")]
    pub nats_max_age: Option<Duration>,

    /// Standby bridge: of the bridges for one hub, the one holding a JetStream lease publishes
    #[arg(long, requires = "publish")]
    pub ha: bool,

    /// Keep retrying a failed publish for this long [default: 5m]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "publish")]
    pub publish_retry_for: Option<Duration>,

    /// Notifications queued per destination before the socket stops being read [default: 1000]
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,

    /// When the run ends, how long queued deliveries still get [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub drain: Option<Duration>,
}

/// How a streaming command stays connected (tail and wait-for flatten it).
#[derive(Debug, Args, Clone)]
pub struct StreamArgs {
    /// Exit 4 when the connection drops instead of reconnecting
    #[arg(long)]
    pub no_reconnect: bool,

    /// Ping the hub this often; no frame at all for two intervals means the link is dead
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "15s")]
    pub ping_interval: Duration,

    /// Exit 4 after N failed connection attempts in a row (default: retry for ever)
    #[arg(long, value_name = "N", conflicts_with = "no_reconnect")]
    pub max_reconnects: Option<u32>,

    /// Exit 4 after this long without a connection (default: retry for ever)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, conflicts_with = "no_reconnect")]
    pub give_up_after: Option<Duration>,
}

impl Default for StreamArgs {
    fn default() -> Self {
        StreamArgs {
            no_reconnect: false,
            ping_interval: Duration::from_secs(15),
            max_reconnects: None,
            give_up_after: None,
        }
    }
}

/// `-o` for one listing: the values and their help come from the output layer's format
/// table, and a format the listing does not print is clap's usage error (exit 2) naming
/// the ones it does.
#[derive(Debug, Clone, Copy)]
pub struct FormatParser(pub Listing);

impl FormatParser {
    fn values(&self) -> impl Iterator<Item = PossibleValue> {
        self.0
            .formats()
            .map(|(_, name, help)| PossibleValue::new(name).help(help))
    }
}

impl TypedValueParser for FormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        let name = PossibleValuesParser::new(self.values()).parse_ref(cmd, arg, value)?;
        Format::from_name(&name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values()))
    }
}

/// The `--color` values in the output layer's table order.
const COLOR_VALUES: [ColorWhen; COLOR_WHEN.len()] = {
    let mut values = [ColorWhen::Auto; COLOR_WHEN.len()];
    let mut i = 0;
    while i < COLOR_WHEN.len() {
        values[i] = COLOR_WHEN[i].0;
        i += 1;
    }
    values
};

/// `--color` from the output layer's table.
impl ValueEnum for ColorWhen {
    fn value_variants<'a>() -> &'a [Self] {
        &COLOR_VALUES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        COLOR_WHEN
            .iter()
            .find(|(w, _, _)| w == self)
            .map(|(_, name, help)| PossibleValue::new(*name).help(*help))
    }
}

/// A free-form string argument whose shell completion is offered a list of known values,
/// without rejecting others: topic globs (the catalogue is not complete and globs are checked
/// when compiled) and wait-for kinds (wait_for names the known kinds when it is not one).
#[derive(Debug, Clone, Copy)]
pub struct Suggest(fn() -> Vec<PossibleValue>);

/// The catalogue's topics, legacy names marked.
pub const TOPIC_GLOB: Suggest = Suggest(|| {
    topics::all()
        .map(|t| {
            let value = PossibleValue::new(t.name);
            if t.legacy {
                value.help("legacy name")
            } else {
                value
            }
        })
        .collect()
});

/// The kinds table with its aliases and default targets.
pub const KIND_NAME: Suggest = Suggest(|| {
    crate::catalog::kinds::KINDS
        .iter()
        .map(|k| {
            PossibleValue::new(k.name)
                .aliases(k.aliases.iter().copied())
                .help(format!("default target: {}", k.targets.join(", ")))
        })
        .collect()
});

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        NonEmptyStringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every visible command decides which globals it shows; the rows name real globals.
    #[test]
    fn every_command_has_a_row_of_globals() {
        let cmd = Cli::command();
        let globals: Vec<&str> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().as_str())
            .collect();
        assert_eq!(globals, ALL_GLOBALS);
        fn walk(cmd: &clap::Command, path: &str, paths: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let path = format!("{path} {}", sub.get_name()).trim().to_string();
                walk(sub, &path, paths);
                paths.push(path);
            }
        }
        let mut paths = Vec::new();
        walk(&cmd, "", &mut paths);
        for path in &paths {
            assert!(
                GLOBALS_USED.iter().any(|(p, _)| p == path),
                "{path} has no row in GLOBALS_USED"
            );
        }
        for (path, used) in GLOBALS_USED {
            assert!(paths.contains(&path.to_string()), "{path} is not a command");
            for id in *used {
                assert!(globals.contains(id), "{path}: {id} is not a global");
            }
        }
        command().debug_assert();
    }

    /// Narrowing hides, it does not remove: a global still parses after any subcommand.
    #[test]
    fn hidden_globals_still_parse() {
        let cli = try_parse_from(["cycle-notify", "topics", "--api-key", "k", "-v"]).unwrap();
        assert_eq!(cli.global.api_key.as_deref(), Some("k"));
        assert_eq!(cli.global.verbose, 1);
        let cli = try_parse_from(["cycle-notify", "--profile", "p", "config", "path"]).unwrap();
        assert_eq!(cli.global.profile.as_deref(), Some("p"));
        let cli = try_parse_from(["cycle-notify", "config", "show", "--hub", "h"]).unwrap();
        assert_eq!(cli.global.hub.as_deref(), Some("h"));
    }

    #[test]
    fn every_argument_has_one_line_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                match arg.get_help() {
                    Some(h) if !h.to_string().contains('\n') => {}
                    _ => missing.push(format!("{path} {id}")),
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {} (about)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "cycle-notify", &mut missing);
        assert!(missing.is_empty(), "without one-line help: {missing:?}");
    }

    #[test]
    fn topic_globs_accept_anything_but_offer_the_catalogue() {
        let cli = Cli::try_parse_from(["cycle-notify", "tail", "-t", "no.such.*,image.*"]).unwrap();
        let Command::Tail(args) = cli.command else {
            panic!("not tail")
        };
        assert_eq!(args.filters.topics, ["no.such.*", "image.*"]);
        let cmd = Cli::command();
        let tail = cmd.find_subcommand("tail").unwrap();
        let topic = tail
            .get_arguments()
            .find(|a| a.get_id() == "topics")
            .unwrap();
        let offered: Vec<String> = topic
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(offered.len(), topics::all().count());
        assert!(offered.iter().any(|t| t == "container.state.changed"));
    }

    #[test]
    fn api_key_stdin_conflicts_with_api_key() {
        let err = Cli::try_parse_from([
            "cycle-notify",
            "--api-key",
            "k",
            "--api-key-stdin",
            "topics",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("500000000000y").is_err());
        assert!(parse_duration("3650d").is_ok());
    }
}
