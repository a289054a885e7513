"""Getting accepted photos to the school's server: outbox, uploader, reconciliation, queue health."""
