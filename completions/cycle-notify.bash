_cycle__notify() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="cycle__notify"
                ;;
            cycle__notify,completion)
                cmd="cycle__notify__subcmd__completion"
                ;;
            cycle__notify,config)
                cmd="cycle__notify__subcmd__config"
                ;;
            cycle__notify,help)
                cmd="cycle__notify__subcmd__help"
                ;;
            cycle__notify,simulate)
                cmd="cycle__notify__subcmd__simulate"
                ;;
            cycle__notify,tail)
                cmd="cycle__notify__subcmd__tail"
                ;;
            cycle__notify,topics)
                cmd="cycle__notify__subcmd__topics"
                ;;
            cycle__notify,wait-for)
                cmd="cycle__notify__subcmd__wait__subcmd__for"
                ;;
            cycle__notify__subcmd__config,check)
                cmd="cycle__notify__subcmd__config__subcmd__check"
                ;;
            cycle__notify__subcmd__config,get)
                cmd="cycle__notify__subcmd__config__subcmd__get"
                ;;
            cycle__notify__subcmd__config,help)
                cmd="cycle__notify__subcmd__config__subcmd__help"
                ;;
            cycle__notify__subcmd__config,path)
                cmd="cycle__notify__subcmd__config__subcmd__path"
                ;;
            cycle__notify__subcmd__config,profiles)
                cmd="cycle__notify__subcmd__config__subcmd__profiles"
                ;;
            cycle__notify__subcmd__config,set)
                cmd="cycle__notify__subcmd__config__subcmd__set"
                ;;
            cycle__notify__subcmd__config,show)
                cmd="cycle__notify__subcmd__config__subcmd__show"
                ;;
            cycle__notify__subcmd__config,unset)
                cmd="cycle__notify__subcmd__config__subcmd__unset"
                ;;
            cycle__notify__subcmd__config__subcmd__help,check)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__check"
                ;;
            cycle__notify__subcmd__config__subcmd__help,get)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__get"
                ;;
            cycle__notify__subcmd__config__subcmd__help,help)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__help"
                ;;
            cycle__notify__subcmd__config__subcmd__help,path)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__path"
                ;;
            cycle__notify__subcmd__config__subcmd__help,profiles)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__profiles"
                ;;
            cycle__notify__subcmd__config__subcmd__help,set)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__set"
                ;;
            cycle__notify__subcmd__config__subcmd__help,show)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__show"
                ;;
            cycle__notify__subcmd__config__subcmd__help,unset)
                cmd="cycle__notify__subcmd__config__subcmd__help__subcmd__unset"
                ;;
            cycle__notify__subcmd__help,completion)
                cmd="cycle__notify__subcmd__help__subcmd__completion"
                ;;
            cycle__notify__subcmd__help,config)
                cmd="cycle__notify__subcmd__help__subcmd__config"
                ;;
            cycle__notify__subcmd__help,help)
                cmd="cycle__notify__subcmd__help__subcmd__help"
                ;;
            cycle__notify__subcmd__help,simulate)
                cmd="cycle__notify__subcmd__help__subcmd__simulate"
                ;;
            cycle__notify__subcmd__help,tail)
                cmd="cycle__notify__subcmd__help__subcmd__tail"
                ;;
            cycle__notify__subcmd__help,topics)
                cmd="cycle__notify__subcmd__help__subcmd__topics"
                ;;
            cycle__notify__subcmd__help,wait-for)
                cmd="cycle__notify__subcmd__help__subcmd__wait__subcmd__for"
                ;;
            cycle__notify__subcmd__help__subcmd__config,check)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__check"
                ;;
            cycle__notify__subcmd__help__subcmd__config,get)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__get"
                ;;
            cycle__notify__subcmd__help__subcmd__config,path)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__path"
                ;;
            cycle__notify__subcmd__help__subcmd__config,profiles)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__profiles"
                ;;
            cycle__notify__subcmd__help__subcmd__config,set)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__set"
                ;;
            cycle__notify__subcmd__help__subcmd__config,show)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__show"
                ;;
            cycle__notify__subcmd__help__subcmd__config,unset)
                cmd="cycle__notify__subcmd__help__subcmd__config__subcmd__unset"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        cycle__notify)
            opts="-v -q -h -V --api-key --api-key-stdin --hub --base-url --profile --config --color --verbose --quiet --help --version tail wait-for simulate topics config completion help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__completion)
            opts="-h -V --help --version bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config)
            opts="-q -h -V --profile --config --quiet --help --version path show get check set unset profiles help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__check)
            opts="-q -h -V --api-key --api-key-stdin --hub --base-url --profile --config --quiet --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__get)
            opts="-q -h -V --api-key --api-key-stdin --hub --base-url --profile --config --quiet --help --version api_key hub_id base_url forward_secret"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help)
            opts="path show get check set unset profiles help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__check)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__get)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__path)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__profiles)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__help__subcmd__unset)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__path)
            opts="-h -V --config --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__profiles)
            opts="-q -h -V --config --quiet --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__set)
            opts="-q -h -V --create --api-key-stdin --profile --config --quiet --help --version api_key hub_id base_url forward_secret"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__show)
            opts="-q -h -V --api-key --api-key-stdin --hub --base-url --profile --config --quiet --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__config__subcmd__unset)
            opts="-q -h -V --profile --config --quiet --help --version api_key hub_id base_url forward_secret"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help)
            opts="tail wait-for simulate topics config completion help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__completion)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config)
            opts="path show get check set unset profiles"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__check)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__get)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__path)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__profiles)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__set)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__config__subcmd__unset)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__simulate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__tail)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__topics)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__help__subcmd__wait__subcmd__for)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__simulate)
            opts="-q -h -V --port --bind --scenario --list-scenarios --replay --loop --rate --count --speed --key --hub-id --internal-socket --internal-token --drop-every --drop-after --stall-after --garbage-every --auth-fail --revoke-after --rate-limit-first --unavailable-first --auth-fail-style --quiet --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --bind)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scenario)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replay)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --count)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --speed)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --internal-socket)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --internal-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --drop-every)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --drop-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --stall-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --garbage-every)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --revoke-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --rate-limit-first)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --unavailable-first)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --auth-fail-style)
                    COMPREPLY=($(compgen -W "envelope oauth" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__tail)
            opts="-t -x -o -n -v -q -h -V --topic --exclude --id --state --environment --container --cluster --output --count --idle-timeout --timeout --demo --internal --internal-socket --no-reconnect --ping-interval --max-reconnects --give-up-after --status-events --utc --timestamps --exec --exec-jobs --exec-timeout --exec-retries --forward-to --forward-secret --forward-header --forward-jobs --forward-retry-for --forward-timeout --publish --subject-prefix --nats-creds --nats-ca --nats-stream --nats-max-age --ha --publish-retry-for --queue --drain --api-key --api-key-stdin --hub --base-url --profile --config --color --verbose --quiet --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --topic)
                    COMPREPLY=($(compgen -W "billing.credit.error billing.credit.error_reset billing.credit.new billing.credit.state.changed billing.discount.error billing.discount.error_reset billing.discount.state.changed billing.invoice.error billing.invoice.error_reset billing.invoice.new billing.invoice.state.changed billing.invoice.updated billing.method.error billing.method.error_reset billing.method.new billing.method.state.changed billing.method.updated billing.order.error billing.order.error_reset billing.order.new billing.order.state.changed billing.order.updated billing.service.error billing.service.error_reset billing.service.state.changed container.backup.error container.backup.error_reset container.backup.new container.backup.state.changed container.desired_state.changed container.error container.error_reset container.instance.error container.instance.error_reset container.instance.health.status.changed container.instance.migration.update container.instance.readiness.status.changed container.instance.state.changed container.instance.traffic-drain.reconfigured container.instances.reconfigured container.new container.reconfigured container.state.changed container.updated dns.certificate.error dns.certificate.error_reset dns.certificate.new dns.certificate.state.changed dns.zone.certificate.ready dns.zone.error dns.zone.error_reset dns.zone.new dns.zone.reconfigured dns.zone.record.state.changed dns.zone.records.reconfigured dns.zone.state.changed dns.zone.verified environment.deployments.reconfigured environment.error environment.error_reset environment.new environment.pod.error environment.pod.error_reset environment.pod.new environment.pod.state.changed environment.pod.updated environment.scoped-variable.error environment.scoped-variable.error_reset environment.scoped-variable.new environment.scoped-variable.state.changed environment.scoped-variable.updated environment.services.lb.ips.modified environment.services.reconfigured environment.services.vpn.users.updated environment.started environment.state.changed environment.stopped environment.updated event.pushed hub.activity.new hub.api_key.error hub.api_key.error_reset hub.api_key.new hub.api_key.state.changed hub.api_key.updated hub.error hub.error_reset hub.integration.error hub.integration.error_reset hub.integration.new hub.integration.state.changed hub.integration.updated hub.location.error hub.location.error_reset hub.location.new hub.location.state.changed hub.location.updated hub.membership.error hub.membership.error_reset hub.membership.new hub.membership.state.changed hub.membership.updated hub.role.error hub.role.error_reset hub.role.new hub.role.state.changed hub.role.updated hub.state.changed hub.updated image.error image.error_reset image.new image.source.error image.source.error_reset image.source.new image.source.state.changed image.source.updated image.state.changed image.updated infrastructure.autoscale.group.error infrastructure.autoscale.group.error_reset infrastructure.autoscale.group.new infrastructure.autoscale.group.reconfigured infrastructure.autoscale.group.state.changed infrastructure.autoscale.group.updated infrastructure.cluster.error infrastructure.cluster.error_reset infrastructure.cluster.monitoring.reconfigured infrastructure.cluster.new infrastructure.cluster.state.changed infrastructure.cluster.updated infrastructure.external-volumes.attachments.updated infrastructure.external-volumes.error infrastructure.external-volumes.error_reset infrastructure.external-volumes.new infrastructure.external-volumes.reconfigured infrastructure.external-volumes.state.changed infrastructure.external-volumes.updated infrastructure.ips.assignment.error infrastructure.ips.assignment.error_reset infrastructure.ips.assignment.state.changed infrastructure.provider.error infrastructure.provider.error_reset infrastructure.provider.new infrastructure.provider.state.changed infrastructure.provider.updated infrastructure.server.compute.restart infrastructure.server.error infrastructure.server.error_reset infrastructure.server.evacuation.changed infrastructure.server.evacuation.completed infrastructure.server.evacuation.started infrastructure.server.new infrastructure.server.reconfigured infrastructure.server.restart infrastructure.server.state.changed infrastructure.virtual-providers.iso.error infrastructure.virtual-providers.iso.error_reset infrastructure.virtual-providers.iso.new infrastructure.virtual-providers.iso.state.changed infrastructure.virtual-providers.iso.updated internal.service.compute.connected ips_pool.error ips_pool.error_reset ips_pool.new ips_pool.reconfigured ips_pool.state.changed job.error job.new job.state.changed pipeline.error pipeline.error_reset pipeline.key.error pipeline.key.error_reset pipeline.key.new pipeline.key.state.changed pipeline.key.updated pipeline.new pipeline.run.error pipeline.run.error_reset pipeline.run.new pipeline.run.state.changed pipeline.run.updated pipeline.state.changed pipeline.updated sdn.network.error sdn.network.error_reset sdn.network.new sdn.network.reconfigured sdn.network.state.changed sdn.network.updated stack.build.deployed stack.build.error stack.build.error_reset stack.build.new stack.build.state.changed stack.error stack.error_reset stack.new stack.state.changed stack.updated virtual-machine.error virtual-machine.error_reset virtual-machine.ips.modified virtual-machine.new virtual-machine.reconfigured virtual-machine.ssh-key.error virtual-machine.ssh-key.error_reset virtual-machine.ssh-key.new virtual-machine.ssh-key.state.changed virtual-machine.ssh-key.updated virtual-machine.state.changed virtual-machine.updated billing.credit.created billing.invoice.created billing.method.created billing.order.created container.backup.created container.created dns.zone.created environment.created environment.scoped-variable.created hub.api_key.created image.created image.source.created infrastructure.provider.created job.created pipeline.created pipeline.key.created pipeline.run.created sdn.network.created secret.error secret.state.changed stack.build.created stack.created" -- "${cur}"))
                    return 0
                    ;;
                -t)
                    COMPREPLY=($(compgen -W "billing.credit.error billing.credit.error_reset billing.credit.new billing.credit.state.changed billing.discount.error billing.discount.error_reset billing.discount.state.changed billing.invoice.error billing.invoice.error_reset billing.invoice.new billing.invoice.state.changed billing.invoice.updated billing.method.error billing.method.error_reset billing.method.new billing.method.state.changed billing.method.updated billing.order.error billing.order.error_reset billing.order.new billing.order.state.changed billing.order.updated billing.service.error billing.service.error_reset billing.service.state.changed container.backup.error container.backup.error_reset container.backup.new container.backup.state.changed container.desired_state.changed container.error container.error_reset container.instance.error container.instance.error_reset container.instance.health.status.changed container.instance.migration.update container.instance.readiness.status.changed container.instance.state.changed container.instance.traffic-drain.reconfigured container.instances.reconfigured container.new container.reconfigured container.state.changed container.updated dns.certificate.error dns.certificate.error_reset dns.certificate.new dns.certificate.state.changed dns.zone.certificate.ready dns.zone.error dns.zone.error_reset dns.zone.new dns.zone.reconfigured dns.zone.record.state.changed dns.zone.records.reconfigured dns.zone.state.changed dns.zone.verified environment.deployments.reconfigured environment.error environment.error_reset environment.new environment.pod.error environment.pod.error_reset environment.pod.new environment.pod.state.changed environment.pod.updated environment.scoped-variable.error environment.scoped-variable.error_reset environment.scoped-variable.new environment.scoped-variable.state.changed environment.scoped-variable.updated environment.services.lb.ips.modified environment.services.reconfigured environment.services.vpn.users.updated environment.started environment.state.changed environment.stopped environment.updated event.pushed hub.activity.new hub.api_key.error hub.api_key.error_reset hub.api_key.new hub.api_key.state.changed hub.api_key.updated hub.error hub.error_reset hub.integration.error hub.integration.error_reset hub.integration.new hub.integration.state.changed hub.integration.updated hub.location.error hub.location.error_reset hub.location.new hub.location.state.changed hub.location.updated hub.membership.error hub.membership.error_reset hub.membership.new hub.membership.state.changed hub.membership.updated hub.role.error hub.role.error_reset hub.role.new hub.role.state.changed hub.role.updated hub.state.changed hub.updated image.error image.error_reset image.new image.source.error image.source.error_reset image.source.new image.source.state.changed image.source.updated image.state.changed image.updated infrastructure.autoscale.group.error infrastructure.autoscale.group.error_reset infrastructure.autoscale.group.new infrastructure.autoscale.group.reconfigured infrastructure.autoscale.group.state.changed infrastructure.autoscale.group.updated infrastructure.cluster.error infrastructure.cluster.error_reset infrastructure.cluster.monitoring.reconfigured infrastructure.cluster.new infrastructure.cluster.state.changed infrastructure.cluster.updated infrastructure.external-volumes.attachments.updated infrastructure.external-volumes.error infrastructure.external-volumes.error_reset infrastructure.external-volumes.new infrastructure.external-volumes.reconfigured infrastructure.external-volumes.state.changed infrastructure.external-volumes.updated infrastructure.ips.assignment.error infrastructure.ips.assignment.error_reset infrastructure.ips.assignment.state.changed infrastructure.provider.error infrastructure.provider.error_reset infrastructure.provider.new infrastructure.provider.state.changed infrastructure.provider.updated infrastructure.server.compute.restart infrastructure.server.error infrastructure.server.error_reset infrastructure.server.evacuation.changed infrastructure.server.evacuation.completed infrastructure.server.evacuation.started infrastructure.server.new infrastructure.server.reconfigured infrastructure.server.restart infrastructure.server.state.changed infrastructure.virtual-providers.iso.error infrastructure.virtual-providers.iso.error_reset infrastructure.virtual-providers.iso.new infrastructure.virtual-providers.iso.state.changed infrastructure.virtual-providers.iso.updated internal.service.compute.connected ips_pool.error ips_pool.error_reset ips_pool.new ips_pool.reconfigured ips_pool.state.changed job.error job.new job.state.changed pipeline.error pipeline.error_reset pipeline.key.error pipeline.key.error_reset pipeline.key.new pipeline.key.state.changed pipeline.key.updated pipeline.new pipeline.run.error pipeline.run.error_reset pipeline.run.new pipeline.run.state.changed pipeline.run.updated pipeline.state.changed pipeline.updated sdn.network.error sdn.network.error_reset sdn.network.new sdn.network.reconfigured sdn.network.state.changed sdn.network.updated stack.build.deployed stack.build.error stack.build.error_reset stack.build.new stack.build.state.changed stack.error stack.error_reset stack.new stack.state.changed stack.updated virtual-machine.error virtual-machine.error_reset virtual-machine.ips.modified virtual-machine.new virtual-machine.reconfigured virtual-machine.ssh-key.error virtual-machine.ssh-key.error_reset virtual-machine.ssh-key.new virtual-machine.ssh-key.state.changed virtual-machine.ssh-key.updated virtual-machine.state.changed virtual-machine.updated billing.credit.created billing.invoice.created billing.method.created billing.order.created container.backup.created container.created dns.zone.created environment.created environment.scoped-variable.created hub.api_key.created image.created image.source.created infrastructure.provider.created job.created pipeline.created pipeline.key.created pipeline.run.created sdn.network.created secret.error secret.state.changed stack.build.created stack.created" -- "${cur}"))
                    return 0
                    ;;
                --exclude)
                    COMPREPLY=($(compgen -W "billing.credit.error billing.credit.error_reset billing.credit.new billing.credit.state.changed billing.discount.error billing.discount.error_reset billing.discount.state.changed billing.invoice.error billing.invoice.error_reset billing.invoice.new billing.invoice.state.changed billing.invoice.updated billing.method.error billing.method.error_reset billing.method.new billing.method.state.changed billing.method.updated billing.order.error billing.order.error_reset billing.order.new billing.order.state.changed billing.order.updated billing.service.error billing.service.error_reset billing.service.state.changed container.backup.error container.backup.error_reset container.backup.new container.backup.state.changed container.desired_state.changed container.error container.error_reset container.instance.error container.instance.error_reset container.instance.health.status.changed container.instance.migration.update container.instance.readiness.status.changed container.instance.state.changed container.instance.traffic-drain.reconfigured container.instances.reconfigured container.new container.reconfigured container.state.changed container.updated dns.certificate.error dns.certificate.error_reset dns.certificate.new dns.certificate.state.changed dns.zone.certificate.ready dns.zone.error dns.zone.error_reset dns.zone.new dns.zone.reconfigured dns.zone.record.state.changed dns.zone.records.reconfigured dns.zone.state.changed dns.zone.verified environment.deployments.reconfigured environment.error environment.error_reset environment.new environment.pod.error environment.pod.error_reset environment.pod.new environment.pod.state.changed environment.pod.updated environment.scoped-variable.error environment.scoped-variable.error_reset environment.scoped-variable.new environment.scoped-variable.state.changed environment.scoped-variable.updated environment.services.lb.ips.modified environment.services.reconfigured environment.services.vpn.users.updated environment.started environment.state.changed environment.stopped environment.updated event.pushed hub.activity.new hub.api_key.error hub.api_key.error_reset hub.api_key.new hub.api_key.state.changed hub.api_key.updated hub.error hub.error_reset hub.integration.error hub.integration.error_reset hub.integration.new hub.integration.state.changed hub.integration.updated hub.location.error hub.location.error_reset hub.location.new hub.location.state.changed hub.location.updated hub.membership.error hub.membership.error_reset hub.membership.new hub.membership.state.changed hub.membership.updated hub.role.error hub.role.error_reset hub.role.new hub.role.state.changed hub.role.updated hub.state.changed hub.updated image.error image.error_reset image.new image.source.error image.source.error_reset image.source.new image.source.state.changed image.source.updated image.state.changed image.updated infrastructure.autoscale.group.error infrastructure.autoscale.group.error_reset infrastructure.autoscale.group.new infrastructure.autoscale.group.reconfigured infrastructure.autoscale.group.state.changed infrastructure.autoscale.group.updated infrastructure.cluster.error infrastructure.cluster.error_reset infrastructure.cluster.monitoring.reconfigured infrastructure.cluster.new infrastructure.cluster.state.changed infrastructure.cluster.updated infrastructure.external-volumes.attachments.updated infrastructure.external-volumes.error infrastructure.external-volumes.error_reset infrastructure.external-volumes.new infrastructure.external-volumes.reconfigured infrastructure.external-volumes.state.changed infrastructure.external-volumes.updated infrastructure.ips.assignment.error infrastructure.ips.assignment.error_reset infrastructure.ips.assignment.state.changed infrastructure.provider.error infrastructure.provider.error_reset infrastructure.provider.new infrastructure.provider.state.changed infrastructure.provider.updated infrastructure.server.compute.restart infrastructure.server.error infrastructure.server.error_reset infrastructure.server.evacuation.changed infrastructure.server.evacuation.completed infrastructure.server.evacuation.started infrastructure.server.new infrastructure.server.reconfigured infrastructure.server.restart infrastructure.server.state.changed infrastructure.virtual-providers.iso.error infrastructure.virtual-providers.iso.error_reset infrastructure.virtual-providers.iso.new infrastructure.virtual-providers.iso.state.changed infrastructure.virtual-providers.iso.updated internal.service.compute.connected ips_pool.error ips_pool.error_reset ips_pool.new ips_pool.reconfigured ips_pool.state.changed job.error job.new job.state.changed pipeline.error pipeline.error_reset pipeline.key.error pipeline.key.error_reset pipeline.key.new pipeline.key.state.changed pipeline.key.updated pipeline.new pipeline.run.error pipeline.run.error_reset pipeline.run.new pipeline.run.state.changed pipeline.run.updated pipeline.state.changed pipeline.updated sdn.network.error sdn.network.error_reset sdn.network.new sdn.network.reconfigured sdn.network.state.changed sdn.network.updated stack.build.deployed stack.build.error stack.build.error_reset stack.build.new stack.build.state.changed stack.error stack.error_reset stack.new stack.state.changed stack.updated virtual-machine.error virtual-machine.error_reset virtual-machine.ips.modified virtual-machine.new virtual-machine.reconfigured virtual-machine.ssh-key.error virtual-machine.ssh-key.error_reset virtual-machine.ssh-key.new virtual-machine.ssh-key.state.changed virtual-machine.ssh-key.updated virtual-machine.state.changed virtual-machine.updated billing.credit.created billing.invoice.created billing.method.created billing.order.created container.backup.created container.created dns.zone.created environment.created environment.scoped-variable.created hub.api_key.created image.created image.source.created infrastructure.provider.created job.created pipeline.created pipeline.key.created pipeline.run.created sdn.network.created secret.error secret.state.changed stack.build.created stack.created" -- "${cur}"))
                    return 0
                    ;;
                -x)
                    COMPREPLY=($(compgen -W "billing.credit.error billing.credit.error_reset billing.credit.new billing.credit.state.changed billing.discount.error billing.discount.error_reset billing.discount.state.changed billing.invoice.error billing.invoice.error_reset billing.invoice.new billing.invoice.state.changed billing.invoice.updated billing.method.error billing.method.error_reset billing.method.new billing.method.state.changed billing.method.updated billing.order.error billing.order.error_reset billing.order.new billing.order.state.changed billing.order.updated billing.service.error billing.service.error_reset billing.service.state.changed container.backup.error container.backup.error_reset container.backup.new container.backup.state.changed container.desired_state.changed container.error container.error_reset container.instance.error container.instance.error_reset container.instance.health.status.changed container.instance.migration.update container.instance.readiness.status.changed container.instance.state.changed container.instance.traffic-drain.reconfigured container.instances.reconfigured container.new container.reconfigured container.state.changed container.updated dns.certificate.error dns.certificate.error_reset dns.certificate.new dns.certificate.state.changed dns.zone.certificate.ready dns.zone.error dns.zone.error_reset dns.zone.new dns.zone.reconfigured dns.zone.record.state.changed dns.zone.records.reconfigured dns.zone.state.changed dns.zone.verified environment.deployments.reconfigured environment.error environment.error_reset environment.new environment.pod.error environment.pod.error_reset environment.pod.new environment.pod.state.changed environment.pod.updated environment.scoped-variable.error environment.scoped-variable.error_reset environment.scoped-variable.new environment.scoped-variable.state.changed environment.scoped-variable.updated environment.services.lb.ips.modified environment.services.reconfigured environment.services.vpn.users.updated environment.started environment.state.changed environment.stopped environment.updated event.pushed hub.activity.new hub.api_key.error hub.api_key.error_reset hub.api_key.new hub.api_key.state.changed hub.api_key.updated hub.error hub.error_reset hub.integration.error hub.integration.error_reset hub.integration.new hub.integration.state.changed hub.integration.updated hub.location.error hub.location.error_reset hub.location.new hub.location.state.changed hub.location.updated hub.membership.error hub.membership.error_reset hub.membership.new hub.membership.state.changed hub.membership.updated hub.role.error hub.role.error_reset hub.role.new hub.role.state.changed hub.role.updated hub.state.changed hub.updated image.error image.error_reset image.new image.source.error image.source.error_reset image.source.new image.source.state.changed image.source.updated image.state.changed image.updated infrastructure.autoscale.group.error infrastructure.autoscale.group.error_reset infrastructure.autoscale.group.new infrastructure.autoscale.group.reconfigured infrastructure.autoscale.group.state.changed infrastructure.autoscale.group.updated infrastructure.cluster.error infrastructure.cluster.error_reset infrastructure.cluster.monitoring.reconfigured infrastructure.cluster.new infrastructure.cluster.state.changed infrastructure.cluster.updated infrastructure.external-volumes.attachments.updated infrastructure.external-volumes.error infrastructure.external-volumes.error_reset infrastructure.external-volumes.new infrastructure.external-volumes.reconfigured infrastructure.external-volumes.state.changed infrastructure.external-volumes.updated infrastructure.ips.assignment.error infrastructure.ips.assignment.error_reset infrastructure.ips.assignment.state.changed infrastructure.provider.error infrastructure.provider.error_reset infrastructure.provider.new infrastructure.provider.state.changed infrastructure.provider.updated infrastructure.server.compute.restart infrastructure.server.error infrastructure.server.error_reset infrastructure.server.evacuation.changed infrastructure.server.evacuation.completed infrastructure.server.evacuation.started infrastructure.server.new infrastructure.server.reconfigured infrastructure.server.restart infrastructure.server.state.changed infrastructure.virtual-providers.iso.error infrastructure.virtual-providers.iso.error_reset infrastructure.virtual-providers.iso.new infrastructure.virtual-providers.iso.state.changed infrastructure.virtual-providers.iso.updated internal.service.compute.connected ips_pool.error ips_pool.error_reset ips_pool.new ips_pool.reconfigured ips_pool.state.changed job.error job.new job.state.changed pipeline.error pipeline.error_reset pipeline.key.error pipeline.key.error_reset pipeline.key.new pipeline.key.state.changed pipeline.key.updated pipeline.new pipeline.run.error pipeline.run.error_reset pipeline.run.new pipeline.run.state.changed pipeline.run.updated pipeline.state.changed pipeline.updated sdn.network.error sdn.network.error_reset sdn.network.new sdn.network.reconfigured sdn.network.state.changed sdn.network.updated stack.build.deployed stack.build.error stack.build.error_reset stack.build.new stack.build.state.changed stack.error stack.error_reset stack.new stack.state.changed stack.updated virtual-machine.error virtual-machine.error_reset virtual-machine.ips.modified virtual-machine.new virtual-machine.reconfigured virtual-machine.ssh-key.error virtual-machine.ssh-key.error_reset virtual-machine.ssh-key.new virtual-machine.ssh-key.state.changed virtual-machine.ssh-key.updated virtual-machine.state.changed virtual-machine.updated billing.credit.created billing.invoice.created billing.method.created billing.order.created container.backup.created container.created dns.zone.created environment.created environment.scoped-variable.created hub.api_key.created image.created image.source.created infrastructure.provider.created job.created pipeline.created pipeline.key.created pipeline.run.created sdn.network.created secret.error secret.state.changed stack.build.created stack.created" -- "${cur}"))
                    return 0
                    ;;
                --id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --state)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --environment)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --container)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cluster)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "auto pretty wide json raw none" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "auto pretty wide json raw none" -- "${cur}"))
                    return 0
                    ;;
                --count)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --idle-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --internal-socket)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ping-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-reconnects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --give-up-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exec)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exec-jobs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exec-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exec-retries)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-secret)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-jobs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-retry-for)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --publish)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nats-creds)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nats-ca)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nats-stream)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nats-max-age)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --publish-retry-for)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --queue)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --drain)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__topics)
            opts="-o -q -h -V --output --quiet --help --version billing.credit.error billing.credit.error_reset billing.credit.new billing.credit.state.changed billing.discount.error billing.discount.error_reset billing.discount.state.changed billing.invoice.error billing.invoice.error_reset billing.invoice.new billing.invoice.state.changed billing.invoice.updated billing.method.error billing.method.error_reset billing.method.new billing.method.state.changed billing.method.updated billing.order.error billing.order.error_reset billing.order.new billing.order.state.changed billing.order.updated billing.service.error billing.service.error_reset billing.service.state.changed container.backup.error container.backup.error_reset container.backup.new container.backup.state.changed container.desired_state.changed container.error container.error_reset container.instance.error container.instance.error_reset container.instance.health.status.changed container.instance.migration.update container.instance.readiness.status.changed container.instance.state.changed container.instance.traffic-drain.reconfigured container.instances.reconfigured container.new container.reconfigured container.state.changed container.updated dns.certificate.error dns.certificate.error_reset dns.certificate.new dns.certificate.state.changed dns.zone.certificate.ready dns.zone.error dns.zone.error_reset dns.zone.new dns.zone.reconfigured dns.zone.record.state.changed dns.zone.records.reconfigured dns.zone.state.changed dns.zone.verified environment.deployments.reconfigured environment.error environment.error_reset environment.new environment.pod.error environment.pod.error_reset environment.pod.new environment.pod.state.changed environment.pod.updated environment.scoped-variable.error environment.scoped-variable.error_reset environment.scoped-variable.new environment.scoped-variable.state.changed environment.scoped-variable.updated environment.services.lb.ips.modified environment.services.reconfigured environment.services.vpn.users.updated environment.started environment.state.changed environment.stopped environment.updated event.pushed hub.activity.new hub.api_key.error hub.api_key.error_reset hub.api_key.new hub.api_key.state.changed hub.api_key.updated hub.error hub.error_reset hub.integration.error hub.integration.error_reset hub.integration.new hub.integration.state.changed hub.integration.updated hub.location.error hub.location.error_reset hub.location.new hub.location.state.changed hub.location.updated hub.membership.error hub.membership.error_reset hub.membership.new hub.membership.state.changed hub.membership.updated hub.role.error hub.role.error_reset hub.role.new hub.role.state.changed hub.role.updated hub.state.changed hub.updated image.error image.error_reset image.new image.source.error image.source.error_reset image.source.new image.source.state.changed image.source.updated image.state.changed image.updated infrastructure.autoscale.group.error infrastructure.autoscale.group.error_reset infrastructure.autoscale.group.new infrastructure.autoscale.group.reconfigured infrastructure.autoscale.group.state.changed infrastructure.autoscale.group.updated infrastructure.cluster.error infrastructure.cluster.error_reset infrastructure.cluster.monitoring.reconfigured infrastructure.cluster.new infrastructure.cluster.state.changed infrastructure.cluster.updated infrastructure.external-volumes.attachments.updated infrastructure.external-volumes.error infrastructure.external-volumes.error_reset infrastructure.external-volumes.new infrastructure.external-volumes.reconfigured infrastructure.external-volumes.state.changed infrastructure.external-volumes.updated infrastructure.ips.assignment.error infrastructure.ips.assignment.error_reset infrastructure.ips.assignment.state.changed infrastructure.provider.error infrastructure.provider.error_reset infrastructure.provider.new infrastructure.provider.state.changed infrastructure.provider.updated infrastructure.server.compute.restart infrastructure.server.error infrastructure.server.error_reset infrastructure.server.evacuation.changed infrastructure.server.evacuation.completed infrastructure.server.evacuation.started infrastructure.server.new infrastructure.server.reconfigured infrastructure.server.restart infrastructure.server.state.changed infrastructure.virtual-providers.iso.error infrastructure.virtual-providers.iso.error_reset infrastructure.virtual-providers.iso.new infrastructure.virtual-providers.iso.state.changed infrastructure.virtual-providers.iso.updated internal.service.compute.connected ips_pool.error ips_pool.error_reset ips_pool.new ips_pool.reconfigured ips_pool.state.changed job.error job.new job.state.changed pipeline.error pipeline.error_reset pipeline.key.error pipeline.key.error_reset pipeline.key.new pipeline.key.state.changed pipeline.key.updated pipeline.new pipeline.run.error pipeline.run.error_reset pipeline.run.new pipeline.run.state.changed pipeline.run.updated pipeline.state.changed pipeline.updated sdn.network.error sdn.network.error_reset sdn.network.new sdn.network.reconfigured sdn.network.state.changed sdn.network.updated stack.build.deployed stack.build.error stack.build.error_reset stack.build.new stack.build.state.changed stack.error stack.error_reset stack.new stack.state.changed stack.updated virtual-machine.error virtual-machine.error_reset virtual-machine.ips.modified virtual-machine.new virtual-machine.reconfigured virtual-machine.ssh-key.error virtual-machine.ssh-key.error_reset virtual-machine.ssh-key.new virtual-machine.ssh-key.state.changed virtual-machine.ssh-key.updated virtual-machine.state.changed virtual-machine.updated billing.credit.created billing.invoice.created billing.method.created billing.order.created container.backup.created container.created dns.zone.created environment.created environment.scoped-variable.created hub.api_key.created image.created image.source.created infrastructure.provider.created job.created pipeline.created pipeline.key.created pipeline.run.created sdn.network.created secret.error secret.state.changed stack.build.created stack.created"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cycle__notify__subcmd__wait__subcmd__for)
            opts="-o -v -q -h -V --state --fail-on --any --timeout --appear-within --poll --heartbeat --fail-on-error --healthy --unhealthy-grace --container --pipeline --environment --zone --integration --output --no-reconnect --ping-interval --max-reconnects --give-up-after --demo --internal --internal-socket --api-key --api-key-stdin --hub --base-url --profile --config --color --verbose --quiet --help --version container instance environment image image-source server stack stack-build job pipeline-run virtual-machine dns-zone sdn-network container-backup scoped-variable pipeline pipeline-key tls-certificate dns-record api-key external-volume cluster autoscale-group billing-order invoice credit billing-method billing-service hub integration membership role ip-pool iso ssh-key"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --state)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --appear-within)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --poll)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --heartbeat)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --unhealthy-grace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --container)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pipeline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --environment)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --zone)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --integration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "auto pretty json" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "auto pretty json" -- "${cur}"))
                    return 0
                    ;;
                --ping-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-reconnects)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --give-up-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --internal-socket)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --api-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --hub)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --base-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _cycle__notify_with_profiles -o nosort -o bashdefault -o default cycle-notify
else
    complete -F _cycle__notify_with_profiles -o bashdefault -o default cycle-notify
fi

# Added by cycle-notify: --profile completes the profiles of the config file.
_cycle__notify_with_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ "${prev}" == "=" && ${COMP_CWORD} -ge 2 ]]; then
        prev="${COMP_WORDS[COMP_CWORD-2]}"
    elif [[ "${cur}" == "=" ]]; then
        prev="${COMP_WORDS[COMP_CWORD-1]}"
        cur=""
    fi
    if [[ "${prev}" == "--profile" ]]; then
        COMPREPLY=($(compgen -W "$(cycle-notify config profiles 2>/dev/null)" -- "${cur}"))
        return 0
    fi
    _cycle__notify "$@"
}
