# bash completion for plansite: commands, options, folders, and the values
# of --ref taken from the content repository's branches and tags.
# Installed as share/bash-completion/completions/plansite.

_plansite_refs()
{
	# the repository named by --repo on the line, else the current folder's
	local repo=. i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--repo) repo=${COMP_WORDS[i + 1]} ;;
		--repo=*) repo=${COMP_WORDS[i]#--repo=} ;;
		esac
	done
	repo=${repo/#\~/$HOME}
	git -C "$repo" for-each-ref --format='%(refname:short)' refs/heads refs/tags refs/remotes 2>/dev/null
	git -C "$repo" rev-parse --verify -q HEAD >/dev/null 2>&1 && echo HEAD
}

_plansite()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -s || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cword=$COMP_CWORD
		words=("${COMP_WORDS[@]}")
	fi
	local commands="build check serve"
	local options="--repo --ref --content --worktree --theme --out --as-of --base-url --jobs --help"

	# --opt=value written as one word
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	fi
	case $prev in
	--repo | --theme | --out)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--content)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--ref)
		COMPREPLY=($(compgen -W "$(_plansite_refs)" -- "$cur"))
		return
		;;
	--as-of)
		COMPREPLY=($(compgen -W "$(date +%Y-%m-%d)" -- "$cur"))
		return
		;;
	--base-url)
		COMPREPLY=($(compgen -W "https://" -- "$cur"))
		return
		;;
	--port | --jobs)
		return
		;;
	esac

	# the command: the first word that is not an option or an option's value
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		build | check | serve) cmd=${words[i]}; break ;;
		esac
	done
	case $cmd in
	check) options="$options --strict" ;;
	serve) options="$options --port" ;;
	esac
	if [[ $cur == -* ]]; then
		[ -n "$cmd" ] || options="$options --version"
		COMPREPLY=($(compgen -W "$options" -- "$cur"))
	elif [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	fi
}
complete -F _plansite plansite
