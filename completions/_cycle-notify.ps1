
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cycle-notify' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cycle-notify'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cycle-notify' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key with the notifications-listen capability [env: CYCLE_API_KEY]')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log connection lifecycle to stderr (-vv adds per-frame sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log connection lifecycle to stderr (-vv adds per-frame sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print the hub''s notifications as they arrive, filtered')
            [CompletionResult]::new('wait-for', 'wait-for', [CompletionResultType]::ParameterValue, 'Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work')
            [CompletionResult]::new('topics', 'topics', [CompletionResultType]::ParameterValue, 'List the known notification topics, or those matching GLOBs')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show, check or edit the config file: path, show, get, check, set, unset, profiles')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cycle-notify;tail' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only topics matching GLOB (repeatable, comma-separated)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only topics matching GLOB (repeatable, comma-separated)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Drop topics matching GLOB (repeatable, comma-separated)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Drop topics matching GLOB (repeatable, comma-separated)')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only notifications about this object id')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only notifications whose object is in this state')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'Only notifications in this environment (context.environments)')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only notifications about this container (context.containers)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Only notifications in this cluster (context.clusters)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format (auto: pretty on a terminal, json otherwise; pretty fits the terminal)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format (auto: pretty on a terminal, json otherwise; pretty fits the terminal)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Exit 0 after N notifications passed the filters')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit 0 after N notifications passed the filters')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Exit 124 when no notification passed the filters for this long (a watchdog for cron and CI)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long (e.g. 30s, 5m); exit 124 if --count was not reached')
            [CompletionResult]::new('--internal-socket', '--internal-socket', [CompletionResultType]::ParameterName, 'The internal API''s unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]')
            [CompletionResult]::new('--ping-interval', '--ping-interval', [CompletionResultType]::ParameterName, 'Ping the hub this often; no frame at all for two intervals means the link is dead')
            [CompletionResult]::new('--max-reconnects', '--max-reconnects', [CompletionResultType]::ParameterName, 'Exit 4 after N failed connection attempts in a row (default: retry for ever)')
            [CompletionResult]::new('--give-up-after', '--give-up-after', [CompletionResultType]::ParameterName, 'Exit 4 after this long without a connection (default: retry for ever)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (with sh -c) for each notification: its JSON on stdin, CYCLE_* variables set')
            [CompletionResult]::new('--exec-jobs', '--exec-jobs', [CompletionResultType]::ParameterName, 'Commands run at once (never two for the same object id) [default: 1]')
            [CompletionResult]::new('--exec-timeout', '--exec-timeout', [CompletionResultType]::ParameterName, 'Kill a command (and its process group) that runs longer, counting it as failed')
            [CompletionResult]::new('--exec-retries', '--exec-retries', [CompletionResultType]::ParameterName, 'Retry a failed command this many times, with backoff [default: 0]')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'POST each notification to URL, signed as Standard Webhooks prescribe')
            [CompletionResult]::new('--forward-secret', '--forward-secret', [CompletionResultType]::ParameterName, 'Signing secret (whsec_...) [env: CYCLE_NOTIFY_FORWARD_SECRET] [default: one per run]')
            [CompletionResult]::new('--forward-header', '--forward-header', [CompletionResultType]::ParameterName, 'Extra header on every POST, as ''Name: value'' (repeatable)')
            [CompletionResult]::new('--forward-jobs', '--forward-jobs', [CompletionResultType]::ParameterName, 'POSTs in flight at once (never two for the same object id) [default: 1]')
            [CompletionResult]::new('--forward-retry-for', '--forward-retry-for', [CompletionResultType]::ParameterName, 'Keep retrying a failed POST for this long [default: 5m]')
            [CompletionResult]::new('--forward-timeout', '--forward-timeout', [CompletionResultType]::ParameterName, 'Give up on one POST attempt after this long [default: 10s]')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'Publish each notification to NATS JetStream (comma-separated servers) [env: NATS_URL]')
            [CompletionResult]::new('--subject-prefix', '--subject-prefix', [CompletionResultType]::ParameterName, 'First subject token: subjects are PREFIX.<hub id>.<topic> [default: cycle]')
            [CompletionResult]::new('--nats-creds', '--nats-creds', [CompletionResultType]::ParameterName, 'NATS credentials file (JWT and nkey seed) [env: NATS_CREDS]')
            [CompletionResult]::new('--nats-ca', '--nats-ca', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to trust for TLS to NATS, besides the system store')
            [CompletionResult]::new('--nats-stream', '--nats-stream', [CompletionResultType]::ParameterName, 'JetStream stream to publish into, created when missing (subjects PREFIX.<hub id>.>)')
            [CompletionResult]::new('--nats-max-age', '--nats-max-age', [CompletionResultType]::ParameterName, 'Retention of a stream created by --nats-stream (default: unlimited)')
            [CompletionResult]::new('--publish-retry-for', '--publish-retry-for', [CompletionResultType]::ParameterName, 'Keep retrying a failed publish for this long [default: 5m]')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Notifications queued per destination before the socket stops being read [default: 1000]')
            [CompletionResult]::new('--drain', '--drain', [CompletionResultType]::ParameterName, 'When the run ends, how long queued deliveries still get [default: 10s]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key with the notifications-listen capability [env: CYCLE_API_KEY]')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Run against a simulated hub started in this process (no credentials needed)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'Inside a Cycle container: follow the internal API''s socket, with the container''s CYCLE_API_TOKEN instead of an API key')
            [CompletionResult]::new('--no-reconnect', '--no-reconnect', [CompletionResultType]::ParameterName, 'Exit 4 when the connection drops instead of reconnecting')
            [CompletionResult]::new('--status-events', '--status-events', [CompletionResultType]::ParameterName, 'Also print connection records (topic cycle-notify.stream.connected / .gap) on stdout')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Pretty times in UTC, each with its date (default: local time, dated when the day changes)')
            [CompletionResult]::new('--timestamps', '--timestamps', [CompletionResultType]::ParameterName, 'JSON lines start with "received_at" (RFC 3339, UTC): a recording `simulate --replay` plays back with its spacing (not with -o raw)')
            [CompletionResult]::new('--ha', '--ha', [CompletionResultType]::ParameterName, 'Standby bridge: of the bridges for one hub, the one holding a JetStream lease publishes')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log connection lifecycle to stderr (-vv adds per-frame sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log connection lifecycle to stderr (-vv adds per-frame sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;wait-for' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Target states (default: per kind, listed below)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'States that end the wait with exit 1 (default: per kind, listed below)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long with exit 124 (0: check once and exit)')
            [CompletionResult]::new('--appear-within', '--appear-within', [CompletionResultType]::ParameterName, 'Treat a 404 as "not visible yet" this long before "not found" (re-read every 2s)')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Also re-read the pending objects this often (0: on notifications and reconnects only)')
            [CompletionResult]::new('--heartbeat', '--heartbeat', [CompletionResultType]::ParameterName, 'In a pipe, a progress line on stderr this often (0: none; a terminal gets live lines)')
            [CompletionResult]::new('--unhealthy-grace', '--unhealthy-grace', [CompletionResultType]::ParameterName, 'With --healthy: how long an instance may stay unhealthy before the wait fails')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'The container of an instance or backup (else learnt from its first notification)')
            [CompletionResult]::new('--pipeline', '--pipeline', [CompletionResultType]::ParameterName, 'The pipeline of a run or trigger key')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The environment of a scoped variable (else learnt from its first notification)')
            [CompletionResult]::new('--zone', '--zone', [CompletionResultType]::ParameterName, 'The DNS zone of a record')
            [CompletionResult]::new('--integration', '--integration', [CompletionResultType]::ParameterName, 'The virtual provider integration of an ISO')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of the settled objects (auto: pretty on a terminal, json otherwise)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of the settled objects (auto: pretty on a terminal, json otherwise)')
            [CompletionResult]::new('--ping-interval', '--ping-interval', [CompletionResultType]::ParameterName, 'Ping the hub this often; no frame at all for two intervals means the link is dead')
            [CompletionResult]::new('--max-reconnects', '--max-reconnects', [CompletionResultType]::ParameterName, 'Exit 4 after N failed connection attempts in a row (default: retry for ever)')
            [CompletionResult]::new('--give-up-after', '--give-up-after', [CompletionResultType]::ParameterName, 'Exit 4 after this long without a connection (default: retry for ever)')
            [CompletionResult]::new('--internal-socket', '--internal-socket', [CompletionResultType]::ParameterName, 'The internal API''s unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key with the notifications-listen capability [env: CYCLE_API_KEY]')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--any', '--any', [CompletionResultType]::ParameterName, 'Succeed as soon as any one object reaches a target (default: all must)')
            [CompletionResult]::new('--fail-on-error', '--fail-on-error', [CompletionResultType]::ParameterName, 'Fail when an object''s state.error is set, for every kind (default: per kind, below)')
            [CompletionResult]::new('--healthy', '--healthy', [CompletionResultType]::ParameterName, 'container only: also wait until every instance is running and healthy')
            [CompletionResult]::new('--no-reconnect', '--no-reconnect', [CompletionResultType]::ParameterName, 'Exit 4 when the connection drops instead of reconnecting')
            [CompletionResult]::new('--demo', '--demo', [CompletionResultType]::ParameterName, 'Run against a simulated hub started in this process (no credentials needed)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'Inside a Cycle container: follow the internal API''s socket, with the container''s CYCLE_API_TOKEN instead of an API key')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log connection lifecycle to stderr (-vv adds per-frame sizes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log connection lifecycle to stderr (-vv adds per-frame sizes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;simulate' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0: any free port)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Scenario to play (see --list-scenarios)')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Send the notifications of a JSON-lines file (what `tail -o json` writes)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Notifications per second, or `max` (default: the scenario''s or replay''s own timing)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after N notifications per connection (the socket stays open)')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Scale the scenario''s clock (2: twice as fast)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'API key the hub accepts (default: a random one, printed on start)')
            [CompletionResult]::new('--hub-id', '--hub-id', [CompletionResultType]::ParameterName, 'Hub id the hub answers to (default: a random 24-hex id, printed on start)')
            [CompletionResult]::new('--internal-socket', '--internal-socket', [CompletionResultType]::ParameterName, 'Also serve the internal API''s notification socket on this unix socket path, as inside a Cycle container')
            [CompletionResult]::new('--internal-token', '--internal-token', [CompletionResultType]::ParameterName, 'Container token the internal socket accepts (default: a random one, printed on start)')
            [CompletionResult]::new('--drop-every', '--drop-every', [CompletionResultType]::ParameterName, 'Abort every socket (no close frame) after it has been open this long')
            [CompletionResult]::new('--drop-after', '--drop-after', [CompletionResultType]::ParameterName, 'Abort every socket after it has sent N notifications')
            [CompletionResult]::new('--stall-after', '--stall-after', [CompletionResultType]::ParameterName, 'Go silent after N notifications (no frames, pings unanswered): a half-open link')
            [CompletionResult]::new('--garbage-every', '--garbage-every', [CompletionResultType]::ParameterName, 'Send a bad frame (not JSON, binary, no topic, by turns) after every N notifications')
            [CompletionResult]::new('--revoke-after', '--revoke-after', [CompletionResultType]::ParameterName, 'Refuse token calls with 401 from the Nth on, as for a key revoked mid-run')
            [CompletionResult]::new('--rate-limit-first', '--rate-limit-first', [CompletionResultType]::ParameterName, 'Answer the first N token calls with 429 and Retry-After: 1')
            [CompletionResult]::new('--unavailable-first', '--unavailable-first', [CompletionResultType]::ParameterName, 'Answer the first N token calls (after any 429s) with 503')
            [CompletionResult]::new('--auth-fail-style', '--auth-fail-style', [CompletionResultType]::ParameterName, 'The shape of 401s: Cycle''s error envelope, or the OAuth shape the API spec allows for authentication errors (`{"error": "invalid_token", "error_description": ...}`)')
            [CompletionResult]::new('--list-scenarios', '--list-scenarios', [CompletionResultType]::ParameterName, 'List the scenarios and exit')
            [CompletionResult]::new('--loop', '--loop', [CompletionResultType]::ParameterName, 'Start the replay over when it ends')
            [CompletionResult]::new('--auth-fail', '--auth-fail', [CompletionResultType]::ParameterName, 'Refuse every token call with 401, as for a wrong key')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;topics' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: one topic per line, or one JSON object per line')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: one topic per line, or one JSON object per line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print where the config file is (it may not exist yet)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective settings and where each comes from (keys by their last 4 characters)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the effective value of KEY (a key by its last 4 characters)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask the API whether the effective key is accepted for the effective hub (the token call)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE in the config file (in the profile given by --profile)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY from the config file (from the profile given by --profile)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profiles defined in the config file, one per line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cycle-notify;config;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;show' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key with the notifications-listen capability [env: CYCLE_API_KEY]')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;get' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key with the notifications-listen capability [env: CYCLE_API_KEY]')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;check' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key with the notifications-listen capability [env: CYCLE_API_KEY]')
            [CompletionResult]::new('--hub', '--hub', [CompletionResultType]::ParameterName, 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;set' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the profile given by --profile when the file does not have it')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;unset' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: CYCLE_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;profiles' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;config;help' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print where the config file is (it may not exist yet)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective settings and where each comes from (keys by their last 4 characters)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the effective value of KEY (a key by its last 4 characters)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask the API whether the effective key is accepted for the effective hub (the token call)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE in the config file (in the profile given by --profile)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY from the config file (from the profile given by --profile)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profiles defined in the config file, one per line')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cycle-notify;config;help;path' {
            break
        }
        'cycle-notify;config;help;show' {
            break
        }
        'cycle-notify;config;help;get' {
            break
        }
        'cycle-notify;config;help;check' {
            break
        }
        'cycle-notify;config;help;set' {
            break
        }
        'cycle-notify;config;help;unset' {
            break
        }
        'cycle-notify;config;help;profiles' {
            break
        }
        'cycle-notify;config;help;help' {
            break
        }
        'cycle-notify;completion' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cycle-notify;help' {
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Print the hub''s notifications as they arrive, filtered')
            [CompletionResult]::new('wait-for', 'wait-for', [CompletionResultType]::ParameterValue, 'Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work')
            [CompletionResult]::new('topics', 'topics', [CompletionResultType]::ParameterValue, 'List the known notification topics, or those matching GLOBs')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show, check or edit the config file: path, show, get, check, set, unset, profiles')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cycle-notify;help;tail' {
            break
        }
        'cycle-notify;help;wait-for' {
            break
        }
        'cycle-notify;help;simulate' {
            break
        }
        'cycle-notify;help;topics' {
            break
        }
        'cycle-notify;help;config' {
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print where the config file is (it may not exist yet)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the effective settings and where each comes from (keys by their last 4 characters)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the effective value of KEY (a key by its last 4 characters)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask the API whether the effective key is accepted for the effective hub (the token call)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE in the config file (in the profile given by --profile)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY from the config file (from the profile given by --profile)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profiles defined in the config file, one per line')
            break
        }
        'cycle-notify;help;config;path' {
            break
        }
        'cycle-notify;help;config;show' {
            break
        }
        'cycle-notify;help;config;get' {
            break
        }
        'cycle-notify;help;config;check' {
            break
        }
        'cycle-notify;help;config;set' {
            break
        }
        'cycle-notify;help;config;unset' {
            break
        }
        'cycle-notify;help;config;profiles' {
            break
        }
        'cycle-notify;help;completion' {
            break
        }
        'cycle-notify;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
