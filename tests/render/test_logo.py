"""The organization's logo on packet covers: the one local file rendering may read."""

from __future__ import annotations

import struct
import zlib

import pytest

from corehub import Hub
from corehub.errors import ConfigError
from corehub.testing import run_cli


def png(width: int = 8, height: int = 4) -> bytes:
    """A small, valid, solid blue PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def with_logo(hub: Hub, workspace, value: str) -> Hub:
    config = workspace / "corehub.toml"
    config.write_text(config.read_text().replace('logo = ""', f'logo = "{value}"'))
    return Hub(workspace, plugin_manager=hub.pm, clock=hub.clock, actor=hub.actor)


def images_on_first_page(reader) -> int:
    resources = reader.pages[0].get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")


def test_the_logo_is_drawn_on_the_cover(hub, workspace, cycle, pdf, tmp_path):
    (workspace / "logo.png").write_bytes(png())
    branded = with_logo(hub, workspace, "logo.png")
    plain_pdf, logo_pdf = tmp_path / "plain.pdf", tmp_path / "logo.pdf"
    assert (
        run_cli(
            hub,
            "render",
            "packet",
            "--cycle",
            "2026 H1",
            "--person",
            "alpha-01",
            "-o",
            str(plain_pdf),
        ).exit_code
        == 0
    )
    result = run_cli(
        branded,
        "render",
        "packet",
        "--cycle",
        "2026 H1",
        "--person",
        "alpha-01",
        "-o",
        str(logo_pdf),
    )
    assert result.exit_code == 0, result.output
    assert images_on_first_page(pdf.reader(plain_pdf)) == 0
    assert images_on_first_page(pdf.reader(logo_pdf)) == 1
    branded.close()


@pytest.mark.parametrize(
    ("name", "message"), [("missing.png", "no such file"), ("corehub.toml", "is not an image file")]
)
def test_a_wrong_logo_setting_is_a_clear_error(hub, workspace, cycle, tmp_path, name, message):
    branded = with_logo(hub, workspace, name)
    result = run_cli(
        branded,
        "render",
        "packet",
        "--cycle",
        "2026 H1",
        "--person",
        "alpha-01",
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert result.exit_code == 1
    assert f"logo {name!r}" in result.stderr and message in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(ConfigError):
        from corehub.render.pdf import logo_path

        logo_path(branded)
    branded.close()
