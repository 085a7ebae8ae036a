"""Answering stages behind one interface (``base.Answerer``): extractive by default, LLM (``llm``)
when a server or the local model is configured."""
