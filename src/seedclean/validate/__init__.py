"""The validate stage: the tables of a normalized folder held against Pandera
schemas and Great Expectations suites, near-duplicates found across the corpus.

Importing this package is cheap; pandas, pandera and great_expectations are
imported by the modules that need them.
"""
