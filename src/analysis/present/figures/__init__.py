"""One module of figures per topic (trade, investment, energy, survey, timeline, checks,
seminar)."""
