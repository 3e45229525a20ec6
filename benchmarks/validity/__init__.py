"""Validity workbench (issue 11): does fjudge's score agree with what a careful person would say?

Judges working apps made by people and defective variants of them (one small, documented defect
each), then reports per defect kind how often the original scores above its mutant, and per check
how often it fires on the working originals. `python -m benchmarks.validity --help`.
"""
