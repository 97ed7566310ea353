"""Build tools: ``package.py`` makes the Lambda package."""
