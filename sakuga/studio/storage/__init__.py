"""The library's image files by content hash: a folder (`files`) or an S3-compatible
object store (`objects`), behind one `Storage` interface."""
