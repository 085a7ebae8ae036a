"""The web front end: a Gradio chat for officials and a passage finder for drafters.

Only this package imports Gradio (and only ``ui.app`` does). The other modules are pure functions
over the data model (rendering, export, feedback, cite blocks) so they can be unit-tested without
a browser.
"""
