"""Byte-level helpers that make generated data files reproducible.

Used by data/fixtures/make_fixtures.py (the committed fixtures) and
tests/corpus/make_corpus.py (the reader test corpus), which import it with
tools/ on ``sys.path``. Only the standard library is imported here, so a
script can take ``PINNED_TIME`` from this module before GDAL is loaded.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

# The release date of the city's data: GeoPackage timestamps (OGR_CURRENT_DATE),
# DBF header dates and xlsx times are all pinned to it.
PINNED_TIME = "2021-04-13T00:00:00.000Z"


def pin_dbf_date(dbf: Path) -> None:
    """Set the DBF header's last-update date (bytes 1-3) to 2021-04-13."""
    with dbf.open("r+b") as f:
        f.seek(1)
        f.write(bytes([121, 4, 13]))


def set_dbf_ldid(dbf: Path, ldid: int) -> None:
    """Set the DBF language driver id (byte 29), e.g. 0x57 for Windows-1252."""
    with dbf.open("r+b") as f:
        f.seek(29)
        f.write(bytes([ldid]))


def normalize_xlsx(path: Path) -> None:
    """Rewrite an xlsx with pinned zip entry times and document timestamps."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2021-04-13T00:00:00Z\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2021, 4, 13, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())
