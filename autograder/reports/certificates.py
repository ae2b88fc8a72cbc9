"""Completion certificates: one page per learner, in the class's language, HTML and PDF.

A learner gets a certificate listing the units of their track they have a score in. The
page is HTML (Jinja2, texts through the ``feedback`` gettext catalog, right to left in
Arabic) and is printed to PDF by Debian's Chromium (``--print-to-pdf``), which shapes Arabic
correctly offline (matplotlib's PDF backend does not). Without Chromium, the HTML pages are
written and the note says that the PDFs were not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from autograder.errors import JazariError
from autograder.reports.exports import atomic_write
from autograder.reports.model import ClassReport

__all__ = ["CHROMIUM", "Certificates", "write_certificates"]

#: The browser that prints the PDFs.
CHROMIUM = "/usr/bin/chromium"
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass
class Certificates:
    """What :func:`write_certificates` made."""

    folder: Path
    pages: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    note: str = ""


def _print_pdf(page: Path, pdf: Path, browser: str) -> bool:
    with tempfile.TemporaryDirectory(prefix="jazari-chromium-") as profile:
        temporary = pdf.with_name(f".{pdf.name}.part")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", f"--print-to-pdf={temporary}", page.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=120,
                           env={**os.environ, "HOME": profile})
        except (OSError, subprocess.TimeoutExpired):
            temporary.unlink(missing_ok=True)
            return False
        if not temporary.is_file() or temporary.read_bytes()[:5] != b"%PDF-":
            temporary.unlink(missing_ok=True)
            return False
        os.replace(temporary, pdf)
        return True


def write_certificates(report: ClassReport, folder: str | Path, *, lang: str | None = None,
                       browser: str | None = CHROMIUM) -> Certificates:
    """Write ``<folder>/<learner>.html`` and ``.pdf`` for each learner with a scored unit."""
    from autograder.feedback import _translations

    lang = lang or report.lang
    out = Certificates(Path(folder))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                             extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    env.install_gettext_translations(_translations(lang), newstyle=True)
    template = env.get_template("certificate.html.j2")
    today = date.today().isoformat()
    can_print = bool(browser) and Path(browser).is_file() and shutil.which(browser) is not None
    for track in report.tracks:
        for row in track.rows:
            done = [unit.title for unit in track.units if row.marks[unit.id].score is not None]
            if not done:
                continue
            stem = f"{row.course}_{row.student}" if row.course else row.student
            html = template.render(lang=lang, direction="rtl" if lang == "ar" else "ltr",
                                   name=row.name, track=track.title, units=done,
                                   course=", ".join(c.name for c in report.courses), date=today)
            page = atomic_write(out.folder / f"{stem}.html", html.encode("utf-8"))
            out.pages.append(page)
            if can_print:
                pdf = out.folder / f"{stem}.pdf"
                if not _print_pdf(page, pdf, browser):
                    raise JazariError(f"{pdf}: Chromium could not print the certificate")
                out.pdfs.append(pdf)
    if not can_print:
        out.note = f"no PDF: {browser} is missing (apt-get install chromium); the HTML pages print too"
    return out
