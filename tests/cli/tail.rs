//! `tail` end to end: formats, filters, settings precedence, auth and network failures,
//! bad frames, limits, signals, pipes and the demo.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use crate::support::*;

const C1: &str = "65f0c0ffee0000000000c001";
const C2: &str = "65f0c0ffee0000000000c002";

fn three() -> Vec<Step> {
    vec![
        note("container.state.changed", C1, "running"),
        note("image.state.changed", C2, "live"),
        note("container.instance.state.changed", C2, "stopped"),
    ]
}

/// The script, then a clean close: with `--no-reconnect` the run ends (exit 4) once every
/// frame went through the filters, so a test sees all output without waiting on a timer.
fn closing(mut steps: Vec<Step>) -> Vec<Step> {
    steps.push(Step::Close);
    steps
}

fn assert_closed_after_all(out: &Output) {
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("closed"), "{}", out.stderr);
}

#[test]
fn json_output_is_each_frame_parsed_back() {
    let frame = r#"{"topic":"container.state.changed","object":{"id":"x1","state":"running"},"unknown_field":{"kept":[1,2,3]}}"#;
    let pretty_frame = "{\n  \"topic\": \"image.new\",\n  \"object\": {\"id\": \"x2\"}\n}";
    let hub = hub(vec![Step::text(frame), Step::text(pretty_frame)]);
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--count", "2"]));
    assert_eq!(out.code, 0, "{out:?}");
    let lines = out.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        serde_json::from_str::<serde_json::Value>(frame).unwrap()
    );
    assert_eq!(lines[0]["unknown_field"]["kept"][2], 3);
    assert_eq!(lines[1]["topic"], "image.new");
    assert_eq!(out.stdout.lines().count(), 2, "one line per notification");
}

#[test]
fn auto_is_json_when_piped_and_raw_is_verbatim() {
    let pretty_frame = "{\n  \"topic\": \"image.new\"\n}";
    let hub = hub(vec![Step::text(pretty_frame)]);
    let out = run(cmd_for(&hub).args(["tail", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["topic"], "image.new");
    let out = run(cmd_for(&hub).args(["tail", "-o", "raw", "--count", "1"]));
    assert_eq!(out.stdout, format!("{pretty_frame}\n"));
}

#[test]
fn pretty_output_and_colour_rules() {
    let frame = serde_json::json!({
        "topic": "container.instance.error",
        "object": {"id": C1, "state": "failed", "previous_state": "running", "error": {"message": "out of memory"}},
        "context": {"environments": ["envA"], "containers": ["ctrB"], "clusters": ["production"]},
    })
    .to_string();
    let hub = hub(vec![Step::text(frame)]);
    let out = run(cmd_for(&hub).args(["tail", "-o", "pretty", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    let line = out.stdout.trim_end();
    for part in [
        "container.instance.error",
        C1,
        "running → failed",
        "out of memory",
        "envA",
        "ctrB",
        "production",
    ] {
        assert!(line.contains(part), "{part:?} missing from {line:?}");
    }
    assert!(!line.contains('\x1b'), "no colour on a pipe: {line:?}");

    let coloured = |extra: &[(&str, &str)], args: &[&str]| {
        let mut c = cmd_for(&hub);
        for (k, v) in extra {
            c.env(k, v);
        }
        let out = run(c.args(["tail", "-o", "pretty", "--count", "1"]).args(args));
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout.contains('\x1b')
    };
    assert!(coloured(&[], &["--color", "always"]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &[]
    ));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
}

#[test]
fn pretty_shows_bidi_and_control_characters_from_the_hub_escaped() {
    let id = "65f0c0ffee\u{202e}0000abcd";
    let frame = serde_json::json!({
        "topic": "container.error",
        "object": {"id": id, "error": "boom\u{1b}]0;owned\u{7}\nsecond line\u{200b}"},
    })
    .to_string();
    let hub = hub(vec![Step::text(frame)]);
    let out = run(cmd_for(&hub).args(["tail", "-o", "pretty", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 1, "{:?}", out.stdout);
    let line = out.stdout.trim_end();
    assert!(line.contains(r"65f0c0ffee\u{202e}0000abcd"), "{line:?}");
    assert!(
        line.contains(r"boom\u{1b}]0;owned\u{7}\nsecond line\u{200b}"),
        "{line:?}"
    );
    for c in ['\u{202e}', '\u{1b}', '\u{7}', '\u{200b}'] {
        assert!(!line.contains(c), "{c:?} reached the terminal: {line:?}");
    }
    // The json format is for programs: the frame as sent.
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--count", "1"]));
    assert_eq!(out.json_lines()[0]["object"]["id"], id);
}

/// The time in pretty lines is local time as TZ says (a POSIX rule here, so the test needs
/// no time zone database): UTC+14 is 14 hours ahead of UTC.
#[test]
fn pretty_time_follows_tz() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let seconds_of_day = |tz: &str, offset: &str| {
        let out = run(cmd_for(&hub)
            .env("TZ", tz)
            .args(["tail", "-o", "pretty", "--count", "1"]));
        assert_eq!(out.code, 0, "{out:?}");
        // The first line is dated: `YYYY-MM-DDTHH:MM:SS.mmm+HH:MM`.
        let time = out.stdout.split_whitespace().next().unwrap();
        assert!(time.ends_with(offset), "TZ={tz}: {time}");
        let hms: Vec<u64> = time[11..19]
            .split(':')
            .map(|p| p.parse().unwrap())
            .collect();
        let utc = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        (hms[0] * 3600 + hms[1] * 60 + hms[2], utc % 86_400)
    };
    for (tz, offset, ahead) in [
        ("UTC0", "+00:00", 0),
        ("XYZ-14", "+14:00", 14 * 3600),
        ("<-0530>5:30", "-05:30", 86_400 - 19_800),
    ] {
        let (shown, utc) = seconds_of_day(tz, offset);
        let off = (shown + 86_400 - utc) % 86_400;
        let drift = (off + 86_400 - ahead) % 86_400;
        assert!(
            drift.min(86_400 - drift) < 60,
            "TZ={tz}: shown {shown}s of the day, UTC {utc}s"
        );
    }
}

/// Frames of every shape the simulator plays (its churn pool), and one with everything and a
/// long error: the lines people see.
fn varied(count: usize) -> Vec<Step> {
    let mut steps: Vec<Step> =
        cycle_notify::sim::scenario::churn_pool(&mut cycle_notify::sim::Rng::new(16), HUB, 0)
            .into_iter()
            .filter(|s| matches!(s, Step::Text(_)))
            .take(count - 1)
            .collect();
    steps.push(Step::text(
        serde_json::json!({
            "topic": "infrastructure.external-volumes.attachments.updated",
            "object": {"id": C1, "state": "failed", "previous_state": "running",
                       "error": "the volume could not be attached: the provider answered 409 conflict twice"},
            "context": {"environments": [C2], "containers": [C1, C2], "clusters": ["production"]},
            "annotations": {"health": "unhealthy"},
        })
        .to_string(),
    ));
    steps
}

/// In an 80-column terminal every notification is one row; `-o wide` keeps the full ids.
#[test]
fn pretty_fits_an_80_column_terminal() {
    let hub = hub(varied(200));
    let mut c = cmd_for(&hub);
    c.env("NO_COLOR", "1").args(["tail", "--count", "200"]);
    let out = run_in_terminal(&mut c, 80);
    assert_eq!(out.code, 0, "{out:?}");
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        rows.len(),
        200,
        "one row per notification: {:?}",
        out.stdout
    );
    for row in &rows {
        assert!(
            row.chars().count() <= 80,
            "{} wide: {row:?}",
            row.chars().count()
        );
    }
    // The first row is dated, the others carry the time alone.
    assert_eq!(rows[0].as_bytes()[10], b'T', "{}", rows[0]);
    assert_eq!(rows[1].as_bytes()[2], b':', "{}", rows[1]);
    let last = rows[199];
    assert!(last.contains("failed") && !last.contains(C1), "{last:?}");
    assert!(last.contains("65f0c0…0c001"), "{last:?}");

    let mut c = cmd_for(&hub);
    c.env("NO_COLOR", "1")
        .args(["tail", "-o", "wide", "--count", "200"]);
    let out = run_in_terminal(&mut c, 80);
    assert_eq!(out.code, 0, "{out:?}");
    let last = out.stdout.lines().last().unwrap_or_default();
    assert!(
        last.contains(C1) && last.contains("cluster=production"),
        "{last:?}"
    );
    assert!(last.contains("409 conflict twice"), "{last:?}");

    // A terminal gets colour unless NO_COLOR says otherwise.
    let mut c = cmd_for(&hub);
    c.args(["tail", "--count", "1"]);
    assert!(
        run_in_terminal(&mut c, 80).stdout.contains('\x1b'),
        "colour on a terminal"
    );
}

#[test]
fn topic_globs_and_excludes() {
    let hub = hub(closing(three()));
    let tail = |args: &[&str]| {
        let out = run(cmd_for(&hub)
            .args(["tail", "-o", "json", "--no-reconnect"])
            .args(args));
        assert_closed_after_all(&out);
        out.topics()
    };
    assert_eq!(
        tail(&["-t", "container.*"]),
        [
            "container.state.changed",
            "container.instance.state.changed"
        ]
    );
    assert_eq!(
        tail(&["-t", "container.*", "-x", "container.instance.*"]),
        ["container.state.changed"]
    );
    // Same flag twice, or comma-separated: OR.
    assert_eq!(
        tail(&["-t", "image.*", "-t", "container.state.changed"]),
        ["container.state.changed", "image.state.changed"]
    );
    assert_eq!(
        tail(&["-t", "image.*,container.state.changed"]),
        ["container.state.changed", "image.state.changed"]
    );
}

#[test]
fn field_filters_or_within_and_across() {
    let frames = vec![
        Step::text(
            r#"{"topic":"a.b","object":{"id":"i1","state":"running"},"context":{"environments":["e1"],"containers":["c1"],"clusters":["prod"]}}"#,
        ),
        Step::text(
            r#"{"topic":"a.b","object":{"id":"i2","state":"stopped"},"context":{"environments":["e2"],"containers":["c2"],"clusters":["dev"]}}"#,
        ),
        Step::text(
            r#"{"topic":"a.b","object":{"id":"i3","state":"running"},"context":{"environments":["e2"],"containers":["c1","c3"],"clusters":["prod"]}}"#,
        ),
        Step::text(r#"{"topic":"a.b","flags":{"odd":true}}"#),
    ];
    let hub = hub(closing(frames));
    let ids = |args: &[&str]| -> Vec<String> {
        let out = run(cmd_for(&hub)
            .args(["tail", "-o", "json", "--no-reconnect"])
            .args(args));
        assert_closed_after_all(&out);
        out.json_lines()
            .iter()
            .map(|v| v["object"]["id"].as_str().unwrap_or("-").to_string())
            .collect()
    };
    assert_eq!(ids(&[]), ["i1", "i2", "i3", "-"]);
    assert_eq!(ids(&["--id", "i2"]), ["i2"]);
    assert_eq!(ids(&["--id", "i1", "--id", "i3"]), ["i1", "i3"]);
    assert_eq!(ids(&["--state", "running"]), ["i1", "i3"]);
    assert_eq!(ids(&["--environment", "e2"]), ["i2", "i3"]);
    assert_eq!(ids(&["--container", "c1"]), ["i1", "i3"]);
    assert_eq!(ids(&["--cluster", "dev,prod"]), ["i1", "i2", "i3"]);
    assert_eq!(ids(&["--state", "running", "--environment", "e2"]), ["i3"]);
    assert_eq!(
        ids(&["--state", "stopped", "--cluster", "prod"]),
        Vec::<String>::new()
    );
}

#[test]
fn precedence_flag_env_profile_file() {
    let hub = hub(three());
    let dir = temp_dir();
    let base = hub.base_url();
    let config = write_file(
        &dir,
        "config.toml",
        &format!("api_key = \"wrong-top\"\nhub_id = \"{HUB}\"\nbase_url = \"{base}\"\n[profiles.good]\napi_key = \"{KEY}\"\n[profiles.bad]\napi_key = \"wrong-profile\"\n"),
    );
    let sent_keys = |hub: &Hub| -> Vec<String> {
        hub.log()
            .requests
            .iter()
            .filter_map(|r| r.request.header("authorization").map(String::from))
            .collect()
    };
    let tail = |c: &mut std::process::Command| run(c.args(["tail", "--count", "1", "-o", "json"]));

    // Top-level key only: refused.
    let out = tail(cmd().arg("--config").arg(&config));
    assert_eq!(out.code, 3, "{out:?}");
    // Profile beats top level (profile from the flag, then from the environment).
    assert_eq!(
        tail(
            cmd()
                .arg("--config")
                .arg(&config)
                .args(["--profile", "good"])
        )
        .code,
        0
    );
    assert_eq!(
        tail(
            cmd()
                .env("CYCLE_NOTIFY_CONFIG", &config)
                .env("CYCLE_PROFILE", "good")
        )
        .code,
        0
    );
    // Environment beats the profile.
    let out = tail(
        cmd()
            .arg("--config")
            .arg(&config)
            .args(["--profile", "good"])
            .env("CYCLE_API_KEY", "wrong-env"),
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(
        tail(
            cmd()
                .arg("--config")
                .arg(&config)
                .args(["--profile", "bad"])
                .env("CYCLE_API_KEY", KEY)
        )
        .code,
        0
    );
    // The flag beats the environment.
    assert_eq!(
        tail(
            cmd()
                .arg("--config")
                .arg(&config)
                .env("CYCLE_API_KEY", "wrong-env")
                .args(["--api-key", KEY])
        )
        .code,
        0
    );
    let out = tail(
        cmd()
            .arg("--config")
            .arg(&config)
            .env("CYCLE_API_KEY", KEY)
            .args(["--api-key", "wrong-flag"]),
    );
    assert_eq!(out.code, 3);
    let keys = sent_keys(&hub);
    for k in ["wrong-top", "wrong-env", "wrong-flag", KEY] {
        assert!(
            keys.contains(&format!("Bearer {k}")),
            "{k} never sent: {keys:?}"
        );
    }
    // The default config location (XDG_CONFIG_HOME) is read too.
    let mut c = cmd();
    let tmp = temp_dir();
    let home = tmp.path();
    std::fs::create_dir_all(home.join("cycle-notify")).unwrap();
    std::fs::copy(&config, home.join("cycle-notify/config.toml")).unwrap();
    c.env("XDG_CONFIG_HOME", home).args(["--profile", "good"]);
    assert_eq!(tail(&mut c).code, 0);
    // An unknown profile, or a broken file, is a usage error naming it.
    let out = tail(
        cmd()
            .arg("--config")
            .arg(&config)
            .args(["--profile", "nope"]),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("nope") && out.stderr.contains("good"),
        "{}",
        out.stderr
    );
    let broken = write_file(&dir, "broken.toml", "hub_id = \"x\"\napi_key = [\n");
    let out = tail(cmd().arg("--config").arg(&broken));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("broken.toml:"), "{}", out.stderr);
}

#[test]
fn wrong_key_is_refused_with_nothing_on_stdout() {
    let hub = hub(three());
    let out = run(cmd_for(&hub)
        .env("CYCLE_API_KEY", "nope")
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("Invalid API key"), "{}", out.stderr);
    assert!(
        out.stderr.contains("apionly-notifications-listen"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    assert!(!out.stderr.contains("nope"), "the key must not be echoed");
    // Another hub's id: 403, also exit 3.
    let out = run(cmd_for(&hub)
        .env("CYCLE_HUB_ID", "65f0c0ffee000000000000ff")
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("403"), "{}", out.stderr);
}

#[test]
fn missing_credentials_are_usage_errors() {
    let out = run(cmd().args(["tail", "--hub", HUB]));
    assert_eq!(out.code, 2, "{out:?}");
    for way in ["--api-key", "CYCLE_API_KEY", "api_key"] {
        assert!(out.stderr.contains(way), "{way} missing: {}", out.stderr);
    }
    let out = run(cmd().args(["tail", "--api-key", KEY]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("CYCLE_HUB_ID"), "{}", out.stderr);
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let out = run(cmd()
        .args(["tail", "--api-key", KEY, "--hub", HUB])
        .env("CYCLE_BASE_URL", "http://api.cycle.io"));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("plain http"), "{}", out.stderr);
    assert!(!out.stderr.contains(KEY));
}

#[test]
fn unreachable_hub_exits_4_with_the_cause() {
    let port = dead_port();
    let out = run(cmd()
        .args(["tail", "--api-key", KEY, "--hub", HUB])
        .env("CYCLE_BASE_URL", format!("http://127.0.0.1:{port}")));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr.to_lowercase().contains("refused"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn bad_frames_are_skipped_with_warnings() {
    let hub = hub(vec![
        note("container.new", C1, "new"),
        Step::text("this is not json"),
        Step::Binary(vec![0, 1, 2, 3]),
        Step::text(r#"{"no_topic":true}"#),
        Step::text(r#"{"topic":42}"#),
        note("container.state.changed", C1, "running"),
    ]);
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--count", "2"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new", "container.state.changed"]);
    assert!(out.stderr.contains("not valid JSON"), "{}", out.stderr);
    assert!(out.stderr.contains("binary frame"), "{}", out.stderr);
    assert!(
        out.stderr.contains("without a string \"topic\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.lines().all(|l| l.starts_with("cycle-notify: ")),
        "{}",
        out.stderr
    );
}

#[test]
fn count_and_timeout() {
    let hub = hub(three());
    let out = run(cmd_for(&hub).args(["tail", "--count", "2"]));
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 2);
    // Count not reached when the time is up: 124, with what did arrive printed. The three
    // frames come at once; the limit only has to outlast a start on a loaded machine.
    let out = run(cmd_for(&hub).args(["tail", "--count", "5", "--timeout", "500ms"]));
    assert_eq!(out.code, 124, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 3);
    // A plain time limit is a normal end.
    let out = run(cmd_for(&hub).args(["tail", "--timeout", "500ms"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 3);
    let out = run(cmd_for(&hub).args(["tail", "--timeout", "soon"]));
    assert_eq!(out.code, 2);
    // Far too long to add to a clock: refused, not a panic.
    let out = run(cmd_for(&hub).args(["tail", "--timeout", "500000000000y"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("too long"), "{}", out.stderr);
}

#[test]
fn closed_stdout_ends_quietly() {
    // A hub that keeps talking: the second write after the reader left hits EPIPE.
    let mut steps = Vec::new();
    for i in 0..200 {
        steps.push(note("container.state.changed", C1, "running"));
        if i % 10 == 0 {
            steps.push(Step::Pause(Duration::from_millis(20)));
        }
    }
    let hub = hub(steps);
    let mut c = cmd_for(&hub);
    let mut child = c
        .args(["tail", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, like `| head -1`.
    assert!(first.contains("container.state.changed"));
    let out = finish(child);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr, "", "no panic, no error");
}

#[test]
fn upgrade_carries_the_token_not_the_key() {
    let hub = hub(three());
    let out = run(cmd_for(&hub).args(["tail", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    let log = hub.log();
    let token_call = log
        .requests
        .iter()
        .find(|r| r.status == 200)
        .expect("token call");
    assert_eq!(
        token_call.request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(token_call.request.header("x-hub-id"), Some(HUB));
    let upgrade = log
        .requests
        .iter()
        .find(|r| r.status == 101)
        .expect("upgrade");
    assert!(upgrade
        .request
        .query_param("token")
        .is_some_and(|t| t.len() >= 16));
    for (name, value) in &upgrade.request.headers {
        assert!(!value.contains(KEY), "the key leaked into {name}");
    }
    assert!(upgrade.request.header("authorization").is_none());
    assert!(!upgrade.request.query.as_deref().unwrap_or("").contains(KEY));
}

#[test]
fn address_in_the_token_response_is_followed() {
    let mut config = HubConfig::fixed(KEY, HUB, three());
    let hub_a = hub(three());
    // This hub hands out tokens but points clients at hub_a's socket: the token is unknown
    // there, so following `address` is proved by the refusal on hub_a.
    config.address = Some(format!("ws://{}", hub_a.addr));
    let hub_b = hub_with(config);
    let out = run(cmd_for(&hub_b).args(["tail", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
    let upgrade = hub_a
        .log()
        .requests
        .into_iter()
        .find(|r| r.request.is_upgrade())
        .expect("socket on hub_a");
    assert_eq!(upgrade.status, 401);
}

#[test]
fn hub_closing_the_socket_is_exit_4_without_reconnect() {
    let hub = hub(vec![note("container.new", C1, "new"), Step::Close]);
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--no-reconnect"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.topics(), ["container.new"], "what arrived is printed");
    assert!(out.stderr.contains("closed"), "{}", out.stderr);
}

fn signal_ends_with(sig: i32, code: i32) {
    let hub = hub(vec![note("container.new", C1, "new")]);
    let mut c = cmd_for(&hub);
    let mut child = c
        .args(["tail", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(
        first.contains("container.new"),
        "printed and flushed before the signal"
    );
    signal(child.id(), sig);
    let out = finish(child);
    assert_eq!(out.code, code, "{out:?}");
    assert!(
        hub.wait_until(LIMIT, |log| log.client_closes == 1),
        "close frame sent"
    );
}

#[test]
fn sigint_closes_and_exits_130() {
    signal_ends_with(libc::SIGINT, 130);
}

#[test]
fn sigterm_closes_and_exits_143() {
    signal_ends_with(libc::SIGTERM, 143);
}

#[test]
fn sighup_closes_and_exits_129() {
    // A closed terminal: like SIGTERM, a close frame and what arrived flushed.
    signal_ends_with(libc::SIGHUP, 129);
}

#[test]
fn a_signal_ends_a_run_whose_stdout_nobody_reads() {
    // A hub with no end of notifications, and a pipe on stdout that is never read: the run
    // fills it and blocks in a write, where it cannot see a signal. It still ends within a
    // second, with the signal's status.
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let hub = hub_with(HubConfig::new(KEY, HUB, numbered(Duration::ZERO)));
        let mut c = cmd_for(&hub);
        let mut child = c
            .args(["tail", "-o", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Held, never read: the pipe fills and stays full.
        let _stdout = child.stdout.take().unwrap();
        let pid = child.id();
        eventually("the run to block writing to its stdout", || {
            std::fs::read_to_string(format!("/proc/{pid}/wchan"))
                .is_ok_and(|w| w.contains("pipe_write"))
        });
        let signalled = std::time::Instant::now();
        signal(pid, sig);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        let status = rx
            .recv_timeout(LIMIT)
            .unwrap_or_else(|_| {
                signal(pid, libc::SIGKILL);
                panic!("signal {sig} did not end a blocked run");
            })
            .unwrap();
        let took = signalled.elapsed();
        assert_eq!(status.code(), Some(code), "signal {sig}");
        assert!(took < Duration::from_secs(1), "signal {sig}: {took:?}");
    }
}

#[test]
fn demo_needs_no_credentials() {
    // The README's first command, end to end: the first notification comes at once.
    let out = run(cmd().args(["tail", "--demo", "-o", "json", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("demo"), "{}", out.stderr);
    // More of the story, in-process at 1/100 of the demo's pace.
    let out = Lib::new().run(&["tail", "--demo", "-o", "json", "--count", "3"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines = out.json_lines();
    assert_eq!(lines.len(), 3);
    assert!(lines
        .iter()
        .all(|v| v["object"]["id"].as_str().is_some_and(|id| id.len() == 24)));
    assert!(out.stderr.contains("demo"), "{}", out.stderr);
}

#[test]
fn typo_in_topic_glob_warns_but_runs() {
    let hub = hub(three());
    let out = run(cmd_for(&hub).args(["tail", "-t", "contianer.*", "--timeout", "300ms"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("matches no known topic"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("container."), "{}", out.stderr);
}

#[test]
fn frames_the_topic_filter_drops_are_not_checked_further() {
    let hub = hub(closing(vec![
        Step::text(r#"{"topic":"image.new","object":{"id":"x" BROKEN"#),
        note("container.new", C1, "new"),
    ]));
    let out =
        run(cmd_for(&hub).args(["tail", "-o", "json", "--no-reconnect", "-t", "container.*"]));
    assert_closed_after_all(&out);
    assert_eq!(out.topics(), ["container.new"]);
    assert!(!out.stderr.contains("skipped"), "{}", out.stderr);
    // The same frame, wanted by the filter, is checked and reported.
    let out = run(cmd_for(&hub).args(["tail", "-o", "json", "--no-reconnect", "-t", "image.*"]));
    assert_closed_after_all(&out);
    assert!(
        out.stderr.contains("skipped not valid JSON"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_base_url_that_is_not_the_api_root_exits_4_with_the_fix() {
    let hub = hub(vec![note("container.state.changed", "c1", "running")]);
    let out = run(cmd_for(&hub)
        .env("CYCLE_BASE_URL", format!("{}/wrong-prefix", hub.base_url()))
        .args(["tail", "--count", "1"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("404") && out.stderr.contains("the base URL must be the API root"),
        "{}",
        out.stderr
    );
}

/// `--idle-timeout`: a watchdog. Notifications that pass the filters keep it quiet; once
/// none has for the period, exit 124 with a line saying so, after what did arrive.
#[test]
fn idle_timeout_exits_124_when_nothing_passes() {
    let mut steps = vec![note("container.state.changed", C1, "running")];
    // Frames the filter drops do not count as activity.
    for _ in 0..5 {
        steps.push(note("image.state.changed", C2, "live"));
    }
    let hub = hub(steps);
    let out = run(cmd_for(&hub).args([
        "tail",
        "-o",
        "json",
        "-t",
        "container.*",
        "--idle-timeout",
        "300ms",
    ]));
    assert_eq!(out.code, 124, "{out:?}");
    assert_eq!(out.topics(), ["container.state.changed"]);
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(
        last.contains("no notification passed the filters for 300ms"),
        "{}",
        out.stderr
    );
    let out = run(cmd_for(&hub).args(["tail", "--idle-timeout", "0"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("--idle-timeout must be more than 0"),
        "{}",
        out.stderr
    );
}
