"""The architecture holds: the import contracts in pyproject.toml (import-linter), rooms of a readable size,
and nothing in requests_app's root but what Django needs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("servicedesk", "teams", "catalogue", "requests_app")
DJANGO_ROOT_ENTRIES = {"__init__.py", "apps.py", "models", "urls.py", "migrations", "admin.py", "management",
                       "templatetags"}


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(project)}
    return subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def test_every_import_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def copy_of_the_project(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_a_model_importing_a_page_breaks_the_room_order(tmp_path):
    project = copy_of_the_project(tmp_path)
    with (project / "requests_app" / "models" / "customers.py").open("a") as module:
        module.write("\nfrom requests_app.queues import views  # noqa\n")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "The desk's rooms depend one way" in result.stdout and "BROKEN" in result.stdout
    assert "requests_app.models.customers -> requests_app.queues.views" in result.stdout


def test_a_service_importing_its_page_breaks_the_room_layers_and_makes_a_circle(tmp_path):
    project = copy_of_the_project(tmp_path)
    with (project / "requests_app" / "requests" / "services.py").open("a") as module:
        module.write("\nfrom . import views  # noqa\n")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "pages call services and selectors" in result.stdout
    assert "No import circles" in result.stdout and "2 broken" in result.stdout


def test_requests_app_root_holds_only_what_django_needs():
    package = ROOT / "requests_app"
    rooms = {entry.name for entry in package.iterdir() if entry.is_dir() and (entry / "__init__.py").exists()}
    loose = {entry.name for entry in package.iterdir() if entry.name != "__pycache__"} - rooms
    assert loose <= DJANGO_ROOT_ENTRIES, loose - DJANGO_ROOT_ENTRIES


def test_no_module_of_requests_app_is_longer_than_a_screenful_or_four():
    long = {str(path.relative_to(ROOT)): n for path in (ROOT / "requests_app").rglob("*.py")
            if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > 400}
    assert long == {}
