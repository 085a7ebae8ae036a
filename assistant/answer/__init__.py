"""Answering stages: the extractive default and the LLM mode (``llm``)."""
