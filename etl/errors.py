"""The one error type a load raises: it names the file, the feature or line, and the reason."""


class LoadError(Exception):
    """Bad input or a failed load; the published data is unchanged when this is raised."""
