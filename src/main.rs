//! The binary: parse, build a current-thread runtime, run, exit with the mapped status.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use cycle_notify::app::watchdog::{self, Watched};
use cycle_notify::leaf::env::ProcessEnv;
use cycle_notify::leaf::exit::Exit;

fn main() -> ExitCode {
    let cli = cycle_notify::cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cycle-notify: error: cannot start the async runtime: {e}");
            return ExitCode::from(Exit::Unreachable.code());
        }
    };
    let stdout = io::stdout();
    let out_is_terminal = stdout.is_terminal();
    let out_columns = terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0));
    // Writes that can block are watched, so a signal still ends a run nobody reads.
    watchdog::start();
    let mut out = Watched(stdout.lock());
    let err_is_terminal = io::stderr().is_terminal();
    let stdin_is_terminal = io::stdin().is_terminal();
    let mut err = Watched(io::stderr());
    let mut stdin = io::stdin().lock();
    let exit = runtime.block_on(cycle_notify::run(
        cli,
        cycle_notify::Io {
            out: &mut out,
            out_is_terminal,
            out_columns,
            err: &mut err,
            err_is_terminal,
            env: &ProcessEnv,
            stdin: &mut stdin,
            stdin_is_terminal,
            timing: Default::default(),
        },
    ));
    ExitCode::from(exit.code())
}
