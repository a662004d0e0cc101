# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cycle_notify_global_optspecs
    string join \n api-key= api-key-stdin hub= base-url= profile= config= color= v/verbose q/quiet h/help V/version
end

function __fish_cycle_notify_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cycle_notify_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cycle_notify_using_subcommand
    set -l cmd (__fish_cycle_notify_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "tail" -d 'Print the hub\'s notifications as they arrive, filtered'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "wait-for" -d 'Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "simulate" -d 'Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "topics" -d 'List the known notification topics, or those matching GLOBs'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "config" -d 'Show or edit the config file: path, show, set, unset, profiles'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "completion" -d 'Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)'
complete -c cycle-notify -n "__fish_cycle_notify_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s t -l topic -d 'Only topics matching GLOB (repeatable, comma-separated)' -r -f -a "billing.credit.error\t''
billing.credit.error_reset\t''
billing.credit.new\t''
billing.credit.state.changed\t''
billing.discount.error\t''
billing.discount.error_reset\t''
billing.discount.state.changed\t''
billing.invoice.error\t''
billing.invoice.error_reset\t''
billing.invoice.new\t''
billing.invoice.state.changed\t''
billing.invoice.updated\t''
billing.method.error\t''
billing.method.error_reset\t''
billing.method.new\t''
billing.method.state.changed\t''
billing.method.updated\t''
billing.order.error\t''
billing.order.error_reset\t''
billing.order.new\t''
billing.order.state.changed\t''
billing.order.updated\t''
billing.service.error\t''
billing.service.error_reset\t''
billing.service.state.changed\t''
container.backup.error\t''
container.backup.error_reset\t''
container.backup.new\t''
container.backup.state.changed\t''
container.desired_state.changed\t''
container.error\t''
container.error_reset\t''
container.instance.error\t''
container.instance.error_reset\t''
container.instance.health.status.changed\t''
container.instance.migration.update\t''
container.instance.readiness.status.changed\t''
container.instance.state.changed\t''
container.instance.traffic-drain.reconfigured\t''
container.instances.reconfigured\t''
container.new\t''
container.reconfigured\t''
container.state.changed\t''
container.updated\t''
dns.certificate.error\t''
dns.certificate.error_reset\t''
dns.certificate.new\t''
dns.certificate.state.changed\t''
dns.zone.certificate.ready\t''
dns.zone.error\t''
dns.zone.error_reset\t''
dns.zone.new\t''
dns.zone.reconfigured\t''
dns.zone.record.state.changed\t''
dns.zone.records.reconfigured\t''
dns.zone.state.changed\t''
dns.zone.verified\t''
environment.deployments.reconfigured\t''
environment.error\t''
environment.error_reset\t''
environment.new\t''
environment.pod.error\t''
environment.pod.error_reset\t''
environment.pod.new\t''
environment.pod.state.changed\t''
environment.pod.updated\t''
environment.scoped-variable.error\t''
environment.scoped-variable.error_reset\t''
environment.scoped-variable.new\t''
environment.scoped-variable.state.changed\t''
environment.scoped-variable.updated\t''
environment.services.lb.ips.modified\t''
environment.services.reconfigured\t''
environment.services.vpn.users.updated\t''
environment.started\t''
environment.state.changed\t''
environment.stopped\t''
environment.updated\t''
event.pushed\t''
hub.activity.new\t''
hub.api_key.error\t''
hub.api_key.error_reset\t''
hub.api_key.new\t''
hub.api_key.state.changed\t''
hub.api_key.updated\t''
hub.error\t''
hub.error_reset\t''
hub.integration.error\t''
hub.integration.error_reset\t''
hub.integration.new\t''
hub.integration.state.changed\t''
hub.integration.updated\t''
hub.location.error\t''
hub.location.error_reset\t''
hub.location.new\t''
hub.location.state.changed\t''
hub.location.updated\t''
hub.membership.error\t''
hub.membership.error_reset\t''
hub.membership.new\t''
hub.membership.state.changed\t''
hub.membership.updated\t''
hub.role.error\t''
hub.role.error_reset\t''
hub.role.new\t''
hub.role.state.changed\t''
hub.role.updated\t''
hub.state.changed\t''
hub.updated\t''
image.error\t''
image.error_reset\t''
image.new\t''
image.source.error\t''
image.source.error_reset\t''
image.source.new\t''
image.source.state.changed\t''
image.source.updated\t''
image.state.changed\t''
image.updated\t''
infrastructure.autoscale.group.error\t''
infrastructure.autoscale.group.error_reset\t''
infrastructure.autoscale.group.new\t''
infrastructure.autoscale.group.reconfigured\t''
infrastructure.autoscale.group.state.changed\t''
infrastructure.autoscale.group.updated\t''
infrastructure.cluster.error\t''
infrastructure.cluster.error_reset\t''
infrastructure.cluster.monitoring.reconfigured\t''
infrastructure.cluster.new\t''
infrastructure.cluster.state.changed\t''
infrastructure.cluster.updated\t''
infrastructure.external-volumes.attachments.updated\t''
infrastructure.external-volumes.error\t''
infrastructure.external-volumes.error_reset\t''
infrastructure.external-volumes.new\t''
infrastructure.external-volumes.reconfigured\t''
infrastructure.external-volumes.state.changed\t''
infrastructure.external-volumes.updated\t''
infrastructure.ips.assignment.error\t''
infrastructure.ips.assignment.error_reset\t''
infrastructure.ips.assignment.state.changed\t''
infrastructure.provider.error\t''
infrastructure.provider.error_reset\t''
infrastructure.provider.new\t''
infrastructure.provider.state.changed\t''
infrastructure.provider.updated\t''
infrastructure.server.compute.restart\t''
infrastructure.server.error\t''
infrastructure.server.error_reset\t''
infrastructure.server.evacuation.changed\t''
infrastructure.server.evacuation.completed\t''
infrastructure.server.evacuation.started\t''
infrastructure.server.new\t''
infrastructure.server.reconfigured\t''
infrastructure.server.restart\t''
infrastructure.server.state.changed\t''
infrastructure.virtual-providers.iso.error\t''
infrastructure.virtual-providers.iso.error_reset\t''
infrastructure.virtual-providers.iso.new\t''
infrastructure.virtual-providers.iso.state.changed\t''
infrastructure.virtual-providers.iso.updated\t''
internal.service.compute.connected\t''
ips_pool.error\t''
ips_pool.error_reset\t''
ips_pool.new\t''
ips_pool.reconfigured\t''
ips_pool.state.changed\t''
job.error\t''
job.new\t''
job.state.changed\t''
pipeline.error\t''
pipeline.error_reset\t''
pipeline.key.error\t''
pipeline.key.error_reset\t''
pipeline.key.new\t''
pipeline.key.state.changed\t''
pipeline.key.updated\t''
pipeline.new\t''
pipeline.run.error\t''
pipeline.run.error_reset\t''
pipeline.run.new\t''
pipeline.run.state.changed\t''
pipeline.run.updated\t''
pipeline.state.changed\t''
pipeline.updated\t''
sdn.network.error\t''
sdn.network.error_reset\t''
sdn.network.new\t''
sdn.network.reconfigured\t''
sdn.network.state.changed\t''
sdn.network.updated\t''
stack.build.deployed\t''
stack.build.error\t''
stack.build.error_reset\t''
stack.build.new\t''
stack.build.state.changed\t''
stack.error\t''
stack.error_reset\t''
stack.new\t''
stack.state.changed\t''
stack.updated\t''
virtual-machine.error\t''
virtual-machine.error_reset\t''
virtual-machine.ips.modified\t''
virtual-machine.new\t''
virtual-machine.reconfigured\t''
virtual-machine.ssh-key.error\t''
virtual-machine.ssh-key.error_reset\t''
virtual-machine.ssh-key.new\t''
virtual-machine.ssh-key.state.changed\t''
virtual-machine.ssh-key.updated\t''
virtual-machine.state.changed\t''
virtual-machine.updated\t''
billing.credit.created\t'legacy name'
billing.invoice.created\t'legacy name'
billing.method.created\t'legacy name'
billing.order.created\t'legacy name'
container.backup.created\t'legacy name'
container.created\t'legacy name'
dns.zone.created\t'legacy name'
environment.created\t'legacy name'
environment.scoped-variable.created\t'legacy name'
hub.api_key.created\t'legacy name'
image.created\t'legacy name'
image.source.created\t'legacy name'
infrastructure.provider.created\t'legacy name'
job.created\t'legacy name'
pipeline.created\t'legacy name'
pipeline.key.created\t'legacy name'
pipeline.run.created\t'legacy name'
sdn.network.created\t'legacy name'
secret.error\t'legacy name'
secret.state.changed\t'legacy name'
stack.build.created\t'legacy name'
stack.created\t'legacy name'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s x -l exclude -d 'Drop topics matching GLOB (repeatable, comma-separated)' -r -f -a "billing.credit.error\t''
billing.credit.error_reset\t''
billing.credit.new\t''
billing.credit.state.changed\t''
billing.discount.error\t''
billing.discount.error_reset\t''
billing.discount.state.changed\t''
billing.invoice.error\t''
billing.invoice.error_reset\t''
billing.invoice.new\t''
billing.invoice.state.changed\t''
billing.invoice.updated\t''
billing.method.error\t''
billing.method.error_reset\t''
billing.method.new\t''
billing.method.state.changed\t''
billing.method.updated\t''
billing.order.error\t''
billing.order.error_reset\t''
billing.order.new\t''
billing.order.state.changed\t''
billing.order.updated\t''
billing.service.error\t''
billing.service.error_reset\t''
billing.service.state.changed\t''
container.backup.error\t''
container.backup.error_reset\t''
container.backup.new\t''
container.backup.state.changed\t''
container.desired_state.changed\t''
container.error\t''
container.error_reset\t''
container.instance.error\t''
container.instance.error_reset\t''
container.instance.health.status.changed\t''
container.instance.migration.update\t''
container.instance.readiness.status.changed\t''
container.instance.state.changed\t''
container.instance.traffic-drain.reconfigured\t''
container.instances.reconfigured\t''
container.new\t''
container.reconfigured\t''
container.state.changed\t''
container.updated\t''
dns.certificate.error\t''
dns.certificate.error_reset\t''
dns.certificate.new\t''
dns.certificate.state.changed\t''
dns.zone.certificate.ready\t''
dns.zone.error\t''
dns.zone.error_reset\t''
dns.zone.new\t''
dns.zone.reconfigured\t''
dns.zone.record.state.changed\t''
dns.zone.records.reconfigured\t''
dns.zone.state.changed\t''
dns.zone.verified\t''
environment.deployments.reconfigured\t''
environment.error\t''
environment.error_reset\t''
environment.new\t''
environment.pod.error\t''
environment.pod.error_reset\t''
environment.pod.new\t''
environment.pod.state.changed\t''
environment.pod.updated\t''
environment.scoped-variable.error\t''
environment.scoped-variable.error_reset\t''
environment.scoped-variable.new\t''
environment.scoped-variable.state.changed\t''
environment.scoped-variable.updated\t''
environment.services.lb.ips.modified\t''
environment.services.reconfigured\t''
environment.services.vpn.users.updated\t''
environment.started\t''
environment.state.changed\t''
environment.stopped\t''
environment.updated\t''
event.pushed\t''
hub.activity.new\t''
hub.api_key.error\t''
hub.api_key.error_reset\t''
hub.api_key.new\t''
hub.api_key.state.changed\t''
hub.api_key.updated\t''
hub.error\t''
hub.error_reset\t''
hub.integration.error\t''
hub.integration.error_reset\t''
hub.integration.new\t''
hub.integration.state.changed\t''
hub.integration.updated\t''
hub.location.error\t''
hub.location.error_reset\t''
hub.location.new\t''
hub.location.state.changed\t''
hub.location.updated\t''
hub.membership.error\t''
hub.membership.error_reset\t''
hub.membership.new\t''
hub.membership.state.changed\t''
hub.membership.updated\t''
hub.role.error\t''
hub.role.error_reset\t''
hub.role.new\t''
hub.role.state.changed\t''
hub.role.updated\t''
hub.state.changed\t''
hub.updated\t''
image.error\t''
image.error_reset\t''
image.new\t''
image.source.error\t''
image.source.error_reset\t''
image.source.new\t''
image.source.state.changed\t''
image.source.updated\t''
image.state.changed\t''
image.updated\t''
infrastructure.autoscale.group.error\t''
infrastructure.autoscale.group.error_reset\t''
infrastructure.autoscale.group.new\t''
infrastructure.autoscale.group.reconfigured\t''
infrastructure.autoscale.group.state.changed\t''
infrastructure.autoscale.group.updated\t''
infrastructure.cluster.error\t''
infrastructure.cluster.error_reset\t''
infrastructure.cluster.monitoring.reconfigured\t''
infrastructure.cluster.new\t''
infrastructure.cluster.state.changed\t''
infrastructure.cluster.updated\t''
infrastructure.external-volumes.attachments.updated\t''
infrastructure.external-volumes.error\t''
infrastructure.external-volumes.error_reset\t''
infrastructure.external-volumes.new\t''
infrastructure.external-volumes.reconfigured\t''
infrastructure.external-volumes.state.changed\t''
infrastructure.external-volumes.updated\t''
infrastructure.ips.assignment.error\t''
infrastructure.ips.assignment.error_reset\t''
infrastructure.ips.assignment.state.changed\t''
infrastructure.provider.error\t''
infrastructure.provider.error_reset\t''
infrastructure.provider.new\t''
infrastructure.provider.state.changed\t''
infrastructure.provider.updated\t''
infrastructure.server.compute.restart\t''
infrastructure.server.error\t''
infrastructure.server.error_reset\t''
infrastructure.server.evacuation.changed\t''
infrastructure.server.evacuation.completed\t''
infrastructure.server.evacuation.started\t''
infrastructure.server.new\t''
infrastructure.server.reconfigured\t''
infrastructure.server.restart\t''
infrastructure.server.state.changed\t''
infrastructure.virtual-providers.iso.error\t''
infrastructure.virtual-providers.iso.error_reset\t''
infrastructure.virtual-providers.iso.new\t''
infrastructure.virtual-providers.iso.state.changed\t''
infrastructure.virtual-providers.iso.updated\t''
internal.service.compute.connected\t''
ips_pool.error\t''
ips_pool.error_reset\t''
ips_pool.new\t''
ips_pool.reconfigured\t''
ips_pool.state.changed\t''
job.error\t''
job.new\t''
job.state.changed\t''
pipeline.error\t''
pipeline.error_reset\t''
pipeline.key.error\t''
pipeline.key.error_reset\t''
pipeline.key.new\t''
pipeline.key.state.changed\t''
pipeline.key.updated\t''
pipeline.new\t''
pipeline.run.error\t''
pipeline.run.error_reset\t''
pipeline.run.new\t''
pipeline.run.state.changed\t''
pipeline.run.updated\t''
pipeline.state.changed\t''
pipeline.updated\t''
sdn.network.error\t''
sdn.network.error_reset\t''
sdn.network.new\t''
sdn.network.reconfigured\t''
sdn.network.state.changed\t''
sdn.network.updated\t''
stack.build.deployed\t''
stack.build.error\t''
stack.build.error_reset\t''
stack.build.new\t''
stack.build.state.changed\t''
stack.error\t''
stack.error_reset\t''
stack.new\t''
stack.state.changed\t''
stack.updated\t''
virtual-machine.error\t''
virtual-machine.error_reset\t''
virtual-machine.ips.modified\t''
virtual-machine.new\t''
virtual-machine.reconfigured\t''
virtual-machine.ssh-key.error\t''
virtual-machine.ssh-key.error_reset\t''
virtual-machine.ssh-key.new\t''
virtual-machine.ssh-key.state.changed\t''
virtual-machine.ssh-key.updated\t''
virtual-machine.state.changed\t''
virtual-machine.updated\t''
billing.credit.created\t'legacy name'
billing.invoice.created\t'legacy name'
billing.method.created\t'legacy name'
billing.order.created\t'legacy name'
container.backup.created\t'legacy name'
container.created\t'legacy name'
dns.zone.created\t'legacy name'
environment.created\t'legacy name'
environment.scoped-variable.created\t'legacy name'
hub.api_key.created\t'legacy name'
image.created\t'legacy name'
image.source.created\t'legacy name'
infrastructure.provider.created\t'legacy name'
job.created\t'legacy name'
pipeline.created\t'legacy name'
pipeline.key.created\t'legacy name'
pipeline.run.created\t'legacy name'
sdn.network.created\t'legacy name'
secret.error\t'legacy name'
secret.state.changed\t'legacy name'
stack.build.created\t'legacy name'
stack.created\t'legacy name'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l id -d 'Only notifications about this object id' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l state -d 'Only notifications whose object is in this state' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l environment -d 'Only notifications in this environment (context.environments)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l container -d 'Only notifications about this container (context.containers)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l cluster -d 'Only notifications in this cluster (context.clusters)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s o -l output -d 'Output format (auto: pretty on a terminal, json otherwise; pretty fits the terminal)' -r -f -a "auto\t'pretty on a terminal, json otherwise'
pretty\t'one coloured line per notification, for people'
wide\t'pretty, but every field in full (full ids), never fitted to the terminal'
json\t'each notification as received, one per line, for jq and scripts'
raw\t'each frame verbatim plus a newline'
none\t'nothing on stdout: only act on them (--exec, --forward-to, --publish) or count them'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s n -l count -d 'Exit 0 after N notifications passed the filters' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l idle-timeout -d 'Exit 124 when no notification passed the filters for this long (a watchdog for cron and CI)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l timeout -d 'Stop after this long (e.g. 30s, 5m); exit 124 if --count was not reached' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l internal-socket -d 'The internal API\'s unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l ping-interval -d 'Ping the hub this often; no frame at all for two intervals means the link is dead' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l exec -d 'Run CMD (with sh -c) for each notification: its JSON on stdin, CYCLE_* variables set' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l exec-jobs -d 'Commands run at once (never two for the same object id) [default: 1]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l exec-timeout -d 'Kill a command (and its process group) that runs longer, counting it as failed' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l exec-retries -d 'Retry a failed command this many times, with backoff [default: 0]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l forward-to -d 'POST each notification to URL, signed as Standard Webhooks prescribe' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l forward-secret -d 'Signing secret (whsec_...) [env: CYCLE_NOTIFY_FORWARD_SECRET] [default: one per run]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l forward-header -d 'Extra header on every POST, as \'Name: value\' (repeatable)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l forward-jobs -d 'POSTs in flight at once (never two for the same object id) [default: 1]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l forward-retry-for -d 'Keep retrying a failed POST for this long [default: 5m]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l forward-timeout -d 'Give up on one POST attempt after this long [default: 10s]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l publish -d 'Publish each notification to NATS JetStream (comma-separated servers) [env: NATS_URL]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l subject-prefix -d 'First subject token: subjects are PREFIX.<hub id>.<topic> [default: cycle]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l nats-creds -d 'NATS credentials file (JWT and nkey seed) [env: NATS_CREDS]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l nats-ca -d 'CA certificate (PEM) to trust for TLS to NATS, besides the system store' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l nats-stream -d 'JetStream stream to publish into, created when missing (subjects PREFIX.<hub id>.>)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l nats-max-age -d 'Retention of a stream created by --nats-stream (default: unlimited)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l publish-retry-for -d 'Keep retrying a failed publish for this long [default: 5m]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l queue -d 'Notifications queued per destination before the socket stops being read [default: 1000]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l drain -d 'When the run ends, how long queued deliveries still get [default: 10s]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l demo -d 'Run against a simulated hub started in this process (no credentials needed)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l internal -d 'Inside a Cycle container: follow the internal API\'s socket, with the container\'s CYCLE_API_TOKEN instead of an API key'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l no-reconnect -d 'Exit 4 when the connection drops instead of reconnecting'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l status-events -d 'Also print connection records (topic cycle-notify.stream.connected / .gap) on stdout'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l utc -d 'Pretty times in UTC, each with its date (default: local time, dated when the day changes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l timestamps -d 'JSON lines start with "received_at" (RFC 3339, UTC): a recording `simulate --replay` plays back with its spacing (not with -o raw)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l ha -d 'Standby bridge: of the bridges for one hub, the one holding a JetStream lease publishes'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand tail" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l state -d 'Target states (default: per kind, listed below)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l fail-on -d 'States that end the wait with exit 1 (default: per kind, listed below)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l timeout -d 'Give up after this long with exit 124 (0: check once and exit)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l appear-within -d 'Treat a 404 as "not visible yet" this long before "not found" (re-read every 2s)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l poll -d 'Also re-read the pending objects this often (0: on notifications and reconnects only)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l heartbeat -d 'In a pipe, a progress line on stderr this often (0: none; a terminal gets live lines)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l unhealthy-grace -d 'With --healthy: how long an instance may stay unhealthy before the wait fails' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l container -d 'The container of an instance or backup (else learnt from its first notification)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l pipeline -d 'The pipeline of a run or trigger key' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l environment -d 'The environment of a scoped variable (else learnt from its first notification)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l zone -d 'The DNS zone of a record' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l integration -d 'The virtual provider integration of an ISO' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -s o -l output -d 'Output format of the settled objects (auto: pretty on a terminal, json otherwise)' -r -f -a "auto\t'pretty on a terminal, json otherwise'
pretty\t'`container <id> running (12.3s)`'
json\t'one JSON object per settled object: kind, id, state, outcome, elapsed_ms, error'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l ping-interval -d 'Ping the hub this often; no frame at all for two intervals means the link is dead' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l internal-socket -d 'The internal API\'s unix socket [env: CYCLE_INTERNAL_SOCKET] [default: /var/run/cycle/api/api.sock]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l any -d 'Succeed as soon as any one object reaches a target (default: all must)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l fail-on-error -d 'Fail when an object\'s state.error is set, for every kind (default: per kind, below)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l healthy -d 'container only: also wait until every instance is running and healthy'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l no-reconnect -d 'Exit 4 when the connection drops instead of reconnecting'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l demo -d 'Run against a simulated hub started in this process (no credentials needed)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l internal -d 'Inside a Cycle container: follow the internal API\'s socket, with the container\'s CYCLE_API_TOKEN instead of an API key'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand wait-for" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l port -d 'Port to listen on (0: any free port)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l bind -d 'Address to listen on' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l scenario -d 'Scenario to play (see --list-scenarios)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l replay -d 'Send the notifications of a JSON-lines file (what `tail -o json` writes)' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l rate -d 'Notifications per second, or `max` (default: the scenario\'s or replay\'s own timing)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l count -d 'Stop after N notifications per connection (the socket stays open)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l speed -d 'Scale the scenario\'s clock (2: twice as fast)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l drop-every -d 'Abort every socket (no close frame) after it has been open this long' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l drop-after -d 'Abort every socket after it has sent N notifications' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l stall-after -d 'Go silent after N notifications (no frames, pings unanswered): a half-open link' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l garbage-every -d 'Send a bad frame (not JSON, binary, no topic, by turns) after every N notifications' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l revoke-after -d 'Refuse token calls with 401 from the Nth on, as for a key revoked mid-run' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l rate-limit-first -d 'Answer the first N token calls with 429 and Retry-After: 1' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l unavailable-first -d 'Answer the first N token calls (after any 429s) with 503' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l auth-fail-style -d 'The shape of 401s: Cycle\'s error envelope, or the OAuth shape the API spec allows for authentication errors (`{"error": "invalid_token", "error_description": ...}`)' -r -f -a "envelope\t''
oauth\t''"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l key -d 'API key the hub accepts (default: a random one, printed on start)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l hub-id -d 'Hub id the hub answers to (default: a random 24-hex id, printed on start)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l internal-socket -d 'Also serve the internal API\'s notification socket on this unix socket path, as inside a Cycle container' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l internal-token -d 'Container token the internal socket accepts (default: a random one, printed on start)' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l list-scenarios -d 'List the scenarios and exit'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l loop -d 'Start the replay over when it ends'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l auth-fail -d 'Refuse every token call with 401, as for a wrong key'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -s o -l output -d 'Output format: one topic per line, or one JSON object per line' -r -f -a "text\t'aligned text, legacy names marked'
json\t'one JSON object per line: {"topic": ..., "status": "current"|"legacy"}'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand topics" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -f -a "path" -d 'Print where the config file is (it may not exist yet)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -f -a "show" -d 'Print the effective settings and where each comes from (the key redacted)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -f -a "set" -d 'Set KEY to VALUE in the config file (in the profile given by --profile)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -f -a "unset" -d 'Remove KEY from the config file (from the profile given by --profile)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -f -a "profiles" -d 'List the profiles defined in the config file, one per line'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and not __fish_seen_subcommand_from path show set unset profiles help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from profiles" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print where the config file is (it may not exist yet)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective settings and where each comes from (the key redacted)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set KEY to VALUE in the config file (in the profile given by --profile)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove KEY from the config file (from the profile given by --profile)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "profiles" -d 'List the profiles defined in the config file, one per line'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l api-key -d 'API key with the notifications-listen capability [env: CYCLE_API_KEY]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l hub -d 'Hub id (24 hex characters) [env: CYCLE_HUB_ID]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l base-url -d 'API base URL [env: CYCLE_BASE_URL] [default: https://api.cycle.io]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l profile -d 'Profile of the config file to use [env: CYCLE_PROFILE]' -r
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l config -d 'Config file to read instead of the default one [env: CYCLE_NOTIFY_CONFIG]' -r -F
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l color -d 'When to colour output (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t'only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE'
always\t'even into a pipe or a file'
never\t'no escape sequences at all'"
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -l api-key-stdin -d 'Read the API key from standard input (trimmed): keeps it out of `ps` and shell history'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -s v -l verbose -d 'Log connection lifecycle to stderr (-vv adds per-frame sizes)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -s q -l quiet -d 'Print only errors on stderr'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand completion" -s V -l version -d 'Print version'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "tail" -d 'Print the hub\'s notifications as they arrive, filtered'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "wait-for" -d 'Block until objects reach a state; exit 0, 1 (failed), 124 (timeout)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "simulate" -d 'Serve a local Cycle-compatible hub (token call, socket, state reads) for offline work'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "topics" -d 'List the known notification topics, or those matching GLOBs'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "config" -d 'Show or edit the config file: path, show, set, unset, profiles'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "completion" -d 'Print the completion script for SHELL (bash, zsh, fish, elvish, powershell)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and not __fish_seen_subcommand_from tail wait-for simulate topics config completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print where the config file is (it may not exist yet)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the effective settings and where each comes from (the key redacted)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set KEY to VALUE in the config file (in the profile given by --profile)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove KEY from the config file (from the profile given by --profile)'
complete -c cycle-notify -n "__fish_cycle_notify_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "profiles" -d 'List the profiles defined in the config file, one per line'
complete -c cycle-notify -l profile -x -a "(cycle-notify config profiles 2>/dev/null)" -d 'profile'
