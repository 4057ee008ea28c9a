"""Publishing: the files a build writes besides pages, caches, search index and exports."""
