"""Names vulture (tests/test_no_dead_code.py) sees as unused in station/ and ui/ that are used where it cannot look:
each is read by a framework, a library or an override, or kept on purpose. A name added here says why, as these do.
Not imported by anything: vulture reads it beside the code it checks."""

# ruff: noqa
# flake8: noqa
_ = object()

# FastAPI routes, middleware and the error handler, registered by their decorators; the server's factory, named as a
# string to uvicorn (station/adapters/server/cli.py)
never_cached
refused_as_page
holdings
heartbeat
reference_list
reference_photos
overview
reference_thumbnail
missing_list
app_from_environment

# attributes a library reads: uvicorn's Server.should_exit, openpyxl's freeze_panes and data_type (data_type "s" is
# what keeps a class name from being a formula), numpy's writeable flag, protobuf's type_name, onnxruntime's options
_.should_exit
_.freeze_panes
_.data_type
_.writeable
_.type_name
_.intra_op_num_threads
_.inter_op_num_threads
_.log_severity_level

# overrides: argparse's HelpFormatter, HTMLParser, Qt
_._split_lines
_.handle_starttag
_.handle_endtag
_.handle_data
_.hasHeightForWidth
_.paintEvent

# the numpy buffer a QImage borrows, kept alive with it (ui/preview.py)
_._pixels

# fields read by equality, by name (calibration's COLOUR_RANGE, with getattr and the {hue_min} templates) or by
# position (roster/table.py's Merge)
mtime_ns
hue_min
hue_max
min_saturation
min_value
first_column
first_row
last_row

# read by scripts/ (benchmark_idcard.py, benchmark_code_in_photo.py): the benchmarks' way into the OCR and the engine
_.read_numbers
_.read_name
head_box
# read by scripts/ (benchmark_blur, benchmark_code_in_photo, benchmark_webcam, compare_blur_measures): the analysis
# check reports for each outcome of check_all, a photo measured turned as it stands
reported

# used by tests only, where moving them out is not clean (s33 dead-code review): CaptureSession's default post
# (CallQueue.run_pending), stopping the watchers without closing the shared engine, the ring's bound
_.run_pending
_.stop_watching
_.buffered
