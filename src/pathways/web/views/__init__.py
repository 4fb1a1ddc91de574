"""Server-rendered pages, one module per role. Views are thin: access -> queries -> template."""
