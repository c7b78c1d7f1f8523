"""The site: build, incremental rebuilds, shards, releases, configuration, progress."""
