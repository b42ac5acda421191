"""The run machinery: notebook parameters, the headless pipeline (papermill), the report and
exhibit map, the ``kaztur`` command line, JupyterLab and seminar handouts. The top layer:
nothing in the package imports it."""
