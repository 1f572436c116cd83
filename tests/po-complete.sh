#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every user-facing string has its Dutch translation: extracts the msgids
# of po/POTFILES.in as meson's i18n does (the glib preset's keywords) and
# checks po/nl.po against them with msgcmp, and that no entry is fuzzy or
# untranslated. TAP.
#
#   po-complete.sh SOURCE_DIR

set -u
top=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/buurten-po.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "1..3"
cd "$top" || exit 1
if xgettext --files-from=po/POTFILES.in --from-code=UTF-8 --add-comments \
     --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
     --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
     --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
     --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
     --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
     -o "$work/buurten.pot" 2>"$work/xgettext.err"; then
  echo "ok 1 - xgettext reads every file of po/POTFILES.in"
else
  echo "not ok 1 - xgettext reads every file of po/POTFILES.in"
  sed 's/^/# /' "$work/xgettext.err"
fi

if msgcmp po/nl.po "$work/buurten.pot" >"$work/msgcmp.out" 2>&1; then
  echo "ok 2 - po/nl.po has every message of the sources"
else
  echo "not ok 2 - po/nl.po has every message of the sources"
  sed 's/^/# /' "$work/msgcmp.out" | head -40
fi

# Only the messages the sources use: obsolete ones may stay untranslated.
msgmerge --quiet --no-fuzzy-matching -o "$work/merged.po" po/nl.po "$work/buurten.pot" 2>/dev/null
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$work/merged.po" 2>&1)
case "$stats" in
  *fuzzy*|*untranslated*)
    echo "not ok 3 - every message is translated ($stats)" ;;
  *)
    echo "ok 3 - every message is translated ($stats)" ;;
esac
