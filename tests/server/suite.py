# SPDX-License-Identifier: GPL-3.0-or-later
"""What a server test file shares: a database of its own, users with
their grants, one real buurten-server, and TAP output.

    import suite
    s = suite.Suite("intake", {"buco": [("buurtcoordinator", ["centrum"])]})

    @s.test
    def something():
        c = s.client("buco")
        ...

    sys.exit(s.main())

The helpers (Client, request, check, equal, psql ...) are test-server.py's,
as s.st."""

import importlib.util
import os
import random
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_server_tests():
    spec = importlib.util.spec_from_file_location("server_tests",
                                                  os.path.join(HERE, "test-server.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Suite:
    def __init__(self, name, users):
        self.st = _load_server_tests()
        self.st.DB_NAME = "buurten_%s_%d_%d" % (name, os.getpid(), random.randint(0, 99999))
        self.name = name
        self.users = users
        self.tests = []
        self.server = None
        self.tokens = {}

    def test(self, fn):
        self.tests.append(fn)
        return fn

    def client(self, user):
        return self.st.Client(self.server, self.tokens[user])

    def setup(self):
        st = self.st
        st.psql("CREATE DATABASE %s" % st.DB_NAME, dbname="postgres")
        r = st.run_admin("migrate")
        st.check(r.returncode == 0, "migrate: " + r.stderr)
        r = st.run_admin("import-municipality", st.MUNICIPALITY)
        st.check(r.returncode == 0, "import: " + r.stderr)
        pwfile = "/tmp/%s.pw" % st.DB_NAME
        with open(pwfile, "w") as f:
            f.write(st.PASSWORD + "\n")
        try:
            for user, grants in self.users.items():
                args = ["user", "add", "--username", user, "--password-file", pwfile]
                for role, wijken in grants:
                    args += ["--role", role]
                    for w in wijken:
                        args += ["--wijk", w]
                r = st.run_admin(*args)
                st.check(r.returncode == 0, "user add %s: %s" % (user, r.stderr))
        finally:
            os.unlink(pwfile)
        self.server = st.Server()
        for user in self.users:
            self.tokens[user] = st.token_for(self.server, user)

    def teardown(self):
        rc = self.server.stop() if self.server else 0
        self.st.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.st.DB_NAME,
                     dbname="postgres", check_rc=False)
        return rc

    def main(self):
        st = self.st
        if not st.SERVER or not st.DATA_DIR:
            print("usage: %s BUURTEN_SERVER DATA_DIR" % os.path.basename(sys.argv[0]),
                  file=sys.stderr)
            return 2
        if not st.PG:
            print("1..0 # SKIP BUURTEN_TEST_PG is not set (./dev test starts PostgreSQL)")
            return 0
        print("1..%d" % len(self.tests), flush=True)
        try:
            self.setup()
        except Exception:
            print("Bail out! setup failed")
            st.diag(traceback.format_exc())
            self.teardown()
            return 1
        failed = 0
        for n, fn in enumerate(self.tests, 1):
            t0 = time.time()
            try:
                fn()
                print("ok %d - %s (%.1f s)" % (n, fn.__name__, time.time() - t0), flush=True)
            except Exception as e:
                failed += 1
                print("not ok %d - %s" % (n, fn.__name__), flush=True)
                st.diag(traceback.format_exc() if not isinstance(e, st.Check) else str(e))
                st.diag(self.server.output()[-2000:])
        if self.teardown() != 0:
            failed += 1
        return 1 if failed else 0
