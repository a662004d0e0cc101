//! The commands: one module each. Each turns its flags into a plan before any I/O and maps
//! the errors of the layers below to exit statuses per call site.

pub mod act;
pub mod common;
pub mod config;
pub mod generate;
pub mod prompt;
pub mod simulate;
pub mod tail;
pub mod topics;
pub mod wait_for;
pub mod watchdog;

use std::io::{Read, Write};
use std::time::Duration;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::settings::{self, Overrides, Settings, Source, Sourced};
use crate::hub::backoff::Backoff;
use crate::leaf::env::Env;
use crate::leaf::exit::{self, Exit};
use crate::output::report::Report;

/// What a run reads and writes besides its arguments.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub out_is_terminal: bool,
    /// The width of the terminal stdout is, when it is one (pretty lines are fitted to it).
    pub out_columns: Option<usize>,
    pub err: &'a mut dyn Write,
    /// Whether stderr is a terminal: progress is drawn live there, and beats in a pipe.
    pub err_is_terminal: bool,
    pub env: &'a dyn Env,
    /// Read only for `--api-key-stdin`, and for the key `config set api_key` asks for.
    pub stdin: &'a mut dyn Read,
    /// Whether stdin is a terminal (then `config set api_key` may prompt for the key).
    pub stdin_is_terminal: bool,
    /// `Timing::default()` but in tests.
    #[doc(hidden)]
    pub timing: Timing,
}

/// How fast the retry and demo clocks run: the real values in the binary; tests shrink them
/// to drive the same state machines (reconnects, retries, the demo) in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// The schedule of every retry: token calls, state reads, reconnects.
    pub backoff: Backoff,
    /// The demo hub's pauses are multiplied by this (1.0: human pace).
    pub demo_pace: f64,
    /// How long `wait-for --timeout 0` waits for the answers of its one check.
    pub check: std::time::Duration,
    /// How often wait-for reads an object again while it answers 404 within
    /// `--appear-within`: 2 s, the official job tracker's interval (docs/cycle-api.md §6).
    pub reread: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            backoff: Backoff::default(),
            demo_pace: 1.0,
            check: std::time::Duration::from_secs(3),
            reread: Duration::from_secs(2),
        }
    }
}

/// Where stdout goes: a terminal (of a known width) or not.
#[derive(Debug, Clone, Copy)]
pub struct Stdout {
    pub is_terminal: bool,
    pub columns: Option<usize>,
}

/// Runs one parsed command line to its exit status. Errors become one line on stderr.
pub async fn run(cli: Cli, io: Io<'_>) -> Exit {
    let mut report =
        Report::new(io.err, cli.global.quiet, cli.global.verbose).on_terminal(io.err_is_terminal);
    let result = dispatch(
        &cli,
        io.out,
        Stdout {
            is_terminal: io.out_is_terminal,
            columns: io.out_columns,
        },
        config::Input {
            stdin: io.stdin,
            terminal: io.stdin_is_terminal,
        },
        io.env,
        &io.timing,
        &mut report,
    )
    .await;
    match result {
        Ok(exit) => exit,
        Err(e) if exit::is_broken_pipe(&e) => Exit::Success,
        Err(e) => {
            report.error(&exit::one_line(&e));
            exit::status_of(&e)
        }
    }
}

async fn dispatch(
    cli: &Cli,
    out: &mut dyn Write,
    stdout: Stdout,
    input: config::Input<'_>,
    env: &dyn Env,
    timing: &Timing,
    report: &mut Report<'_>,
) -> anyhow::Result<Exit> {
    let global = &cli.global;
    let overrides = overrides(global, input.stdin)?;
    match &cli.command {
        Command::Tail(args) => {
            let overrides = Overrides {
                forward_secret: args.act.forward_secret.clone(),
                internal_socket: args.internal.internal_socket.clone(),
                ..overrides
            };
            let settings = resolve(&overrides, env, report)?;
            tail::run(&settings, args, out, stdout, timing, report).await
        }
        Command::WaitFor(args) => {
            let overrides = Overrides {
                internal_socket: args.internal.internal_socket.clone(),
                ..overrides
            };
            let settings = resolve(&overrides, env, report)?;
            wait_for::run(&settings, args, out, stdout.is_terminal, timing, report).await
        }
        // The simulator serves its own credentials: the config file is not its business.
        Command::Simulate(args) => simulate::run(args, out, report).await,
        Command::Topics(args) => topics::run(args, out, stdout.is_terminal, report),
        // Not through `resolve`: `config set --profile new` must work before `new` exists,
        // and `config path` even when the file is broken.
        Command::Config(args) => {
            config::run(args, global, &overrides, env, input, out, report).await
        }
        Command::Completion { shell } => generate::print_completion(*shell, out),
        Command::Generate(args) => generate::run(args, report),
    }
}

/// The one Settings of a run, its config-file warnings printed once.
fn resolve(global: &Overrides, env: &dyn Env, report: &mut Report<'_>) -> anyhow::Result<Settings> {
    let settings = Settings::resolve(global, env)?;
    for w in &settings.warnings {
        report.warn(w);
    }
    Ok(settings)
}

/// The global flags as the config layer's overrides; the key is read from standard input
/// here, once, for `--api-key-stdin`.
fn overrides(global: &GlobalArgs, stdin: &mut dyn Read) -> anyhow::Result<Overrides> {
    let api_key = if global.api_key_stdin {
        Some(Sourced {
            value: settings::read_stdin_key(stdin)?,
            source: Source::Stdin,
        })
    } else {
        global.api_key.clone().map(|value| Sourced {
            value,
            source: Source::Flag("--api-key"),
        })
    };
    Ok(Overrides {
        api_key,
        hub: global.hub.clone(),
        base_url: global.base_url.clone(),
        profile: global.profile.clone(),
        config: global.config.clone(),
        color: global.color,
        forward_secret: None,
        internal_socket: None,
    })
}
