//! `--internal`: the internal API's notification socket, as inside a Cycle container, against
//! simulated hubs listening on a unix socket in a temp dir.

use std::process::Stdio;

use crate::support::*;

fn three_notes() -> HubConfig {
    HubConfig::fixed(
        KEY,
        HUB,
        vec![
            note("container.new", "c1", "new"),
            note("image.new", "i1", "new"),
            note("container.state.changed", "c2", "running"),
        ],
    )
}

#[test]
fn notifications_arrive_filtered_over_the_socket_with_the_token_header() {
    let internal = InternalHub::start(three_notes());
    let out = run(internal.client().args([
        "-vv",
        "tail",
        "--internal",
        "-t",
        "container.*",
        "-o",
        "json",
        "--count",
        "2",
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new", "container.state.changed"]);

    let log = internal.hub.log();
    assert_eq!(log.token_calls().count(), 0, "no token call");
    assert_eq!(log.sockets, 1);
    let [upgrade] = &log.requests[..] else {
        panic!("one request, the upgrade: {:?}", log.requests)
    };
    assert_eq!(upgrade.status, 101);
    assert!(upgrade.internal, "through the unix socket");
    assert_eq!(upgrade.request.path, "/v1/notifications");
    assert!(upgrade.request.is_upgrade());
    assert_eq!(
        upgrade.request.header("x-cycle-token"),
        Some(CONTAINER_TOKEN)
    );
    assert_eq!(upgrade.request.header("authorization"), None, "no API key");
    assert_eq!(upgrade.request.query, None, "nothing in the URL");

    let url = format!("unix://{}", internal.socket.display());
    assert!(
        out.stderr.contains(&format!("connected to {url}")),
        "{}",
        out.stderr
    );
    assert_hidden(&out, &[CONTAINER_TOKEN]);
}

#[test]
fn the_socket_flag_wins_over_the_environment() {
    let internal = InternalHub::start(three_notes());
    let out = run(internal
        .client()
        .env("CYCLE_INTERNAL_SOCKET", "/nonexistent/api.sock")
        .arg("tail")
        .arg("--internal")
        .arg("--internal-socket")
        .arg(&internal.socket)
        .args(["-o", "json", "--count", "1"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.topics(), ["container.new"]);
}

#[test]
fn a_wrong_token_exits_3_naming_the_notifications_scope() {
    let internal = InternalHub::start(three_notes());
    let out = run(internal
        .client()
        .env("CYCLE_API_TOKEN", "not-this-containers-token")
        .args(["tail", "--internal", "--count", "1"]));
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    for says in ["refused", "401", "CYCLE_API_TOKEN", "`notifications` scope"] {
        assert!(out.stderr.contains(says), "{says}: {}", out.stderr);
    }
    assert_hidden(&out, &["not-this-containers-token"]);
    // A static token is not worth asking again.
    assert_eq!(internal.hub.log().requests.len(), 1);
}

#[test]
fn no_socket_exits_4_naming_the_path() {
    let dir = temp_dir();
    let missing = dir.path().join("api.sock");
    let out = run(cmd()
        .env("CYCLE_API_TOKEN", CONTAINER_TOKEN)
        .env("CYCLE_INTERNAL_SOCKET", &missing)
        .args(["tail", "--internal", "--count", "1"]));
    assert_eq!(out.code, 4, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("{} does not exist", missing.display()))
            && out.stderr.contains("only inside a Cycle container"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn no_token_is_a_usage_error_before_any_connection() {
    let internal = InternalHub::start(three_notes());
    let out = run(internal.client().env_remove("CYCLE_API_TOKEN").args([
        "tail",
        "--internal",
        "--count",
        "1",
    ]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("CYCLE_API_TOKEN"), "{}", out.stderr);
    assert!(internal.hub.log().requests.is_empty());
}

#[test]
fn a_restarted_socket_server_is_reconnected_with_a_gap() {
    let dir = temp_dir();
    let socket = dir.path().join("api.sock");
    let socket = socket.to_str().unwrap();
    let args = [
        "--internal-socket",
        socket,
        "--internal-token",
        CONTAINER_TOKEN,
        "--rate",
        "200",
    ];
    let sim = Sim::start(&args);
    assert_eq!(
        sim.internal,
        Some((socket.to_string(), CONTAINER_TOKEN.to_string()))
    );
    let mut client = cmd();
    let mut child = client
        .env("CYCLE_INTERNAL_SOCKET", socket)
        .env("CYCLE_API_TOKEN", CONTAINER_TOKEN)
        .args(["tail", "--internal", "-o", "json", "--status-events"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Lines::of(&mut child);
    lines.until(|l| l.len() >= 3);
    // The server goes away (killed: its socket file stays behind) and a new one takes over.
    drop(sim);
    let _sim = Sim::start(&args);
    let is_gap = |l: &String| l.contains("\"cycle-notify.stream.gap\"");
    let seen = lines.until(|l| l.iter().any(is_gap)).to_vec();
    signal(child.id(), libc::SIGINT);
    let out = finish(child);
    assert_eq!(out.code, 130, "{out:?}");
    let records: Vec<serde_json::Value> = seen
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let connected: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["topic"] == "cycle-notify.stream.connected")
        .collect();
    assert_eq!(connected.len(), 2, "{seen:?}");
    assert_eq!(connected[1]["first"], false);
    assert_eq!(connected[1]["url"], format!("unix://{socket}"));
    assert!(
        out.stderr.contains("reconnected after")
            && out
                .stderr
                .contains("notifications sent in between may be missing"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_demo_serves_the_internal_socket() {
    let out = Lib::new().run(&["tail", "--demo", "--internal", "-o", "json", "--count", "3"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines().len(), 3);
    let socket = out
        .stderr
        .split("internal API socket at unix://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no socket named in {}", out.stderr));
    assert!(
        !std::path::Path::new(socket).exists(),
        "the demo's socket file is left behind: {socket}"
    );
}

#[test]
fn exec_acts_on_internal_notifications_as_on_any_other() {
    let internal = InternalHub::start(three_notes());
    let dir = temp_dir();
    let script = format!(
        "cat >> '{0}/got.jsonl'; echo \"$CYCLE_HUB_ID\" >> '{0}/hubs'",
        dir.path().display()
    );
    let out = run(internal.client().args([
        "tail",
        "--internal",
        "-t",
        "image.*",
        "--count",
        "1",
        "-o",
        "json",
        "--exec",
        &script,
    ]));
    assert_eq!(out.code, 0, "{out:?}");
    let got = std::fs::read_to_string(dir.path().join("got.jsonl")).unwrap();
    let got: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
    assert_eq!(got["topic"], "image.new");
    // No hub id is configured inside the container: the notification's own is used.
    let hubs = std::fs::read_to_string(dir.path().join("hubs")).unwrap();
    assert_eq!(hubs.trim(), HUB);
}

#[test]
fn the_internal_door_serves_only_the_notification_socket() {
    use std::io::{Read, Write};
    let internal = InternalHub::start(three_notes());
    let ask = |head: &str| {
        let mut s = std::os::unix::net::UnixStream::connect(&internal.socket).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    };
    let token_call = ask(&format!(
        "GET /v1/hubs/current/notifications HTTP/1.1\r\nHost: unix\r\nAuthorization: Bearer {KEY}\r\nX-Hub-Id: {HUB}\r\nConnection: close\r\n\r\n"
    ));
    assert!(token_call.starts_with("HTTP/1.1 404 "), "{token_call}");
    let plain = ask("GET /v1/notifications HTTP/1.1\r\nHost: unix\r\nConnection: close\r\n\r\n");
    assert!(plain.starts_with("HTTP/1.1 400 "), "{plain}");
    assert_eq!(internal.hub.log().token_calls().count(), 0);
}

const C1: &str = "65f0c0ffee0000000000c001";

#[test]
fn wait_for_takes_the_events_from_the_socket_and_the_states_from_the_public_api() {
    let mut config = HubConfig::fixed(
        KEY,
        HUB,
        vec![note("container.state.changed", C1, "running")],
    );
    config
        .objects
        .push(("container", C1.to_string(), "starting".to_string()));
    let internal = InternalHub::start(config);
    let public = |c: &mut Cmd| {
        c.env("CYCLE_API_KEY", KEY)
            .env("CYCLE_HUB_ID", HUB)
            .env("CYCLE_BASE_URL", internal.hub.base_url());
    };
    let mut c = internal.client();
    public(&mut c);
    let out = run(c.args(["wait-for", "container", C1, "--internal", "-o", "json"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json_lines()[0]["state"], "running");
    let log = internal.hub.log();
    assert_eq!(
        log.token_calls().count(),
        0,
        "the events came from the socket"
    );
    assert!(log.state_reads >= 1, "the state came from the public API");
    let upgrades: Vec<_> = log.requests.iter().filter(|r| r.status == 101).collect();
    assert!(
        upgrades.len() == 1 && upgrades[0].internal,
        "{:?}",
        log.requests
    );

    // Without a key there is nothing to read the states with: said before connecting.
    let out = run(internal
        .client()
        .args(["wait-for", "container", C1, "--internal"]));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("the states are read from the public API")
            && out.stderr.contains("no API key"),
        "{}",
        out.stderr
    );
}
