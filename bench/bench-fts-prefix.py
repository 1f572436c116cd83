#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The search index alone: what FTS5's prefix indexes cost to write.

    bench/bench-fts-prefix.py [PREFIXES ...]    (default: 234 23 2 3 none)

Python's sqlite3 (Debian 12: SQLite 3.40.1, as the app links) fills the
store's FTS5 table (the same columns, tokenizer and hashsize) with 110 000
texts like bench-sync.py's, 10 000 rows a transaction (as a first sync
commits), once per prefix setting ("234" is prefix = '2 3 4', "none"
has no prefix index), and prints the process's CPU seconds for the fill,
then the time of prefix queries typed a letter at a time (wall clock, so
noisy on a shared machine: bench-store's search figures are the measure
for searching). Issue 13 point 10 in bench/RESULTS.md.
"""

import os
import random
import resource
import sqlite3
import sys
import tempfile
import time

WORDS = ("lantaarnpaal kapot losse tegel stoep overlast geluid afval container "
         "graffiti hondenpoep speeltuin bankje boom snoeien parkeren fietsen "
         "verlichting drempel kruispunt bushalte zwerfvuil vuurwerk jongeren "
         "buurthuis moestuin schoonmaak straatfeest").split()
STREETS = ("Kerkstraat Groest Leeuwenstraat Havenstraat Larenseweg Soestdijkerstraatweg "
           "Vaartweg Schapenkamp Langestraat Stationsplein").split()
WIJKEN = ("noordoost noordwest zuid zuidoost zuidwest hilversumse_meent oost "
          "centrum").split()
TYPED = ["lantaarnpaal", "kerkstraat", "hondenpoep", "speeltuin", "bankje", "stoep overlast"]


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    rnd = random.Random(20261)
    rows = []
    for i in range(110000):
        w = rnd.sample(WORDS, 3)
        rows.append((i * 2, "request", "id%d" % i, WIJKEN[i % 8],
                     "%s %s %s" % (w[0].capitalize(), w[1], rnd.choice(STREETS)),
                     "Bewoner meldt %s bij de %s; graag %s." % (w[2], rnd.choice(STREETS),
                                                                rnd.choice(WORDS))))
    work = tempfile.mkdtemp(prefix="buurten-bench-fts-")
    print("SQLite %s" % sqlite3.sqlite_version)
    for run, prefix in enumerate(sys.argv[1:] or ["234", "23", "2", "3", "none"]):
        path = os.path.join(work, "fts-%d-%s.db" % (run, prefix))
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        option = "" if prefix == "none" else ", prefix = '%s'" % " ".join(prefix)
        db.execute("CREATE VIRTUAL TABLE search USING fts5 (type UNINDEXED, id UNINDEXED,"
                   " wijk, title, body, tokenize = 'unicode61 remove_diacritics 2'%s)" % option)
        db.execute("INSERT INTO search (search, rank) VALUES ('hashsize', 16777216)")
        c0, t0 = cpu(), time.time()
        for k in range(0, len(rows), 10000):
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO search (rowid, type, id, wijk, title, body)"
                           " VALUES (?, ?, ?, ?, ?, ?)", rows[k:k + 10000])
            db.execute("COMMIT")
        c1, t1 = cpu(), time.time()
        times = []
        for q in TYPED:
            for n in range(2, len(q) + 1):
                words = q[:n].split()
                match = " ".join('{title body} : "%s"%s' % (w, "*" if len(w) > 1 else "")
                                 for w in words)
                t = time.perf_counter()
                list(db.execute("SELECT rowid FROM search WHERE search MATCH ?"
                                " ORDER BY rowid DESC LIMIT 200", (match,)))
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        size = sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
        print("prefix %-5s fill: %.2f s CPU (%.2f s wall); typed queries: median %.2f ms,"
              " max %.2f ms; file and WAL %d MB"
              % (prefix, c1 - c0, t1 - t0, times[len(times) // 2], times[-1], size >> 20))
        db.close()
    for name in os.listdir(work):
        os.unlink(os.path.join(work, name))
    os.rmdir(work)


if __name__ == "__main__":
    main()
