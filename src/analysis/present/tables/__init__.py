"""Tables for display, one module per topic: chosen columns, headers and values in the
notebook's language."""
