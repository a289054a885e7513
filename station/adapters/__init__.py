"""The ways into the station that are not the pipeline: the command line, the receiving server (a separate
program for the registrar) and the demo set-up. They build on the stages; no stage imports them."""
