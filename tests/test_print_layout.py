"""Every printed form converts to PDF (LibreOffice, as an office would print it) on the seed's page count,
with its title whole; and no app's export imports another's (core.attachments is the meeting point).

LibreOffice (Debian's libreoffice-calc-nogui) is installed by .ci/run: without `soffice` these tests skip
on a developer's machine and fail when CI is set, so CI cannot pass by not running them.
"""

from __future__ import annotations

import ast
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from zhiyuan.core import attachments
from zhiyuan.seeds.loader import load_seeds

SRC = Path(__file__).resolve().parents[1] / "src" / "zhiyuan"


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        message = "soffice not found: the print tests need Debian's libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def to_pdf(tmp_path: Path, files: dict[str, bytes]) -> dict[str, tuple[int, str]]:
    """name → (pages, text) of each workbook printed by LibreOffice."""
    binary = soffice()
    for name, content in files.items():
        (tmp_path / f"{name}.xlsx").write_bytes(content)
    profile = tmp_path / "profile"  # its own profile: parallel runs must not share LibreOffice's lock
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{n}.xlsx") for n in files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    out = {}
    for name in files:
        pdf = tmp_path / f"{name}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        out[name] = (pages, text)
    return out


@pytest.fixture
def seeded(db: Any) -> Any:
    from zhiyuan.campaigns.models import Campaign

    load_seeds()
    return Campaign.objects.select_related("organizer").get(slug="chunyun-2019")


def test_every_attachment_prints_on_the_seed_forms_page_count_with_its_title_whole(seeded, tmp_path):
    books = {f"a{a.number}": a.build(seeded) for a in attachments.registered()}
    assert sorted(books) == ["a1", "a2", "a3", "a4", "a5"]
    printed = to_pdf(tmp_path, books)
    sheets = {name: len(load_workbook(io.BytesIO(content)).sheetnames) for name, content in books.items()}
    for name in ("a1", "a3", "a4", "a5"):
        pages, _text = printed[name]
        assert pages == sheets[name], f"{name}: {pages} pages for {sheets[name]} form(s)"
    assert sheets["a1"] == sheets["a5"] == 1
    # attachment 2: one page per unit the campaign expects the contact sheet from
    assert printed["a2"][0] == sheets["a2"] > 1
    for name, (_pages, text) in printed.items():
        number = name[1:]
        assert f"附件{number}：" in text
    one_line = {
        "a1": "郑州市2019年春运期间“文明使者”志愿服务站点联动单位情况一览表",
        "a2": "郑州市2019年春运期间关爱外来务工人员志愿服务活动各单位信息一览表",
        "a5": "集中志愿服务时间安排一览表",
    }
    for name, title in one_line.items():
        assert title in printed[name][1].replace(" ", ""), f"{name}: title cut or wrapped"
    assert "备注：请于1月23日12时前" in printed["a2"][1].replace(" ", "")


def test_attachment_2_has_a_sheet_per_expected_unit_in_tree_order(seeded):
    from zhiyuan.reporting.exports import expected_units

    units = expected_units(seeded)
    book = load_workbook(io.BytesIO(attachments.export(seeded, 2)))
    assert book.sheetnames == [u.name[:31] for u in units]
    names = [u.name for u in units]
    for district in ("郑东新区文明办", "惠济区文明办"):  # run rotation days, have no contacts in the seed
        assert any(n.startswith(district) for n in names)
    # tree order: a unit comes after its parent, never sorted by id as text
    paths = [u.path for u in units]
    assert paths == sorted(paths, key=lambda p: [int(x) for x in p.strip("/").split("/")])


def test_every_sheet_of_every_workbook_prints_a4_at_page_width_with_page_numbers(seeded):
    for a in attachments.registered():
        book = load_workbook(io.BytesIO(a.build(seeded)))
        for sheet in book.worksheets:
            setup = sheet.page_setup
            assert setup.paperSize in (9, "9"), (a.number, sheet.title)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert setup.fitToWidth in (1, "1", None)
            assert "&P" in (sheet.oddFooter.center.text or "")
            assert sheet.print_title_rows, (a.number, sheet.title)


def test_the_scoreboard_prints_landscape_with_repeated_headers(seeded, tmp_path):
    from zhiyuan.core.models import User
    from zhiyuan.reporting.selectors.scoreboard_params import filters_from
    from zhiyuan.reporting.services.scoreboard_export import scoreboard_xlsx

    admin = User.objects.create_superuser("printer", "p@example.org", "x")
    board = filters_from(admin, {"period": "year", "year": "2019", "campaign": str(seeded.pk)}).run(admin)
    content = scoreboard_xlsx(board)
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows
    pages, text = to_pdf(tmp_path, {"scoreboard": content})["scoreboard"]
    assert "上报考核排名" in text and pages <= 2 + len(board.rows) // 20


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_no_export_imports_another_apps_export_and_no_circle():
    exports = sorted(SRC.glob("*/exports.py"))
    assert len(exports) >= 3
    for path in exports:
        app = path.parent.name
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "zhiyuan" and len(parts) > 2 and parts[1] != app:
                assert parts[2] != "exports", f"{app}/exports.py imports {module}"
                assert parts[1] != "seeds", f"{app}/exports.py imports the seeds ({module})"
    # and no app imports another app's export module anywhere but through core.attachments
    for path in SRC.rglob("*.py"):
        app = path.relative_to(SRC).parts[0]
        for module in _imports(path):
            parts = module.split(".")
            if len(parts) > 2 and parts[0] == "zhiyuan" and parts[2] == "exports" and parts[1] != app:
                assert (app, parts[1]) in {("reporting", "campaigns")}, f"{path} imports {module}"


def test_no_campaign_slug_is_special_cased_in_exports():
    for path in SRC.glob("*/exports.py"):
        assert "chunyun-2019" not in path.read_text(), path
