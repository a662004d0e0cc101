
use builtin;
use str;

set edit:completion:arg-completer[cycle-notify] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cycle-notify'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cycle-notify'= {
            cand --api-key 'API key with the notifications-listen capability [env: CYCLE_API_KEY]'
            cand --hub 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]'
            cand --base-url 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]'
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --color 'When to colour output (auto: only on a terminal, never with NO_COLOR)'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -v 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
            cand --verbose 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tail 'Print the hub''s notifications as they arrive, filtered'
            cand wait-for 'Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)'
            cand simulate 'Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work'
            cand topics 'List the known notification topics, or those matching GLOBs'
            cand config 'Show, check or edit the config file: path, show, get, check, set, unset, profiles'
            cand completion 'Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cycle-notify;tail'= {
            cand -t 'Only topics matching GLOB (repeatable, comma-separated)'
            cand --topic 'Only topics matching GLOB (repeatable, comma-separated)'
            cand -x 'Drop topics matching GLOB (repeatable, comma-separated)'
            cand --exclude 'Drop topics matching GLOB (repeatable, comma-separated)'
            cand --id 'Only notifications about this object id'
            cand --state 'Only notifications whose object is in this state'
            cand --environment 'Only notifications in this environment (context.environments)'
            cand --container 'Only notifications about this container (context.containers)'
            cand --cluster 'Only notifications in this cluster (context.clusters)'
            cand -o 'Output format (auto: pretty on a terminal, json otherwise; pretty fits the terminal)'
            cand --output 'Output format (auto: pretty on a terminal, json otherwise; pretty fits the terminal)'
            cand -n 'Exit 0 after N notifications passed the filters'
            cand --count 'Exit 0 after N notifications passed the filters'
            cand --idle-timeout 'Exit 124 when no notification passed the filters for this long (a watchdog for cron and CI)'
            cand --timeout 'Stop after this long (e.g. 30s, 5m); exit 124 if --count was not reached'
            cand --internal-socket 'The internal API''s unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]'
            cand --ping-interval 'Ping the hub this often; no frame at all for two intervals means the link is dead'
            cand --max-reconnects 'Exit 4 after N failed connection attempts in a row (default: retry for ever)'
            cand --give-up-after 'Exit 4 after this long without a connection (default: retry for ever)'
            cand --exec 'Run CMD (with sh -c) for each notification: its JSON on stdin, CYCLE_* variables set'
            cand --exec-jobs 'Commands run at once (never two for the same object id) [default: 1]'
            cand --exec-timeout 'Kill a command (and its process group) that runs longer, counting it as failed'
            cand --exec-retries 'Retry a failed command this many times, with backoff [default: 0]'
            cand --forward-to 'POST each notification to URL, signed as Standard Webhooks prescribe'
            cand --forward-secret 'Signing secret (whsec_...) [env: CYCLE_NOTIFY_FORWARD_SECRET] [default: one per run]'
            cand --forward-header 'Extra header on every POST, as ''Name: value'' (repeatable)'
            cand --forward-jobs 'POSTs in flight at once (never two for the same object id) [default: 1]'
            cand --forward-retry-for 'Keep retrying a failed POST for this long [default: 5m]'
            cand --forward-timeout 'Give up on one POST attempt after this long [default: 10s]'
            cand --publish 'Publish each notification to NATS JetStream (comma-separated servers) [env: NATS_URL]'
            cand --subject-prefix 'First subject token: subjects are PREFIX.<hub id>.<topic> [default: cycle]'
            cand --nats-creds 'NATS credentials file (JWT and nkey seed) [env: NATS_CREDS]'
            cand --nats-ca 'CA certificate (PEM) to trust for TLS to NATS, besides the system store'
            cand --nats-stream 'JetStream stream to publish into, created when missing (subjects PREFIX.<hub id>.>)'
            cand --nats-max-age 'Retention of a stream created by --nats-stream (default: unlimited)'
            cand --publish-retry-for 'Keep retrying a failed publish for this long [default: 5m]'
            cand --queue 'Notifications queued per destination before the socket stops being read [default: 1000]'
            cand --drain 'When the run ends, how long queued deliveries still get [default: 10s]'
            cand --api-key 'API key with the notifications-listen capability [env: CYCLE_API_KEY]'
            cand --hub 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]'
            cand --base-url 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]'
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --color 'When to colour output (auto: only on a terminal, never with NO_COLOR)'
            cand --demo 'Run against a simulated hub started in this process (no credentials needed)'
            cand --internal 'Inside a Cycle container: follow the internal API''s socket, with the container''s CYCLE_API_TOKEN instead of an API key'
            cand --no-reconnect 'Exit 4 when the connection drops instead of reconnecting'
            cand --status-events 'Also print connection records (topic cycle-notify.stream.connected / .gap) on stdout'
            cand --utc 'Pretty times in UTC, each with its date (default: local time, dated when the day changes)'
            cand --timestamps 'JSON lines start with "received_at" (RFC 3339, UTC): a recording `simulate --replay` plays back with its spacing (not with -o raw)'
            cand --ha 'Standby bridge: of the bridges for one hub, the one holding a JetStream lease publishes'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -v 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
            cand --verbose 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;wait-for'= {
            cand --state 'Target states (default: per kind, listed below)'
            cand --fail-on 'States that end the wait with exit 1 (default: per kind, listed below)'
            cand --timeout 'Give up after this long with exit 124 (0: check once and exit)'
            cand --appear-within 'Treat a 404 as "not visible yet" this long before "not found" (re-read every 2s)'
            cand --poll 'Also re-read the pending objects this often (0: on notifications and reconnects only)'
            cand --heartbeat 'In a pipe, a progress line on stderr this often (0: none; a terminal gets live lines)'
            cand --unhealthy-grace 'With --healthy: how long an instance may stay unhealthy before the wait fails'
            cand --container 'The container of an instance or backup (else learnt from its first notification)'
            cand --pipeline 'The pipeline of a run or trigger key'
            cand --environment 'The environment of a scoped variable (else learnt from its first notification)'
            cand --zone 'The DNS zone of a record'
            cand --integration 'The virtual provider integration of an ISO'
            cand -o 'Output format of the settled objects (auto: pretty on a terminal, json otherwise)'
            cand --output 'Output format of the settled objects (auto: pretty on a terminal, json otherwise)'
            cand --ping-interval 'Ping the hub this often; no frame at all for two intervals means the link is dead'
            cand --max-reconnects 'Exit 4 after N failed connection attempts in a row (default: retry for ever)'
            cand --give-up-after 'Exit 4 after this long without a connection (default: retry for ever)'
            cand --internal-socket 'The internal API''s unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]'
            cand --api-key 'API key with the notifications-listen capability [env: CYCLE_API_KEY]'
            cand --hub 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]'
            cand --base-url 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]'
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --color 'When to colour output (auto: only on a terminal, never with NO_COLOR)'
            cand --any 'Succeed as soon as any one object reaches a target (default: all must)'
            cand --fail-on-error 'Fail when an object''s state.error is set, for every kind (default: per kind, below)'
            cand --healthy 'container only: also wait until every instance is running and healthy'
            cand --no-reconnect 'Exit 4 when the connection drops instead of reconnecting'
            cand --demo 'Run against a simulated hub started in this process (no credentials needed)'
            cand --internal 'Inside a Cycle container: follow the internal API''s socket, with the container''s CYCLE_API_TOKEN instead of an API key'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -v 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
            cand --verbose 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;simulate'= {
            cand --port 'Port to listen on (0: any free port)'
            cand --bind 'Address to listen on'
            cand --scenario 'Scenario to play (see --list-scenarios)'
            cand --replay 'Send the notifications of a JSON-lines file (what `tail -o json` writes)'
            cand --rate 'Notifications per second, or `max` (default: the scenario''s or replay''s own timing)'
            cand --count 'Stop after N notifications per connection (the socket stays open)'
            cand --speed 'Scale the scenario''s clock (2: twice as fast)'
            cand --key 'API key the hub accepts (default: a random one, printed on start)'
            cand --hub-id 'Hub id the hub answers to (default: a random 24-hex id, printed on start)'
            cand --internal-socket 'Also serve the internal API''s notification socket on this unix socket path, as inside a Cycle container'
            cand --internal-token 'Container token the internal socket accepts (default: a random one, printed on start)'
            cand --drop-every 'Abort every socket (no close frame) after it has been open this long'
            cand --drop-after 'Abort every socket after it has sent N notifications'
            cand --stall-after 'Go silent after N notifications (no frames, pings unanswered): a half-open link'
            cand --garbage-every 'Send a bad frame (not JSON, binary, no topic, by turns) after every N notifications'
            cand --revoke-after 'Refuse token calls with 401 from the Nth on, as for a key revoked mid-run'
            cand --rate-limit-first 'Answer the first N token calls with 429 and Retry-After: 1'
            cand --unavailable-first 'Answer the first N token calls (after any 429s) with 503'
            cand --auth-fail-style 'The shape of 401s: Cycle''s error envelope, or the OAuth shape the API spec allows for authentication errors (`{"error": "invalid_token", "error_description": ...}`)'
            cand --list-scenarios 'List the scenarios and exit'
            cand --loop 'Start the replay over when it ends'
            cand --auth-fail 'Refuse every token call with 401, as for a wrong key'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;topics'= {
            cand -o 'Output format: one topic per line, or one JSON object per line'
            cand --output 'Output format: one topic per line, or one JSON object per line'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config'= {
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand path 'Print where the config file is (it may not exist yet)'
            cand show 'Print the effective settings and where each comes from (keys by their last 4 characters)'
            cand get 'Print the effective value of KEY (a key by its last 4 characters)'
            cand check 'Ask the API whether the effective key is accepted for the effective hub (the token call)'
            cand set 'Set KEY to VALUE in the config file (in the profile given by --profile)'
            cand unset 'Remove KEY from the config file (from the profile given by --profile)'
            cand profiles 'List the profiles defined in the config file, one per line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cycle-notify;config;path'= {
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;show'= {
            cand --api-key 'API key with the notifications-listen capability [env: CYCLE_API_KEY]'
            cand --hub 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]'
            cand --base-url 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]'
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;get'= {
            cand --api-key 'API key with the notifications-listen capability [env: CYCLE_API_KEY]'
            cand --hub 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]'
            cand --base-url 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]'
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;check'= {
            cand --api-key 'API key with the notifications-listen capability [env: CYCLE_API_KEY]'
            cand --hub 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]'
            cand --base-url 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]'
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;set'= {
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand --create 'Create the profile given by --profile when the file does not have it'
            cand --api-key-stdin 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;unset'= {
            cand --profile 'Profile of the config file to use [env: CYCLE_PROFILE]'
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;profiles'= {
            cand --config 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;config;help'= {
            cand path 'Print where the config file is (it may not exist yet)'
            cand show 'Print the effective settings and where each comes from (keys by their last 4 characters)'
            cand get 'Print the effective value of KEY (a key by its last 4 characters)'
            cand check 'Ask the API whether the effective key is accepted for the effective hub (the token call)'
            cand set 'Set KEY to VALUE in the config file (in the profile given by --profile)'
            cand unset 'Remove KEY from the config file (from the profile given by --profile)'
            cand profiles 'List the profiles defined in the config file, one per line'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cycle-notify;config;help;path'= {
        }
        &'cycle-notify;config;help;show'= {
        }
        &'cycle-notify;config;help;get'= {
        }
        &'cycle-notify;config;help;check'= {
        }
        &'cycle-notify;config;help;set'= {
        }
        &'cycle-notify;config;help;unset'= {
        }
        &'cycle-notify;config;help;profiles'= {
        }
        &'cycle-notify;config;help;help'= {
        }
        &'cycle-notify;completion'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cycle-notify;help'= {
            cand tail 'Print the hub''s notifications as they arrive, filtered'
            cand wait-for 'Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)'
            cand simulate 'Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work'
            cand topics 'List the known notification topics, or those matching GLOBs'
            cand config 'Show, check or edit the config file: path, show, get, check, set, unset, profiles'
            cand completion 'Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cycle-notify;help;tail'= {
        }
        &'cycle-notify;help;wait-for'= {
        }
        &'cycle-notify;help;simulate'= {
        }
        &'cycle-notify;help;topics'= {
        }
        &'cycle-notify;help;config'= {
            cand path 'Print where the config file is (it may not exist yet)'
            cand show 'Print the effective settings and where each comes from (keys by their last 4 characters)'
            cand get 'Print the effective value of KEY (a key by its last 4 characters)'
            cand check 'Ask the API whether the effective key is accepted for the effective hub (the token call)'
            cand set 'Set KEY to VALUE in the config file (in the profile given by --profile)'
            cand unset 'Remove KEY from the config file (from the profile given by --profile)'
            cand profiles 'List the profiles defined in the config file, one per line'
        }
        &'cycle-notify;help;config;path'= {
        }
        &'cycle-notify;help;config;show'= {
        }
        &'cycle-notify;help;config;get'= {
        }
        &'cycle-notify;help;config;check'= {
        }
        &'cycle-notify;help;config;set'= {
        }
        &'cycle-notify;help;config;unset'= {
        }
        &'cycle-notify;help;config;profiles'= {
        }
        &'cycle-notify;help;completion'= {
        }
        &'cycle-notify;help;help'= {
        }
    ]
    $completions[$command]
}
