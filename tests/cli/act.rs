//! Acting on events end to end: `--exec` and `--forward-to` against hubs and receivers the
//! tests start, with what each handler received checked on the receiving side.

use crate::support::*;

const C1: &str = "65f0c0ffee0000000000c001";
const C2: &str = "65f0c0ffee0000000000c002";

#[test]
fn exec_gets_the_frame_on_stdin_and_its_fields_in_the_environment() {
    let hub = hub(vec![
        Step::text(format!(
            r#"{{"topic":"container.state.changed","object":{{"id":"{C1}","state":"running","state_previous":"starting","error":null}},"context":{{"hub_id":"{HUB}","environments":["e1","e2"],"containers":["{C1}"]}},"extra":{{"kept":true}}}}"#
        )),
        note("container.state.changed", C2, "stopped"),
    ]);
    let dir = temp_dir();
    let script = format!(
        "cat >> '{0}/stdin.jsonl'; echo >> '{0}/stdin.jsonl'; env | grep -E '^CYCLE_' | sort > \"{0}/env.$CYCLE_OBJECT_ID\"",
        dir.path().display()
    );
    let out = run(cmd_for(&hub).args(["tail", "--count", "2", "-o", "json", "--exec", &script]));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json_lines().len(),
        2,
        "stdout still carries the notifications"
    );

    let stdin = std::fs::read_to_string(dir.path().join("stdin.jsonl")).unwrap();
    let received: Vec<serde_json::Value> = stdin
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(received.len(), 2, "{stdin}");
    assert_eq!(received[0]["extra"]["kept"], true, "the frame's own bytes");
    assert_eq!(received[1]["object"]["id"], C2, "in arrival order");

    let env = std::fs::read_to_string(dir.path().join(format!("env.{C1}"))).unwrap();
    for line in [
        "CYCLE_TOPIC=container.state.changed",
        &format!("CYCLE_OBJECT_ID={C1}"),
        "CYCLE_OBJECT_STATE=running",
        "CYCLE_PREVIOUS_STATE=starting",
        &format!("CYCLE_HUB_ID={HUB}"),
        "CYCLE_ENVIRONMENT_IDS=e1,e2",
        &format!("CYCLE_CONTAINER_IDS={C1}"),
    ] {
        assert!(env.lines().any(|l| l == line), "{line} missing in:\n{env}");
    }
    assert!(
        !env.contains("CYCLE_API_KEY") && !env.contains(KEY),
        "the API key never reaches a destination:\n{env}"
    );
    assert!(!env.contains("CYCLE_OBJECT_ERROR"), "no error, no variable");
}

#[test]
fn a_failing_command_is_reported_with_its_last_stderr_line_and_exits_5() {
    let hub = hub(vec![note("container.state.changed", C1, "running")]);
    let out = run(cmd_for(&hub).args([
        "tail",
        "--count",
        "1",
        "-o",
        "json",
        "--exec",
        "echo first >&2; echo 'it broke' >&2; exit 3",
    ]));
    assert_eq!(out.code, 5, "{out:?}");
    assert_eq!(out.json_lines().len(), 1);
    assert!(
        out.stderr.contains(&format!(
            "exec failed (exit 3) for container.state.changed {C1}: it broke"
        )),
        "{}",
        out.stderr
    );
}
