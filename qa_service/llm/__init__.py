"""LLM-written answers: a chat model behind LangChain, verified citations, extractive fallback."""
