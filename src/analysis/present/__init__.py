"""The presentation layer: bilingual labels (:mod:`~analysis.present.i18n`), figure style,
numbered exhibits for notebooks, tables for display and one figures module per topic. It
imports the analyses and checks; nothing below it imports it."""
