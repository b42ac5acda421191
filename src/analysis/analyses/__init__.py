"""The analyses: pure computation on the datasets, returning data frames and numbers.

One module (or package) per topic; they do not import one another (helpers they share live
in :mod:`analysis.methods`), and none draws: figures and text are the presentation layer's.
"""
