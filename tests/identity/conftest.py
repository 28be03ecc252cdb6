import pytest

from .provider import CALLBACK, point_the_desk_at, start_provider


@pytest.fixture
def provider(tmp_path, settings):
    """The provider, knowing the desk as a client that returns to the test client's address; the desk's
    settings point at it."""
    process, base = start_provider(tmp_path, [f"http://testserver{CALLBACK}"])
    point_the_desk_at(settings, base)
    yield base
    process.terminate()
    process.wait(timeout=10)

