"""Offline evaluation: the curated question set, retrieval/citation/answer/refusal metrics with
bootstrap intervals, a LangChain-tutorial baseline, scoring of another system's answers, run-to-run
comparison and the report (``tipguide eval``).

Modules: ``questions`` (schema + validation), ``metrics`` (pure metric functions),
``keypoints`` (the key-point matcher), ``scoring`` (per-question scores), ``baseline``,
``external`` (``--answers``), ``runner`` (one process, one model load), ``aggregate``,
``compare`` and ``report``.
"""
