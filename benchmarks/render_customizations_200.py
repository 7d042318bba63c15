"""Time customizations.xml for a generated 200-table solution, split into its two stages.

Run by hand: python benchmarks/render_customizations_200.py [tables] [repeats]
The project comes from build_200_tables.big_project (ten columns, a main form and two views
per table). "models" is building the view models (cz_* modules), "templates" the jinja2
layout of those models; the total is what `render_customizations` costs.
"""

from __future__ import annotations

import sys

from timing import timed

from support.big_project import SOLUTION, big_project  # isort: skip (found through timing's path)

from builder.render.customizations import build_document, environment, render_customizations


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    project = big_project(count)
    template = environment().get_template("customizations/customizations.xml.j2")
    t_models, doc = timed(repeats, lambda: build_document(project, SOLUTION, True))
    t_layout, text = timed(repeats, lambda: template.render(doc=doc))
    t_total, xml = timed(repeats, lambda: render_customizations(project, SOLUTION, True))
    print(
        f"{count} tables: customizations.xml {len(xml) / 1e6:.1f} MB, "
        f"{text.count(chr(10))} lines (medians of {repeats})"
    )
    print(t_models.line("models (cz_* view models)"))
    print(t_layout.line("templates (jinja2 layout)"))
    print(t_total.line("total"))


if __name__ == "__main__":
    main()
