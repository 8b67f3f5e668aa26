"""API fuzzing with schemathesis against the app's own OpenAPI schema (in-process ASGI).

Every operation gets up to `FUZZ_EXAMPLES` (30) generated requests, valid and invalid, with fake
embeddings over the sample corpus. All of schemathesis' checks run on each response; a 5xx fails
the test, other check findings (schema conformance, negative-data acceptance, …) are collected and
printed with the case that found them, so they can be read with `pytest -s`.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from tests.conftest import api_settings, ingest_sample  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
STATS: Counter[str] = Counter()
FINDINGS: dict[str, str] = {}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app on the embedded index, then with registry and conversations in a real PostgreSQL."""
    from qa_service.api.app import create_app
    from qa_service.service import build_service
    from tests.postgres import database

    with contextlib.ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            url = stack.enter_context(database(request.getfixturevalue("pg_cluster")))
        yield from _fuzz_app(tmp_path_factory, url, create_app, build_service)


def _fuzz_app(tmp_path_factory: pytest.TempPathFactory, url: str | None, create_app: Any, build_service: Any
              ) -> Iterator[Any]:
    STATS.clear()
    FINDINGS.clear()
    data_dir = ingest_sample(Path(tmp_path_factory.mktemp("fuzz")) / "index", url)
    settings_ = api_settings(data_dir, request_timeout=20.0, database_url=url)
    service = build_service(settings_)
    app = create_app(settings_, service=service)
    app.state.service = service  # what the lifespan does; schemathesis' ASGI transport may not run it
    yield app
    service.close()
    if STATS:
        ops = STATS.pop("operations", 0)
        print(f"\nfuzz: {sum(STATS.values())} cases over {ops} operations; status classes {dict(sorted(STATS.items()))}")
        for key, text in FINDINGS.items():
            print(f"  non-5xx finding on {key}: {text[:300]}")


def fuzz_operation(operation: Any, mode: Any, examples: int) -> list[str]:
    """Run one operation's generated cases; returns the 5xx failures (other findings are recorded)."""
    errors: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case: Any) -> None:
        response = case.call()
        STATS[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            errors.append(f"{case.method} {case.path} → {response.status_code}: {response.text[:300]}\n"
                          f"  reproduce: {case.as_curl_command()}")
            return
        try:
            case.validate_response(response)
        except (Exception, BaseExceptionGroup) as exc:  # recorded: the contract under test is "no 5xx"
            FINDINGS.setdefault(f"{operation.label} ({mode})", " ".join(str(exc).split()))

    with contextlib.suppress(Unsatisfiable):  # nothing to make invalid (GET /healthz has no parameters)
        run()
    return errors


def test_api_never_answers_with_a_server_error(fuzz_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    errors: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    STATS["operations"] = 0
    for operation in operations:
        STATS["operations"] += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            errors += fuzz_operation(operation, mode, max(1, EXAMPLES // 2))
    assert sum(STATS.values()) - STATS["operations"] >= len(operations) * 2
    assert not errors, "server errors:\n" + "\n".join(errors[:20])
