"""The multimodal agent judge: a vision model drives the live preview and scores sub-tasks.

Modules: provider (endpoint, retries, cache), tools (page actions), prompts (pure builders),
episode (one run), subtasks, aggregate, images, compare (pairwise), service (pipeline glue).
Nothing here imports openai or Playwright at package import time.
"""
