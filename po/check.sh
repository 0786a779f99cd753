#!/bin/sh
# check.sh POT PO...: each catalogue translates every message of the
# sources (POT, made by xgettext), nothing else, with no fuzzy entry and
# with format strings that match.  Lists what is wrong and fails.
set -eu
pot=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
for po in "$@"; do
	merged=$tmp/$(basename "$po")
	msgmerge -q --no-fuzzy-matching --no-wrap "$po" "$pot" -o "$merged"
	untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$merged" | grep -c '^msgid ' || true)
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep -c '^msgid ' || true)
	stale=$(msgattrib --only-obsolete --no-wrap "$merged" | grep -c '^#~ msgid ' || true)
	# the header is an entry with an empty msgid: not a message
	[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
	[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
	if [ "$untranslated" -gt 0 ]; then
		echo "$po: $untranslated message(s) of the sources not translated:" >&2
		msgattrib --untranslated --no-obsolete --no-wrap "$merged" | grep '^msgid "..*"' >&2
		bad=1
	fi
	if [ "$fuzzy" -gt 0 ]; then
		echo "$po: $fuzzy fuzzy translation(s) to review:" >&2
		msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep '^msgid "..*"' >&2
		bad=1
	fi
	if [ "$stale" -gt 0 ]; then
		echo "$po: $stale message(s) no longer in the sources (make po-update removes them)" >&2
		bad=1
	fi
	msgfmt -c -o /dev/null "$po" || bad=1
done
[ "$bad" -eq 0 ] || { echo "po-check: the catalogues are not complete (see po/README)" >&2; exit 1; }
echo "po-check: $# catalogue(s) complete and up to date"
