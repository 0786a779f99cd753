# lib.sh: helpers for the golden site scripts (sourced by each site.sh, run
# from its own folder by run.sh, with names, TZ and Git settings fixed).
set -euo pipefail
# commit REPO DATE MESSAGE [AUTHOR]: commits everything at a fixed date
commit() {
	(cd "$1" && git add -A &&
		GIT_AUTHOR_NAME="${4:-$GIT_AUTHOR_NAME}" GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" \
			git commit -q -m "$3")
}
