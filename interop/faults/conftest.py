"""Fixtures of the fault suite (kill -9, PostgreSQL stopped, two nodes on one database).

The tests start their own ``custos serve`` processes (the parent conftest's ``CustosServer``,
through ``faultkit.Node``) because they kill, restart and configure them; ``custos_server`` is
not used. Every node of a test shares one set of known secrets, and all its logs (also those of
a run before a kill -9) must hold none of them.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

import faultkit

ROOT_CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"

# Clusters alive now, for the log tails attached to a failed test's report.
_ACTIVE: list[faultkit.Cluster] = []


@pytest.fixture(scope="session")
def root(request):
    """The parent ``interop/conftest.py`` module (CustosServer, fresh_database, MASTER_KEY, …).

    Both files are named conftest.py, so neither can import the other by name; pytest registers
    the parent as a plugin under its path."""
    module = request.config.pluginmanager.get_plugin(str(ROOT_CONFTEST))
    assert module is not None, f"{ROOT_CONFTEST} is not loaded"
    return module


@pytest.fixture(scope="session")
def faults_binary(custos_binary, root):
    """One copy of the binary for the whole run (see the parent's ``_snapshot``)."""
    directory = Path(tempfile.mkdtemp(prefix="custos-faults-bin-"))
    try:
        yield root._snapshot(custos_binary, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def open_cluster(root, faults_binary, label: str) -> faultkit.Cluster:
    cluster = faultkit.Cluster(root.CustosServer, faults_binary, root.MASTER_KEY, label)
    _ACTIVE.append(cluster)
    return cluster


def close_cluster(cluster: faultkit.Cluster, request) -> None:
    _ACTIVE.remove(cluster)
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        problems = cluster.close(keep=bool(request.session.testsfailed))
    if problems:
        pytest.fail(f"{cluster.label}:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def cluster(root, faults_binary, request):
    """Nodes and private PostgreSQL servers for one test, all stopped at its end."""
    cluster = open_cluster(root, faults_binary, request.node.name)
    yield cluster
    close_cluster(cluster, request)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attaches the end of every running node's log to a failed test's report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _ACTIVE:
        report.sections.append(("custos node logs", "\n".join(cluster.log_tail() for cluster in _ACTIVE)))
