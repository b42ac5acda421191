"""Methods shared by the analyses and the checks: the one rounding model
(:mod:`~analysis.methods.rounding`), growth statistics (:mod:`~analysis.methods.growth`) and
the selections every topic makes (:mod:`~analysis.methods.select`).
"""
