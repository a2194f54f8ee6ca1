"""Benchmarks: synthetic reports and answer latency at 1, 100 and 1,000 reports."""
