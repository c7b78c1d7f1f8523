"""DfE files -> checked tidy frames: one module per file family."""
