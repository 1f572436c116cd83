"""The beschikking printed to PDF from the initiative's page (issue 14,
points 5 and 10).

Started by run-ui-tests.sh with the app running on a fresh demo database
(Dutch). Opens a Centrum initiative with an approved grant, presses
"Beschikking" on its page, waits for the document to be made, chooses
"Opslaan als PDF…", types a path into GTK's own file chooser (no portal
runs here, so GtkFileChooserNative shows GtkFileChooserDialog) and reads
the PDF it wrote with pdftotext: the title, the organiser, the amount as
`€ 12.345,67`, the bezwaar and page numbers. Expected values come from the
SQLite file, never from the app. A screenshot of the dialog goes to the
--shots prefix.
"""

import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402  (the shared AT-SPI helpers)
import test_forms as forms  # noqa: E402  (selecting rows, buttons, windows)

STRINGS = {
    "en": {
        "button": "Beschikking",
        "ready": "Ready to print or to save as PDF. Reference: ",
        "pdf": "Save as PDF…",
        "print": "Print…",
        "saved": "Saved as ",
        "title": "Subsidiebeschikking",
        "objection": "Objection",
        "page": "Page 1 of ",
    },
    "nl": {
        "button": "Beschikking",
        "ready": "Klaar om af te drukken of als PDF op te slaan. Kenmerk: ",
        "pdf": "Opslaan als PDF…",
        "print": "Afdrukken…",
        "saved": "Opgeslagen als ",
        "title": "Subsidiebeschikking",
        "objection": "Bezwaar",
        "page": "Pagina 1 van ",
    },
}


def labels(node):
    return [n.name for n in tf.find_all(node, tf.role("label"))] if node is not None else []


def list_view_of(app, title):
    return tf.find(tf.snapshot(app), lambda n: n.name == "BuurtenListView"
                   and tf.find(n, tf.named("label", title)) is not None)


def dialog_with(app, prefix):
    """The app's window that has a label starting with prefix."""
    for window in forms.windows(app):
        if any(x.startswith(prefix) for x in labels(window)):
            return window
    return None


def check_documents(tap, app, args):
    s = STRINGS[args.lang]

    grant = forms.db_one(args.db, "SELECT i.id, i.title, i.organiser, c.amount_cents "
                         "FROM initiative i JOIN commitment c ON c.initiative_id = i.id "
                         "JOIN decision d ON d.initiative_id = i.id "
                         "WHERE i.wijk = 'centrum' AND c.state = 'approved' "
                         "AND d.commitment_id = c.id "
                         "ORDER BY c.amount_cents DESC LIMIT 1")
    if not tap.check(grant is not None, "the demo has a Centrum initiative with a grant"):
        return
    initiative_id, title, organiser, amount = grant

    forms.select_wijk(app, "Centrum")
    forms.switch_view(app, forms.VIEW_INITIATIVES)
    row = tf.poll(lambda: forms.find_in_list(app, title), timeout=15)
    if not tap.check(row is not None, "“%s” is in the list" % title):
        return
    forms.select_row(args, row)

    # GTK 4.8 names a button "<accessible label> <its text>".
    button = tf.poll(lambda: (lambda v: tf.find(v, lambda n: n.getRoleName() == "push button"
                                                and (n.name == s["button"]
                                                     or n.name.startswith(s["button"] + " ")))
                              if v is not None else None)(list_view_of(app, title)),
                     timeout=20)
    if not tap.check(button is not None and forms.sensitive(button),
                     "its page has a “%s” button" % s["button"]):
        return
    forms.click(button)

    dialog = tf.poll(lambda: dialog_with(app, s["ready"]), timeout=30)
    if not tap.check(dialog is not None, "the document is made: “%s…”" % s["ready"]):
        return
    reference = next(x for x in labels(dialog) if x.startswith(s["ready"]))[len(s["ready"]):]
    tap.check(reference.startswith("BSK-"), "with its reference: %s" % reference)
    tap.check(forms.button(dialog, s["print"]) is not None, "it offers “%s”" % s["print"])
    forms.shoot(args, "beschikking-dialog")

    save = forms.button(dialog, s["pdf"])
    if not tap.check(save is not None, "it offers “%s”" % s["pdf"]):
        return
    forms.click(save)
    time.sleep(1.5)  # GTK's file chooser opens with the name field focused

    out_dir = tempfile.mkdtemp(prefix="buurten-documents-")
    path = os.path.join(out_dir, "beschikking.pdf")
    subprocess.run(["xdotool", "key", "ctrl+a"], check=False, timeout=10)
    forms.type_text(path)
    subprocess.run(["xdotool", "key", "Return"], check=False, timeout=10)

    written = tf.poll(lambda: os.path.exists(path) and os.path.getsize(path) > 0, timeout=30)
    if not tap.check(bool(written), "the PDF is written where the file chooser said"):
        return
    said = tf.poll(lambda: dialog_with(app, s["saved"]), timeout=15)
    tap.check(said is not None, "the dialog says “%s…”" % s["saved"])

    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                          text=True, timeout=60).stdout
    flat = " ".join(text.split())
    tap.check(s["title"] in text, "the PDF is a %s" % s["title"])
    tap.check(reference in text, "with the reference the dialog showed")
    tap.check(" ".join(organiser.split()) in flat, "addressed to the organiser")
    # pdftotext gives the no-break space as a space; so does flat.
    money = " ".join(tf.money(amount, args.lang).split())
    tap.check(money in flat, "the grant reads “%s”" % money)
    tap.check(s["objection"] in text, "with the bezwaar (objection)")
    tap.check(s["page"] in text, "and page numbers")
    forms.shoot(args, "beschikking-saved")

    close = forms.button(dialog_with(app, s["saved"]), ("Sluiten", "Close"))
    if close is not None:
        forms.click(close)


def main():
    return tf.run_script("documents", check_documents, __doc__)


if __name__ == "__main__":
    sys.exit(main())
