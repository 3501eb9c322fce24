"""The SVG chart helper: escaped labels, values as text, proportional bars, no script."""

from reports.charts import Bar, bar_chart, percent, score


def test_bars_are_proportional_and_values_are_written():
    svg = str(bar_chart([Bar("Uno", 10), Bar("Dos", 5), Bar("Nada", None)], title="Prueba", width=560, label_width=190))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and ">Prueba</title>" in svg
    plot = 560 - 190 - 90
    assert f'width="{float(plot)}"' in svg and f'width="{plot / 2}"' in svg
    assert ">10</text>" in svg and ">5</text>" in svg and ">—</text>" in svg


def test_labels_are_escaped_and_shortened():
    svg = str(bar_chart([Bar("<script>alert(1)</script> un nombre de grupo muy largo", 1)], title="<b>x</b>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "…" in svg


def test_formats():
    assert percent(None) == "—" and percent(0.8333) == "83 %"
    assert score(None) == "—" and score(87.4) == "87"


def test_a_chart_of_six_modules_is_small():
    bars = [Bar(f"Módulo {n} terminado", n * 10, "#8E3B46") for n in range(1, 9)]
    assert len(str(bar_chart(bars, title="Embudo", centred=True)).encode()) < 4000
